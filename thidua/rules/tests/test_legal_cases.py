"""Legal cases as a table: facts → expected verdict and outcome per criterion.

Each case names the rule it exercises: its file in docs/legal/ and its confidence tag.
Criterion paths are dotted: `route.d.cstdcs_twice` is the option `cstdcs_twice` of the
option `d` of the criterion `route`. Years: 2020 evaluates under the 2017 regime, 2024 under
Decree 98/2023, 2025 under Decree 152/2025, 2026 under the (not encoded) 2026 amendment,
with the default dossier date 10/12 of the year.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.rules import sources
from thidua.rules.engine import run
from thidua.rules.tests.factories import make_person, make_unit


@dataclass
class Case:
    id: str
    rule: str  # what the case shows, with the reference section and tag
    award: str
    year: int
    facts: dict
    verdict: str
    criteria: dict[str, str]
    collective: bool = False
    as_of: str | None = None
    params: dict | None = None
    rule_set: str | None = None
    says: dict[str, str] = field(default_factory=dict)  # path → words in the explanation


def htt(*years, level="HTT"):
    return dict.fromkeys(years, level)


def member(year, *, ldtt=True, rating="HTT", **extra):
    facts = {"ratings": {year: rating}, "awards": [("LDTT", year)] if ldtt else []}
    for key, value in extra.items():
        facts[key] = facts.get(key, []) + value if isinstance(value, list) else value
    return facts


def members(year, n, **kwargs):
    return [member(year, **kwargs) for _ in range(n)]


MET, NOT, UNK = "met", "not_met", "unknown"
ELIG, NOTE, ATT, DEF = "eligible", "not_eligible", "needs_attestation", "deferred"

CASES = [
    # --- Lao động tiên tiến (Law Điều 24; titles.md [V2]; ratings.md [V2]) ---------------
    Case(
        "ldtt-htt",
        "LĐTT needs rating ≥ HTT; conduct is attested (titles.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024)},
        ATT,
        {"rating": MET, "discipline": MET, "conduct": UNK},
        rule_set="98_2023",
        says={"conduct": "only the council's judgement remains"},
    ),
    Case(
        "ldtt-awarded",
        "the award's own decision is no attestation (circular): only the council's "
        "judgement remains (procedure.md)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)]},
        ATT,
        {"conduct": UNK},
        says={"conduct": "only the council's judgement remains"},
    ),
    Case(
        "ldtt-attested",
        "a qualitative criterion is met once the council attests it (procedure.md)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "attestations": [("LDTT", "conduct", 2024)]},
        ELIG,
        {"conduct": MET},
        says={"conduct": "attested by Hội đồng"},
    ),
    Case(
        "ldtt-attestation-refused",
        "a qualitative criterion is not met once the council refuses it (procedure.md)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "attestations": [("LDTT", "conduct", 2024, "refused")]},
        NOTE,
        {"conduct": NOT},
        says={"conduct": "not attested"},
    ),
    Case(
        "ldtt-attested-another-year",
        "an attestation counts for its own year only",
        "LDTT",
        2024,
        {"ratings": htt(2024), "attestations": [("LDTT", "conduct", 2023)]},
        ATT,
        {"conduct": UNK},
    ),
    Case(
        "ldtt-ht",
        "HT is below HTT (titles.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024, level="HT")},
        NOTE,
        {"rating": NOT},
        says={"rating": "HT"},
    ),
    Case(
        "ldtt-kht",
        "KHT is below HTT (ratings.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024, level="KHT")},
        NOTE,
        {"rating": NOT},
    ),
    Case(
        "ldtt-no-rating",
        "missing rating is unknown, never met",
        "LDTT",
        2024,
        {},
        ATT,
        {"rating": UNK},
        says={"rating": "No rating"},
    ),
    Case(
        "ldtt-five-months",
        "< 6 months worked → not rated (ratings.md V2)",
        "LDTT",
        2024,
        {"employments": [("2024-08-01", None)]},
        NOTE,
        {"rating": NOT},
        says={"rating": "fewer than 6 months"},
    ),
    Case(
        "ldtt-maternity",
        "maternity counts as work: not 'not rated' (Điều 4(5) V2)",
        "LDTT",
        2024,
        {"absences": [("maternity", "2024-02-01", "2024-10-01")]},
        ATT,
        {"rating": UNK},
    ),
    Case(
        "ldtt-long-absence",
        "7 months of long absence → not rated (ratings.md V2)",
        "LDTT",
        2024,
        {"absences": [("long_absence", "2024-01-01", "2024-08-01")]},
        NOTE,
        {"rating": NOT},
    ),
    Case(
        "ldtt-reprimand",
        "khiển trách for a duty violation removes LĐTT (ratings.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "disciplines": [("khien_trach", "2024-03-01", "2025-03-01")]},
        NOTE,
        {"discipline": NOT},
        says={"discipline": "khiển trách"},
    ),
    Case(
        "ldtt-reprimand-not-duty",
        "a violation not related to duty does not",
        "LDTT",
        2024,
        {"ratings": htt(2024), "disciplines": [("khien_trach", "2024-03-01", "2025-03-01", False)]},
        ATT,
        {"discipline": MET},
    ),
    Case(
        "ldtt-discipline-earlier",
        "a discipline ended the year before does not bar",
        "LDTT",
        2024,
        {"ratings": htt(2024), "disciplines": [("canh_cao", "2022-03-01", "2023-03-01")]},
        ATT,
        {"discipline": MET},
    ),
    Case(
        "ldtt-pending-review",
        "pending review defers (Điều 4(4) V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)], "reviews": [("2024-11-01", None)]},
        DEF,
        {"no_pending_review": NOT},
    ),
    Case(
        "ldtt-review-closed",
        "a review closed before the dossier date does not defer",
        "LDTT",
        2024,
        {"ratings": htt(2024), "reviews": [("2024-06-01", "2024-09-01")]},
        ATT,
        {"no_pending_review": MET},
    ),
    Case(
        "ldtt-2020-regime",
        "2020 evaluates under the 2017 regime (regimes.md V2)",
        "LDTT",
        2020,
        {"ratings": htt(2020)},
        ATT,
        {"rating": MET, "conduct": UNK},
        rule_set="2017",
    ),
    Case(
        "ldtt-2020-awarded",
        "the demo's 2020 LĐTT is eligible under 2017 (regimes.md)",
        "LDTT",
        2020,
        {
            "ratings": htt(2020),
            "awards": [("LDTT", 2020)],
            "attestations": [("LDTT", "conduct", 2020)],
        },
        ELIG,
        {"conduct": MET},
        rule_set="2017",
    ),
    Case(
        "ldtt-2025-152",
        "2025 evaluates under Decree 152/2025 (regimes.md V2)",
        "LDTT",
        2025,
        {"ratings": htt(2025), "attestations": [("LDTT", "conduct", 2025)]},
        ELIG,
        {"rating": MET},
        rule_set="152_2025",
    ),
    # --- Chiến sĩ thi đua cơ sở (Law Điều 23 [V2]; regimes.md [V1]) ----------------------
    Case(
        "cstdcs-htxs",
        "LĐTT + HTXS (Điều 23 V2)",
        "CSTDCS",
        2024,
        {"ratings": htt(2024, level="HTXS"), "awards": [("LDTT", 2024)]},
        ELIG,
        {"ldtt": MET, "route": MET, "route.htxs": MET},
    ),
    Case(
        "cstdcs-initiative",
        "LĐTT + an initiative at grassroots scope (V2)",
        "CSTDCS",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)], "initiatives": [(2024, "co_so")]},
        ELIG,
        {"route": MET, "route.initiative": MET},
    ),
    Case(
        "cstdcs-research",
        "LĐTT + accepted research (V2)",
        "CSTDCS",
        2024,
        {
            "ratings": htt(2024),
            "awards": [("LDTT", 2024)],
            "initiatives": [(2024, "co_so", "research")],
        },
        ELIG,
        {"route.research": MET},
    ),
    Case(
        "cstdcs-no-work",
        "HTT without initiative, research or HTXS (V2)",
        "CSTDCS",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)]},
        NOTE,
        {"route": NOT, "route.htxs": NOT, "route.initiative": NOT},
    ),
    Case(
        "cstdcs-initiative-last-year",
        "window: the initiative must be of the year",
        "CSTDCS",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)], "initiatives": [(2023, "co_so")]},
        NOTE,
        {"route.initiative": NOT},
    ),
    Case(
        "cstdcs-ldtt-undecided",
        "LĐTT not decided: the LĐTT standard is evaluated",
        "CSTDCS",
        2024,
        {"ratings": htt(2024, level="HTXS")},
        ATT,
        {"ldtt": UNK, "ldtt.conduct": UNK},
    ),
    Case(
        "cstdcs-ht",
        "HT fails the LĐTT standard",
        "CSTDCS",
        2024,
        {"ratings": htt(2024, level="HT")},
        NOTE,
        {"ldtt": NOT, "ldtt.rating": NOT},
    ),
    Case(
        "cstdcs-2020",
        "2017 regime: LĐTT + HTXS (regimes.md V1)",
        "CSTDCS",
        2020,
        {"ratings": htt(2020, level="HTXS"), "awards": [("LDTT", 2020)]},
        ELIG,
        {"ldtt": MET, "route": MET},
        rule_set="2017",
    ),
    Case(
        "cstdcs-initiative-used-by-form",
        "an initiative a form relied on does not count for a title (5007/BNV-TĐKT V1; titles.md)",
        "CSTDCS",
        2024,
        {
            "ratings": htt(2024),
            "awards": [("LDTT", 2024), ("BK_TINH", 2024)],
            "initiatives": [(2024, "co_so")],
            "relied_on": [("BK_TINH", 2024)],
        },
        NOTE,
        {"route": NOT, "route.initiative": NOT},
        says={"route.initiative": "already relied on by Certificate of Merit"},
    ),
    Case(
        "cstdcs-initiative-not-relied-on",
        "an initiative no award relied on counts, whatever else the person holds (the link "
        "is recorded, nothing is presumed)",
        "CSTDCS",
        2024,
        {
            "ratings": htt(2024),
            "awards": [("LDTT", 2024), ("BK_TINH", 2024)],
            "initiatives": [(2024, "co_so")],
        },
        ELIG,
        {"route.initiative": MET},
    ),
    Case(
        "cstdcs-initiative-of-this-very-award",
        "the CSTĐCS that relied on the initiative is the award evaluated: it counts",
        "CSTDCS",
        2024,
        {
            "ratings": htt(2024),
            "awards": [("LDTT", 2024), ("CSTDCS", 2024)],
            "initiatives": [(2024, "co_so")],
            "relied_on": [("CSTDCS", 2024)],
        },
        ELIG,
        {"route.initiative": MET},
    ),
    Case(
        "cstdcs-2020-initiative-and-bk",
        "2017 regime: letter 5007/BNV (2023) on single use not applied",
        "CSTDCS",
        2020,
        {
            "ratings": htt(2020),
            "awards": [("LDTT", 2020), ("BK_TINH", 2020)],
            "initiatives": [(2020, "co_so")],
        },
        ELIG,
        {"route.initiative": MET},
        rule_set="2017",
    ),
    # --- CSTĐ cấp tỉnh (Law Điều 22 [V2]) -----------------------------------------------
    Case(
        "cstd-tinh-ok",
        "3 consecutive CSTĐCS + initiative at province scope (V2)",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "initiatives": [(2023, "bo_tinh")],
        },
        ATT,
        {"cstdcs_streak": MET, "work": MET, "selected": UNK},
    ),
    Case(
        "cstd-tinh-awarded",
        "the council's attestation of the selection, not the decision, meets it",
        "CSTD_TINH",
        2024,
        {
            "awards": [
                ("CSTDCS", 2022),
                ("CSTDCS", 2023),
                ("CSTDCS", 2024),
                ("CSTD_TINH", (2022, 2024)),
            ],
            "initiatives": [(2023, "bo_tinh")],
            "attestations": [("CSTD_TINH", "selected", 2024)],
        },
        ELIG,
        {"selected": MET},
    ),
    Case(
        "cstd-tinh-gap",
        "a missing year breaks the streak",
        "CSTD_TINH",
        2024,
        {"awards": [("CSTDCS", 2022), ("CSTDCS", 2024)], "initiatives": [(2023, "bo_tinh")]},
        NOTE,
        {"cstdcs_streak": NOT},
        says={"cstdcs_streak": "2023"},
    ),
    Case(
        "cstd-tinh-current-pending",
        "the year's own CSTĐCS not decided yet → unknown",
        "CSTD_TINH",
        2024,
        {
            "ratings": htt(2024, level="HTXS"),
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("LDTT", 2024)],
            "initiatives": [(2023, "bo_tinh")],
        },
        ATT,
        {"cstdcs_streak": UNK},
        says={"cstdcs_streak": "not decided yet"},
    ),
    Case(
        "cstd-tinh-current-kht",
        "a KHT year breaks the streak (ratings.md)",
        "CSTD_TINH",
        2024,
        {
            "ratings": htt(2024, level="KHT"),
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023)],
            "initiatives": [(2023, "bo_tinh")],
        },
        NOTE,
        {"cstdcs_streak": NOT},
    ),
    Case(
        "cstd-tinh-grassroots-initiative",
        "a grassroots initiative is not enough",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "initiatives": [(2023, "co_so")],
        },
        NOTE,
        {"work": NOT},
    ),
    Case(
        "cstd-tinh-not-replicable",
        "the initiative must be replicable (V2)",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "initiatives": [(2023, "bo_tinh", "initiative", True, False)],
        },
        NOTE,
        {"work.initiative": NOT},
    ),
    Case(
        "cstd-tinh-research",
        "or accepted and applied research at province scope",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "initiatives": [(2022, "bo_tinh", "research", True, False)],
        },
        ATT,
        {"work.research": MET},
    ),
    Case(
        "cstd-tinh-discipline",
        "discipline cuts the streak (Điều 4(4) V2)",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024)],
            "disciplines": [("canh_cao", "2022-06-01", "2023-06-01")],
            "initiatives": [(2023, "bo_tinh")],
        },
        NOTE,
        {"cstdcs_streak": NOT},
        says={"cstdcs_streak": "count only from 2024"},
    ),
    Case(
        "cstd-tinh-thematic-not-counted",
        "thematic awards do not count (Điều 4(3) V2)",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023, "chuyen_de"), ("CSTDCS", 2024)],
            "initiatives": [(2023, "bo_tinh")],
        },
        NOTE,
        {"cstdcs_streak": NOT},
        says={"cstdcs_streak": "not counted"},
    ),
    Case(
        "cstd-tinh-streak-ends-before",
        "deployment: the streak may end the year before",
        "CSTD_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2021), ("CSTDCS", 2022), ("CSTDCS", 2023)],
            "initiatives": [(2023, "bo_tinh")],
        },
        ATT,
        {"cstdcs_streak": MET},
        params={"current_year_is_streak_end": False},
        says={"cstdcs_streak": "current_year_is_streak_end = false"},
    ),
    Case(
        "cstd-tinh-2020",
        "unchanged in the 2017 regime",
        "CSTD_TINH",
        2020,
        {
            "awards": [("CSTDCS", 2018), ("CSTDCS", 2019), ("CSTDCS", 2020)],
            "initiatives": [(2020, "bo_tinh")],
        },
        ATT,
        {"cstdcs_streak": MET},
        rule_set="2017",
    ),
    # --- CSTĐ toàn quốc (Law Điều 21 [V2]) ---------------------------------------------
    Case(
        "cstd-tq-ok",
        "two consecutive CSTĐ tỉnh + nationwide initiative (V2)",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_TINH", (2019, 2021)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2023, "toan_quoc")],
        },
        ATT,
        {"cstd_bo_tinh_twice": MET, "work": MET},
    ),
    Case(
        "cstd-tq-gap",
        "the two CSTĐ tỉnh must be consecutive",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_TINH", (2018, 2020)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2023, "toan_quoc")],
        },
        NOTE,
        {"cstd_bo_tinh_twice": NOT},
    ),
    Case(
        "cstd-tq-province-initiative",
        "a province-scope initiative is not enough",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_TINH", (2019, 2021)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2023, "bo_tinh")],
        },
        NOTE,
        {"work": NOT},
    ),
    Case(
        "cstd-tq-research",
        "nationwide research suffices",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_TINH", (2019, 2021)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2020, "toan_quoc", "research")],
        },
        ATT,
        {"work.research": MET},
    ),
    Case(
        "cstd-tq-ministry-then-province",
        "Điều 21(1) counts CSTĐ cấp bộ, ban, ngành, tỉnh alike: a ministry's title then the "
        "province's are two consecutive (titles.md V2)",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_BO", (2019, 2021)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2023, "toan_quoc")],
        },
        ATT,
        {"cstd_bo_tinh_twice": MET, "work": MET},
        says={"cstd_bo_tinh_twice": "ministry, central body or province"},
    ),
    Case(
        "cstd-tq-ministry-twice",
        "two consecutive CSTĐ of a ministry or central body suffice (Điều 21(1), titles.md V2)",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_BO", (2019, 2021)), ("CSTD_BO", (2022, 2024))],
            "initiatives": [(2023, "toan_quoc")],
        },
        ATT,
        {"cstd_bo_tinh_twice": MET},
    ),
    Case(
        "cstd-tq-ministry-gap",
        "a ministry's title and the province's must still be consecutive (Điều 21(1))",
        "CSTD_TQ",
        2024,
        {
            "awards": [("CSTD_BO", (2018, 2020)), ("CSTD_TINH", (2022, 2024))],
            "initiatives": [(2023, "toan_quoc")],
        },
        NOTE,
        {"cstd_bo_tinh_twice": NOT},
    ),
    # --- Bằng khen tỉnh, individual (Law Điều 74 [V1]; (d) grouping [UNVERIFIED]) ------
    Case(
        "bk-tinh-cstdcs-twice",
        "(d) two consecutive CSTĐCS",
        "BK_TINH",
        2024,
        {"awards": [("CSTDCS", 2023), ("CSTDCS", 2024)]},
        ATT,
        {"compliance": UNK, "route": MET, "route.d": MET, "route.d.cstdcs_twice": MET},
    ),
    Case(
        "bk-tinh-htxs-initiatives",
        "(d) two HTXS years + two applied initiatives",
        "BK_TINH",
        2024,
        {
            "ratings": htt(2023, 2024, level="HTXS"),
            "initiatives": [(2023, "co_so"), (2024, "co_so")],
        },
        ATT,
        {"route.d.htxs_with_works": MET},
    ),
    Case(
        "bk-tinh-one-initiative",
        "(d) one initiative is not enough; (a)–(c) to attest",
        "BK_TINH",
        2024,
        {"ratings": htt(2023, 2024, level="HTXS"), "initiatives": [(2024, "co_so")]},
        ATT,
        {"route": UNK, "route.d": NOT, "route.abce": UNK},
    ),
    Case(
        "bk-tinh-htxs-broken",
        "a HTT year breaks the HTXS streak",
        "BK_TINH",
        2024,
        {"ratings": {2023: "HTT", 2024: "HTXS"}, "initiatives": [(2023, "co_so"), (2024, "co_so")]},
        ATT,
        {"route.d.htxs_with_works.htxs_twice": NOT},
    ),
    Case(
        "bk-tinh-kht-breaks",
        "a KHT year breaks the streak",
        "BK_TINH",
        2024,
        {"ratings": {2023: "KHT", 2024: "HTXS"}, "initiatives": [(2023, "co_so"), (2024, "co_so")]},
        ATT,
        {"route.d.htxs_with_works.htxs_twice": NOT},
        says={"route": "KHT"},
    ),
    Case(
        "bk-tinh-missing-rating",
        "a missing rating breaks nothing but is unknown",
        "BK_TINH",
        2024,
        {"ratings": {2024: "HTXS"}, "initiatives": [(2023, "co_so"), (2024, "co_so")]},
        ATT,
        {"route.d.htxs_with_works.htxs_twice": UNK},
    ),
    Case(
        "bk-tinh-awarded",
        "compliance attested by the council",
        "BK_TINH",
        2024,
        {
            "awards": [("CSTDCS", 2023), ("CSTDCS", 2024), ("BK_TINH", 2024)],
            "attestations": [("BK_TINH", "compliance", 2024)],
        },
        ELIG,
        {"compliance": MET, "route": MET},
    ),
    # --- Bằng khen Thủ tướng, individual (Law Điều 73(1)(b) [V1]) ----------------------
    Case(
        "bk-ttg-b-ok",
        "BK tỉnh, then ≥ 5 years HTT with 3 CSTĐCS (V1)",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2019, 2025)),
            "awards": [("BK_TINH", 2018), ("CSTDCS", 2020), ("CSTDCS", 2021), ("CSTDCS", 2023)],
        },
        ATT,
        {"route": MET, "route.b": MET},
    ),
    Case(
        "bk-ttg-b-five",
        "window 2020–2024 after a 2019 BK (window boundary)",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2020, 2025)),
            "awards": [("BK_TINH", 2019), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ATT,
        {"route.b": MET},
        says={"route.b": "2020–2024"},
    ),
    Case(
        "bk-ttg-b-four",
        "after a 2020 BK only 4 years: first year out (reference reading)",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2020, 2025)),
            "awards": [("BK_TINH", 2020), ("CSTDCS", 2021), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ATT,
        {"route": UNK, "route.b": NOT},
        says={"route.b": "window_first_year = after"},
    ),
    Case(
        "bk-ttg-b-included",
        "deployment: first year in → 5 years",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2020, 2025)),
            "awards": [("BK_TINH", 2020), ("CSTDCS", 2021), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ATT,
        {"route.b": MET},
        params={"window_first_year": "included"},
    ),
    Case(
        "bk-ttg-b-kht",
        "a KHT year in the window",
        "BK_TTG",
        2024,
        {
            "ratings": {**htt(*range(2019, 2025)), 2021: "KHT"},
            "awards": [("BK_TINH", 2018), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2023)],
        },
        ATT,
        {"route.b": NOT},
    ),
    Case(
        "bk-ttg-b-sudden",
        "a sudden BK tỉnh does not open the window (Điều 4(3) V2)",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2019, 2025)),
            "awards": [
                ("BK_TINH", 2018, "dot_xuat"),
                ("CSTDCS", 2020),
                ("CSTDCS", 2021),
                ("CSTDCS", 2023),
            ],
        },
        ATT,
        {"route.b": NOT},
        says={"route.b": "do not count toward merit criteria"},
    ),
    Case(
        "bk-ttg-b-cstdcs-pending",
        "2 CSTĐCS + this year's undecided → unknown",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2019, 2025)),
            "awards": [("BK_TINH", 2018), ("CSTDCS", 2022), ("CSTDCS", 2023)],
        },
        ATT,
        {"route.b": UNK},
    ),
    Case(
        "bk-ttg-b-cstdcs-short",
        "one CSTĐCS in the window",
        "BK_TTG",
        2024,
        {"ratings": htt(*range(2019, 2025)), "awards": [("BK_TINH", 2018), ("CSTDCS", 2024)]},
        ATT,
        {"route.b": NOT},
    ),
    Case(
        "bk-ttg-b-missing-rating",
        "a missing rating in the window → unknown",
        "BK_TTG",
        2024,
        {
            "ratings": {y: "HTT" for y in range(2019, 2025) if y != 2021},
            "awards": [("BK_TINH", 2018), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2023)],
        },
        ATT,
        {"route.b": UNK},
    ),
    Case(
        "bk-ttg-after-own",
        "the window starts after the last BK TTg itself",
        "BK_TTG",
        2024,
        {
            "ratings": htt(*range(2017, 2025)),
            "awards": [
                ("BK_TINH", 2016),
                ("BK_TTG", 2020),
                ("CSTDCS", 2021),
                ("CSTDCS", 2022),
                ("CSTDCS", 2023),
            ],
        },
        ATT,
        {"route.b": NOT},
        says={"route.b": "window starts after it"},
    ),
    Case(
        "bk-ttg-2017-regime",
        "2017: BK tỉnh, 5 years HTXS, 5 initiatives (regimes.md V2)",
        "BK_TTG",
        2020,
        {
            "ratings": htt(*range(2015, 2021), level="HTXS"),
            "awards": [("BK_TINH", 2014)],
            "initiatives": [(y, "co_so") for y in range(2016, 2021)],
        },
        ELIG,
        {"route.after_bk_tinh": MET},
        rule_set="2017",
    ),
    Case(
        "bk-ttg-2017-htt",
        "2017: HTT years do not count as HTXS",
        "BK_TTG",
        2020,
        {
            "ratings": {**htt(*range(2015, 2021), level="HTXS"), 2018: "HTT"},
            "awards": [("BK_TINH", 2014)],
            "initiatives": [(y, "co_so") for y in range(2016, 2021)],
        },
        ATT,
        {"route.after_bk_tinh": NOT},
        rule_set="2017",
    ),
    Case(
        "bk-ttg-2026-counts-2020",
        "a 2026 criterion counts a 2020 title (regimes.md)",
        "BK_TTG",
        2026,
        {
            "ratings": htt(*range(2021, 2027)),
            "awards": [("BK_TINH", 2020), ("CSTDCS", 2021), ("CSTDCS", 2023), ("CSTDCS", 2025)],
        },
        ATT,
        {"route.b": MET},
        rule_set="2026_amendment",
    ),
    # --- Huân chương Lao động (Law Điều 44 [V1], 43/42 [UNVERIFIED]) --------------------
    Case(
        "hcld3-e-ok",
        "(e) BK TTg, 5 years HTT, 1 HTXS, 3 CSTĐCS (V1)",
        "HCLD_3",
        2024,
        {
            "ratings": {**htt(*range(2019, 2025)), 2021: "HTXS"},
            "awards": [("BK_TTG", 2018), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ELIG,
        {"route": MET, "route.e": MET},
    ),
    Case(
        "hcld3-e-no-htxs",
        "(e) no HTXS year in the window",
        "HCLD_3",
        2024,
        {
            "ratings": htt(*range(2019, 2025)),
            "awards": [("BK_TTG", 2018), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ATT,
        {"route.e": NOT, "route.g": UNK},
    ),
    Case(
        "hcld3-g-tenure",
        "(g) 7 years as vụ trưởng ≥ 6 (V1)",
        "HCLD_3",
        2024,
        {
            "employments": [
                ("2015-01-01", "2022-01-01", "Vụ trưởng Vụ Thi đua"),
                ("2022-01-01", None, "Chuyên viên cao cấp"),
            ]
        },
        ELIG,
        {"route.g": MET},
    ),
    Case(
        "hcld3-g-woman",
        "(g) women leaders need one third less (Điều 4(7) V2)",
        "HCLD_3",
        2024,
        {"gender": "F", "employments": [("2015-06-01", "2022-06-01", "Phó Vụ trưởng")]},
        ELIG,
        {"route.g": MET},
        says={"route": "one third less"},
    ),
    Case(
        "hcld3-g-man-short",
        "(g) same tenure, a man: short → unknown",
        "HCLD_3",
        2024,
        {"employments": [("2015-06-01", "2022-06-01", "Phó Vụ trưởng")]},
        ATT,
        {"route.g": UNK},
    ),
    Case(
        "hcld2-ladder",
        "hạng Nhì after hạng Ba and 5 years [UNVERIFIED]",
        "HCLD_2",
        2024,
        {
            "ratings": htt(*range(2019, 2025)),
            "awards": [("HCLD_3", 2018), ("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2024)],
        },
        ELIG,
        {"route.after_hcld_3": MET},
        says={"route": "UNVERIFIED"},
    ),
    Case(
        "hcdl3-dedication",
        "Huân chương Độc lập hạng Ba: provincial secretary [UNVERIFIED]",
        "HCDL_3",
        2024,
        {"employments": [("2016-01-01", "2021-01-01", "Bí thư Tỉnh ủy")]},
        ELIG,
        {"route.dedication": MET},
    ),
    Case(
        "ahld-attest",
        "Hero of Labour: judgements only (Điều 63 V1)",
        "AHLD",
        2024,
        {"ratings": htt(*range(2014, 2025))},
        ATT,
        {"loyalty": UNK, "achievement": UNK},
    ),
    Case(
        "gk-htt",
        "Giấy khen: HTT and an attested achievement (Điều 75 V1)",
        "GK",
        2024,
        {"ratings": htt(2024)},
        ATT,
        {"rating": MET, "achievement": UNK},
    ),
    Case(
        "gk-ht",
        "Giấy khen: HT is not enough",
        "GK",
        2024,
        {"ratings": htt(2024, level="HT")},
        NOTE,
        {"rating": NOT},
    ),
    # --- recorded ratings that cannot stand (docs/legal/ratings.md; Decree 90/2020 Điều 20
    # as amended by 48/2023 [V2]) -----------------------------------------------------------
    Case(
        "ldtt-rated-after-five-months",
        "a rating recorded for someone who worked < 6 months cannot stand (ratings.md V2)",
        "LDTT",
        2024,
        {"employments": [("2024-08-01", None)], "ratings": htt(2024)},
        NOTE,
        {"rating": NOT},
        says={"rating": "cannot stand"},
    ),
    Case(
        "ldtt-rated-htt-absent-four-months",
        "absent 3 to < 6 months: cannot be rated HTT or better (ratings.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "absences": [("long_absence", "2024-03-01", "2024-07-01")]},
        NOTE,
        {"rating": NOT},
        says={"rating": "Absent 4 months"},
    ),
    Case(
        "cstdcs-htxs-absent-four-months",
        "an HTXS recorded for someone absent 4 months is no route to CSTĐCS (ratings.md V2)",
        "CSTDCS",
        2024,
        {
            "ratings": htt(2024, level="HTXS"),
            "awards": [("LDTT", 2024)],
            "absences": [("long_absence", "2024-03-01", "2024-07-01")],
        },
        NOTE,
        {"route.htxs": NOT},
    ),
    Case(
        "ldtt-absent-two-months",
        "absent under 3 months: the rating stands (ratings.md V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "absences": [("long_absence", "2024-03-01", "2024-05-01")]},
        ATT,
        {"rating": MET},
    ),
    Case(
        "ldtt-maternity-rated",
        "maternity leave counts as work: a rating after 8 months of maternity stands "
        "(Decree 152/2025 Điều 4(5) V2)",
        "LDTT",
        2024,
        {"ratings": htt(2024), "absences": [("maternity", "2024-02-01", "2024-10-01")]},
        ATT,
        {"rating": MET},
    ),
    Case(
        "ldtt-unpaid-leave-not-rated",
        "7 months of leave outside maternity → not rated; the reason names the absence",
        "LDTT",
        2024,
        {"absences": [("long_absence", "2024-01-01", "2024-08-01")]},
        NOTE,
        {"rating": NOT},
        says={"rating": "absent 7 months"},
    ),
    # --- transitions (regimes.md) -----------------------------------------------------------
    Case(
        "dossier-2023-12-31",
        "dossier on 31/12/2023 → 2017 regime",
        "LDTT",
        2023,
        {"ratings": htt(2023)},
        ATT,
        {"rating": MET},
        as_of="2023-12-31",
        rule_set="2017",
    ),
    Case(
        "dossier-2024-01-01",
        "dossier on 1/1/2024 → Decree 98/2023",
        "LDTT",
        2023,
        {"ratings": htt(2023)},
        ATT,
        {"rating": MET},
        as_of="2024-01-01",
        rule_set="98_2023",
    ),
    Case(
        "dossier-2025-06-30",
        "dossier on 30/6/2025 → Decree 98/2023",
        "CSTDCS",
        2024,
        {"ratings": htt(2024, level="HTXS"), "awards": [("LDTT", 2024)]},
        ELIG,
        {"route": MET},
        as_of="2025-06-30",
        rule_set="98_2023",
    ),
    Case(
        "dossier-2025-07-01",
        "dossier on 1/7/2025 → Decree 152/2025",
        "CSTDCS",
        2024,
        {"ratings": htt(2024, level="HTXS"), "awards": [("LDTT", 2024)]},
        ELIG,
        {"route": MET},
        as_of="2025-07-01",
        rule_set="152_2025",
    ),
    Case(
        "amendment-2026",
        "2026 amendment: 152/2025 criteria, with a note (regimes.md)",
        "LDTT",
        2026,
        {"ratings": htt(2026), "attestations": [("LDTT", "conduct", 2026)]},
        ELIG,
        {"rating": MET},
        rule_set="2026_amendment",
    ),
    Case(
        "registration-required",
        "deployment: registration required [UNVERIFIED]",
        "LDTT",
        2024,
        {"ratings": htt(2024), "awards": [("LDTT", 2024)]},
        ATT,
        {"registered": UNK},
        params={"registration_required": True},
    ),
    # --- collectives: TTLĐTT (Law Điều 28 [V1]; 2003 Law [V2]) -------------------------
    Case(
        "ttldtt-ok",
        "unit HTT, ≥ 70 % LĐTT, no cảnh cáo (V1)",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 8) + members(2024, 2, ldtt=False, rating="HT"),
        },
        ATT,
        {"unit_rating": MET, "members_ldtt": MET, "members_discipline": MET, "movement": UNK},
        collective=True,
    ),
    Case(
        "ttldtt-60",
        "60 % LĐTT is below 70 %",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 6) + members(2024, 4, ldtt=False, rating="HT"),
        },
        NOTE,
        {"members_ldtt": NOT},
        collective=True,
        says={"members_ldtt": "6 of 10"},
    ),
    Case(
        "ttldtt-open",
        "members' LĐTT not decided → unknown",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 6)
            + members(2024, 2, ldtt=False)
            + members(2024, 2, ldtt=False, rating="HT"),
        },
        ATT,
        {"members_ldtt": UNK},
        collective=True,
    ),
    Case(
        "ttldtt-warning",
        "a member with cảnh cáo bars TTLĐTT (V1)",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 9)
            + [member(2024, disciplines=[("canh_cao", "2024-02-01", "2025-02-01")])],
        },
        NOTE,
        {"members_discipline": NOT},
        collective=True,
    ),
    Case(
        "ttldtt-reprimand",
        "khiển trách is below the bar",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 9)
            + [member(2024, disciplines=[("khien_trach", "2024-02-01", "2025-02-01")])],
        },
        ATT,
        {"members_discipline": MET},
        collective=True,
    ),
    Case(
        "ttldtt-unit-ht",
        "unit rated HT",
        "TTLDTT",
        2024,
        {"ratings": htt(2024, level="HT"), "members": members(2024, 3)},
        NOTE,
        {"unit_rating": NOT},
        collective=True,
    ),
    Case(
        "ttldtt-unit-unrated",
        "unit rating missing → unknown",
        "TTLDTT",
        2024,
        {"members": members(2024, 3)},
        ATT,
        {"unit_rating": UNK},
        collective=True,
    ),
    Case(
        "ttldtt-newcomer",
        "a member of < 6 months does not count",
        "TTLDTT",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 3) + [{"employments": [("2024-09-01", None)]}],
        },
        ATT,
        {"members_ldtt": MET},
        collective=True,
        says={"members_ldtt": "3 of 3"},
    ),
    Case(
        "ttldtt-no-members",
        "no members recorded → unknown",
        "TTLDTT",
        2024,
        {"ratings": htt(2024)},
        ATT,
        {"members_ldtt": UNK},
        collective=True,
    ),
    Case(
        "ttldtt-dissolved",
        "a unit dissolved (not by reorganisation) has no recipient left; Circular 15/2025 "
        "is not cited (regimes.md)",
        "TTLDTT",
        2024,
        {"ratings": htt(2024), "dissolved_on": "2024-07-01", "members": members(2024, 3)},
        NOTE,
        {"unit_exists": NOT},
        collective=True,
    ),
    Case(
        "ttldtt-inspection",
        "a unit under inspection is deferred (Điều 4(4))",
        "TTLDTT",
        2024,
        {"ratings": htt(2024), "members": members(2024, 3), "reviews": [("2024-10-01", None)]},
        DEF,
        {"no_pending_review": NOT},
        collective=True,
    ),
    Case(
        "ttldtt-2017-60",
        "2017 regime: > 50 % LĐTT (regimes.md V2)",
        "TTLDTT",
        2020,
        {
            "ratings": htt(2020),
            "members": members(2020, 6) + members(2020, 4, ldtt=False, rating="HT"),
        },
        ATT,
        {"members_ldtt": MET},
        collective=True,
        rule_set="2017",
    ),
    Case(
        "ttldtt-2017-50",
        "2017 regime: exactly 50 % is not more than half",
        "TTLDTT",
        2020,
        {
            "ratings": htt(2020),
            "members": members(2020, 5) + members(2020, 5, ldtt=False, rating="HT"),
        },
        NOTE,
        {"members_ldtt": NOT},
        collective=True,
        rule_set="2017",
    ),
    Case(
        "ttldtt-2023-old-side",
        "60 % LĐTT, dossier 31/12/2023: > 50 % (2017)",
        "TTLDTT",
        2023,
        {
            "ratings": htt(2023),
            "members": members(2023, 6) + members(2023, 4, ldtt=False, rating="HT"),
        },
        ATT,
        {"members_ldtt": MET},
        collective=True,
        as_of="2023-12-31",
        rule_set="2017",
    ),
    Case(
        "ttldtt-2024-new-side",
        "60 % LĐTT, dossier 1/1/2024: ≥ 70 % (98/2023)",
        "TTLDTT",
        2023,
        {
            "ratings": htt(2023),
            "members": members(2023, 6) + members(2023, 4, ldtt=False, rating="HT"),
        },
        NOTE,
        {"members_ldtt": NOT},
        collective=True,
        as_of="2024-01-01",
        rule_set="98_2023",
    ),
    # --- TTLĐXS (Law Điều 27 [V2]; 2003 Law [V1]) --------------------------------------
    Case(
        "ttldxs-ok",
        "unit HTXS, all ≥ HT, ≥ 70 % LĐTT, a CSTĐCS (V2)",
        "TTLDXS",
        2024,
        {
            "ratings": htt(2024, level="HTXS"),
            "members": members(2024, 2)
            + [member(2024, awards=[("CSTDCS", 2024)]), member(2024, ldtt=False, rating="HT")],
        },
        ATT,
        {"unit_rating": MET, "members_ht": MET, "members_ldtt": MET, "member_cstdcs": MET},
        collective=True,
    ),
    Case(
        "ttldxs-kht-member",
        "a member rated KHT: not 100 % HT",
        "TTLDXS",
        2024,
        {
            "ratings": htt(2024, level="HTXS"),
            "members": members(2024, 3)
            + [member(2024, awards=[("CSTDCS", 2024)]), member(2024, ldtt=False, rating="KHT")],
        },
        NOTE,
        {"members_ht": NOT},
        collective=True,
    ),
    Case(
        "ttldxs-no-cstdcs",
        "no member holds CSTĐCS",
        "TTLDXS",
        2024,
        {"ratings": htt(2024, level="HTXS"), "members": members(2024, 4)},
        NOTE,
        {"member_cstdcs": NOT},
        collective=True,
    ),
    Case(
        "ttldxs-unit-htt",
        "the unit must be HTXS",
        "TTLDXS",
        2024,
        {
            "ratings": htt(2024),
            "members": members(2024, 3) + [member(2024, awards=[("CSTDCS", 2024)])],
        },
        NOTE,
        {"unit_rating": NOT},
        collective=True,
    ),
    Case(
        "ttldxs-2022-no-discipline-bar",
        "2022 wording: no discipline bar (titles.md V2)",
        "TTLDXS",
        2024,
        {
            "ratings": htt(2024, level="HTXS"),
            "members": members(2024, 3)
            + [
                member(
                    2024,
                    awards=[("CSTDCS", 2024)],
                    disciplines=[("canh_cao", "2024-02-01", "2025-02-01")],
                )
            ],
        },
        ATT,
        {"member_cstdcs": MET},
        collective=True,
    ),
    Case(
        "ttldxs-2017-discipline",
        "2017: nobody disciplined at cảnh cáo (regimes.md V1)",
        "TTLDXS",
        2020,
        {
            "ratings": htt(2020, level="HTXS"),
            "awards": [("TTLDTT", 2020)],
            "members": members(2020, 3)
            + [
                member(
                    2020,
                    awards=[("CSTDCS", 2020)],
                    disciplines=[("canh_cao", "2020-02-01", "2021-02-01")],
                )
            ],
        },
        NOTE,
        {"ttldtt": MET, "members_discipline": NOT},
        collective=True,
        rule_set="2017",
    ),
    Case(
        "ttldxs-2017-demo",
        "the demo's 2020 TTLĐXS is eligible under 2017 (regimes.md)",
        "TTLDXS",
        2020,
        {
            "ratings": htt(2020, level="HTXS"),
            "awards": [("TTLDTT", 2020), ("TTLDXS", 2020)],
            "attestations": [("TTLDXS", "outstanding", 2020)],
            "members": members(2020, 3) + [member(2020, awards=[("CSTDCS", 2020)])],
        },
        ELIG,
        {"ttldtt": MET, "members_ht": MET, "member_cstdcs": MET, "outstanding": MET},
        collective=True,
        rule_set="2017",
    ),
    Case(
        "ttldxs-2017-without-ttldtt-decision",
        "without a TTLĐTT decision, the TTLĐTT standard is met once its own judgement is "
        "attested; the TTLĐXS decision attests nothing (circular)",
        "TTLDXS",
        2020,
        {
            "ratings": htt(2020, level="HTXS"),
            "awards": [("TTLDXS", 2020)],
            "attestations": [("TTLDTT", "movement", 2020), ("TTLDXS", "outstanding", 2020)],
            "members": members(2020, 3) + [member(2020, awards=[("CSTDCS", 2020)])],
        },
        ELIG,
        {"ttldtt": MET},
        collective=True,
        rule_set="2017",
        says={"ttldtt": "Meets the criteria"},
    ),
    Case(
        "ttldxs-2017-decision-only",
        "the TTLĐXS decision alone attests nothing: the judgements remain",
        "TTLDXS",
        2020,
        {
            "ratings": htt(2020, level="HTXS"),
            "awards": [("TTLDXS", 2020)],
            "members": members(2020, 3) + [member(2020, awards=[("CSTDCS", 2020)])],
        },
        ATT,
        {"ttldtt": UNK, "outstanding": UNK},
        collective=True,
        rule_set="2017",
    ),
    # --- Cờ thi đua tỉnh (Law Điều 26 [V1]) --------------------------------------------
    Case(
        "co-tinh-block-unknown",
        "block ranking not recorded → unknown, never guessed",
        "CO_TD_TINH",
        2024,
        {"kind": "department", "ratings": htt(2024, level="HTXS")},
        ATT,
        {"case.leads_block": UNK},
        collective=True,
        says={"case": "not recorded"},
    ),
    Case(
        "co-tinh-2020-awarded",
        "a flag's judgements attested by the provincial council (Law Điều 26 V1)",
        "CO_TD_TINH",
        2020,
        {
            "kind": "district",
            "awards": [("CO_TD_TINH", 2020)],
            "attestations": [
                ("CO_TD_TINH", "thematic", 2020),
                ("CO_TD_TINH", "targets", 2020),
                ("CO_TD_TINH", "unity", 2020),
            ],
        },
        ELIG,
        {"case": MET, "targets": MET},
        collective=True,
        rule_set="2017",
    ),
    # --- Bằng khen tỉnh, collective (Law Điều 74 [V1]) ---------------------------------
    Case(
        "bk-tinh-unit-htxs-twice",
        "(d) unit HTXS two years + attested democracy",
        "BK_TINH",
        2024,
        {"ratings": htt(2023, 2024, level="HTXS")},
        ATT,
        {"route.d.excellent_twice": MET, "route.d.democracy": UNK},
        collective=True,
    ),
    Case(
        "bk-tinh-unit-ttldxs-twice",
        "(d) or TTLĐXS two years (BN-86)",
        "BK_TINH",
        2024,
        {"awards": [("TTLDXS", 2023), ("TTLDXS", 2024)]},
        ATT,
        {"route.d.excellent_twice.ttldxs_twice": MET},
        collective=True,
    ),
    Case(
        "bk-tinh-unit-one-year",
        "(d) one HTXS year is not enough",
        "BK_TINH",
        2024,
        {"ratings": {2023: "HT", 2024: "HTXS"}},
        ATT,
        {"route.d.excellent_twice.htxs_twice": NOT},
        collective=True,
    ),
    Case(
        "bk-ttg-unit",
        "BK TTg collective: BK tỉnh, 5 years ≥ HTT, a flag [UNVERIFIED]",
        "BK_TTG",
        2024,
        {"ratings": htt(*range(2019, 2025)), "awards": [("BK_TINH", 2018), ("CO_TD_TINH", 2022)]},
        ELIG,
        {"route.b": MET},
        collective=True,
        says={"route": "bk_ttg_collective_min_ttldxs = 2"},
    ),
    Case(
        "bk-ttg-unit-ministry-flag",
        "BK TTg collective: the flag of a ministry or central body counts as the province's "
        "(Điều 26 names one Cờ thi đua cấp bộ, ban, ngành, tỉnh) [UNVERIFIED criteria]",
        "BK_TTG",
        2024,
        {"ratings": htt(*range(2019, 2025)), "awards": [("BK_TINH", 2018), ("CO_TD_BO", 2022)]},
        ELIG,
        {"route.b": MET},
        collective=True,
    ),
    Case(
        "hcld-3-unit-ministry-flag",
        "HCLĐ hạng Ba collective: BK TTg, 5 years ≥ HTT and a ministry's flag "
        "(Điều 44(3)) [UNVERIFIED criteria]",
        "HCLD_3",
        2024,
        {"ratings": htt(*range(2019, 2025)), "awards": [("BK_TTG", 2018), ("CO_TD_BO", 2021)]},
        ELIG,
        {"route.after_bk_ttg": MET},
        collective=True,
    ),
    Case(
        "xa-tieu-bieu-2020",
        "no criteria encoded for 2017 → unknown, said",
        "XA_TIEU_BIEU",
        2020,
        {"kind": "commune"},
        ATT,
        {"criteria": UNK},
        collective=True,
        says={"criteria": "No criteria are encoded"},
    ),
]


def _paths(criteria, prefix=""):
    found = {}
    for c in criteria:
        path = f"{prefix}{c.id}"
        found[path] = c
        found.update(_paths(c.alternatives, f"{path}."))
    return found


def _evaluate(case: Case):
    as_of = datetime.date.fromisoformat(case.as_of) if case.as_of else None
    if case.collective:
        unit = make_unit(case.facts)
        evaluation = run(
            case.year,
            units=[unit],
            award_codes=[case.award],
            subjects=("collective",),
            as_of=as_of,
            parameters_override=case.params,
        )
        results = [r for r in evaluation.results if r.subject_id == unit.pk]
    else:
        person = make_person(make_unit(), case.facts)
        evaluation = run(
            case.year,
            people=[person],
            award_codes=[case.award],
            as_of=as_of,
            parameters_override=case.params,
        )
        results = evaluation.results
    assert len(results) == 1, results
    return results[0]


def test_the_table_is_large_enough():
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_legal_case(case: Case):
    result = _evaluate(case)
    with translation.override("en"):
        paths = _paths(result.criteria)
        explained = {p: c.explanation for p, c in paths.items()}
    outcomes = {p: c.outcome for p, c in paths.items()}
    assert result.verdict == case.verdict, (case.rule, explained)
    # The run decides in the checks' status-only mode; the explanation must say the same.
    explained_evaluation = result.evaluated
    assert explained_evaluation.verdict == result.verdict
    assert explained_evaluation.attest_only == result.attest_only
    for path, outcome in case.criteria.items():
        assert path in outcomes, (path, sorted(outcomes))
        assert outcomes[path] == outcome, (case.rule, path, explained[path])
    if case.rule_set:
        assert result.rule_set == case.rule_set
    for path, words in case.says.items():
        assert words in explained[path], (path, explained[path])
    for path, criterion in paths.items():
        assert criterion.explanation, path  # every criterion says why, in Vietnamese too


@pytest.mark.django_db
def test_the_2026_amendment_is_never_silent():
    person = make_person(make_unit(), {"ratings": htt(2026), "awards": [("LDTT", 2026)]})
    evaluation = run(2026, people=[person], award_codes=["LDTT"])
    (result,) = evaluation.results
    assert (result.rule_set, result.evaluated_under) == ("2026_amendment", "152_2025")
    with translation.override("en"):
        assert any("2026 amendment" in note for note in evaluation.notes)
        assert "2026 amendment" in " ".join(result.as_dict()["notes"])


@pytest.mark.django_db
def test_the_block_leader_source_is_used_once_it_exists():
    unit = make_unit({"kind": "department"})
    sources.register(
        "leads_block",
        lambda ids, year: {uid: sources.Fact(True, "Khối sở, ngành 2024, hạng 1") for uid in ids},
    )
    (result,) = run(
        2024, units=[unit], award_codes=["CO_TD_TINH"], subjects=("collective",)
    ).results
    paths = _paths(result.criteria)
    assert paths["case.leads_block"].outcome == "met"
    assert "hạng 1" in paths["case.leads_block"].explanation


# --- faults of issue 13 §1 that are not a single result -------------------------------------


def _quota(evaluation, unit):
    (row,) = [q for q in evaluation.quotas if q["unit_id"] == unit.pk]
    return row


@pytest.mark.django_db
def test_the_cstdcs_quota_counts_ldtt_holders_when_only_cstdcs_is_asked():
    """2017 regime: CSTĐCS ≤ 15 % of the unit's LĐTT (Decree 91/2017 Điều 9(3) [V1];
    docs/legal/titles.md), over the whole population whatever the request."""
    unit = make_unit()
    for i in range(10):
        awards = [("LDTT", 2020)] + ([("CSTDCS", 2020)] if i < 2 else [])
        make_person(unit, {"ratings": {2020: "HTT"}, "awards": awards})
    row = _quota(run(2020, units=[unit], award_codes=["CSTDCS"]), unit)["cstdcs"]
    assert (row["ldtt"], row["cstdcs"], row["cap"], row["exceeded"]) == (10, 2, 1, True)


@pytest.mark.django_db
def test_the_cstdcs_quota_is_checked_when_only_ldtt_is_asked():
    """The CSTĐCS candidates (no decision yet) are counted though the run asked for LĐTT."""
    unit = make_unit()
    for _ in range(10):
        make_person(unit, {"ratings": {2020: "HTXS"}, "awards": [("LDTT", 2020)]})
    row = _quota(run(2020, units=[unit], award_codes=["LDTT"]), unit)["cstdcs"]
    assert row["cstdcs_basis"] == "candidates"
    assert (row["ldtt"], row["cstdcs"], row["cap"], row["exceeded"]) == (10, 10, 1, True)


@pytest.mark.django_db
def test_a_quota_without_base_is_not_a_warning():
    """HTXS ≤ 20 % of those rated HTT (Decree 335/2025 [V2]; docs/legal/ratings.md): a
    one-person unit rated HTXS has no one rated HTT, so no base, not an excess."""
    unit = make_unit()
    make_person(unit, {"ratings": {2026: "HTXS"}})
    row = _quota(run(2026, units=[unit], award_codes=["LDTT"]), unit)["htxs"]
    assert row["no_base"] and not row["exceeded"]
    evaluation = run(2026, units=[unit], award_codes=["LDTT"])
    from thidua.rules.export import as_table

    with translation.override("en"):
        text = as_table(evaluation)
    assert "above the cap" not in text and "no one rated" in text


@pytest.mark.django_db
def test_the_not_rated_sentence_names_maternity_only_when_there_was_one():
    """Maternity counts as work (Decree 152/2025 Điều 4(5) [V2]); unpaid leave does not,
    and the sentence must not say otherwise."""
    unpaid = {"absences": [("long_absence", "2024-01-01", "2024-08-01")]}
    short = {"employments": [("2024-08-01", None)]}
    both = {
        "employments": [("2024-08-01", None)],
        "absences": [("maternity", "2024-08-15", "2024-10-01")],
    }
    with translation.override("en"):
        for facts, maternity in ((unpaid, False), (short, False), (both, True)):
            person = make_person(make_unit(), facts)
            (result,) = run(2024, people=[person], award_codes=["LDTT"]).results
            rating = _paths(result.criteria)["rating"]
            assert rating.outcome == NOT
            assert ("maternity" in rating.explanation) is maternity, rating.explanation


@pytest.mark.django_db
def test_the_unit_exists_criterion_cites_the_text_of_its_regime_and_reason(tree):
    """Circular 15/2025/TT-BNV (from 1/7/2025, V1; docs/legal/regimes.md): no award to a unit
    dissolved through reorganisation. A plain dissolution, or a reorganisation before the
    circular, is not refused under it."""
    from thidua.org import services as org
    from thidua.org.tests.factories import UnitFactory

    def absorbed(day):
        a = make_unit({"ratings": htt(day.year - 1)})
        c = UnitFactory(established_on=day)
        org.merge_units([a], c, day, actor=SYSTEM)
        return a

    def unit_exists(unit, year, as_of=None):
        (result,) = [
            r
            for r in run(
                year, units=[unit], award_codes=["TTLDTT"], subjects=("collective",), as_of=as_of
            ).results
            if r.subject_id == unit.pk
        ]
        return _paths(result.criteria)["unit_exists"]

    with translation.override("en"):
        merged = unit_exists(absorbed(datetime.date(2025, 7, 1)), 2024, datetime.date(2025, 8, 1))
        assert merged.outcome == NOT and merged.article == "Thông tư 15/2025/TT-BNV"
        assert "reorganisation" in merged.explanation
        earlier = unit_exists(absorbed(datetime.date(2024, 1, 1)), 2023, datetime.date(2024, 2, 1))
        assert earlier.outcome == NOT and "15/2025" not in earlier.explanation
        dissolved = make_unit({"ratings": htt(2025), "dissolved_on": "2025-09-01"})
        plain = unit_exists(dissolved, 2025)
        assert plain.outcome == NOT and "15/2025" not in plain.explanation
        assert "reorganisation" not in plain.explanation


@pytest.mark.django_db
def test_a_dossier_date_before_the_end_of_the_year_is_refused(client):
    """The rule set in force on the day the dossier is received decides (docs/legal/
    regimes.md): a date before the year's dossier date would pick an older regime."""
    from django.core.management import CommandError, call_command

    from thidua.rules.engine import DossierDateTooEarly

    with pytest.raises(DossierDateTooEarly):
        run(2025, award_codes=["LDTT"], as_of=datetime.date(2025, 6, 30))
    with translation.override("en"), pytest.raises(CommandError, match="before the end"):
        call_command("eligibility", "--year", "2025", "--as-of", "30/06/2025")
    # the year's own dossier date and later are accepted
    run(2025, award_codes=["LDTT"], as_of=datetime.date(2025, 12, 10))

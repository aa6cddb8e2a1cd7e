"""The Kim Bảng demo world: deterministic, loadable, faithful to the seed, and with awards
that satisfy the rules they were decided under (checked here from the dataset alone, as
an eligibility engine would, under every reading of "member of a unit that year")."""

import datetime
import io
import json
import math
import unicodedata
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from thidua.accounts import scope
from thidua.accounts.choices import Role
from thidua.interchange.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoError,
    build_demo_dataset,
    demo_counts,
    load_demo,
)
from thidua.interchange.management.commands import demo as demo_command
from thidua.org.models import LineageEdge, Person, Unit, UnitVersion
from thidua.org.tests.factories import UnitFactory
from thidua.records.choices import DISCIPLINE_RANK, RATING_RANK, DisciplineMeasure
from thidua.records.models import Award, UnitRating
from thidua.rules.catalog import get_catalog
from thidua.vietnamese import fold

RANK = RATING_RANK  # keyed by the level codes
REORG = datetime.date(2025, 7, 1)
D = datetime.date.fromisoformat


@pytest.fixture(scope="module")
def dataset():
    return build_demo_dataset()


@pytest.fixture(scope="module")
def facts(dataset):
    return Facts(dataset)


class Facts:
    """The dataset indexed the way an eligibility check reads it."""

    def __init__(self, ds):
        self.ds = ds
        self.units = {u["code"]: u for u in ds["units"]}
        self.versions = defaultdict(list)
        for v in ds["unit_versions"]:
            self.versions[v["unit"]].append(v)
        self.jobs = defaultdict(list)
        for e in ds["employments"]:
            self.jobs[e["person"]].append(e)
        self.rating = {(r["person"], r["year"]): r for r in ds["person_ratings"]}
        self.unit_rating = {(r["unit"], r["year"]): r["level"] for r in ds["unit_ratings"]}
        self.valid = [a for a in ds["awards"] if a.get("status", "valid") == "valid"]
        self.holders = defaultdict(set)  # (award code, year) → person or unit codes
        for a in self.valid:
            if a["commendation_type"] == "cong_trang":
                year = int(a["period_end"][:4])
                self.holders[(a["award_code"], year)].add(a.get("person") or a.get("unit"))
        self._members = {}
        self.authors = defaultdict(set)
        for w in ds["initiatives"]:
            self.authors[int(w["recognised_on"][:4])].update(w["authors"])

    def parent(self, code, day):
        for v in self.versions[code]:
            if D(v["valid_from"]) <= day and ("valid_to" not in v or day < D(v["valid_to"])):
                return v.get("parent")
        return None

    def ancestor_kind(self, code, day, kind):
        while code:
            if self.units[code]["kind"] == kind:
                return code
            code = self.parent(code, day)
        return None

    def days(self, job, year):
        lo, hi = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        end = D(job["end"]) if "end" in job else hi
        return max((min(end, hi) - max(D(job["start"]), lo)).days, 0)

    def members(self, unit, year):
        """{reading: people} for the three readings of membership: employed there on any
        day of the year, for six months or more, on 31 December."""
        if year not in self._members:
            dec31 = datetime.date(year, 12, 31)
            by_unit = defaultdict(lambda: {"broad": set(), "narrow": set(), "roster": set()})
            for person, jobs in self.jobs.items():
                days = Counter()
                for job in jobs:
                    days[job["unit"]] += self.days(job, year)
                    if D(job["start"]) <= dec31 and ("end" not in job or D(job["end"]) > dec31):
                        by_unit[job["unit"]]["roster"].add(person)
                for code, count in days.items():
                    if count:
                        by_unit[code]["broad"].add(person)
                    if count >= 183:
                        by_unit[code]["narrow"].add(person)
            self._members[year] = by_unit
        return self._members[year][unit]

    def disciplined(self, person, year, *, at_least=DisciplineMeasure.KHIEN_TRACH):
        """A measure of `at_least` that severity was in force during the year."""
        lo, hi = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        return any(
            d["person"] == person
            and DISCIPLINE_RANK[d["measure"]] >= DISCIPLINE_RANK[at_least]
            and D(d["effective_from"]) < hi
            and ("effective_to" not in d or D(d["effective_to"]) > lo)
            for d in self.ds["disciplines"]
        )

    def level(self, person, year):
        rating = self.rating.get((person, year))
        return rating["level"] if rating else None


# --- the dataset itself (no database) ---------------------------------------------------------


def test_the_dataset_is_the_same_on_every_build(dataset):
    assert build_demo_dataset() == dataset
    json.dumps(dataset)  # plain JSON values only


def test_people_have_realistic_vietnamese_names_and_ids(dataset):
    people = dataset["people"]
    assert 1400 <= len(people) <= 1700
    texts = [
        v for rows in dataset.values() if isinstance(rows, list) for r in rows for v in r.values()
    ]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts if isinstance(t, str))
    folded = Counter(
        fold(f"{p['family_name']} {p['middle_name']} {p['given_name']}") for p in people
    )
    # The person the browser test searches for, and the near names, each exactly once.
    assert folded["nguyen van an"] == folded["nguyen van anh"] == folded["nguyen thi an"] == 1
    assert Counter(p["family_name"] for p in people).most_common(1)[0][0] == "Nguyễn"
    ids = [p["citizen_id"] for p in people if "citizen_id" in p]
    assert 0.85 * len(people) < len(ids) < len(people)
    assert len(set(ids)) == len(ids) and all(len(i) == 12 and i.isdigit() for i in ids)
    assert {p["gender"] for p in people} == {"M", "F"}


def test_units_and_their_2025_history(dataset, facts):
    under_kb = [c for c in facts.units if facts.parent(c, datetime.date(2020, 6, 30)) == "KB"]
    assert 45 <= len(under_kb) <= 60
    assert {"KB-QUE", "KB-BASAO", "KB-TUONGLINH", "KB-PNV", "KB-TTR"} <= set(under_kb)
    districts = {c for c, u in facts.units.items() if u["kind"] == "district"}
    assert districts == {"KB", "PL", "DT", "TL", "BL", "LN"}
    kinds = {
        (r["kind"], r["predecessor"], r.get("successor"), r["date"]) for r in dataset["lineage"]
    }
    assert ("dissolve", "KB", None, "2025-07-01") in kinds
    assert {("merge", p, "NBI", "2025-07-01") for p in ("HNA", "NDI", "NBI-CU")} <= kinds
    # Every Kim Bảng commune went into a ward of the new province, with the resolution.
    communes = [c for c in under_kb if facts.units[c]["kind"] == "commune"]
    assert len(communes) == 18
    merged = {r["predecessor"]: r for r in dataset["lineage"] if r["kind"] == "merge"}
    for commune in communes:
        assert merged[commune]["decision"] == "Nghị quyết 1674/NQ-UBTVQH15"
        assert facts.parent(merged[commune]["successor"], REORG) == "NBI"
        assert facts.units[commune]["dissolved_on"] == "2025-07-01"
    # Units exist from 2015 at least.
    assert all(D(v["valid_from"]) <= datetime.date(2015, 1, 1) for v in facts.versions["KB-QUE"])


def test_employment_moves_with_the_reorganisation(facts):
    after = Counter()
    for jobs in facts.jobs.values():
        for before, nxt in zip(jobs, jobs[1:], strict=False):
            if before.get("end") == "2025-07-01" and nxt["start"] == "2025-07-01":
                after[facts.units[nxt["unit"]]["kind"]] += 1
    assert after["commune"] > 300 and after["department"] > 50
    transfers = sum(
        1
        for jobs in facts.jobs.values()
        for a, b in zip(jobs, jobs[1:], strict=False)
        if a.get("end") == b["start"] and a["end"] not in ("2025-03-01", "2025-07-01")
    )
    assert transfers > 50  # transfers between units over the years
    leavers = sum(1 for jobs in facts.jobs.values() if "end" in jobs[-1])
    joiners = sum(1 for jobs in facts.jobs.values() if jobs[0]["start"] > "2015-01-01")
    assert leavers > 100 and joiners > 100


def test_ratings_follow_the_rating_rules(dataset, facts):
    levels = Counter(r["level"] for r in dataset["person_ratings"])
    total = sum(levels.values())
    assert 0.11 < levels["HTXS"] / total < 0.19
    assert 0.58 < levels["HTT"] / total < 0.72
    assert 0.13 < levels["HT"] / total < 0.23
    assert 0.005 < levels["KHT"] / total < 0.04
    for rating in dataset["person_ratings"]:
        year = rating["year"]
        worked = sum(facts.days(j, year) for j in facts.jobs[rating["person"]])
        assert worked >= 183, rating  # fewer than six months: not rated
        assert rating["regime"] == ("ND56/2015" if year < 2020 else "ND90/2020")
        if "score" in rating:
            assert year == 2025
            score = rating["score"]
            band = (
                "HTXS" if score >= 90 else "HTT" if score >= 70 else "HT" if score >= 50 else "KHT"
            )
            assert band == rating["level"]
    for discipline in dataset["disciplines"]:
        year = D(discipline["effective_from"]).year
        level = facts.level(discipline["person"], year)
        if discipline["duty_related"] and level:
            assert level == "KHT", discipline
    for absence in dataset["absences"]:
        if absence["kind"] == "long_absence":
            level = facts.level(absence["person"], D(absence["start"]).year)
            assert level in (None, "HT", "KHT")
    assert sum(a["kind"] == "maternity" for a in dataset["absences"]) > 50
    assert any(a["kind"] == "long_absence" for a in dataset["absences"])
    assert sum(d["measure"] == "canh_cao" for d in dataset["disciplines"]) >= 1
    assert sum(d["measure"] == "khien_trach" for d in dataset["disciplines"]) >= 5
    assert any("score" in r for r in dataset["person_ratings"])


def test_every_unit_under_kim_bang_completed_2020_well_or_better(facts):
    under_kb = [c for c in facts.units if facts.parent(c, datetime.date(2020, 12, 31)) == "KB"]
    assert all(RANK[facts.unit_rating[(c, 2020)]] >= RANK["HTT"] for c in under_kb)
    # Other years are not all that good.
    assert any(facts.unit_rating.get((c, y)) == "HT" for c in under_kb for y in range(2015, 2025))


def test_award_codes_exist_and_suit_the_recipient(dataset):
    catalog = get_catalog()
    for award in dataset["awards"]:
        entry = catalog[award["award_code"]]
        assert entry.for_individuals if "person" in award else entry.for_collectives
        assert award["period_start"] <= award["period_end"]
    types = Counter(a["commendation_type"] for a in dataset["awards"])
    assert types["dot_xuat"] == 1
    annulled = [a for a in dataset["awards"] if a.get("status") == "annulled"]
    assert len(annulled) == 1 and annulled[0]["annulled_reason"]


def test_individual_titles_meet_the_2017_rules(facts):
    for award in facts.valid:
        person, code = award.get("person"), award["award_code"]
        if not person or award["commendation_type"] != "cong_trang":
            continue
        year = int(award["period_end"][:4])
        level = facts.level(person, year)
        if code in ("LDTT", "CSTDCS", "GK"):
            assert level and RANK[level] >= RANK["HTT"], award
            assert not facts.disciplined(person, year), award
        if code == "CSTDCS":
            assert person in facts.holders[("LDTT", year)], award
            assert level == "HTXS" or person in facts.authors[year], award
        if code == "BK_TINH":
            assert person in facts.holders[("CSTDCS", year)], award
            assert person in facts.holders[("CSTDCS", year - 1)], award


def test_grassroots_emulation_soldiers_stay_within_15_percent(facts):
    """≤ 15 % of a unit's LĐTT count (Decree 91/2017 Điều 9(3)), under every reading."""
    checked = 0
    for year in range(2015, 2026):
        for unit in facts.units:
            if (unit, year) not in facts.unit_rating:
                continue
            for people in facts.members(unit, year).values():
                ldtt = len(people & facts.holders[("LDTT", year)])
                cstdcs = len(people & facts.holders[("CSTDCS", year)])
                assert cstdcs <= math.floor(0.15 * ldtt), (unit, year)
                checked += cstdcs
    assert checked > 500


def test_collective_titles_meet_the_2017_rules(facts):
    seen = Counter()
    for award in facts.valid:
        unit, code = award.get("unit"), award["award_code"]
        if not unit or code not in ("TTLDTT", "TTLDXS", "BK_TINH", "GK"):
            continue
        year = int(award["period_end"][:4])
        level = facts.unit_rating.get((unit, year))
        assert level and RANK[level] >= RANK["HTT"], award
        seen[code] += 1
        if code == "BK_TINH":
            assert facts.unit_rating.get((unit, year - 1)) == level == "HTXS", award
            continue
        if code == "GK":
            continue
        members = facts.members(unit, year)
        assert not any(
            facts.disciplined(p, year, at_least=DisciplineMeasure.CANH_CAO)
            for p in members["broad"]
        ), award
        for people in members.values():
            share = len(people & facts.holders[("LDTT", year)]) / len(people)
            assert share >= 0.7, (award, share)
        if code == "TTLDXS":
            assert level == "HTXS", award
            assert all(RANK[facts.level(p, year) or "KHT"] >= RANK["HT"] for p in members["broad"])
            assert members["broad"] & facts.holders[("CSTDCS", year)], award
    assert min(seen.values()) > 10


def test_nobody_under_review_is_awarded(dataset):
    (open_review,) = [r for r in dataset["pending_reviews"] if "ended_on" not in r]
    assert not [
        a
        for a in dataset["awards"]
        if a.get("person") == open_review["person"]
        and a["decision_date"] >= open_review["started_on"]
    ]


def test_the_seed_awards_of_2020(facts):
    (hero,) = [a for a in facts.valid if a["award_code"] == "AHLD"]
    assert (hero["unit"], hero["decision_number"], hero["decision_date"], hero["authority"]) == (
        "KB",
        "2015/QĐ-CTN",
        "2020-11-13",
        "CTN",
    )
    assert (hero["period_start"], hero["period_end"], hero["commendation_type"]) == (
        "1986-01-01",
        "2020-12-31",
        "cong_trang",
    )

    def in_kim_bang_2020(award):
        if "unit" in award:
            units = [award["unit"]]
        else:
            units = [j["unit"] for j in facts.jobs[award["person"]] if facts.days(j, 2020)]
        dec31 = datetime.date(2020, 12, 31)
        return any(facts.ancestor_kind(u, dec31, "district") == "KB" for u in units)

    def of_2020(code, *, person):
        return [
            a
            for a in facts.valid
            if a["award_code"] == code
            and a["period_start"] == "2020-01-01"
            and ("person" in a) == person
            and in_kim_bang_2020(a)
        ]

    (flag,) = [
        a
        for a in facts.valid
        if a["award_code"] == "CO_TD_TINH" and a["period_start"] == "2020-01-01"
    ]
    assert (flag["unit"], flag["authority"]) == ("KB", "HNA")
    for code, person, authority in [
        ("TTLDXS", False, "HNA"),
        ("BK_TINH", False, "HNA"),
        ("BK_TINH", True, "HNA"),
        ("GK", False, "KB"),
        ("GK", True, "KB"),
    ]:
        found = of_2020(code, person=person)
        assert found, (code, person)
        for award in found:
            assert award["authority"] == authority
            # Decided days before the conference of 12/1/2021 that announced them.
            assert "2021-01-01" <= award["decision_date"] < "2021-01-12"
            assert award["decision_number"].endswith("/QĐ-UBND")


# --- loaded into the database -------------------------------------------------------------


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for this module by `thidua demo --force` over an unrelated
    unit, rolled back at the module's end. Returns what the command printed."""
    hashers = override_settings(PASSWORD_HASHERS=FAST_HASHER)  # the demo password, quickly
    hashers.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            UnitFactory(code="OLD", name="Xã Cũ")
            out = io.StringIO()
            call_command("demo", "--force", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            hashers.disable()
            # `--force` flushed and re-created the content types inside the rolled-back
            # transaction: forget the ids cached meanwhile.
            ContentType.objects.clear_cache()


@pytest.fixture
def demo_db(loaded, db):
    return loaded


def test_the_demo_command_replaces_everything_and_loads_every_row(demo_db, dataset):
    assert not Unit.objects.filter(code="OLD").exists()
    counts = demo_counts()
    assert counts["units"] == len(dataset["units"])
    # The dataset's people, and the members of the demo households (thidua.interchange.demo
    # .households), who are citizens of Phường Kim Bảng, not staff.
    from thidua.interchange.demo.households import AWARDS, HOUSEHOLDS

    people = len(dataset["people"]) + sum(len(members) for *_, members in HOUSEHOLDS)
    assert counts["people"] == people
    assert counts["person_ratings"] == len(dataset["person_ratings"])
    awards = len(dataset["awards"]) + len(AWARDS)  # and the households' titles
    assert counts["awards"] == awards
    # The role logins, and the council demo's other members (thidua.council.demo).
    from thidua.council.demo import HA_NAM

    assert counts["logins"] == len(DEMO_LOGINS) + len(HA_NAM)
    printed = demo_db.replace(".", "").replace(",", "").split()
    assert str(people) in printed and str(awards) in printed


def test_seed_facts_hold_in_the_database(demo_db):
    kb = Unit.objects.get(code="KB")
    assert kb.name == "Huyện Kim Bảng"
    day = datetime.date(2020, 12, 31)
    children = UnitVersion.objects.on(day).filter(parent=kb).values_list("unit_id", flat=True)
    assert len(children) >= 45
    levels = dict(
        UnitRating.objects.filter(year=2020, unit_id__in=children).values_list("unit_id", "level")
    )
    assert set(levels) == set(children)
    assert all(RANK[level] >= RANK["HTT"] for level in levels.values())

    hero = Award.objects.get(award_code="AHLD")
    assert (hero.unit, hero.decision_number, hero.decision_date) == (
        kb,
        "2015/QĐ-CTN",
        datetime.date(2020, 11, 13),
    )
    assert hero.authority.code == "CTN"
    assert Award.objects.filter(award_code="CO_TD_TINH", unit=kb, period_end__year=2020).exists()
    assert Award.objects.filter(award_code="TTLDXS", period_end__year=2020).count() >= 3
    assert Award.objects.filter(
        award_code="BK_TINH", period_end__year=2020, person__isnull=False
    ).exists()
    assert Award.objects.filter(
        award_code="BK_TINH", period_end__year=2020, unit__isnull=False
    ).exists()


def test_the_2025_reorganisation_in_the_database(demo_db):
    kb = Unit.objects.get(code="KB")
    assert kb.dissolved_on == REORG
    assert LineageEdge.objects.filter(
        predecessor=kb, successor=None, event__kind="dissolve", event__date=REORG
    ).exists()
    merge = LineageEdge.objects.get(predecessor__code="HNA", successor__code="NBI")
    assert (merge.event.kind, merge.event.date) == ("merge", REORG)
    assert merge.event.decision == "Nghị quyết 202/2025/QH15"
    # Nguyễn Văn An: CSTĐCS in 2018 (finance office) and 2019–2020 (home affairs, after a
    # transfer on 1/1/2019), so a provincial certificate of merit for 2019; his records stay
    # his, and he now works in a ward of the new province.
    an = Person.objects.get(search_name=" nguyen van an")
    titles = an.awards.filter(award_code="CSTDCS").values_list("period_end__year", flat=True)
    assert {2018, 2019, 2020} <= set(titles)
    assert an.awards.filter(award_code="BK_TINH", period_end__year=2019).exists()
    assert an.employments.get(end=None).unit.versions.get(valid_to=None).parent.code == "NBI"


def test_demo_logins_have_their_roles(demo_db):
    users = {u.username: u for u in get_user_model().objects.prefetch_related("unit_roles__unit")}
    for login in DEMO_LOGINS:
        user = users[login.username]
        assert [(r.role, r.unit.code) for r in user.unit_roles.all()] == [(login.role, login.unit)]
        assert user.is_superuser == login.superuser
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
    viewer = users["xem"]
    assert set(scope.units(viewer).values_list("code", flat=True)) == {"KB-QUE"}
    officer = users["canbo"]
    assert scope.can(officer, "change", Unit.objects.get(code="KB-TUONGLINH"))
    assert not scope.can(officer, "view", Unit.objects.get(code="PL"))


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_each_demo_login_logs_in_through_the_login_page(demo_db, client, login):
    response = client.post(
        reverse("login"), {"username": login.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    wrong = client.post(reverse("login"), {"username": login.username, "password": "thidua2021"})
    assert wrong.status_code == 200  # the form again, with its error


def test_demo_help_lists_the_force_option():
    text = demo_command.Command().create_parser("thidua", "demo").format_help()
    assert "--force" in text


def test_load_demo_refuses_a_database_with_units(demo_db, dataset):
    with pytest.raises(DemoError):
        load_demo()
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", stdout=io.StringIO())
    assert Unit.objects.count() == len(dataset["units"])

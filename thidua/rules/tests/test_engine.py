"""Set-based evaluation (constant queries), set-level checks, suggestions, the CLI."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.org.models import Employment, Person
from thidua.org.tests.factories import PersonFactory, user_with_role
from thidua.records import services as records
from thidua.records.models import Award, Discipline, Initiative, InitiativeAuthor, PersonRating
from thidua.rules.engine import run, suggestions
from thidua.rules.tests.factories import add_awards, make_person, make_unit

pytestmark = pytest.mark.django_db


def _population(unit, n, authority):
    """n people with 5 years of ratings, titles, an initiative and a discipline each."""
    people = Person.objects.bulk_create(
        [PersonFactory.build(code=f"Q{unit.pk}-{i}") for i in range(n)]
    )
    Employment.objects.bulk_create(
        Employment(person=p, unit=unit, start=datetime.date(2015, 1, 1)) for p in people
    )
    PersonRating.objects.bulk_create(
        PersonRating(person=p, year=y, level="HTXS" if (i + y) % 3 else "HTT")
        for i, p in enumerate(people)
        for y in range(2020, 2025)
    )
    Award.objects.bulk_create(
        Award(
            person=p,
            award_code=code,
            commendation_type="cong_trang",
            period_start=datetime.date(y, 1, 1),
            period_end=datetime.date(y, 12, 31),
            decision_number=f"{p.pk}-{y}-{code}",
            decision_date=datetime.date(y + 1, 1, 5),
            authority=authority,
        )
        for p in people
        for y in range(2020, 2025)
        for code in ("LDTT", "CSTDCS")
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            code=f"I{p.pk}",
            kind="initiative",
            title="x",
            scope="bo_tinh",
            recognised_on=datetime.date(2023, 5, 1),
            applied=True,
            replicable=True,
        )
        for p in people
    )
    InitiativeAuthor.objects.bulk_create(
        InitiativeAuthor(initiative=i, person=p) for i, p in zip(initiatives, people, strict=True)
    )
    Discipline.objects.bulk_create(
        Discipline(
            person=p,
            measure="khien_trach",
            effective_from=datetime.date(2021, 1, 1),
            effective_to=datetime.date(2021, 6, 1),
        )
        for p in people[::7]
    )
    return people


CODES = [
    "LDTT",
    "CSTDCS",
    "CSTD_TINH",
    "CSTD_TQ",
    "BK_TINH",
    "BK_TTG",
    "HCLD_3",
    "TTLDTT",
    "TTLDXS",
    "CO_TD_TINH",
]


@pytest.mark.parametrize("required", [False, True], ids=["registration_optional", "required"])
@pytest.mark.parametrize("size", [5, 50])
def test_the_query_count_does_not_grow_with_the_population(
    size, required, django_assert_max_num_queries
):
    authority = make_unit({"kind": "province"})
    unit = make_unit({"kind": "department", "ratings": {2023: "HTXS", 2024: "HTXS"}})
    _population(unit, size, authority)
    # 13 kinds of facts (attestations, initiatives' uses included), 3 to resolve the unit and its subtree, 2 for the emulation app's
    # "leads its block" source; where the deployment requires registration for titles
    # (registration_required), 1 more for each of its registration sources (people, units).
    budget = 18 + (2 if required else 0)
    with django_assert_max_num_queries(budget):
        evaluation = run(
            2024,
            units=[unit.code],
            award_codes=CODES,
            parameters_override={"registration_required": required},
        )
        # rendering explanations queries nothing either
        [c.explanation for r in evaluation.results for c in r.criteria]
    assert len(evaluation.results) == size * 7 + 6  # 7 individual, 6 collective awards


@pytest.mark.parametrize("required", [False, True], ids=["registration_optional", "required"])
def test_same_queries_for_5_and_50_people(required):
    authority = make_unit({"kind": "province"})
    counts = []
    for size in (5, 50):
        unit = make_unit({"kind": "department"})
        _population(unit, size, authority)
        with CaptureQueriesContext(connection) as captured:
            run(
                2024,
                units=[unit],
                award_codes=CODES,
                parameters_override={"registration_required": required},
            )
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_re_evaluating_one_person_after_a_rating_changes_reads_a_fixed_set(
    django_assert_max_num_queries,
):
    """One person is re-evaluated from a fixed number of queries, whatever the population
    (its time is measured by benchmarks/bench_eligibility.py, not here)."""
    authority = make_unit({"kind": "province"})
    unit = make_unit()
    _population(unit, 30, authority)
    person = Person.objects.filter(employments__unit=unit).first()
    records.rate_person(person, 2024, "KHT", actor=SYSTEM)
    with django_assert_max_num_queries(20):
        evaluation = run(2024, people=[person], award_codes=CODES)
    ldtt = next(r for r in evaluation.results if r.award_code == "LDTT")
    assert ldtt.verdict == "not_eligible"


def test_cstdcs_quota_of_the_2017_regime_is_reported_per_unit():
    unit = make_unit()
    for i in range(10):
        awards = [("LDTT", 2020)] + ([("CSTDCS", 2020)] if i < 2 else [])
        make_person(unit, {"ratings": {2020: "HTXS"}, "awards": awards})
    evaluation = run(2020, units=[unit], award_codes=["LDTT", "CSTDCS"])
    (row,) = [q for q in evaluation.quotas if q["unit_id"] == unit.pk]
    assert row["cstdcs"] == {
        "share": 0.15,
        "ldtt": 10,
        "ldtt_basis": "awards",
        "cstdcs": 2,
        "cstdcs_basis": "awards",
        "cap": 1,
        "no_base": False,
        "exceeded": True,
    }
    later = run(2024, units=[unit], award_codes=["LDTT"])
    assert all("cstdcs" not in q for q in later.quotas)  # no statutory quota since 2024
    local = run(
        2024, units=[unit], award_codes=["LDTT"], parameters_override={"cstdcs_quota_share": 0.5}
    )
    assert all("cstdcs" in q for q in local.quotas)


@pytest.mark.parametrize(("unit_rating", "exceeded"), [("HTT", True), ("HTXS", False)])
def test_htxs_rating_quota(unit_rating, exceeded):
    unit = make_unit({"ratings": {2026: unit_rating}})
    for level in ["HTT"] * 8 + ["HTXS"] * 2:
        make_person(unit, {"ratings": {2026: level}})
    (row,) = run(2026, units=[unit], award_codes=["LDTT"]).quotas
    assert row["htxs"]["applies"] and row["htxs"]["exceeded"] is exceeded
    (earlier,) = run(2025, units=[unit], award_codes=["LDTT"]).quotas
    assert not earlier["htxs"]["applies"]


def test_one_achievement_one_award():
    unit = make_unit()
    person = make_person(unit, {"ratings": {2024: "HTT"}, "awards": [("LDTT", 2024)]})
    add_awards([("LDTT", 2024)], person=person)
    evaluation = run(2024, units=[unit], award_codes=["LDTT"])
    (duplicate,) = evaluation.duplicates
    assert duplicate["subject_id"] == person.pk and len(duplicate["decisions"]) == 2


def test_suggestions_list_who_has_just_become_eligible_for_a_higher_form():
    unit = make_unit()
    newly = make_person(
        unit,
        {
            "ratings": {2022: "HTXS", 2023: "HTXS", 2024: "HTXS"},
            "awards": [
                ("LDTT", 2022),
                ("CSTDCS", 2022),
                ("LDTT", 2023),
                ("CSTDCS", 2023),
                ("LDTT", 2024),
                ("CSTDCS", 2024),
            ],
            "initiatives": [(2024, "bo_tinh")],
        },
    )
    already = make_person(unit, {"awards": [("CSTD_TINH", (2020, 2022))]})
    found = suggestions(unit, 2024)
    codes = {(r.subject_id, r.award_code) for r in found}
    assert (newly.pk, "CSTD_TINH") in codes
    assert not any(r.subject_id == already.pk for r in found)
    assert all(r.data_met for r in found)


def test_scope_limits_the_population(tree):
    inside = make_person(tree["commune"], {"ratings": {2024: "HTT"}})
    outside = make_person(tree["other"], {"ratings": {2024: "HTT"}})
    user = user_with_role(Role.OFFICER, tree["district"])
    ids = {r.subject_id for r in run(2024, award_codes=["LDTT"], user=user).results}
    assert inside.pk in ids and outside.pk not in ids


def test_cli_json(tmp_path):
    unit = make_unit({"kind": "department"})
    person = make_person(
        unit,
        {
            "ratings": {2020: "HTT"},
            "awards": [("LDTT", 2020)],
            "attestations": [("LDTT", "conduct", 2020)],
        },
    )
    out = io.StringIO()
    with translation.override("vi"):
        call_command(
            "eligibility",
            "--year",
            "2020",
            "--unit",
            unit.code,
            "--award",
            "LDTT",
            "--format",
            "json",
            stdout=out,
        )
    data = json.loads(out.getvalue())
    (result,) = data["results"]
    assert data["rule_set"] == "2017"
    assert result["subject"]["code"] == person.code and result["verdict"] == "eligible"
    assert {c["id"] for c in result["criteria"]} >= {"rating", "discipline", "conduct"}
    assert all(c["explanation"] and "outcome" in c for c in result["criteria"])
    assert result["bonus"]["amount"] == 450_000


def test_cli_table_xlsx_and_errors(tmp_path):
    unit = make_unit()
    make_person(unit, {"ratings": {2024: "HT"}})
    out = io.StringIO()
    call_command(
        "eligibility", "--year", "2024", "--unit", unit.code, "--as-of", "01/07/2025", stdout=out
    )
    assert "LDTT" in out.getvalue() and "152_2025" in out.getvalue()
    target = tmp_path / "ket-qua.xlsx"
    call_command("eligibility", "--year", "2024", "--format", "xlsx", "--out", str(target))
    book = load_workbook(target)
    assert len(book.sheetnames) == 3 and book.worksheets[1].max_row > 1
    with pytest.raises(CommandError, match="NOPE"):
        call_command("eligibility", "--year", "2024", "--unit", "NOPE")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("eligibility", "--year", "2024", "--award", "NOPE")
    with pytest.raises(CommandError, match="31/31/2024"):
        call_command("eligibility", "--year", "2024", "--as-of", "31/31/2024")


def test_a_finished_run_is_freed_by_reference_counting_alone():
    """No reference cycle: a page's or an export's run does not wait for the cyclic garbage
    collector (which a whole-province run keeps off while it works)."""
    import gc
    import weakref

    unit = make_unit({"kind": "department", "ratings": {2024: "HTXS"}})
    make_person(unit, {"ratings": {2024: "HTT"}, "awards": [("LDTT", 2024)]})
    evaluation = run(2024, units=[unit])
    [r.as_dict() for r in evaluation.results]
    engine = weakref.ref(evaluation.engine)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del evaluation
        assert engine() is None
    finally:
        if enabled:
            gc.enable()


def test_the_facts_are_loaded_for_the_years_the_criteria_read():
    from thidua.rules.definitions import get_definitions
    from thidua.rules.engine import history_years
    from thidua.rules.parameters import resolve

    definitions, params = get_definitions(), resolve({})
    annual = ["LDTT", "CSTDCS", "CSTD_TINH", "TTLDTT", "TTLDXS", "CO_TD_TINH"]
    subjects = ("individual", "collective")
    # CSTĐ tỉnh: three years of CSTĐ cơ sở, initiatives of three years; ratings of the year.
    assert history_years(definitions, "152_2025", annual, subjects, params) == {
        "ratings": 0,
        "awards": 2,
        "initiatives": 2,
    }
    # Bằng khen TTg counts a window after an earlier award of any age: the whole horizon.
    assert set(history_years(definitions, "152_2025", ["BK_TTG"], subjects, params).values()) == {
        params["history_horizon_years"]
    }


def test_a_run_with_narrow_windows_still_counts_a_streak_across_the_window():
    """The CSTĐ tỉnh streak reads three years of CSTĐ cơ sở titles although the run loads
    ratings of the evaluated year only."""
    unit = make_unit()
    person = make_person(
        unit,
        {
            "ratings": {2022: "HTXS", 2023: "HTXS", 2024: "HTXS"},
            "awards": [("CSTDCS", 2022), ("CSTDCS", 2023), ("LDTT", 2024)],
            "initiatives": [(2023, "bo_tinh")],
        },
    )
    evaluation = run(2024, people=[person], award_codes=["CSTDCS", "CSTD_TINH"])
    assert evaluation.facts.first_years == {"ratings": 2024, "awards": 2022, "initiatives": 2022}
    by_code = {r.award_code: r for r in evaluation.results}
    assert by_code["CSTDCS"].verdict == "eligible"
    streak = {c.id: c for c in by_code["CSTD_TINH"].criteria}["cstdcs_streak"]
    # 2022 and 2023 held; 2024 not decided yet, though its criteria are met
    assert (streak.outcome, streak.key) == ("unknown", "title_streak_pending_met")


def test_results_read_like_a_list():
    unit = make_unit({"kind": "department"})
    people = [make_person(unit, {"ratings": {2024: level}}) for level in ("HTT", "KHT")]
    results = run(2024, units=[unit], award_codes=["LDTT", "TTLDTT"]).results
    as_list = list(results)
    assert len(results) == len(as_list) == 3
    assert [(r.subject_id, r.award_code) for r in as_list] == [
        (people[0].pk, "LDTT"),
        (people[1].pk, "LDTT"),
        (unit.pk, "TTLDTT"),
    ]
    assert results[1].verdict == "not_eligible" and results[-1].subject_kind == "collective"
    assert [r.subject_id for r in results[:2]] == [p.pk for p in people]
    with pytest.raises(IndexError):
        results[3]


def test_suggestions_rest_on_the_records_not_on_an_open_judgement():
    """Huân chương Lao động and Bằng khen can also be given for a sudden or exceptional
    achievement the council attests; that alternative is open to everyone, so it does not
    make anyone a suggestion. A unit rated HTXS two years running is one for Bằng khen
    tỉnh (only the judgement every such proposal needs remains)."""
    unit = make_unit({"kind": "department", "ratings": {2023: "HTXS", 2024: "HTXS"}})
    newcomer = make_person(unit, {"employments": [("2024-01-01", None)], "ratings": {2024: "HTT"}})
    found = {(r.subject_kind, r.subject_id, r.award_code) for r in suggestions(unit, 2024)}
    assert not any(kind == "individual" and sid == newcomer.pk for kind, sid, _code in found)
    assert ("collective", unit.pk, "BK_TINH") in found
    # An ordinary run still shows the alternative: the council may attest it.
    (hcld,) = run(2024, people=[newcomer], award_codes=["HCLD_3"]).results
    assert hcld.verdict == "needs_attestation" and hcld.attest_only

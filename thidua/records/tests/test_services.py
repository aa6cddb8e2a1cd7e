"""The verbs that write yearly facts: each change audited with before/after, bad values
refused with the field named, and a user out of scope changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import AwardFactory, EmploymentFactory, PersonFactory
from thidua.records import services
from thidua.records.choices import AwardStatus, CommendationType, RatingLevel
from thidua.records.models import Award, PersonRating, UnitRating


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def person(tree):
    """A civil servant of the commune since 2010."""
    person = PersonFactory(family_name="Trần", middle_name="Thị", given_name="Hoa")
    EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2010, 1, 1))
    return person


def award_fields(tree, **overrides):
    return {
        "award_code": "LDTT",
        "commendation_type": CommendationType.CONG_TRANG,
        "period_start": datetime.date(2020, 1, 1),
        "period_end": datetime.date(2020, 12, 31),
        "decision_number": "15/QĐ-UBND",
        "decision_date": datetime.date(2021, 1, 10),
        "authority": tree["district"],
        **overrides,
    }


def test_rating_a_person_creates_then_updates_with_the_change_audited(person, users):
    officer = users["officer"]

    services.rate_person(person, 2020, RatingLevel.HTT, actor=officer)
    services.rate_person(person, 2020, RatingLevel.HTXS, score="92,5", actor=officer)

    rating = PersonRating.objects.get(person=person, year=2020)
    assert (rating.level, rating.score) == (RatingLevel.HTXS, Decimal("92.50"))
    created, updated = AuditEntry.objects.filter(target_type="records.personrating").order_by("id")
    assert (created.action, created.before, created.after["level"]) == (
        "records.person_rating.create",
        None,
        "HTT",
    )
    assert updated.action == "records.person_rating.update"
    assert (updated.before["level"], updated.after["level"]) == ("HTT", "HTXS")
    assert (updated.before["score"], updated.after["score"]) == (None, "92.5")
    assert updated.actor == officer


def test_rating_again_with_the_same_values_adds_no_audit_entry(person):
    services.rate_person(person, 2020, RatingLevel.HTT, score=75, actor=SYSTEM)
    services.rate_person(person, 2020, RatingLevel.HTT, score="75.00", actor=SYSTEM)

    assert AuditEntry.objects.filter(action__startswith="records.person_rating").count() == 1


@pytest.mark.parametrize(
    ("level", "score"),
    [
        (RatingLevel.HTT, 95),
        (RatingLevel.HTXS, 89.99),
        (RatingLevel.KHT, 50),
        (RatingLevel.HT, 101),
    ],
)
def test_a_score_outside_the_levels_band_is_refused(person, level, score):
    with pytest.raises(ValidationError) as refused:
        services.rate_person(person, 2020, level, score=score, actor=SYSTEM)

    assert "score" in refused.value.message_dict
    assert not PersonRating.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_score_that_is_not_a_number_is_refused_by_field(person):
    with pytest.raises(ValidationError) as refused:
        services.rate_person(person, 2020, RatingLevel.HTT, score="bảy mươi", actor=SYSTEM)
    assert refused.value.message_dict["score"] == ["“bảy mươi” is not a number."]


def test_a_person_is_rated_only_for_a_year_they_worked(tree):
    newcomer = PersonFactory()
    EmploymentFactory(person=newcomer, unit=tree["commune"], start=datetime.date(2022, 3, 1))

    with pytest.raises(ValidationError, match="has no employment in 2021"):
        services.rate_person(newcomer, 2021, RatingLevel.HTT, actor=SYSTEM)
    services.rate_person(newcomer, 2022, RatingLevel.HTT, actor=SYSTEM)


def test_a_unit_is_rated_only_for_a_year_it_existed(tree):
    from thidua.org.services import dissolve_unit

    dissolve_unit(tree["commune"], datetime.date(2025, 7, 1), actor=SYSTEM)

    services.rate_unit(tree["commune"], 2025, RatingLevel.HTT, actor=SYSTEM)
    with pytest.raises(ValidationError, match="did not exist in 2026"):
        services.rate_unit(tree["commune"], 2026, RatingLevel.HTT, actor=SYSTEM)
    assert list(UnitRating.objects.values_list("year", flat=True)) == [2025]


def test_recording_an_award_is_audited(person, tree, users):
    award = services.record_award(person=person, actor=users["officer"], **award_fields(tree))

    entry = AuditEntry.objects.get(action="records.award.create")
    assert entry.target_id == str(award.pk)
    assert entry.after["award_code"] == "LDTT"


def test_an_unknown_award_code_is_refused(person, tree):
    with pytest.raises(ValidationError) as refused:
        services.record_award(
            person=person, actor=SYSTEM, **award_fields(tree, award_code="NO_SUCH")
        )

    assert refused.value.message_dict["award_code"] == ["Unknown award code NO_SUCH."]
    assert not Award.objects.exists()


def test_an_award_unsuited_to_the_recipient_is_refused(person, tree):
    with pytest.raises(ValidationError, match="LDTT is not conferred on collectives"):
        services.record_award(
            unit=tree["commune"], actor=SYSTEM, **award_fields(tree, award_code="LDTT")
        )
    with pytest.raises(ValidationError, match="TTLDXS is not conferred on individuals"):
        services.record_award(
            person=person, actor=SYSTEM, **award_fields(tree, award_code="TTLDXS")
        )
    assert not Award.objects.exists()
    # The same codes on the right recipients are accepted.
    services.record_award(
        unit=tree["commune"], actor=SYSTEM, **award_fields(tree, award_code="TTLDXS")
    )
    services.record_award(person=person, actor=SYSTEM, **award_fields(tree, award_code="LDTT"))
    assert Award.objects.count() == 2


def test_annulling_an_award_keeps_the_row_with_its_reason(person, users):
    award = AwardFactory(person=person)

    services.annul_award(award, "  Khai man thành tích  ", actor=users["officer"])

    award.refresh_from_db()
    assert (award.status, award.annulled_reason) == (AwardStatus.ANNULLED, "Khai man thành tích")
    entry = AuditEntry.objects.get(action="records.award.annul")
    assert (entry.before["status"], entry.after["status"]) == ("valid", "annulled")
    assert entry.after["annulled_reason"] == "Khai man thành tích"


def test_an_award_is_annulled_once_and_only_with_a_reason(person):
    award = AwardFactory(person=person)

    with pytest.raises(ValidationError) as refused:
        services.annul_award(award, "   ", actor=SYSTEM)
    assert "annulled_reason" in refused.value.message_dict
    services.annul_award(award, "Sai đối tượng", actor=SYSTEM)
    with pytest.raises(ValidationError, match="already annulled"):
        services.annul_award(award, "Lần nữa", actor=SYSTEM)
    assert AuditEntry.objects.filter(action="records.award.annul").count() == 1


@pytest.mark.parametrize("who", ["other_unit", "viewer", "no_role"])
def test_an_actor_out_of_scope_changes_nothing(person, tree, users, who):
    actor = users[who]
    award = AwardFactory(person=person)
    attempts = [
        lambda: services.rate_person(person, 2020, RatingLevel.HTT, actor=actor),
        lambda: services.rate_unit(tree["commune"], 2020, RatingLevel.HTT, actor=actor),
        lambda: services.record_award(person=person, actor=actor, **award_fields(tree)),
        lambda: services.record_award(
            unit=tree["commune"], actor=actor, **award_fields(tree, award_code="TTLDXS")
        ),
        lambda: services.annul_award(award, "Sai đối tượng", actor=actor),
    ]

    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()

    assert not PersonRating.objects.exists() and not UnitRating.objects.exists()
    assert list(Award.objects.values_list("pk", "status")) == [(award.pk, AwardStatus.VALID)]
    assert not AuditEntry.objects.exists()


def test_the_officer_of_the_district_may_change_the_communes_records(person, tree, users):
    officer = users["officer"]

    services.rate_unit(tree["commune"], 2020, RatingLevel.HTXS, score=95, actor=officer)
    services.record_award(person=person, actor=officer, **award_fields(tree))

    assert UnitRating.objects.get().level == RatingLevel.HTXS
    assert Award.objects.get().person == person

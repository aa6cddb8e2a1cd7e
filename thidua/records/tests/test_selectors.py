"""A person's and a unit's record (`thidua.records.selectors`): members per year with
their rating, the timeline by year. Moved from the org app with the selectors."""

import datetime

import pytest

from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitFactory,
)
from thidua.records import selectors
from thidua.records.choices import AbsenceKind, DisciplineMeasure, RatingLevel
from thidua.records.models import Absence, Discipline

pytestmark = pytest.mark.django_db

D = datetime.date


def test_members_in_year_respects_year_bounds_and_brings_the_rating(tree):
    unit = tree["commune"]
    stays = PersonFactory(given_name="An")
    EmploymentFactory(person=stays, unit=unit, start=D(2010, 1, 1))
    PersonRatingFactory(person=stays, year=2020, level=RatingLevel.HTXS, score=95)
    left_before = PersonFactory(given_name="Bình")
    EmploymentFactory(person=left_before, unit=unit, start=D(2015, 1, 1), end=D(2020, 1, 1))
    came_last_day = PersonFactory(given_name="Cường")
    EmploymentFactory(person=came_last_day, unit=unit, start=D(2020, 12, 31))
    came_after = PersonFactory(given_name="Dũng")
    EmploymentFactory(person=came_after, unit=unit, start=D(2021, 1, 1))

    members = selectors.members_in_year(unit, 2020)
    assert [m.person for m in members] == [stays, came_last_day]
    assert members[0].rating_level == RatingLevel.HTXS and members[0].rating_score == 95
    assert members[1].rating_level is None and members[1].rating_label == ""
    assert [m.person for m in selectors.members_in_year(unit, 2019)] == [stays, left_before]


def test_timeline_groups_by_year_newest_first(tree):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=tree["commune"], start=D(2010, 1, 1))
    services.transfer_person(person, tree["commune2"], D(2018, 3, 1), actor=SYSTEM)
    PersonRatingFactory(person=person, year=2019, level=RatingLevel.HTT)
    AwardFactory(
        person=person,
        award_code="LDTT",
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
        decision_date=D(2020, 1, 15),
        authority=UnitFactory(kind=UnitKind.DISTRICT, name="UBND huyện"),
    )
    Discipline.objects.create(
        person=person, measure=DisciplineMeasure.KHIEN_TRACH, effective_from=D(2016, 5, 1)
    )
    Absence.objects.create(
        person=person, kind=AbsenceKind.MATERNITY, start=D(2016, 1, 1), end=D(2016, 7, 1)
    )

    timeline = selectors.person_timeline(person)
    assert [y.year for y in timeline] == [2019, 2018, 2016, 2010]
    y2019 = [e.kind for e in timeline[0].entries]
    assert y2019 == ["award", "rating"]
    award = timeline[0].entries[0].obj
    assert award.entry.name_vi == "Lao động tiên tiến" and award.authority_name == "UBND huyện"
    (transfer,) = timeline[1].entries
    assert transfer.kind == "employment" and transfer.obj.unit == tree["commune2"]
    assert transfer.extra["from"].unit == tree["commune"]
    assert [e.kind for e in timeline[2].entries] == ["discipline", "absence"]
    (first_job,) = timeline[3].entries
    assert first_job.extra["from"] is None


def test_timeline_names_units_as_they_were_then(tree):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=tree["commune"], start=D(2010, 1, 1))
    services.rename_unit(tree["commune"], "Phường Thanh Sơn", D(2024, 1, 1), actor=SYSTEM)
    (year,) = selectors.person_timeline(person)
    assert year.entries[0].obj.unit_name == "Xã Thanh Sơn"

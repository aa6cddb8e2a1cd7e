"""Who sees what: a role covers its unit's subtree across history and lineage; records
are limited through `restrict`; superusers see all, inactive users nothing."""

import datetime

import pytest

from thidua.accounts import scope
from thidua.accounts.choices import Action, Role
from thidua.accounts.system import SYSTEM
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.models import Unit
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitRatingFactory,
    UserFactory,
    user_with_role,
)
from thidua.records.models import Award, PersonRating, UnitRating

REFORM = datetime.date(2025, 7, 1)


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_a_unit_moved_away_stays_visible_to_the_officer_of_its_former_parent(tree, users):
    """Kim Bảng's officer keeps seeing the 2020 records of a commune moved in 2025."""
    services.reparent_unit(tree["commune"], tree["other"], REFORM, actor=SYSTEM)

    assert "KB-TL" in codes(scope.units(users["officer"]))
    assert "KB-TL" in codes(scope.units(users["other_unit"]))  # and its new parent's officer
    assert scope.can(users["officer"], Action.CHANGE, tree["commune"])


def test_the_officer_of_a_successor_sees_the_units_merged_into_it(tree):
    successor, _event = services.merge_into_new_unit(
        [tree["commune"], tree["commune2"]],
        REFORM,
        code="KB-NEW",
        kind=UnitKind.COMMUNE,
        name="Xã Kim Bảng",
        parent=tree["province"],
        actor=SYSTEM,
    )
    officer = user_with_role(Role.OFFICER, successor)
    old_staff = PersonFactory()
    EmploymentFactory(person=old_staff, unit=tree["commune"], end=REFORM)
    PersonRatingFactory(person=old_staff, year=2020)
    UnitRatingFactory(unit=tree["commune2"], year=2020)

    assert codes(scope.units(officer)) == {"KB-NEW", "KB-TL", "KB-NK"}
    assert list(scope.people(officer)) == [old_staff]
    assert scope.restrict(PersonRating.objects.all(), officer, unit=None).count() == 1
    assert scope.restrict(UnitRating.objects.all(), officer, person=None).count() == 1


def test_lineage_does_not_open_the_successors_siblings(tree):
    services.merge_units([tree["commune"], tree["commune2"]], tree["commune"], REFORM, actor=SYSTEM)
    officer = user_with_role(Role.OFFICER, tree["commune"])

    assert codes(scope.units(officer)) == {"KB-TL", "KB-NK"}
    assert "KB" not in codes(scope.units(officer))


def test_restrict_keeps_the_ratings_and_awards_of_the_users_subtree(tree, users):
    inside, outside = PersonFactory(), PersonFactory()
    EmploymentFactory(person=inside, unit=tree["commune"])
    EmploymentFactory(person=outside, unit=tree["other"])
    for person in (inside, outside):
        PersonRatingFactory(person=person, year=2020)
        AwardFactory(person=person, authority=tree["province"])
    UnitRatingFactory(unit=tree["commune2"])
    UnitRatingFactory(unit=tree["other"])
    AwardFactory(
        person=None, unit=tree["district"], award_code="TTLDXS", authority=tree["province"]
    )

    officer = users["officer"]
    ratings = scope.restrict(PersonRating.objects.all(), officer, unit=None)
    awards = scope.restrict(Award.objects.all(), officer)
    unit_ratings = scope.restrict(UnitRating.objects.all(), officer, person=None)

    assert {r.person for r in ratings} == {inside}
    assert {a.recipient for a in awards} == {inside, tree["district"]}
    assert {r.unit for r in unit_ratings} == {tree["commune2"]}
    other_awards = scope.restrict(Award.objects.all(), users["other_unit"])
    assert {a.recipient for a in other_awards} == {outside}


def test_a_viewer_sees_but_may_not_change(tree, users):
    viewer = users["viewer"]

    assert scope.can(viewer, Action.VIEW, tree["commune"])
    assert not scope.can(viewer, Action.CHANGE, tree["commune"])
    assert scope.units(viewer, Action.CHANGE).count() == 0


def test_a_superuser_sees_everything(tree):
    admin = UserFactory(is_superuser=True)
    person = PersonFactory()
    PersonRatingFactory(person=person)  # not employed anywhere

    assert scope.unit_ids_for(admin) is None
    assert scope.units(admin).count() == Unit.objects.count()
    assert list(scope.people(admin)) == [person]
    assert scope.restrict(PersonRating.objects.all(), admin, unit=None).count() == 1


@pytest.mark.parametrize("kind", ["inactive officer", "inactive superuser", "no role"])
def test_an_inactive_user_or_one_without_a_role_sees_nothing(tree, users, kind):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=tree["commune"])
    PersonRatingFactory(person=person)
    if kind == "no role":
        user = users["no_role"]
    else:
        user = users["officer"] if kind == "inactive officer" else UserFactory(is_superuser=True)
        user.is_active = False
        user.save()

    assert scope.units(user).count() == 0
    assert scope.people(user).count() == 0
    assert scope.restrict(PersonRating.objects.all(), user, unit=None).count() == 0
    assert not scope.can(user, Action.VIEW, tree["commune"])


def test_the_scope_is_computed_once_per_user_object(tree, users, django_assert_num_queries):
    officer = users["officer"]
    scope.unit_ids_for(officer)

    with django_assert_num_queries(0):
        assert scope.can(officer, Action.VIEW, tree["commune"])
        assert scope.can(officer, Action.VIEW, tree["commune2"])


def test_people_are_those_ever_employed_in_scope(tree, users):
    former = PersonFactory()
    EmploymentFactory(person=former, unit=tree["commune"], end=datetime.date(2015, 1, 1))
    EmploymentFactory(person=former, unit=tree["other"], start=datetime.date(2015, 1, 1))

    assert list(scope.people(users["officer"])) == [former]
    assert list(scope.people(users["other_unit"])) == [former]

"""Privacy of history: a unit sees a person's records from the time the person belonged
to its scope; the whole history only while the person currently belongs to it."""

import datetime

import pytest

from thidua.accounts import scope
from thidua.accounts.choices import Role
from thidua.org.tests.factories import (
    person_who_moved,
    user_with_role,
)
from thidua.records.selectors import person_timeline

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def transferred():
    """A person in commune C until 2015, in commune A 2015–2020, then in commune B."""
    person, _c, a, b = person_who_moved(D(2021, 1, 1), ratings=(2012, 2017, 2023))
    return person, a, b


def _rated_years(user, person):
    windows = scope.history_windows(user, person)
    timeline = person_timeline(person, windows=windows)
    return sorted(e.obj.year for y in timeline for e in y.entries if e.kind == "rating")


def test_the_current_unit_sees_the_whole_history(transferred):
    person, _a, b = transferred
    officer_b = user_with_role(Role.OFFICER, b)
    assert scope.history_windows(officer_b, person) is None
    assert _rated_years(officer_b, person) == [2012, 2017, 2023]


def test_a_former_unit_sees_only_the_time_the_person_was_there(transferred):
    person, a, _b = transferred
    officer_a = user_with_role(Role.OFFICER, a)
    assert scope.history_windows(officer_a, person) == [(D(2015, 1, 1), D(2021, 1, 1))]
    assert _rated_years(officer_a, person) == [2017]


def test_the_system_and_superusers_see_everything(transferred):
    from thidua.accounts.system import SYSTEM

    person, _a, _b = transferred
    assert scope.history_windows(SYSTEM, person) is None


def test_the_api_lists_follow_the_same_rule(client, transferred):
    from thidua.accounts.api import issue_token

    person, a, b = transferred
    for unit, expected in ((a, [2017]), (b, [2012, 2017, 2023])):
        officer = user_with_role(Role.OFFICER, unit)
        _token, secret = issue_token(officer, actor=officer)
        response = client.get(
            f"/api/records/person-ratings?person={person.code}",
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 200, response.content
        assert sorted(item["year"] for item in response.json()["items"]) == expected

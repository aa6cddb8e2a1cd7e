"""Privacy of history (docs/adr/0008-privacy-of-history.md) beyond the person record: the
unit page's panels, the dataset export and the initiatives API. A unit sees a person's
records from the time the person belonged to its scope; the whole history only while the
person currently belongs to it."""

import datetime
import io
import json

import pytest
from django.urls import reverse

from thidua.accounts.api import issue_token
from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import dump_for
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    person_who_moved,
    user_with_role,
)
from thidua.records.choices import RatingLevel
from thidua.records.models import Initiative, InitiativeAuthor

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def moved():
    """A person in commune C until 2015, in commune A from 2015 to mid-2020, then in B;
    rated every year in 2012, 2017 and 2020 (the 2020 rating, at the year's end, is B's),
    awarded for 2012 and 2017, author of initiatives recognised in 2013 and 2018."""
    person, _c, a, b = person_who_moved(
        D(2020, 7, 1),
        ratings=(2012, 2017, 2020),
        level=RatingLevel.HTXS,
        codes=("XC", "XA", "XB"),
        code="NV-1",
    )
    for year in (2012, 2017):
        AwardFactory(person=person, period_start=D(year, 1, 1), period_end=D(year, 12, 31))
    for code, day in (("SK-2013", D(2013, 5, 1)), ("SK-2018", D(2018, 5, 1))):
        initiative = Initiative.objects.create(
            code=code, kind="initiative", title=code, scope="co_so", recognised_on=day
        )
        InitiativeAuthor.objects.create(initiative=initiative, person=person)
    return person, a, b


def _member_rated(client, user, unit, year):
    client.force_login(user)
    response = client.get(reverse("org:unit_detail", args=[unit.code]), {"nam": year})
    assert response.status_code == 200
    [member] = [m for m in response.context["members"] if m.person.code == "NV-1"]
    return member.rating_label


def test_the_unit_page_shows_a_leavers_rating_only_to_the_unit_they_went_to(client, moved):
    _person, a, b = moved
    officer_a, officer_b = user_with_role(Role.OFFICER, a), user_with_role(Role.OFFICER, b)

    # In 2017 the person was A's all year: A sees the rating.
    assert _member_rated(client, officer_a, a, 2017) == RatingLevel.HTXS.label
    # They left A in July 2020: A lists them among 2020's members, without B's rating.
    assert _member_rated(client, officer_a, a, 2020) == ""
    assert _member_rated(client, officer_b, b, 2020) == RatingLevel.HTXS.label


def test_the_person_page_record_follows_the_rule(client, moved):
    person, a, _b = moved
    client.force_login(user_with_role(Role.OFFICER, a))
    response = client.get(reverse("org:person_detail", args=[person.code]))
    assert response.status_code == 200
    rated = sorted(
        e.obj.year for y in response.context["timeline"] for e in y.entries if e.kind == "rating"
    )
    assert rated == [2017]


def _dump(user):
    out = io.BytesIO()
    dump_for(user, out, fmt="json", name="test.json")
    return json.loads(out.getvalue())


def test_the_dataset_export_of_a_former_unit_holds_only_its_years(moved):
    _person, a, b = moved
    data = _dump(user_with_role(Role.OFFICER, a))

    assert [r["year"] for r in data["person_ratings"]] == [2017]
    assert [w["period_end"][:4] for w in data["awards"]] == ["2017"]
    assert [e["unit"] for e in data["employments"]] == ["XA"]
    assert [(i["code"], i["authors"]) for i in data["initiatives"]] == [("SK-2018", ["NV-1"])]


def test_the_dataset_export_of_the_current_unit_holds_the_whole_history(moved):
    _person, _a, b = moved
    for user in (user_with_role(Role.OFFICER, b), SYSTEM):
        data = _dump(user)
        assert [r["year"] for r in data["person_ratings"]] == [2012, 2017, 2020]
        assert [e["unit"] for e in data["employments"]] == ["XC", "XA", "XB"]
        assert [i["code"] for i in data["initiatives"]] == ["SK-2013", "SK-2018"]


def test_the_initiatives_api_follows_the_rule(client, moved):
    _person, a, b = moved
    for unit, expected in ((a, ["SK-2018"]), (b, ["SK-2013", "SK-2018"])):
        officer = user_with_role(Role.OFFICER, unit)
        _token, secret = issue_token(officer, actor=officer)
        response = client.get(
            "/api/records/initiatives", headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 200, response.content
        assert sorted(item["code"] for item in response.json()["items"]) == expected


def test_the_initiatives_api_names_a_co_author_only_where_the_export_does(client, moved):
    _person, a, _b = moved
    # A co-author of the 2018 work who worked in A only in 2015 and works nowhere now:
    # when the work was recognised they were no longer A's, so A does not see their name.
    other = PersonFactory(code="NV-2")
    EmploymentFactory(person=other, unit=a, start=D(2015, 1, 1), end=D(2016, 1, 1))
    InitiativeAuthor.objects.create(initiative=Initiative.objects.get(code="SK-2018"), person=other)
    officer = user_with_role(Role.OFFICER, a)
    _token, secret = issue_token(officer, actor=officer)
    response = client.get("/api/records/initiatives", headers={"Authorization": f"Bearer {secret}"})
    assert [(i["code"], [x["code"] for x in i["authors"]]) for i in response.json()["items"]] == [
        ("SK-2018", ["NV-1"])
    ]
    assert [(i["code"], i["authors"]) for i in _dump(officer)["initiatives"]] == [
        ("SK-2018", ["NV-1"])
    ]

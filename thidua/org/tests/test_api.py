"""The organisation read API: who sees what (a permission matrix per endpoint), the
answers' content, validation, paging and the query budget."""

import datetime

import pytest

from thidua.accounts.models import ApiToken
from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services
from thidua.org.choices import Gender, UnitKind
from thidua.org.models import Employment, Person, Unit
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UnitFactory


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(users):
    return {key: ApiToken.issue(user, "test")[1] for key, user in users.items()}


@pytest.fixture
def staff(tree):
    """One person in a commune of the district (KB-TL), one in the other district (TL)."""
    ours = PersonFactory(
        code="P-KB",
        family_name="Trần",
        middle_name="Thị",
        given_name="Bình",
        gender=Gender.FEMALE,
        citizen_id="001185012345",
    )
    EmploymentFactory(person=ours, unit=tree["commune"], start=datetime.date(2015, 3, 1))
    theirs = PersonFactory(code="P-TL", family_name="Lê", middle_name="Văn", given_name="Cường")
    EmploymentFactory(person=theirs, unit=tree["other"], start=datetime.date(2012, 1, 1))
    return {"ours": ours, "theirs": theirs}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# ----------------------------------------------------------------- permission matrix

LISTS = ["/api/org/units", "/api/org/people", "/api/org/employments"]
DETAILS = ["/api/org/units/KB-TL", "/api/org/people/P-KB"]


@pytest.mark.parametrize("url", LISTS + DETAILS)
def test_no_token_is_401(client, staff, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize("url", LISTS + DETAILS)
@pytest.mark.parametrize("header", ["Bearer thd_not-a-token", "Bearer ", "Token abc"])
def test_invalid_token_is_401(client, tokens, staff, url, header):
    assert client.get(url, headers={"Authorization": header}).status_code == 401


def test_token_of_inactive_user_is_401(client, users, tokens, staff):
    users["officer"].is_active = False
    users["officer"].save()
    response = client.get("/api/org/people", headers=bearer(tokens["officer"]))
    assert response.status_code == 401


@pytest.mark.parametrize("url", LISTS)
def test_user_without_role_sees_empty_lists(client, tokens, staff, url):
    response = client.get(url, headers=bearer(tokens["no_role"]))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("url", DETAILS)
@pytest.mark.parametrize("who", ["no_role", "other_unit"])
def test_details_outside_scope_are_404(client, tokens, staff, url, who):
    response = client.get(url, headers=bearer(tokens[who]))
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("url", DETAILS)
@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_details_inside_scope_are_200(client, tokens, staff, url, who):
    assert client.get(url, headers=bearer(tokens[who])).status_code == 200


def test_officer_of_another_unit_does_not_see_the_district(client, tokens, staff):
    headers = bearer(tokens["other_unit"])
    assert codes(client.get("/api/org/units", headers=headers)) == ["TL"]
    assert codes(client.get("/api/org/people", headers=headers)) == ["P-TL"]
    employments = client.get("/api/org/employments", headers=headers).json()["items"]
    assert [e["person_code"] for e in employments] == ["P-TL"]


def test_district_officer_sees_the_district(client, tokens, staff):
    headers = bearer(tokens["officer"])
    assert set(codes(client.get("/api/org/units", headers=headers))) == {"KB", "KB-TL", "KB-NK"}
    assert codes(client.get("/api/org/people", headers=headers)) == ["P-KB"]
    employments = client.get("/api/org/employments", headers=headers).json()["items"]
    assert [(e["person_code"], e["unit_code"]) for e in employments] == [("P-KB", "KB-TL")]


def test_denied_and_allowed_reads_change_nothing(client, tokens, staff):
    before = (AuditEntry.objects.count(), Person.objects.count(), Employment.objects.count())
    for who in ("no_role", "other_unit", "officer"):
        for url in LISTS + DETAILS:
            client.get(url, headers=bearer(tokens[who]))
    for url in LISTS + DETAILS:
        client.get(url)
        client.get(url, headers=bearer("thd_wrong"))
    after = (AuditEntry.objects.count(), Person.objects.count(), Employment.objects.count())
    assert after == before


def test_session_login_works_without_a_token(client, users, staff):
    client.force_login(users["officer"])
    assert codes(client.get("/api/org/people")) == ["P-KB"]


def test_token_use_is_stamped(client, users, staff):
    token, raw = ApiToken.issue(users["officer"], "cli")
    assert token.last_used_at is None
    client.get("/api/org/units", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_superuser_sees_every_unit(client, tree, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-secret-123")
    raw = ApiToken.issue(admin)[1]
    response = client.get("/api/org/units", headers=bearer(raw))
    assert set(codes(response)) == {"HN", "KB", "KB-TL", "KB-NK", "TL"}


# ----------------------------------------------------------------------------- units


def test_units_as_of_a_date_give_the_name_and_parent_of_that_date(client, tree, tokens):
    commune = tree["commune"]
    services.rename_unit(commune, "Phường Thanh Sơn", datetime.date(2020, 1, 1), actor=SYSTEM)
    services.reparent_unit(commune, tree["commune2"], datetime.date(2022, 1, 1), actor=SYSTEM)
    headers = bearer(tokens["officer"])

    def row(as_of=None):
        params = {"as_of": as_of} if as_of else {}
        items = client.get("/api/org/units", params, headers=headers).json()["items"]
        return next(item for item in items if item["code"] == "KB-TL")

    assert row("2019-06-30") == {
        "code": "KB-TL",
        "kind": "commune",
        "kind_label": str(UnitKind.COMMUNE.label),
        "name": "Xã Thanh Sơn",
        "parent_code": "KB",
        "established_on": "2000-01-01",
        "dissolved_on": None,
    }
    assert (row("2021-01-01")["name"], row("2021-01-01")["parent_code"]) == (
        "Phường Thanh Sơn",
        "KB",
    )
    assert row()["name"] == "Phường Thanh Sơn"
    assert row()["parent_code"] == "KB-NK"


def test_units_as_of_leave_out_units_that_did_not_exist(client, tree, tokens):
    services.dissolve_unit(tree["commune2"], datetime.date(2025, 7, 1), actor=SYSTEM)
    UnitFactory(
        code="KB-NEW",
        name="Xã Mới",
        parent=tree["district"],
        established_on=datetime.date(2024, 1, 1),
    )
    headers = bearer(tokens["officer"])
    assert set(codes(client.get("/api/org/units?as_of=2020-01-01", headers=headers))) == {
        "KB",
        "KB-TL",
        "KB-NK",
    }
    assert set(codes(client.get("/api/org/units?as_of=2025-07-01", headers=headers))) == {
        "KB",
        "KB-TL",
        "KB-NEW",
    }
    # Without a date, the whole history: dissolved units too.
    assert "KB-NK" in codes(client.get("/api/org/units", headers=headers))


def test_units_search_without_diacritics_and_by_kind(client, tree, tokens):
    headers = bearer(tokens["officer"])
    assert codes(client.get("/api/org/units?q=thanh son", headers=headers)) == ["KB-TL"]
    assert codes(client.get("/api/org/units?kind=district", headers=headers)) == ["KB"]


def test_unit_detail_has_versions_and_lineage(client, tree, tokens):
    commune, commune2 = tree["commune"], tree["commune2"]
    services.rename_unit(
        commune, "Phường Thanh Sơn", datetime.date(2020, 1, 1), decision="12/NQ", actor=SYSTEM
    )
    services.merge_units(
        [commune2, commune],
        commune,
        datetime.date(2025, 7, 1),
        decision="1681/NQ-UBTVQH15",
        actor=SYSTEM,
    )
    response = client.get("/api/org/units/KB-TL", headers=bearer(tokens["officer"]))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Phường Thanh Sơn"
    assert body["versions"] == [
        {
            "name": "Phường Thanh Sơn",
            "parent_code": "KB",
            "valid_from": "2020-01-01",
            "valid_to": None,
        },
        {
            "name": "Xã Thanh Sơn",
            "parent_code": "KB",
            "valid_from": "2000-01-01",
            "valid_to": "2020-01-01",
        },
    ]
    rename, merge = body["lineage"]
    assert (rename["kind"], rename["role"], rename["decision"]) == ("rename", "self", "12/NQ")
    assert merge == {
        "kind": "merge",
        "kind_label": merge["kind_label"],
        "date": "2025-07-01",
        "decision": "1681/NQ-UBTVQH15",
        "role": "self",  # it absorbed the other commune: on both sides
        "predecessors": ["KB-NK", "KB-TL"],
        "successors": ["KB-TL"],
    }
    absorbed = client.get("/api/org/units/KB-NK", headers=bearer(tokens["officer"])).json()
    assert absorbed["dissolved_on"] == "2025-07-01"
    assert [(e["role"], e["successors"]) for e in absorbed["lineage"]] == [
        ("predecessor", ["KB-TL"])
    ]


def test_unit_detail_as_of_a_date(client, tree, tokens):
    services.rename_unit(
        tree["commune"], "Phường Thanh Sơn", datetime.date(2020, 1, 1), actor=SYSTEM
    )
    response = client.get(
        "/api/org/units/KB-TL?as_of=2019-12-31", headers=bearer(tokens["officer"])
    )
    assert response.json()["name"] == "Xã Thanh Sơn"


# ---------------------------------------------------------------------------- people


def test_people_search_without_diacritics_and_by_unit(client, tree, tokens, staff):
    other = PersonFactory(code="P-KB2", family_name="Đỗ", middle_name="", given_name="Đức")
    EmploymentFactory(person=other, unit=tree["commune2"])
    headers = bearer(tokens["officer"])
    assert codes(client.get("/api/org/people?q=tran binh", headers=headers)) == ["P-KB"]
    assert codes(client.get("/api/org/people?q=do duc", headers=headers)) == ["P-KB2"]
    assert codes(client.get("/api/org/people?q=binh tran", headers=headers)) == ["P-KB"]
    assert codes(client.get("/api/org/people?unit=KB-NK", headers=headers)) == ["P-KB2"]
    assert codes(client.get("/api/org/people?gender=F", headers=headers)) == ["P-KB"]


def test_people_are_in_vietnamese_order_of_given_name(client, tree, tokens):
    for code, family, given in [
        ("P1", "Nguyễn", "Ánh"),  # Á sorts after A
        ("P2", "Lê", "Đào"),  # Đ sorts after D
        ("P3", "Phạm", "An"),
        ("P4", "Trần", "Dũng"),
        ("P5", "Võ", "Bảo"),
    ]:
        person = PersonFactory(code=code, family_name=family, middle_name="Văn", given_name=given)
        EmploymentFactory(person=person, unit=tree["commune"])
    response = client.get("/api/org/people", headers=bearer(tokens["officer"]))
    assert codes(response) == ["P3", "P1", "P5", "P4", "P2"]


def test_people_show_the_citizen_id_only_to_those_who_may_change_them(client, tokens, staff):
    def citizen_id(who):
        items = client.get("/api/org/people", headers=bearer(tokens[who])).json()["items"]
        return items[0]["citizen_id"]

    assert citizen_id("officer") == "001185012345"
    masked = citizen_id("viewer")
    assert masked != "001185012345"
    assert masked.endswith("2345")
    assert "0011850" not in masked
    detail = client.get("/api/org/people/P-KB", headers=bearer(tokens["viewer"])).json()
    assert detail["citizen_id"] == masked


def test_person_without_citizen_id_gives_null(client, tokens, staff):
    items = client.get("/api/org/people?q=cuong", headers=bearer(tokens["other_unit"])).json()
    assert items["items"][0]["citizen_id"] is None


def test_person_detail_lists_employments(client, tree, tokens, staff):
    services.transfer_person(
        staff["ours"], tree["commune2"], datetime.date(2020, 1, 1), actor=SYSTEM
    )
    body = client.get("/api/org/people/P-KB", headers=bearer(tokens["viewer"])).json()
    assert body["full_name"] == "Trần Thị Bình"
    assert (body["gender"], body["birth_date"]) == ("F", "1985-05-01")
    assert body["employments"] == [
        {
            "unit_code": "KB-TL",
            "unit_name": "Xã Thanh Sơn",
            "position": "Chuyên viên",
            "start": "2015-03-01",
            "end": "2020-01-01",
        },
        {
            "unit_code": "KB-NK",
            "unit_name": "Xã Nhật Tân",
            "position": "",
            "start": "2020-01-01",
            "end": None,
        },
    ]


# ------------------------------------------------------------------------ employments


def test_employments_filter_by_unit_person_and_year(client, tree, tokens, staff):
    services.transfer_person(
        staff["ours"], tree["commune2"], datetime.date(2020, 1, 1), actor=SYSTEM
    )
    headers = bearer(tokens["officer"])

    def spans(query):
        items = client.get(f"/api/org/employments?{query}", headers=headers).json()["items"]
        return [(e["unit_code"], e["start"]) for e in items]

    assert spans("year=2019") == [("KB-TL", "2015-03-01")]
    assert spans("year=2020") == [("KB-NK", "2020-01-01")]
    assert spans("unit=KB-NK") == [("KB-NK", "2020-01-01")]
    assert spans("person=P-KB") == [("KB-TL", "2015-03-01"), ("KB-NK", "2020-01-01")]
    assert spans("person=P-TL") == []


# ------------------------------------------------------------ validation and paging


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/org/units?as_of=31/12/2020", "as_of"),
        ("/api/org/units?kind=galaxy", "kind"),
        ("/api/org/people?gender=X", "gender"),
        ("/api/org/employments?year=20x0", "year"),
        ("/api/org/employments?year=1800", "year"),
        ("/api/org/people?page_size=5000", "page_size"),
        ("/api/org/people?page=0", "page"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_parameter(client, tokens, query, field):
    response = client.get(query, headers=bearer(tokens["officer"]))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"][-1] for error in errors] == [field]


def test_lists_are_paged(client, tree, tokens):
    for _ in range(7):
        EmploymentFactory(unit=tree["commune"])
    headers = bearer(tokens["officer"])
    first = client.get("/api/org/people?page_size=3", headers=headers).json()
    third = client.get("/api/org/people?page_size=3&page=3", headers=headers).json()
    assert (first["count"], len(first["items"]), len(third["items"])) == (7, 3, 1)


def _people(tree, n):
    for _ in range(n):
        person = PersonFactory(citizen_id=None)
        EmploymentFactory(person=person, unit=tree["commune"])
        EmploymentFactory(person=person, unit=tree["commune2"], start=datetime.date(2021, 1, 1))


@pytest.mark.parametrize("rows", [5, 50])
def test_people_list_query_count_is_constant(
    client, tree, tokens, django_assert_max_num_queries, rows
):
    _people(tree, rows)
    # token + its stamp, the view scope (3), the change scope for the citizen id (3),
    # count, page: the same at 5 and at 50 rows.
    with django_assert_max_num_queries(10):
        response = client.get("/api/org/people?page_size=50", headers=bearer(tokens["officer"]))
    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_units_and_employments_query_count_is_constant(
    client, tree, tokens, django_assert_max_num_queries, rows
):
    _people(tree, rows)
    for _ in range(rows):
        UnitFactory(parent=tree["district"])
    headers = bearer(tokens["officer"])
    with django_assert_max_num_queries(8):
        units = client.get("/api/org/units?page_size=100&as_of=2020-01-01", headers=headers)
    with django_assert_max_num_queries(8):
        employments = client.get("/api/org/employments?page_size=100", headers=headers)
    assert len(units.json()["items"]) == rows + 3
    assert len(employments.json()["items"]) == 2 * rows


def test_unit_model_untouched_by_reads(client, tree, tokens):
    before = list(Unit.objects.values_list("code", "name", "sort_key"))
    client.get("/api/org/units?as_of=2020-01-01", headers=bearer(tokens["officer"]))
    assert list(Unit.objects.values_list("code", "name", "sort_key")) == before

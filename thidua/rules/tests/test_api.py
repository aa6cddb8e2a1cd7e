"""The eligibility API: who sees what (anonymous, no role, a role on another unit, a role on
this unit), the same objects as the CLI's JSON, paging, filters, errors that name the
parameter, the catalog, and a query count that does not grow with the population."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from thidua.accounts.models import ApiToken
from thidua.audit.models import AuditEntry
from thidua.rules.tests.factories import make_person

pytestmark = pytest.mark.django_db
URL = "/api/rules/eligibility"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(users):
    return {key: ApiToken.issue(user, "test")[1] for key, user in users.items()}


@pytest.fixture
def staff(tree):
    """Lan (eligible for LĐTT in 2020) and Minh (rated KHT) in a commune of the district;
    Hoa in the other district."""
    authority = tree["district"]
    return {
        "lan": make_person(
            tree["commune"],
            {
                "ratings": {2020: "HTT"},
                "awards": [("LDTT", 2020)],
                "attestations": [("LDTT", "conduct", 2020)],
            },
            authority=authority,
        ),
        "minh": make_person(tree["commune"], {"ratings": {2020: "KHT"}}),
        "hoa": make_person(tree["other"], {"ratings": {2020: "HTT"}}),
    }


def subjects(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["subject"]["code"] for item in response.json()["items"]}


# ----------------------------------------------------------------- permission matrix


@pytest.mark.parametrize("url", [f"{URL}?year=2020", "/api/rules/catalog"])
def test_no_token_is_401(client, staff, url):
    assert client.get(url).status_code == 401


def test_no_role_sees_an_empty_list_and_no_unit(client, tokens, staff):
    response = client.get(URL, {"year": 2020}, headers=bearer(tokens["no_role"]))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
    response = client.get(URL, {"year": 2020, "unit": "KB"}, headers=bearer(tokens["no_role"]))
    assert response.status_code == 404


def test_a_role_on_another_unit_does_not_see_the_district(client, tokens, staff):
    headers = bearer(tokens["other_unit"])
    found = subjects(client.get(URL, {"year": 2020, "award": "LDTT"}, headers=headers))
    assert found == {staff["hoa"].code}
    response = client.get(URL, {"year": 2020, "unit": "KB"}, headers=headers)
    assert response.status_code == 404
    # The same answer as a unit that does not exist: nothing leaks.
    assert client.get(URL, {"year": 2020, "unit": "NOPE"}, headers=headers).status_code == 404


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_a_role_on_this_unit_sees_its_people(client, tokens, staff, who):
    headers = bearer(tokens[who])
    found = subjects(
        client.get(URL, {"year": 2020, "unit": "KB", "award": "LDTT"}, headers=headers)
    )
    assert found == {staff["lan"].code, staff["minh"].code}


def test_reads_change_nothing(client, tokens, staff):
    before = AuditEntry.objects.count()
    for who in tokens:
        client.get(URL, {"year": 2020, "unit": "KB"}, headers=bearer(tokens[who]))
    assert AuditEntry.objects.count() == before


# ----------------------------------------------------------------- content


def test_the_objects_are_those_of_the_cli(client, tokens, staff, tree):
    response = client.get(
        URL,
        {"year": 2020, "unit": "KB-TL", "award": "LDTT", "verdict": "eligible"},
        headers={**bearer(tokens["officer"]), "Accept-Language": "vi"},
    )
    (item,) = response.json()["items"]
    out = io.StringIO()
    with translation.override("vi"):
        call_command(
            "eligibility",
            "--year=2020",
            "--unit=KB-TL",
            "--award=LDTT",
            "--format=json",
            stdout=out,
        )
    cli = next(
        r
        for r in json.loads(out.getvalue())["results"]
        if r["subject"]["code"] == staff["lan"].code
    )
    assert item == cli
    assert item["verdict"] == "eligible" and item["rule_set"] == "2017"
    rating = next(c for c in item["criteria"] if c["id"] == "rating")
    assert rating["outcome"] == "met" and "Luật TĐKT 2003, Điều 24" in rating["article"]


def test_filters_and_pages(client, tokens, staff):
    headers = bearer(tokens["officer"])
    not_met = client.get(
        URL, {"year": 2020, "award": "LDTT", "verdict": "not_eligible"}, headers=headers
    )
    assert subjects(not_met) == {staff["minh"].code}
    page = client.get(URL, {"year": 2020, "page_size": 2, "page": 1}, headers=headers).json()
    assert page["count"] > 2 and len(page["items"]) == 2
    rest = client.get(URL, {"year": 2020, "page_size": 2, "page": 2}, headers=headers).json()
    assert rest["items"][0] != page["items"][0]


def test_errors_name_the_parameter(client, tokens, staff):
    headers = bearer(tokens["officer"])
    response = client.get(URL, {"year": 2020, "award": "NOPE"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "award"]
    assert "NOPE" in response.json()["detail"][0]["msg"]
    response = client.get(URL, {"year": 2020, "verdict": "maybe"}, headers=headers)
    assert response.status_code == 422
    assert client.get(URL, headers=headers).status_code == 422  # the year is required


def test_the_catalog(client, tokens):
    data = client.get("/api/rules/catalog", headers=bearer(tokens["no_role"])).json()
    awards = {a["code"]: a for a in data["awards"]}
    assert awards["LDTT"]["annual"] and awards["LDTT"]["subjects"] == ["individual"]
    assert "2017" in awards["LDTT"]["rule_sets"]
    sets = {s["id"]: s for s in data["rule_sets"]}
    assert sets["98_2023"]["valid_from"] == "2024-01-01"
    assert not sets["2026_amendment"]["encoded"] and sets["2026_amendment"]["note"]


# ----------------------------------------------------------------- query budget


def test_the_query_count_does_not_grow_with_the_population(
    client, tokens, tree, django_assert_max_num_queries
):
    headers = bearer(tokens["officer"])
    counts = []
    for unit, size in ((tree["commune"], 5), (tree["commune2"], 50)):
        for _ in range(size):
            make_person(unit, {"ratings": {2020: "HTT"}, "awards": [("LDTT", 2020)]})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                URL, {"year": 2020, "unit": unit.code, "page_size": 50}, headers=headers
            )
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(25):
        client.get(URL, {"year": 2020, "unit": "KB", "page_size": 200}, headers=headers)


def test_a_dossier_date_before_the_end_of_the_year_is_refused(client, tokens, staff):
    headers = bearer(tokens["officer"])
    response = client.get(URL, {"year": 2020, "as_of": "2020-06-30"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "as_of"]
    assert "10/12/2020" in response.json()["detail"][0]["msg"]


ATTESTATION = {
    "subject_kind": "individual",
    "year": 2020,
    "award": "LDTT",
    "criterion": "conduct",
    "decision": "attested",
    "body": "council",
    "body_name": "Hội đồng Thi đua – Khen thưởng huyện Kim Bảng",
    "decided_on": "2020-12-20",
    "minutes_number": "12/BB-HĐTĐKT",
    "minutes_date": "2020-12-20",
}


def test_the_officer_attests_through_the_api(client, tokens, staff):
    minh = make_person(staff["lan"].employments.first().unit, {"ratings": {2020: "HTT"}})
    payload = {**ATTESTATION, "subject_code": minh.code}
    headers = bearer(tokens["officer"])
    response = client.post(
        "/api/rules/attestations", payload, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "eligible"
    assert AuditEntry.objects.filter(action="records.attestation.attest").count() == 1
    refused = {**payload, "decision": "refused"}
    response = client.post(
        "/api/rules/attestations", refused, content_type="application/json", headers=headers
    )
    assert response.json()["verdict"] == "not_eligible"


def test_the_api_refuses_a_viewer_an_outsider_and_bad_minutes(client, tokens, staff):
    payload = {**ATTESTATION, "subject_code": staff["minh"].code}
    post = lambda who, data: client.post(  # noqa: E731
        "/api/rules/attestations",
        data,
        content_type="application/json",
        headers=bearer(tokens[who]),
    )
    assert post("viewer", payload).status_code == 403
    assert post("other_unit", payload).status_code == 404
    response = post("officer", {**payload, "criterion": "rating"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "criterion"
    response = post("officer", {**payload, "minutes_date": "2020-12-21"})
    assert response.json()["detail"][0]["loc"][-1] == "minutes_date"
    from thidua.records.models import Attestation

    assert not Attestation.objects.filter(person=staff["minh"]).exists()

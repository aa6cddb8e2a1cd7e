"""The plans read API: who sees which assignments and figures, and a query count per
page that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.accounts.api import issue_token
from thidua.accounts.system import SYSTEM
from thidua.org.tests.factories import UnitFactory
from thidua.plans import services
from thidua.plans.choices import ReferenceKind, Version

D = datetime.date


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(users, province_officer):
    people = {**users, "province": province_officer}
    return {key: issue_token(user, "test", actor=SYSTEM)[1] for key, user in people.items()}


@pytest.fixture
def figures(tree, revenue):
    kb = tree["district"]
    for year, value in ((2019, 1102), (2020, 1386)):
        services.record_actual(
            revenue,
            kb,
            year,
            value,
            version=Version.FINAL,
            reported_on=D(year + 1, 3, 1),
            actor=SYSTEM,
        )
    services.set_reference(revenue, kb, 2020, ReferenceKind.PROVINCE_ESTIMATE, 590, actor=SYSTEM)
    return revenue


def _units(body):
    return sorted(row["unit"] for row in body["items"])


@pytest.mark.parametrize(
    ("who", "units"),
    [("no_role", []), ("other_unit", ["TL"]), ("viewer", ["KB"]), ("province", ["KB", "TL"])],
)
def test_assignments_are_listed_within_the_scope(client, task, tokens, who, units):
    response = client.get("/api/plans/assignments", headers=bearer(tokens[who]))
    assert response.status_code == 200
    assert _units(response.json()) == units


def test_anonymous_callers_are_refused(client, task):
    assert client.get("/api/plans/assignments").status_code == 401


def test_an_assignment_carries_its_document_and_overdue_flag(client, task, tokens):
    body = client.get(
        "/api/plans/assignments", {"unit": "KB", "year": 2020}, headers=bearer(tokens["viewer"])
    ).json()
    (row,) = body["items"]
    assert (row["source_number"], row["source_date"], row["deadline"]) == (
        "05/CT-UBND",
        "2020-03-02",
        "2020-06-30",
    )
    assert row["assigned_by"] == "HN" and row["status"] == "assigned" and row["overdue"] is True


def test_the_page_of_assignments_takes_the_same_queries_for_5_and_50(
    client, tree, tokens, province_officer
):
    def add(n):
        units = [
            UnitFactory(code=f"KB-Y{i:03d}", parent=tree["district"])
            for i in range(len(added), len(added) + n)
        ]
        added.extend(units)
        services.assign_task(
            assigned_by=tree["district"],
            year=2020,
            title="Báo cáo",
            source_number=f"{len(added)}/KH-UBND",
            source_date=D(2020, 2, 1),
            source_issuer="UBND huyện",
            deadline=D(2020, 3, 1),
            units=units,
            actor=SYSTEM,
        )

    added = []
    counts = []
    for n in (5, 45):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/plans/assignments", headers=bearer(tokens["viewer"])).json()
        counts.append(len(queries))
    assert body["count"] == 50 and len(body["items"]) == 50
    assert counts[0] == counts[1]


def test_a_units_figures_are_scoped_and_computed(client, figures, tokens):
    response = client.get("/api/plans/units/KB/figures/2020", headers=bearer(tokens["viewer"]))
    (row,) = response.json()
    assert float(row["value"]) == 1386 and row["version"] == "final"
    province = next(r for r in row["references"] if r["kind"] == "province_estimate")
    assert float(province["achievement"]) == 234.92
    assert float(row["growth"]) == 25.77
    other = client.get("/api/plans/units/KB/figures/2020", headers=bearer(tokens["other_unit"]))
    assert other.status_code == 404

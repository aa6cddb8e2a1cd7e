"""The summary over the API: the JSON of the CLI, for a unit in the caller's scope."""

import datetime

import pytest

from thidua.accounts.api import issue_token
from thidua.accounts.system import SYSTEM
from thidua.plans import services

D = datetime.date


@pytest.fixture
def tokens(users):
    return {key: issue_token(user, "test", actor=SYSTEM)[1] for key, user in users.items()}


@pytest.mark.parametrize(
    ("who", "status"), [("no_role", 404), ("other_unit", 404), ("viewer", 200)]
)
def test_the_summary_is_scoped(client, tree, tokens, who, status):
    response = client.get(
        "/api/reports/summary/KB/2020", headers={"Authorization": f"Bearer {tokens[who]}"}
    )
    assert response.status_code == status


def test_the_summary_holds_the_figures_as_numbers(client, tree, tokens):
    services.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Báo cáo",
        source_number="1/KH-UBND",
        source_date=D(2020, 2, 1),
        source_issuer="UBND tỉnh",
        deadline=D(2020, 3, 1),
        units=[tree["district"]],
        actor=SYSTEM,
    )
    body = client.get(
        "/api/reports/summary/KB/2020", headers={"Authorization": f"Bearer {tokens['viewer']}"}
    ).json()
    assert body["unit"]["code"] == "KB" and body["parent"]["code"] == "HN"
    assert body["tasks"][0]["assigned"] == 1 and body["tasks"][0]["completed"] == 0
    assert body["unit_ratings"]["total"] == 2

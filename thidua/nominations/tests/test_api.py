"""The proposals API: a permission matrix, the nominees with their frozen verdicts, the
moves through the same verb as the pages, and the list's query budget."""

import pytest

from thidua.accounts.models import ApiToken
from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier
from thidua.nominations.tests.conftest import attach_minutes, spec


@pytest.fixture
def tokens(users):
    return {key: ApiToken.issue(user, "test")[1] for key, user in users.items()}


def call(client, tokens, who, path, method="get", json=None):
    headers = {} if who is None else {"Authorization": f"Bearer {tokens[who]}"}
    if method == "post":
        return client.post(path, json or {}, content_type="application/json", headers=headers)
    return client.get(path, headers=headers)


@pytest.fixture
def filled(dossier, world, users):
    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    attach_minutes(dossier)
    return dossier


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("no_role", 404),
        ("tl", 404),
        ("kb_viewer", 200),
        ("kb", 200),
        ("province", 200),
    ],
)
def test_who_may_read_a_dossier(client, tokens, filled, who, status):
    assert call(client, tokens, who, f"/api/nominations/dossiers/{filled.pk}").status_code == status


def test_lists_are_scoped(client, tokens, filled, round_):
    def ids(who, path):
        return [x["id"] for x in call(client, tokens, who, path).json()["items"]]

    assert ids("kb", "/api/nominations/rounds") == [round_.pk]
    assert ids("tl", "/api/nominations/dossiers") == []
    assert ids("province", "/api/nominations/dossiers") == [filled.pk]
    assert ids("no_role", "/api/nominations/rounds") == []


def test_moves_through_the_api(client, tokens, filled):
    base = f"/api/nominations/dossiers/{filled.pk}/moves/"
    body = call(client, tokens, "kb", base + "submit", "post").json()
    assert body["state"] == State.SUBMITTED
    assert body["nominees"][0]["verdict"] and len(body["nominees"][0]["frozen_hash"]) == 64
    response = call(client, tokens, "kb", base + "receive", "post")
    assert response.status_code == 403 and "Tỉnh Hà Nam" in response.json()["detail"]
    response = call(client, tokens, "province", base + "return", "post", {"reason": ""})
    assert response.status_code == 400
    assert Dossier.objects.get(pk=filled.pk).state == State.SUBMITTED
    assert AuditEntry.objects.filter(action="nominations.dossier.refused").count() == 2
    response = call(client, tokens, "province", base + "return", "post", {"reason": "Thiếu"})
    assert response.json()["state"] == State.RETURNED


def test_dossier_list_query_budget(
    client, tokens, round_, world, users, django_assert_max_num_queries
):
    services.start_dossier(round_, world["kb"], actor=users["kb"])
    with django_assert_max_num_queries(12):
        assert call(client, tokens, "province", "/api/nominations/dossiers").status_code == 200


def test_the_publication_and_why_not_yet_for_the_council(client, tokens, filled):
    base = f"/api/nominations/dossiers/{filled.pk}/moves/"
    call(client, tokens, "kb", base + "submit", "post")
    for verb in ("receive", "appraise", "publish"):
        body = call(client, tokens, "province", base + verb, "post").json()
    assert len(body["publication"]["list_hash"]) == 64
    assert body["council_blockers"]  # the period has just begun
    response = call(client, tokens, "province", base + "to_council", "post")
    assert response.status_code == 400
    assert Dossier.objects.get(pk=filled.pk).state == State.PUBLIC_COMMENT

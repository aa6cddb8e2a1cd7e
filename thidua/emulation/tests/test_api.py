"""The emulation read API: a permission matrix per endpoint, the ranking computed from the
scores, the covenant tree, and the list's query budget."""

import datetime

import pytest

from thidua.accounts.models import ApiToken
from thidua.accounts.system import SYSTEM
from thidua.emulation import services
from thidua.emulation.tests.factories import AFTER, cross_score_all, full, make_block, make_covenant

D = datetime.date


@pytest.fixture
def tokens(people):
    return {key: ApiToken.issue(user, "test")[1] for key, user in people.items()}


def get(client, tokens, who, path):
    headers = {} if who is None else {"Authorization": f"Bearer {tokens[who]}"}
    return client.get(path, headers=headers)


@pytest.fixture
def scored(members, covenant):
    quality = {u.code: full(5, 10, 15) for u in members}
    quality["KB"] = full(10, 20, 30, c1=2)
    cross_score_all(covenant, members, quality)
    return covenant


DETAIL = "/api/emulation/blocks/2020/KHOI-HUYEN"


@pytest.mark.parametrize(
    "who, status",
    [(None, 401), ("no_role", 404), ("other_unit", 404), ("kb", 200), ("province", 200)],
)
@pytest.mark.parametrize("path", [DETAIL, DETAIL + "/covenant", DETAIL + "/ranking"])
def test_who_may_read_a_block(client, tokens, scored, who, status, path):
    response = get(client, tokens, who, path)
    if path.endswith("ranking") and who == "kb":
        status = 403  # a member, before the results are published
    assert response.status_code == status, response.content


def test_the_list_holds_only_visible_blocks(client, tokens, world, scored):
    make_block(world["elsewhere"], [world["elsewhere"]], code="KHOI-NDI")

    def codes(who):
        response = get(client, tokens, who, "/api/emulation/blocks")
        return [b["code"] for b in response.json()["items"]]

    assert codes("kb") == ["KHOI-HUYEN"]
    assert codes("other_unit") == ["KHOI-NDI"]
    assert codes("no_role") == []
    assert get(client, tokens, None, "/api/emulation/blocks").status_code == 401


def test_the_ranking_is_published_to_the_members(client, tokens, scored):
    services.publish_results(scored, today=AFTER, actor=SYSTEM)
    body = get(client, tokens, "kb", DETAIL + "/ranking").json()
    first = body["standings"][0]
    assert (first["unit"], first["rank"], first["final"], first["bonus"]) == (
        "KB",
        1,
        "62.00",
        "2.00",
    )
    block = get(client, tokens, "tl", DETAIL).json()
    assert block["leads"] == [
        {"unit": "KB", "rank": 1, "score": "62.00", "recorded_on": AFTER.isoformat()}
    ]
    assert block["covenant_status"] == "published"


def test_the_covenant_tree_and_signatures(client, tokens, world, scored):
    services.sign_covenant(
        scored, world["KB"], signer_name="Nguyễn Văn Hải", signed_on=D(2020, 2, 20), actor=SYSTEM
    )
    body = get(client, tokens, "kb", DETAIL + "/covenant").json()
    assert [g["code"] for g in body["groups"]] == ["A", "B", "C", "D"]
    assert body["groups"][3]["kind"] == "penalty" and body["groups"][3]["cap"] == "5.00"
    assert [c["code"] for c in body["groups"][0]["criteria"]] == ["A1", "A2"]
    assert body["signatures"] == [
        {
            "unit": "KB",
            "signer_name": "Nguyễn Văn Hải",
            "signer_position": "",
            "signed_on": "2020-02-20",
        }
    ]


def test_the_list_reads_a_constant_number_of_queries(
    client, tokens, world, members, django_assert_max_num_queries
):
    for year in range(2010, 2015):
        make_covenant(
            make_block(world["province"], members, year=year), scoring_deadline=D(year, 12, 1)
        )
    with django_assert_max_num_queries(8):
        few = get(client, tokens, "province", "/api/emulation/blocks?page_size=5")
    for year in range(2015, 2060):
        make_block(world["province"], members, year=year)
    with django_assert_max_num_queries(8):
        many = get(client, tokens, "province", "/api/emulation/blocks?page_size=50")
    assert len(few.json()["items"]) == 5 and len(many.json()["items"]) == 50

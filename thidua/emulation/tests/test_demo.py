"""The emulation demo over the organisation demo: Kim Bảng ranks first in 2020 from its
scores, is recorded as leading, and that satisfies the flag's "leads its block"
criterion in the eligibility engine; the 2021 conference acts are there."""

import datetime
from decimal import Decimal

import pytest

from thidua.emulation.choices import BlockRoleKind, CovenantStatus
from thidua.emulation.demo import BLOCK_CODE, load_emulation_demo
from thidua.emulation.models import Block, BlockLead, Covenant, Signature
from thidua.emulation.ranking import rank_covenant


@pytest.fixture(scope="module")
def demo(demo_loaded, django_db_blocker):
    """Both demos for this module (the organisation's, built once per process), then the
    emulation demo loaded a second time: what that load counts, rolled back at the
    module's end."""
    with django_db_blocker.unblock():
        return load_emulation_demo()


@pytest.fixture
def loaded(demo, db):
    return demo


def test_kim_bang_ranks_first_in_2020_from_its_scores(loaded):
    covenant = Covenant.objects.select_related("block").get(
        block__code=BLOCK_CODE, block__year=2020
    )
    assert covenant.status == CovenantStatus.PUBLISHED
    ranking = rank_covenant(covenant)
    assert [s.unit.code for s in ranking.standings][0] == "KB"
    assert [s.unit.code for s in ranking.leaders] == ["KB"]
    assert all(s.complete and s.scorers == 5 for s in ranking.standings)
    assert len({s.final for s in ranking.standings}) == 6  # no tie anywhere
    kb = ranking.standings[0]
    assert kb.totals.bonus == Decimal(4) and kb.final > ranking.standings[1].final
    lead = BlockLead.objects.get(block=covenant.block)
    assert (lead.unit.code, lead.rank, lead.score) == ("KB", 1, kb.final)


def test_the_ranking_satisfies_the_flags_leads_its_block_criterion(loaded):
    from thidua.rules import engine

    results = [
        r
        for r in engine.evaluate(2020, units=["KB"], award_codes=["CO_TD_TINH"])
        if r.subject_code == "KB"
    ]
    assert results, "the engine evaluates Kim Bảng for the provincial flag"
    outcomes = {}

    def walk(criteria):
        for c in criteria:
            outcomes[c.id] = c
            walk(c.alternatives)

    walk(results[0].criteria)
    assert outcomes["leads_block"].outcome == "met"
    assert "Khối thi đua các huyện, thành phố 2020" in outcomes["leads_block"].explanation


def test_the_2021_conference_acts(loaded):
    block = Block.objects.get(code=BLOCK_CODE, year=2021)
    roles = {r.role: r for r in block.roles.select_related("unit")}
    # Last year's deputy leads; the deputy is a member that never held a role.
    assert roles[BlockRoleKind.LEADER].unit.code == "KB"
    assert roles[BlockRoleKind.DEPUTY].unit.code == "BL"
    assert roles[BlockRoleKind.LEADER].decision_number == "13/QĐ-HĐTĐKT"
    signatures = Signature.objects.filter(covenant__block=block)
    assert signatures.count() == 6
    assert {s.signed_on for s in signatures} == {datetime.date(2021, 1, 12)}
    assert block.covenant.status == CovenantStatus.OPEN


def test_loading_twice_changes_nothing(loaded):
    assert load_emulation_demo() == loaded


def test_the_demo_officer_of_kim_bang_reads_the_2020_results(loaded, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="canbo"))
    page = client.get("/thi-dua/khoi/2020/HNA-KHOI-HUYEN/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    standings = page.context["page"].ranking.standings
    assert standings[0].unit.code == "KB" and len(standings) == 6
    docx = client.get("/thi-dua/khoi/2021/HNA-KHOI-HUYEN/giao-uoc.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"

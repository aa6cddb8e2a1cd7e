"""The proposals demo: Kim Bảng's 2020 dossier to the province proposes the provincial
awards the history holds, and waits for the council; the 2026 round is a draft."""

import datetime

import pytest

from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier
from thidua.nominations.services import eligibility
from thidua.records.models import Award


@pytest.fixture(scope="module")
def demo(demo_loaded):
    """The whole demo for this module, rolled back at its end (built once per process)."""
    return demo_loaded


@pytest.fixture
def kb_2020(demo, db):
    return Dossier.objects.select_related("round__unit").get(round__year=2020, unit__code="KB")


def test_kim_bang_2020_is_ready_for_the_council(kb_2020):
    assert kb_2020.state == State.READY_FOR_COUNCIL
    assert kb_2020.round.unit.code == "HNA" and len(kb_2020.frozen_hash) == 64
    verbs = list(kb_2020.transitions.values_list("verb", flat=True))
    assert verbs == ["submit", "receive", "appraise", "publish", "to_council"]
    nominees = list(kb_2020.nominees.select_related("person", "unit"))
    codes = {n.award_code for n in nominees}
    assert codes == {"CO_TD_TINH", "TTLDXS", "BK_TINH"}
    assert any(n.award_code == "CO_TD_TINH" and n.unit.code == "KB" for n in nominees)
    assert any(n.award_code == "BK_TINH" and n.person_id for n in nominees)
    # Every nominee is an award the history holds, decided by the province in 2021.
    for n in nominees:
        held = Award.objects.filter(
            award_code=n.award_code, person=n.person, unit=n.unit, period_end__year=2020
        ).get()
        assert held.authority.code == "HNA" and held.decision_date.year == 2021
    assert services.compare(kb_2020) == []


def test_the_2026_round_is_open_with_a_draft(demo, db):
    dossier = Dossier.objects.get(round__year=2026)
    assert dossier.state == State.DRAFT and dossier.round.unit.code == "NBI"
    assert dossier.nominees.exists()


def test_kim_bang_households_hold_titles_and_one_is_proposed(demo, db, client):
    """Phường Kim Bảng's households carry their Gia đình văn hóa titles; the 2026 draft
    proposes one for the provincial certificate of merit, and the engine says only the
    council's judgement remains; the household page lists its awards."""
    from django.contrib.auth import get_user_model

    from thidua.org.models import Household
    from thidua.rules import attestations
    from thidua.rules.engine import run

    households = Household.objects.filter(commune__code="NBI-KIMBANG")
    assert households.count() == 4
    binh = households.get(code="HGD-KB-001")
    held = sorted(binh.awards.values_list("award_code", "period_end__year"))
    assert held == [("GD_VAN_HOA", 2023), ("GD_VAN_HOA", 2024), ("GD_VAN_HOA", 2025), ("GK", 2025)]
    dossier = Dossier.objects.get(round__year=2026)
    nominee = dossier.nominees.get(household=binh)
    assert nominee.award_code == "BK_TINH" and nominee.subject_kind == "household"
    evaluation = run(
        2026,
        units=["NBI-KIMBANG"],
        subjects=("household",),
        subtree=False,
        award_codes=["GD_VAN_HOA", "GK", "BK_TINH"],
    )
    assert {r.subject_code for r in evaluation.results} == set(
        households.values_list("code", flat=True)
    )
    verdicts = {(r.subject_code, r.award_code): r.verdict for r in evaluation.results}
    from thidua.rules import export

    assert "Hộ ông Trần Văn Bình" in export.as_json(evaluation)
    assert "Hộ ông Trần Văn Bình" in export.as_table(evaluation)
    assert verdicts[("HGD-KB-001", "BK_TINH")] == "needs_attestation"
    assert verdicts[("HGD-KB-001", "GD_VAN_HOA")] == "needs_attestation"
    # The council attests the household's contribution: the verdict turns eligible.
    admin = get_user_model().objects.get(username="admin")
    attestations.attest(
        binh,
        2026,
        "BK_TINH",
        "contribution",
        actor=admin,
        body_name="Hội đồng Thi đua - Khen thưởng phường Kim Bảng",
        decided_on=datetime.date(2026, 11, 20),
        minutes_number="12/BB-HĐTĐKT",
    )
    day = datetime.date(2026, 12, 10)
    assert eligibility.live_verdicts(dossier, [nominee], day)[nominee.pk] == "eligible"
    client.force_login(admin)
    page = client.get(f"/to-chuc/ho-gia-dinh/{binh.pk}/").content.decode()
    assert "Hộ ông Trần Văn Bình" in page and "Gia đình văn hóa" in page and "541/QĐ-UBND" in page
    assert "12/BB-HĐTĐKT" in page  # the judgement, beside the awards

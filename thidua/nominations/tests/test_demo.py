"""The proposals demo: Kim Bảng's 2020 dossier to the province proposes the provincial
awards the history holds, and waits for the council; the 2026 round is a draft."""

import pytest

from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier
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

# ruff: noqa: F811 (the fixtures imported from nominations are used as arguments)
"""The nominations world (a province, Kim Bảng, Thanh Liêm, officers on each side) with
a dossier of Kim Bảng ready for the council and two nominees; the council's outcome is
set directly (the council's app writes it)."""

import datetime

import pytest
from django.utils import timezone

from thidua.nominations import services as nominations
from thidua.nominations.choices import CouncilOutcome, State
from thidua.nominations.models import Dossier
from thidua.nominations.tests.conftest import (  # noqa: F401 (fixtures)
    dossier,
    english,
    media,
    pages_in_english,
    round_,
    users,
    world,
)

DECIDED = datetime.date(2021, 1, 8)


def ready(dossier, nominees, outcome=CouncilOutcome.PASSED):
    Dossier.objects.filter(pk=dossier.pk).update(state=State.READY_FOR_COUNCIL)
    for n in nominees:
        n.council_outcome, n.council_outcome_at = outcome, timezone.now()
        n.save(update_fields=["council_outcome", "council_outcome_at"])
    dossier.refresh_from_db()
    return nominees


@pytest.fixture
def passed(dossier, world, users):
    """An (CSTĐ-ready person) and Kim Bảng's office, both for the Bằng khen, passed."""
    made = nominations.add_nominees(
        dossier,
        [
            nominations.NomineeSpec(award_code="BK_TINH", person=world["an"], summary="Xuất sắc"),
            nominations.NomineeSpec(award_code="BK_TINH", unit=world["office"], summary="Tốt"),
        ],
        actor=users["kb"],
    )
    return ready(dossier, made)


def header(**kw):
    return {
        "decided_on": DECIDED,
        "signer_name": "Trương Quốc Huy",
        "signer_position": "Phó Chủ tịch",
        **kw,
    }

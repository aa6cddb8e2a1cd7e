"""The decisions part of the Kim Bảng demo world, loaded after the proposals
(`thidua.interchange.demo.load.build_demo`).

Kim Bảng's 2020 dossier (ready for the council, see `thidua.nominations.demo`) ends in
the provincial decisions of January 2021 — the emulation flag, the excellent labour
collectives, the certificates of merit. The demo history already holds those awards, with
the numbers the province gave them: each decision is recorded with its own number
(`services.record_past_decision`), linking the awards already there, never duplicating
them, and each recipient gets a certificate serial to print and verify.

The council's vote is another app's step: if no council outcome was written for these
nominees (the council's demo is not loaded on this branch), they are marked passed here —
to be reconciled with the council's 2020 meeting when both are present.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from thidua.decisions import services
from thidua.nominations.choices import CouncilOutcome, State
from thidua.nominations.models import Nominee
from thidua.org.models import Unit
from thidua.records.models import Award


def load_decisions_demo() -> int:
    """Record Kim Bảng's 2020 decisions; returns how many."""
    province = Unit.objects.filter(code="HNA").first()
    if province is None:
        return 0
    nominees = list(
        Nominee.objects.filter(
            dossier__round__unit=province,
            dossier__round__year=2020,
            dossier__unit__code="KB",
            dossier__state=State.READY_FOR_COUNCIL,
        ).order_by("pk")
    )
    # The council's demo meeting (05/01/2021) passed them; the history holds the awards.
    passed = [n for n in nominees if n.council_outcome == CouncilOutcome.PASSED]
    by_decision = defaultdict(list)
    for n in passed:
        award = (
            Award.objects.filter(
                person_id=n.person_id,
                unit_id=n.unit_id,
                award_code=n.award_code,
                authority=province,
                period_end=n.period_end,
            )
            .order_by("pk")
            .first()
        )
        if award is not None:
            by_decision[(award.decision_number, award.decision_date)].append(n)
    admin = get_user_model().objects.filter(username="admin").first()
    for (number, day), group in sorted(by_decision.items(), key=lambda item: item[0][1]):
        services.record_past_decision(
            province,
            group,
            number=number,
            decided_on=day,
            signer_name="Nguyễn Xuân Đông",
            signer_position="Chủ tịch",
            actor=admin,
        )
    return len(by_decision)

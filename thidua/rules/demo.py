"""The demo's attestations: for every valid award of the demo's history, the council of the
deciding authority attested the qualitative judgements every proposal for that award needs
(its criteria checked by a council at the top level of the award's rules for the rule set
in force on the decision date, and those of the standard it builds on: "tự lực, tự cường, đoàn kết…" for Lao động tiên tiến,
"tiêu biểu xuất sắc" for Tập thể lao động xuất sắc, …), in minutes dated a few days before
the decision. Alternatives a council may open (a sudden or exceptional achievement) are not
attested: the demo's awards rest on their records.

The engine no longer counts an award's own decision as attesting its criteria (that was
circular); these minutes are what keeps the demo's awards "eligible" under their regime.
"""

import datetime

from django.db.models import F

from thidua.records.choices import AttestationOutcome, AttestingBody, AwardStatus
from thidua.records.models import Attestation, Award
from thidua.rules.definitions import COLL, IND, get_definitions

MINUTES_BEFORE_DECISION = datetime.timedelta(days=5)


def _judgements(code: str, subject: str, day: datetime.date) -> list[tuple[str, str]]:
    """(award code, criterion id) of the top-level `attest` criteria of `code` for `subject`
    under the rule set of `day`, and of the standards it builds on (`meets_award`: the
    council that found a collective "outstanding among the TTLĐTT" judged it a TTLĐTT)."""
    definitions = get_definitions()
    effective = definitions.effective(definitions.rule_set_on(day))
    found, todo, seen = [], [code], set()
    while todo:
        current = todo.pop()
        award = definitions.awards.get(current)
        if award is None or current in seen:
            continue
        seen.add(current)
        for c in award.criteria(effective.id, subject) or ():
            if c.check == "attest":
                found.append((current, c.id))
            elif c.check == "meets_award":
                todo.append(c.params["award"])
    return found


def load_rules_demo() -> int:
    """Create the attestations of the demo's awards (see the module docstring); a second
    call changes nothing. Returns the number created."""
    if Attestation.objects.exists():
        return 0
    rows = (
        Award.objects.filter(status=AwardStatus.VALID)
        .annotate(authority_name=F("authority__name"))
        .values_list(
            "pk",
            "person_id",
            "unit_id",
            "award_code",
            "period_end",
            "decision_date",
            "authority_name",
        )
        .order_by("pk")
    )
    made, seen = [], set()
    for pk, person_id, unit_id, code, period_end, decided, authority in rows.iterator():
        subject = IND if person_id else COLL
        for judged, criterion in _judgements(code, subject, decided):
            key = (person_id, unit_id, period_end.year, judged, criterion)
            if key in seen:
                continue
            seen.add(key)
            made.append(
                Attestation(
                    person_id=person_id,
                    unit_id=unit_id,
                    year=period_end.year,
                    award_code=judged,
                    criterion=criterion,
                    outcome=AttestationOutcome.ATTESTED,
                    body=AttestingBody.COUNCIL,
                    body_name=f"Hội đồng Thi đua – Khen thưởng ({authority})",
                    decided_on=decided - MINUTES_BEFORE_DECISION,
                    minutes_number=f"{pk}/BB-HĐTĐKT",
                    minutes_date=decided - MINUTES_BEFORE_DECISION,
                    minutes_text="Hội đồng nhất trí đánh giá tiêu chí đạt.",
                )
            )
    Attestation.objects.bulk_create(made, batch_size=2000)
    return len(made)

"""Verbs of award decisions. Each takes the `actor` explicitly (None: the system — the
demo, the operator), checks it through `thidua.accounts.scope`, writes in one transaction
and audits. A refused attempt writes nothing and leaves an audit entry
(`decisions.decision.refused`).

- `issue_decision`: a numbered decision conferring awards on nominees the council passed;
  the awards go into the records in the same transaction;
- `annul_decision`: a new decision annulling (some of) the awards of an earlier one, with
  the reason and the money to recover; the awards are marked annulled;
- `correct_decision`: a new decision stating what an earlier one corrects;
- `record_past_decision`: a decision issued on paper before Thidua, with its own number,
  linking the awards the history already holds.
"""

import datetime
import secrets
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import can
from thidua.audit.services import log
from thidua.awards.catalog import get_catalog
from thidua.decisions.choices import DecisionKind
from thidua.decisions.models import Decision, NumberCounter, PrinterOffset, Recipient
from thidua.nominations.choices import CouncilOutcome, RoundKind, State
from thidua.nominations.models import Nominee
from thidua.nominations.services.common import refuse
from thidua.records import services as records
from thidua.records.choices import AwardStatus, CommendationType
from thidua.records.models import Award
from thidua.rules.money import bonus

COMMENDATION_OF_ROUND = {
    RoundKind.ANNUAL: CommendationType.CONG_TRANG,
    RoundKind.THEMATIC: CommendationType.CHUYEN_DE,
    RoundKind.SUDDEN: CommendationType.DOT_XUAT,
    RoundKind.DEDICATION: CommendationType.CONG_HIEN,
    RoundKind.FOREIGN: CommendationType.DOI_NGOAI,
}
COMMITTEE_KINDS = {"province", "district", "commune"}


def may_issue(user, authority) -> bool:
    """Officers (and admins) of the authority unit or above it issue its decisions."""
    return user is None or can(user, Action.CHANGE, authority)


def number_suffix(authority) -> str:
    """`QĐ-UBND` for a People's Committee, else `QĐ-<unit code>`."""
    return "QĐ-UBND" if authority.kind in COMMITTEE_KINDS else f"QĐ-{authority.code}"


def next_sequence(authority, year: int) -> int:
    """The next number of `authority` in `year`: the counter row is created if missing and
    locked (`select_for_update`) until the issuing transaction ends, so two issues never
    read the same value and a rolled-back issue gives its number back (no gap). On SQLite
    the IMMEDIATE transaction mode already serialises writers."""
    NumberCounter.objects.get_or_create(authority=authority, year=year)
    counter = NumberCounter.objects.select_for_update().get(authority=authority, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _serial(year: int) -> str:
    return f"{year}-{secrets.token_hex(5).upper()}"


def _subject(nominee: Nominee) -> str:
    return nominee.subject_kind


def _name(nominee: Nominee) -> str:
    return str(nominee.recipient)


def _check_nominees(authority, nominees: list[Nominee]) -> None:
    if not nominees:
        raise ValidationError({"nominees": _("Choose at least one nominee.")})
    already = set(
        Recipient.objects.filter(
            nominee__in=nominees, decision__kind=DecisionKind.CONFER
        ).values_list("nominee_id", flat=True)
    )
    errors = []
    for n in nominees:
        name = _name(n)
        if n.council_outcome != CouncilOutcome.PASSED:
            errors.append(
                _("%(name)s: the council has not passed this nominee; it cannot be decided.")
                % {"name": name}
            )
        elif n.dossier.state != State.READY_FOR_COUNCIL:
            errors.append(_("%(name)s: the dossier is not ready for the council.") % {"name": name})
        elif n.dossier.round.unit_id != authority.pk:
            errors.append(
                _("%(name)s: the dossier is addressed to %(unit)s, not to this authority.")
                % {"name": name, "unit": n.dossier.round.unit.name}
            )
        elif n.pk in already:
            errors.append(_("%(name)s has already been decided.") % {"name": name})
    if errors:
        raise ValidationError({"nominees": errors})


def _check_header(decided_on, signer_name, signer_position) -> None:
    errors = {}
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = _("Give the decision date (dd/mm/yyyy).")
    if not (signer_name or "").strip():
        errors["signer_name"] = _("Give the name of the signer.")
    if not (signer_position or "").strip():
        errors["signer_position"] = _("Give the position of the signer.")
    if errors:
        raise ValidationError(errors)


def _new_decision(authority, kind, decided_on, actor, *, number=None, **fields) -> Decision:
    year = decided_on.year
    if number is None:
        sequence = next_sequence(authority, year)
        number = f"{sequence}/{number_suffix(authority)}"
    else:
        sequence = int(number.split("/", 1)[0])
        counter, _created = NumberCounter.objects.get_or_create(authority=authority, year=year)
        if sequence > counter.last:
            NumberCounter.objects.filter(pk=counter.pk).update(last=sequence)
    decision = Decision(
        authority=authority,
        year=year,
        sequence=sequence,
        number=number,
        kind=kind,
        decided_on=decided_on,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    decision.full_clean()
    decision.save()
    return decision


def _refused(exc, target, actor, attempt):
    refuse(exc, target, actor=actor, action="decisions.decision.refused", attempt=attempt)


def issue_decision(
    authority,
    nominees,
    *,
    decided_on: datetime.date,
    signer_name: str,
    signer_position: str,
    title: str = "",
    fund: str = "",
    actor,
) -> Decision:
    """Issue the next numbered decision of `authority` conferring each nominee's award.

    Refused (nothing written, the attempt audited) unless the actor is an officer of the
    authority, and every nominee was passed by the council, its dossier is ready for the
    council and addressed to the authority, and it was not decided already. The awards are
    written into the records (with the initiatives the nominee relied on), each recipient's
    bonus computed from the coefficient and the base salary on the decision date."""
    nominees = list(
        Nominee.objects.filter(pk__in=[getattr(n, "pk", n) for n in nominees])
        .select_related("dossier__round__unit", "person", "unit", "household")
        .prefetch_related("initiatives")
        .order_by("award_code", "subject_kind", "person__sort_key", "unit__sort_key", "pk")
    )
    attempt = {"nominees": [n.pk for n in nominees], "decided_on": str(decided_on)}
    try:
        if not may_issue(actor, authority):
            raise PermissionDenied(
                _("Only an emulation officer of %(unit)s may issue its decisions.")
                % {"unit": authority.name}
            )
        _check_header(decided_on, signer_name, signer_position)
        _check_nominees(authority, nominees)
        with transaction.atomic():
            decision = _confer(
                authority,
                nominees,
                decided_on=decided_on,
                signer_name=signer_name,
                signer_position=signer_position,
                title=title,
                fund=fund,
                actor=actor,
            )
    except (ValidationError, PermissionDenied) as exc:
        _refused(exc, authority, actor, attempt)
    return decision


def _confer(authority, nominees, *, actor, number=None, existing=None, **fields) -> Decision:
    decided_on = fields["decided_on"]
    fields["title"] = fields.get("title") or _("Conferring emulation titles and commendations")
    fields["fund"] = fields.get("fund") or _("Emulation and commendation fund of %(unit)s") % {
        "unit": authority.name
    }
    decision = _new_decision(
        authority, DecisionKind.CONFER, fields.pop("decided_on"), actor, number=number, **fields
    )
    awards = existing or _record_awards(decision, nominees, actor)
    catalog = get_catalog()
    rows = []
    for position, nominee in enumerate(nominees, start=1):
        money = (
            bonus(nominee.award_code, _subject(nominee), decided_on)
            if (nominee.award_code in catalog)
            else None
        )
        rows.append(
            Recipient(
                decision=decision,
                position=position,
                nominee=nominee,
                award=awards[nominee.pk],
                name=_name(nominee),
                subject_kind=nominee.subject_kind,
                award_code=nominee.award_code,
                amount=money.amount if money else None,
                coefficient=Decimal(str(money.coefficient)) if money else None,
                base_salary=money.base_salary if money else None,
                serial=_serial(decision.year),
            )
        )
    Recipient.objects.bulk_create(rows)
    log(
        "decisions.decision.issue",
        decision,
        actor=actor,
        after={
            "number": decision.number,
            "decided_on": str(decided_on),
            "recipients": [[r.nominee_id, r.award_code, r.amount] for r in rows],
        },
    )
    return decision


def _record_awards(decision, nominees, actor) -> dict[int, Award]:
    """One `records.record_award_decision` per award, period and kind of recipient; then
    the initiatives each nominee relied on. Returns nominee id → award."""
    groups = defaultdict(list)
    for n in nominees:
        commendation = COMMENDATION_OF_ROUND.get(n.dossier.round.kind, CommendationType.CONG_TRANG)
        groups[(n.award_code, n.period_start, n.period_end, commendation)].append(n)
    awards = {}
    for (code, start, end, commendation), group in groups.items():
        people = [n for n in group if n.person_id]
        units = [n for n in group if n.unit_id]
        homes = [n for n in group if n.household_id]
        made = records.record_award_decision(
            people=[n.person for n in people],
            units=[n.unit for n in units],
            households=[n.household for n in homes],
            actor=actor,
            award_code=code,
            commendation_type=commendation,
            period_start=start,
            period_end=end,
            decision_number=decision.number,
            decision_date=decision.decided_on,
            authority=decision.authority,
            signer=decision.signer_name,
        )
        for nominee, award in zip(people + units + homes, made, strict=True):
            money = (
                bonus(code, nominee.subject_kind, decision.decided_on)
                if (code in get_catalog())
                else None
            )
            if money:
                Award.objects.filter(pk=award.pk).update(amount=money.amount)
            awards[nominee.pk] = award
    for n in nominees:
        initiatives = list(n.initiatives.all())
        if initiatives:
            records.link_initiatives(awards[n.pk], initiatives, actor=actor)
    return awards


def record_past_decision(
    authority, nominees, *, number: str, decided_on, signer_name, signer_position, actor
) -> Decision:
    """A decision issued before Thidua, with the number it bore, conferring the awards of
    `nominees` that the records already hold (same recipient, award, authority, decision
    number): they are linked, never duplicated. The counter of the authority's year moves
    past that number. The demo uses it for Kim Bảng's 2020 round."""
    if not may_issue(actor, authority):
        raise PermissionDenied(
            _("Only an emulation officer of %(unit)s may issue its decisions.")
            % {"unit": authority.name}
        )
    nominees = list(
        Nominee.objects.filter(pk__in=[n.pk for n in nominees]).select_related(
            "dossier__round__unit", "person", "unit", "household"
        )
    )
    existing = {}
    for n in nominees:
        award = Award.objects.get(
            person=n.person,
            unit=n.unit,
            household=n.household,
            award_code=n.award_code,
            authority=authority,
            decision_number=number,
        )
        existing[n.pk] = award
    with transaction.atomic():
        _check_nominees(authority, nominees)
        return _confer(
            authority,
            nominees,
            actor=actor,
            number=number,
            existing=existing,
            decided_on=decided_on,
            signer_name=signer_name,
            signer_position=signer_position,
            recorded=True,
        )


def _check_change(decision, actor, reason, signer_name, signer_position, decided_on):
    if not may_issue(actor, decision.authority):
        raise PermissionDenied(
            _("Only an emulation officer of %(unit)s may issue its decisions.")
            % {"unit": decision.authority.name}
        )
    if decision.kind != DecisionKind.CONFER:
        raise ValidationError(_("Only a decision conferring awards can be corrected or annulled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    _check_header(decided_on, signer_name, signer_position)
    if decided_on < decision.decided_on:
        raise ValidationError(
            {"decided_on": _("The new decision cannot be dated before the decision it changes.")}
        )


def _follow_up(decision, kind, title, decided_on, actor, **fields) -> Decision:
    """A new numbered decision of the same authority referring to `decision`."""
    return _new_decision(
        decision.authority,
        kind,
        decided_on,
        actor,
        title=title,
        fund=decision.fund,
        refers_to=decision,
        **fields,
    )


def annul_decision(
    decision: Decision,
    *,
    reason: str,
    decided_on,
    signer_name: str,
    signer_position: str,
    recipients=None,
    actor,
) -> Decision:
    """Issue a new, numbered decision annulling the awards of `recipients` (default: all
    still valid) of `decision` (Law 06/2022 Điều 93): each award is marked annulled with
    the reason — the eligibility engine stops counting it — and the bonus paid is the
    money to recover."""
    attempt = {"decision": decision.number, "reason": reason, "decided_on": str(decided_on)}
    try:
        _check_change(decision, actor, reason, signer_name, signer_position, decided_on)
        chosen = decision.recipients.select_related("award", "award__person", "award__unit")
        if recipients is not None:
            chosen = chosen.filter(pk__in=[getattr(r, "pk", r) for r in recipients])
        chosen = [r for r in chosen if r.award.status == AwardStatus.VALID]
        if not chosen:
            raise ValidationError(
                {"recipients": _("Choose at least one award of this decision still valid.")}
            )
        with transaction.atomic():
            annulment = _follow_up(
                decision,
                DecisionKind.ANNUL,
                _("Annulling decision %(number)s") % {"number": decision.number},
                decided_on,
                actor,
                signer_name=signer_name,
                signer_position=signer_position,
                reason=reason.strip(),
            )
            rows = []
            for position, r in enumerate(chosen, start=1):
                records.annul_award(
                    r.award,
                    _("Decision %(number)s: %(reason)s")
                    % {"number": annulment.number, "reason": reason.strip()},
                    actor=actor,
                )
                rows.append(
                    Recipient(
                        decision=annulment,
                        position=position,
                        award=r.award,
                        name=r.name,
                        subject_kind=r.subject_kind,
                        award_code=r.award_code,
                        to_recover=r.amount,
                    )
                )
            Recipient.objects.bulk_create(rows)
            log(
                "decisions.decision.annul",
                annulment,
                actor=actor,
                after={
                    "annuls": decision.number,
                    "reason": reason.strip(),
                    "awards": [r.award_id for r in rows],
                    "to_recover": sum(r.to_recover or 0 for r in rows),
                },
            )
    except (ValidationError, PermissionDenied) as exc:
        _refused(exc, decision, actor, attempt)
    return annulment


def correct_decision(
    decision: Decision,
    *,
    reason: str,
    correction: str,
    decided_on,
    signer_name: str,
    signer_position: str,
    actor,
) -> Decision:
    """Issue a new, numbered decision correcting `decision` (what it corrects, and why);
    the decision corrected stays as issued."""
    attempt = {"decision": decision.number, "reason": reason, "correction": correction}
    try:
        _check_change(decision, actor, reason, signer_name, signer_position, decided_on)
        if not (correction or "").strip():
            raise ValidationError({"correction": _("Say what is corrected.")})
        with transaction.atomic():
            corrected = _follow_up(
                decision,
                DecisionKind.CORRECT,
                _("Correcting decision %(number)s") % {"number": decision.number},
                decided_on,
                actor,
                signer_name=signer_name,
                signer_position=signer_position,
                reason=reason.strip(),
                correction=correction.strip(),
            )
            log(
                "decisions.decision.correct",
                corrected,
                actor=actor,
                after={"corrects": decision.number, "correction": correction.strip()},
            )
    except (ValidationError, PermissionDenied) as exc:
        _refused(exc, decision, actor, attempt)
    return corrected


def totals(decisions) -> dict:
    """The bonus total per decision and per fund (recipients of conferring decisions)."""
    rows = (
        Recipient.objects.filter(decision__in=decisions, decision__kind=DecisionKind.CONFER)
        .values("decision_id", "decision__fund")
        .annotate(total=Sum("amount"))
    )
    per_decision, per_fund = {}, defaultdict(int)
    for row in rows:
        per_decision[row["decision_id"]] = row["total"] or 0
        per_fund[row["decision__fund"]] += row["total"] or 0
    return {"decision": per_decision, "fund": dict(per_fund)}


@transaction.atomic
def save_printer_offset(unit, name: str, dx_mm, dy_mm, *, actor) -> PrinterOffset:
    """Remember how far a printer of `unit` shifts the text on pre-printed blanks."""
    if not may_issue(actor, unit):
        raise PermissionDenied(
            _("Only an emulation officer of %(unit)s may issue its decisions.")
            % {"unit": unit.name}
        )
    offset, _created = PrinterOffset.objects.update_or_create(
        unit=unit, name=name.strip(), defaults={"dx_mm": dx_mm, "dy_mm": dy_mm}
    )
    log(
        "decisions.printer.save",
        offset,
        actor=actor,
        after={"name": offset.name, "dx_mm": str(dx_mm), "dy_mm": str(dy_mm)},
    )
    return offset

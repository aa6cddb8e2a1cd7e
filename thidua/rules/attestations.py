"""Attesting qualitative criteria: the verbs that record the judgement of the competent
council or leader ("tự lực, tự cường, đoàn kết…", "tiêu biểu xuất sắc") for a subject,
award, criterion and year, resting on minutes (docs/eligibility.md, "Attestations").

The record is `records.Attestation`; the engine reads it as a fact (`primitives.attest`).
Each verb takes the `actor` explicitly, checks the scope (`Action.ATTEST`: officers,
leaders and council members on a unit above the subject), validates everything before
writing, writes in one transaction and audits the change with its before/after values.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, require_person
from thidua.audit.services import log, snapshot
from thidua.records.choices import AttestationOutcome, AttestingBody
from thidua.records.models import Attestation
from thidua.rules.definitions import COLL, HH, IND, get_definitions


def attest_criteria(code: str, subject_kind: str) -> dict[str, dict]:
    """Criterion id → {"text_vi", "text_en"} of the qualitative criteria (`attest` checks)
    of award `code` for a subject kind, under any rule set (composites searched)."""
    award = get_definitions().awards.get(code)
    found: dict[str, dict] = {}
    if award is None:
        return found
    for (_rule_set, subject), criteria in award.rules.items():
        if subject != subject_kind:
            continue
        stack = list(criteria)
        while stack:
            c = stack.pop()
            stack.extend(c.options)
            if c.check == "attest":
                found.setdefault(
                    c.id, {"text_vi": c.params["text_vi"], "text_en": c.params["text_en"]}
                )
    return found


def attest(subject, year, award_code, criterion, *, actor, **minutes) -> Attestation:
    """Record that the criterion was attested. `minutes`: body (council/leader), body_name,
    decided_on, minutes_number, minutes_date, minutes_text."""
    return _judge(subject, year, award_code, criterion, AttestationOutcome.ATTESTED, actor, minutes)


def refuse_attestation(subject, year, award_code, criterion, *, actor, **minutes) -> Attestation:
    """Record that the criterion was refused (same arguments as `attest`)."""
    return _judge(subject, year, award_code, criterion, AttestationOutcome.REFUSED, actor, minutes)


@transaction.atomic
def _judge(subject, year, award_code, criterion, outcome, actor, minutes) -> Attestation:
    from thidua.org.models import Household, Person

    is_person = isinstance(subject, Person)
    if is_person:
        kind, field = IND, "person"
        require_person(actor, Action.ATTEST, subject)
    elif isinstance(subject, Household):
        # A household is judged by the competent body of its commune or above.
        kind, field = HH, "household"
        require(actor, Action.ATTEST, subject.commune)
    else:
        kind, field = COLL, "unit"
        require(actor, Action.ATTEST, subject)
    fields = _clean(kind, year, award_code, criterion, minutes)
    lookup = {field: subject, "year": fields.pop("year")}
    lookup.update(award_code=award_code, criterion=criterion)
    found = Attestation.objects.select_for_update().filter(**lookup).first()
    before = snapshot(found) if found else None
    attestation = found or Attestation(**lookup)
    for name, value in fields.items():
        setattr(attestation, name, value)
    attestation.outcome = outcome
    attestation.recorded_by = actor if getattr(actor, "pk", None) else None
    attestation.full_clean()
    attestation.save()
    verb = "attest" if outcome == AttestationOutcome.ATTESTED else "refuse"
    log(
        f"records.attestation.{verb}",
        attestation,
        actor=actor,
        before=before,
        after=snapshot(attestation),
    )
    return attestation


def _clean(kind, year, award_code, criterion, minutes) -> dict:
    """The validated fields, or a ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    try:
        year = int(year)
        if not 1945 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("“%(year)s” is not a year.") % {"year": year}
    award = get_definitions().awards.get(award_code)
    if award is None:
        errors["award_code"] = _("“%(code)s” is not a title or form of the catalog.") % {
            "code": award_code
        }
    elif criterion not in attest_criteria(award_code, kind):
        errors["criterion"] = _(
            "%(award)s has no criterion “%(criterion)s” judged by a council for this subject."
        ) % {"award": award.entry.name, "criterion": criterion}
    body = minutes.get("body") or AttestingBody.COUNCIL
    if body not in AttestingBody.values:
        errors["body"] = _("Choose a council or a leader.")
    body_name = (minutes.get("body_name") or "").strip()
    if not body_name:
        errors["body_name"] = _("Name the council or the leader who judged.")
    number = (minutes.get("minutes_number") or "").strip()
    if not number:
        errors["minutes_number"] = _("Give the number of the minutes the judgement rests on.")
    decided_on = _day(minutes.get("decided_on"), "decided_on", errors)
    minutes_date = _day(minutes.get("minutes_date") or decided_on, "minutes_date", errors)
    today = timezone.localdate()
    if decided_on and decided_on > today:
        errors["decided_on"] = _("The judgement cannot be dated in the future.")
    if decided_on and isinstance(year, int) and decided_on.year < year:
        errors["decided_on"] = _(
            "A judgement on the achievements of %(year)s cannot be dated before %(year)s."
        ) % {"year": year}
    if minutes_date and decided_on and minutes_date > decided_on:
        errors["minutes_date"] = _("The minutes cannot be dated after the judgement.")
    if errors:
        raise ValidationError(errors)
    return {
        "year": year,
        "body": body,
        "body_name": body_name,
        "decided_on": decided_on,
        "minutes_number": number,
        "minutes_date": minutes_date,
        "minutes_text": (minutes.get("minutes_text") or "").strip(),
    }


def _day(value, field: str, errors: dict):
    if value is None or value == "":
        errors.setdefault(field, _("Give a date (dd/mm/yyyy)."))
        return None
    if isinstance(value, datetime.date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    errors[field] = _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value}
    return None

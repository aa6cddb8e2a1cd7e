"""Verbs that write yearly facts. Each checks the actor's scope, validates, writes in one
transaction and leaves an audit entry with the before/after values."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, require_person
from thidua.audit.services import log, snapshot
from thidua.records.choices import AwardStatus, band_for_score
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.rules.catalog import get_catalog


def check_score_band(level: str, score) -> None:
    """A 100-point score, where given, must fall in the band of the level."""
    if score is not None and band_for_score(score) != level:
        raise ValidationError(
            {
                "score": _("Score %(score)s is in band %(band)s, not %(level)s.")
                % {"score": score, "band": band_for_score(score), "level": level}
            }
        )


def _save_audited(instance, action: str, actor, before=None):
    instance.full_clean()
    instance.save()
    log(action, instance, actor=actor, before=before, after=snapshot(instance))
    return instance


@transaction.atomic
def rate_person(person, year: int, level: str, *, score=None, regime="", actor=None):
    """Record (or change) a person's rating for a year."""
    require_person(actor, Action.CHANGE, person)
    check_score_band(level, score)
    rating = PersonRating.objects.select_for_update().filter(person=person, year=year).first()
    before = snapshot(rating) if rating else None
    if rating is None:
        rating = PersonRating(person=person, year=year)
    rating.level, rating.score, rating.regime = level, score, regime
    action = "records.person_rating." + ("update" if before else "create")
    return _save_audited(rating, action, actor, before)


@transaction.atomic
def rate_unit(unit, year: int, level: str, *, score=None, regime="", actor=None):
    """Record (or change) a unit's rating for a year."""
    require(actor, Action.CHANGE, unit)
    check_score_band(level, score)
    rating = UnitRating.objects.select_for_update().filter(unit=unit, year=year).first()
    before = snapshot(rating) if rating else None
    if rating is None:
        rating = UnitRating(unit=unit, year=year)
    rating.level, rating.score, rating.regime = level, score, regime
    action = "records.unit_rating." + ("update" if before else "create")
    return _save_audited(rating, action, actor, before)


@transaction.atomic
def record_discipline(person, *, actor=None, **fields) -> Discipline:
    require_person(actor, Action.CHANGE, person)
    return _save_audited(Discipline(person=person, **fields), "records.discipline.create", actor)


@transaction.atomic
def open_review(*, person=None, unit=None, actor=None, **fields) -> PendingReview:
    if person is not None:
        require_person(actor, Action.CHANGE, person)
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    review = PendingReview(person=person, unit=unit, **fields)
    return _save_audited(review, "records.pending_review.open", actor)


@transaction.atomic
def close_review(review: PendingReview, ended_on, *, actor=None) -> PendingReview:
    if review.person_id:
        require_person(actor, Action.CHANGE, review.person)
    else:
        require(actor, Action.CHANGE, review.unit)
    before = snapshot(review)
    review.ended_on = ended_on
    return _save_audited(review, "records.pending_review.close", actor, before)


@transaction.atomic
def record_initiative(*, authors, actor=None, **fields) -> Initiative:
    for person in authors:
        require_person(actor, Action.CHANGE, person)
    initiative = _save_audited(Initiative(**fields), "records.initiative.create", actor)
    initiative.authors.set(authors)
    return initiative


def check_award_code(code: str, *, person=None, unit=None) -> None:
    entry = get_catalog().get(code)
    if entry is None:
        raise ValidationError({"award_code": _("Unknown award code %(code)s.") % {"code": code}})
    if person is not None and not entry.for_individuals:
        raise ValidationError(
            {"award_code": _("%(code)s is not conferred on individuals.") % {"code": code}}
        )
    if unit is not None and not entry.for_collectives:
        raise ValidationError(
            {"award_code": _("%(code)s is not conferred on collectives.") % {"code": code}}
        )


@transaction.atomic
def record_award(*, person=None, unit=None, actor=None, **fields) -> Award:
    """Record an award received (a decision already taken, by us or by a higher level)."""
    if person is not None:
        require_person(actor, Action.CHANGE, person)
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    check_award_code(fields.get("award_code", ""), person=person, unit=unit)
    return _save_audited(Award(person=person, unit=unit, **fields), "records.award.create", actor)


@transaction.atomic
def annul_award(award: Award, reason: str, *, actor=None) -> Award:
    """Annul an award (Law 06/2022 Điều 93); the row stays, with its reason."""
    require(actor, Action.CHANGE, award.unit) if award.unit_id else require_person(
        actor, Action.CHANGE, award.person
    )
    if award.status == AwardStatus.ANNULLED:
        raise ValidationError(_("This award is already annulled."))
    if not reason.strip():
        raise ValidationError({"annulled_reason": _("A reason is required.")})
    before = snapshot(award)
    award.status, award.annulled_reason = AwardStatus.ANNULLED, reason
    return _save_audited(award, "records.award.annul", actor, before)


@transaction.atomic
def record_absence(person, *, actor=None, **fields) -> Absence:
    require_person(actor, Action.CHANGE, person)
    return _save_audited(Absence(person=person, **fields), "records.absence.create", actor)

"""Verbs that write yearly facts. Each checks the actor's scope, validates, writes in one
transaction and leaves an audit entry with the before/after values. A refused change
(`PermissionDenied`, `ValidationError`) writes nothing, audit included."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, require_person, unit_ids_for
from thidua.audit.services import log, snapshot
from thidua.awards.catalog import get_catalog
from thidua.org.models import Employment, Person, UnitVersion
from thidua.records.choices import AwardStatus, RatingLevel, band_for_score
from thidua.records.models import (
    Absence,
    Award,
    AwardInitiative,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)


def clean_score(score) -> Decimal | None:
    """A score as a Decimal (from a number or a text such as "92,5"), or None if empty."""
    if score is None or score == "":
        return None
    try:
        value = Decimal(str(score).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            {"score": _("“%(score)s” is not a number.") % {"score": score}}
        ) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationError({"score": _("A score lies between 0 and 100.")})
    return value


def check_score_band(level: str, score) -> None:
    """A 100-point score, where given, must fall in the band of the level (HTXS ≥ 90,
    HTT 70–<90, HT 50–<70, KHT < 50: Decree 335/2025, 233/2026)."""
    score = clean_score(score)
    if score is not None and band_for_score(score) != level:
        raise ValidationError(
            {
                "score": _("Score %(score)s is in band %(band)s, not %(level)s.")
                % {"score": score, "band": band_for_score(score), "level": level}
            }
        )


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    try:
        return datetime.date(int(year), 1, 1), datetime.date(int(year) + 1, 1, 1)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("“%(year)s” is not a year.") % {"year": year}}) from None


def _save_audited(instance, action: str, actor, before=None):
    instance.full_clean()
    instance.save()
    log(action, instance, actor=actor, before=before, after=snapshot(instance))
    return instance


def _rate(rating, model_name: str, level, score, regime, actor):
    """Create or update `rating` (unsaved when new); an update that changes nothing is not
    written or audited again."""
    score = clean_score(score)
    before = snapshot(rating) if rating.pk else None
    if before and (rating.level, rating.score, rating.regime) == (level, score, regime):
        return rating
    rating.level, rating.score, rating.regime = level, score, regime
    action = f"records.{model_name}." + ("update" if before else "create")
    return _save_audited(rating, action, actor, before)


@transaction.atomic
def rate_person(person, year: int, level: str, *, score=None, regime="", actor):
    """Record (or change) a person's rating for a year. The person must have worked in
    some unit during that year; a score must fall in the level's band."""
    require_person(actor, Action.CHANGE, person)
    check_score_band(level, score)
    start, end = _year_bounds(year)
    if not Employment.objects.filter(person=person).overlapping(start, end).exists():
        raise ValidationError(
            {
                "year": _("%(person)s has no employment in %(year)s.")
                % {"person": person, "year": year}
            }
        )
    rating = PersonRating.objects.select_for_update().filter(person=person, year=year).first()
    rating = rating or PersonRating(person=person, year=year)
    return _rate(rating, "person_rating", level, score, regime, actor)


def _check_unit_existed(unit, year: int) -> None:
    start, end = _year_bounds(year)
    existed = UnitVersion.objects.filter(unit=unit, valid_from__lt=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    if not existed.exists():
        raise ValidationError(
            {
                "year": _("Unit %(code)s did not exist in %(year)s.")
                % {"code": unit.code, "year": year}
            }
        )


@transaction.atomic
def rate_unit(unit, year: int, level: str, *, score=None, regime="", actor):
    """Record (or change) a unit's rating for a year. The unit must have existed during
    that year; a score must fall in the level's band."""
    require(actor, Action.CHANGE, unit)
    check_score_band(level, score)
    _check_unit_existed(unit, year)
    rating = UnitRating.objects.select_for_update().filter(unit=unit, year=year).first()
    rating = rating or UnitRating(unit=unit, year=year)
    return _rate(rating, "unit_rating", level, score, regime, actor)


@transaction.atomic
def record_discipline(person, *, actor, **fields) -> Discipline:
    require_person(actor, Action.CHANGE, person)
    return _save_audited(Discipline(person=person, **fields), "records.discipline.create", actor)


@transaction.atomic
def open_review(*, person=None, unit=None, actor, **fields) -> PendingReview:
    if person is not None:
        require_person(actor, Action.CHANGE, person)
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    review = PendingReview(person=person, unit=unit, **fields)
    return _save_audited(review, "records.pending_review.open", actor)


@transaction.atomic
def close_review(review: PendingReview, ended_on, *, actor) -> PendingReview:
    if review.person_id:
        require_person(actor, Action.CHANGE, review.person)
    else:
        require(actor, Action.CHANGE, review.unit)
    before = snapshot(review)
    review.ended_on = ended_on
    return _save_audited(review, "records.pending_review.close", actor, before)


@transaction.atomic
def record_initiative(*, authors, actor, **fields) -> Initiative:
    for person in authors:
        require_person(actor, Action.CHANGE, person)
    initiative = _save_audited(Initiative(**fields), "records.initiative.create", actor)
    initiative.authors.set(authors)
    return initiative


def check_award_code(code: str, *, person=None, unit=None, household=None) -> None:
    """The code is in the catalog and the title or form is conferred on this kind of
    recipient (individual, collective or household)."""
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
    if household is not None and not entry.for_households:
        raise ValidationError(
            {"award_code": _("%(code)s is not conferred on households.") % {"code": code}}
        )


@transaction.atomic
def record_award(*, person=None, unit=None, household=None, actor, **fields) -> Award:
    """Record an award received (a decision already taken, by us or by a higher level), by
    a person, a unit or a household (whose commune is the scope checked)."""
    if person is not None:
        require_person(actor, Action.CHANGE, person)
    if unit is not None:
        require(actor, Action.CHANGE, unit)
    if household is not None:
        require(actor, Action.CHANGE, household.commune)
    code = fields.get("award_code", "")
    check_award_code(code, person=person, unit=unit, household=household)
    award = Award(person=person, unit=unit, household=household, **fields)
    return _save_audited(award, "records.award.create", actor)


@transaction.atomic
def link_initiatives(award: Award, initiatives, *, actor) -> Award:
    """Record which initiatives or research works `award` relied on (one initiative, one
    award: Official letter 5007/BNV-TĐKT, docs/legal/titles.md). Refused, naming the
    initiative and the award already using it: an initiative used by a commendation form
    for any other award, or by an award of the other category (title ↔ form). Successive
    titles may share one (the eligibility engine applies the deployment's reading). For a
    person's award, the person must be an author. Replaces the award's links; audited."""
    if award.unit_id:
        require(actor, Action.CHANGE, award.unit)
    else:
        require_person(actor, Action.CHANGE, award.person)
    initiatives = list(initiatives)
    catalog = get_catalog()
    category = catalog[award.award_code].kind if award.award_code in catalog else "title"
    errors = []
    if award.person_id:
        authored = set(
            InitiativeAuthor.objects.filter(
                person_id=award.person_id, initiative__in=initiatives
            ).values_list("initiative_id", flat=True)
        )
        errors += [
            _("%(person)s is not an author of %(initiative)s.")
            % {"person": award.person, "initiative": i.code}
            for i in initiatives
            if i.pk not in authored
        ]
    others = (
        AwardInitiative.objects.filter(initiative__in=initiatives, award__status=AwardStatus.VALID)
        .exclude(award=award)
        .select_related("award", "initiative")
    )
    if award.person_id:
        others = others.filter(award__person_id=award.person_id)
    else:
        others = others.filter(award__unit_id=award.unit_id)
    for link in others:
        other = link.award
        other_kind = catalog[other.award_code].kind if other.award_code in catalog else "title"
        if category == "form" or other_kind != category:
            errors.append(
                _("%(initiative)s is already relied on by %(award)s (decision %(decision)s).")
                % {
                    "initiative": link.initiative.code,
                    "award": catalog[other.award_code].name
                    if other.award_code in catalog
                    else other.award_code,
                    "decision": other.decision_number,
                }
            )
    if errors:
        raise ValidationError({"initiatives": errors})
    before = {"initiatives": sorted(award.initiatives.values_list("code", flat=True))}
    award.initiatives.set(initiatives)
    log(
        "records.award.initiatives",
        award,
        actor=actor,
        before=before,
        after={"initiatives": sorted(i.code for i in initiatives)},
    )
    return award


@transaction.atomic
def annul_award(award: Award, reason: str, *, actor) -> Award:
    """Annul an award (Law 06/2022 Điều 93); the row stays, with its reason."""
    if award.unit_id:
        require(actor, Action.CHANGE, award.unit)
    else:
        require_person(actor, Action.CHANGE, award.person)
    if award.status == AwardStatus.ANNULLED:
        raise ValidationError(_("This award is already annulled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"annulled_reason": _("A reason is required.")})
    before = snapshot(award)
    award.status, award.annulled_reason = AwardStatus.ANNULLED, reason
    return _save_audited(award, "records.award.annul", actor, before)


@transaction.atomic
def record_absence(person, *, actor, **fields) -> Absence:
    require_person(actor, Action.CHANGE, person)
    return _save_audited(Absence(person=person, **fields), "records.absence.create", actor)


@transaction.atomic
def rate_everyone(unit, year: int, level: str = RatingLevel.HTT, *, actor) -> int:
    """Give `level` to everyone employed in `unit` during `year` who has no rating that
    year yet, and to the unit itself if it has none: the "everyone HTT, then adjust" start
    of a year's rating. Ratings already made are kept. Set-based (one insert for all) and
    audited by one entry on the unit naming who was rated. Returns how many were rated."""
    require(actor, Action.CHANGE, unit)
    if level not in RatingLevel.values:
        raise ValidationError({"level": _("Choose a rating level.")})
    _check_unit_existed(unit, year)
    start, end = _year_bounds(year)
    members = Employment.objects.filter(unit=unit).overlapping(start, end)
    unrated = list(
        Person.objects.filter(pk__in=members.values("person_id"))
        .exclude(ratings__year=year)
        .values_list("pk", "code")
        .order_by("sort_key", "pk")
    )
    PersonRating.objects.bulk_create(
        [PersonRating(person_id=pk, year=year, level=level) for pk, _code in unrated]
    )
    unit_rated = not UnitRating.objects.filter(unit=unit, year=year).exists()
    if unit_rated:
        UnitRating.objects.create(unit=unit, year=year, level=level)
    log(
        "records.person_rating.rate_everyone",
        unit,
        actor=actor,
        after={
            "year": year,
            "level": level,
            "people": [code for _pk, code in unrated],
            "unit": unit_rated,
        },
    )
    return len(unrated) + unit_rated


def _check_decision(fields: dict) -> None:
    """The decision's own fields, checked once for all its recipients."""
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        raise ValidationError(
            {"period_end": _("The end of the achievement period is before its start.")}
        )
    decided = fields.get("decision_date")
    if decided and start and decided < start:
        raise ValidationError(
            {"decision_date": _("The decision is dated before the achievement period.")}
        )


@transaction.atomic
def record_award_decision(*, people=(), units=(), households=(), actor, **fields) -> list[Award]:
    """Record one decision (number, date, authority, signer, award, commendation type,
    achievement period) conferring an award on each of `people`, `units` and `households`, all or
    nothing. Every recipient must be in the actor's scope and may receive the award; a
    recipient that already has this award under this decision number is refused."""
    people, units = list(people), list(units)
    households = list(households)
    if not people and not units and not households:
        raise ValidationError({"recipients": _("Choose at least one recipient.")})
    for unit in units:
        require(actor, Action.CHANGE, unit)
    for commune in {h.commune for h in households}:
        require(actor, Action.CHANGE, commune)
    _require_people(actor, people)
    code = fields.get("award_code", "")
    for person in people[:1]:
        check_award_code(code, person=person)
    for unit in units[:1]:
        check_award_code(code, unit=unit)
    for household in households[:1]:
        check_award_code(code, household=household)
    _check_decision(fields)
    existing = Award.objects.filter(
        award_code=code, decision_number=fields.get("decision_number", "")
    ).filter(Q(person__in=people) | Q(unit__in=units) | Q(household__in=households))
    clash = existing.select_related("person", "unit", "household").first()
    if clash is not None:
        raise ValidationError(
            {
                "recipients": _("%(name)s already has this award under decision %(number)s.")
                % {"name": clash.recipient, "number": clash.decision_number}
            }
        )
    awards = [Award(person=p, **fields) for p in people] + [Award(unit=u, **fields) for u in units]
    awards += [Award(household=h, **fields) for h in households]
    # The fields are the same for every recipient: validating one validates them all.
    awards[0].full_clean()
    Award.objects.bulk_create(awards)
    for award in awards:
        log("records.award.create", award, actor=actor, after=snapshot(award))
    return awards


def _require_people(actor, people) -> None:
    """Like `require_person` for each of `people`, in one query."""
    if not people:
        return
    ids = unit_ids_for(actor, Action.CHANGE)
    if ids is None:
        return
    allowed = set(
        Employment.objects.filter(person__in=people, unit_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    for person in people:
        if person.pk not in allowed:
            require_person(actor, Action.CHANGE, person)  # raises, with the message


def award_choices() -> list[tuple[str, str]]:
    """(code, name) of every award of the catalog, for pickers."""
    return sorted(((code, e.name) for code, e in get_catalog().items()), key=lambda c: c[1])

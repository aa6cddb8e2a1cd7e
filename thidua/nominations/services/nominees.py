"""Putting nominees into a dossier, and taking them out.

`add_nominees` is the one writing path (a single click, the register picker, an XLSX
import, the demo): it checks every nominee first — the recipient lies in the proposing
unit's subtree, the award exists for that kind of recipient, the round's level may
propose it, the initiatives are the recipient's — and writes all of them or none.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require, subtree_ids
from thidua.audit.services import log
from thidua.nominations.choices import LEVEL_TIERS, Source, State, SubjectKind
from thidua.nominations.models import Dossier, Nominee
from thidua.nominations.services import common
from thidua.org.models import Employment, Household, Person, Unit
from thidua.records.models import Initiative, InitiativeAuthor
from thidua.rules.definitions import get_definitions

EDITABLE = (State.DRAFT, State.RETURNED)


@dataclass
class NomineeSpec:
    """One nominee to add: a person or a unit, the award, the achievement."""

    award_code: str
    person: Person | None = None
    unit: Unit | None = None
    household: Household | None = None
    period_start: datetime.date | None = None  # default: the round's year
    period_end: datetime.date | None = None
    summary: str = ""
    initiatives: list[Initiative] = field(default_factory=list)
    source: str = Source.REGISTER

    @property
    def subject_kind(self) -> str:
        if self.person is not None:
            return SubjectKind.PERSON
        return SubjectKind.UNIT if self.unit is not None else SubjectKind.HOUSEHOLD

    @property
    def recipient(self):
        return self.person or self.unit or self.household

    @property
    def ids(self) -> tuple:
        return (
            self.person.pk if self.person else None,
            self.unit.pk if self.unit else None,
            self.household.pk if self.household else None,
        )


@dataclass(frozen=True)
class Problem:
    """What is wrong with the nominee at `index` (0-based, in the order given)."""

    index: int
    field: str
    message: str


class NomineeProblems(ValidationError):
    """Every problem of a list of nominees; the messages say "Nominee n: …" (n from 1),
    `problems` keeps the index and field of each, for an import to name its rows."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            [
                _("Nominee %(n)s: %(message)s") % {"n": p.index + 1, "message": p.message}
                for p in problems
            ]
        )


def award_problem(dossier: Dossier, award_code: str, subject_kind: str, unit=None) -> str | None:
    """Why the round's level may not propose `award_code` for this kind of recipient, or
    None. The award's deciding authority on the round's deadline must be a tier of the
    round's level (`choices.LEVEL_TIERS`)."""
    definition = get_definitions().awards.get(award_code)
    if definition is None:
        return _("%(code)s is not an award of the catalog.") % {"code": award_code}
    name = definition.entry.name
    if subject_kind not in definition.entry.subjects:
        label = SubjectKind(subject_kind).label
        return _("%(award)s is not given to this kind of recipient (%(kind)s).") % {
            "award": name,
            "kind": str(label).lower(),
        }
    if unit is not None and unit.kind not in definition.unit_kinds:
        return _("%(award)s is not given to a unit like %(unit)s.") % {
            "award": name,
            "unit": unit.name,
        }
    round_ = dossier.round
    authority = definition.authority_on(round_.deadline)
    tiers = LEVEL_TIERS.get(round_.level, set())
    if authority is None or not set(authority.value) & tiers:
        return _("A round of the %(level)s may not propose %(award)s.") % {
            "level": str(round_.level_label).lower(),
            "award": name,
        }
    return None


def check_nominees(dossier: Dossier, specs: list[NomineeSpec]) -> list[Problem]:
    """Every problem of `specs`, each naming its index and field (a fixed number of
    queries whatever the number of nominees)."""
    problems: list[Problem] = []
    inside = subtree_ids([dossier.unit_id])
    person_ids = {s.person.pk for s in specs if s.person is not None}
    employed = set(
        Employment.objects.filter(person_id__in=person_ids, unit_id__in=inside).values_list(
            "person_id", flat=True
        )
    )
    existing = set(
        Nominee.objects.filter(dossier=dossier).values_list(
            "person_id", "unit_id", "household_id", "award_code"
        )
    )
    initiative_ids = {i.pk for s in specs for i in s.initiatives}
    authors: dict[int, set[int]] = {}
    for initiative_id, person_id in InitiativeAuthor.objects.filter(
        initiative_id__in=initiative_ids
    ).values_list("initiative_id", "person_id"):
        authors.setdefault(initiative_id, set()).add(person_id)
    unit_staff: dict[int, set[int]] = {}
    if initiative_ids:
        for unit_id, person_id in Employment.objects.filter(
            unit_id__in=[s.unit.pk for s in specs if s.unit is not None and s.initiatives]
        ).values_list("unit_id", "person_id"):
            unit_staff.setdefault(unit_id, set()).add(person_id)
    household_members: dict[int, set[int]] = {}
    for household_id, person_id in Household.members.through.objects.filter(
        household_id__in=[
            s.household.pk for s in specs if s.household is not None and s.initiatives
        ]
    ).values_list("household_id", "person_id"):
        household_members.setdefault(household_id, set()).add(person_id)
    year = dossier.round.year
    award_problems: dict = {}
    seen = set()
    for index, spec in enumerate(specs):

        def bad(field_name, message, index=index):
            problems.append(Problem(index, field_name, message))

        if sum(x is not None for x in (spec.person, spec.unit, spec.household)) != 1:
            bad("recipient", _("Choose one person, one collective or one household."))
            continue
        recipient = spec.recipient
        if spec.person is not None and spec.person.pk not in employed:
            bad(
                "recipient",
                _("%(name)s does not work in %(unit)s or a unit under it.")
                % {"name": recipient, "unit": dossier.unit.name},
            )
        if spec.unit is not None and spec.unit.pk not in inside:
            bad(
                "recipient",
                _("%(name)s is not %(unit)s or a unit under it.")
                % {"name": recipient, "unit": dossier.unit.name},
            )
        if spec.household is not None and spec.household.commune_id not in inside:
            bad(
                "recipient",
                _("%(name)s does not live in %(unit)s or a unit under it.")
                % {"name": recipient, "unit": dossier.unit.name},
            )
        key = (spec.award_code, spec.subject_kind, spec.unit.kind if spec.unit else None)
        if key not in award_problems:
            award_problems[key] = award_problem(
                dossier, spec.award_code, spec.subject_kind, spec.unit
            )
        if award_problems[key]:
            bad("award", award_problems[key])
        ids = (*spec.ids, spec.award_code)
        if ids in existing or ids in seen:
            bad("award", _("%(name)s is already proposed for this award.") % {"name": recipient})
        seen.add(ids)
        start = spec.period_start or datetime.date(year, 1, 1)
        end = spec.period_end or datetime.date(year, 12, 31)
        if end < start:
            bad("period", _("The achievement period ends before it starts."))
        for initiative in spec.initiatives:
            by = authors.get(initiative.pk, set())
            if spec.person is not None:
                mine = spec.person.pk in by
            elif spec.unit is not None:
                mine = bool(by & unit_staff.get(spec.unit.pk, set()))
            else:
                mine = bool(by & household_members.get(spec.household.pk, set()))
            if not mine:
                bad(
                    "initiatives",
                    _("The initiative “%(title)s” is not %(name)s's.")
                    % {"title": initiative.title, "name": recipient},
                )
    return problems


def _editable(dossier: Dossier, actor) -> Dossier:
    require(actor, Action.CHANGE, dossier.unit)
    dossier = (
        Dossier.objects.select_for_update().select_related("round__unit", "unit").get(pk=dossier.pk)
    )
    if dossier.state not in EDITABLE:
        raise ValidationError(
            _(
                "The dossier is %(state)s; nominees can be changed only in a draft or a returned dossier."
            )
            % {"state": str(dossier.get_state_display()).lower()}
        )
    return dossier


def add_nominees(dossier: Dossier, specs: list[NomineeSpec], *, actor) -> list[Nominee]:
    """Add every nominee of `specs`, or none: the problems are raised together
    (`NomineeProblems`, messages "Nominee n: …", n counting from 1). A refusal writes
    nothing but an audit entry of the attempt (`nominations.nominee.refused`)."""
    error = None
    with transaction.atomic():
        try:
            dossier = _editable(dossier, actor)
            problems = check_nominees(dossier, specs)
            if problems:
                raise NomineeProblems(problems)
        except (PermissionDenied, ValidationError) as exc:
            error = exc
        else:
            return _write(dossier, specs, actor)
    common.refuse(
        error,
        dossier,
        actor=actor,
        action="nominations.nominee.refused",
        attempt={
            "nominees": [
                [s.subject_kind, getattr(s.recipient, "code", None), s.award_code] for s in specs
            ]
        },
    )


def _write(dossier: Dossier, specs: list[NomineeSpec], actor) -> list[Nominee]:
    year = dossier.round.year
    nominees = Nominee.objects.bulk_create(
        [
            Nominee(
                dossier=dossier,
                subject_kind=spec.subject_kind,
                person=spec.person,
                unit=spec.unit,
                household=spec.household,
                award_code=spec.award_code,
                period_start=spec.period_start or datetime.date(year, 1, 1),
                period_end=spec.period_end or datetime.date(year, 12, 31),
                summary=(spec.summary or "").strip(),
                source=spec.source,
            )
            for spec in specs
        ]
    )
    through = Nominee.initiatives.through
    links = [
        through(nominee_id=nominee.pk, initiative_id=initiative.pk)
        for nominee, spec in zip(nominees, specs, strict=True)
        for initiative in spec.initiatives
    ]
    if links:
        through.objects.bulk_create(links)
    log(
        "nominations.nominee.add",
        dossier,
        actor=actor,
        after={
            "nominees": [
                [n.subject_kind, n.recipient.code, n.award_code, n.source] for n in nominees
            ]
        },
    )
    return nominees


def add_nominee(dossier: Dossier, spec: NomineeSpec, *, actor) -> Nominee:
    """One nominee (a click on a suggestion, the register picker); problems raised as a
    `ValidationError` keyed by field."""
    try:
        return add_nominees(dossier, [spec], actor=actor)[0]
    except NomineeProblems as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            errors.setdefault(p.field, []).append(p.message)
        raise ValidationError(errors) from exc


@transaction.atomic
def update_nominee(
    nominee: Nominee, *, summary: str, period_start, period_end, initiatives, actor
) -> Nominee:
    """Change a nominee's achievement (period, summary, initiatives relied on)."""
    dossier = _editable(nominee.dossier, actor)
    spec = NomineeSpec(
        award_code=nominee.award_code,
        person=nominee.person,
        unit=nominee.unit,
        household=nominee.household,
        period_start=period_start,
        period_end=period_end,
        initiatives=list(initiatives),
    )
    # The award was checked when the nominee was added (and the nominee's own row would
    # count as a duplicate): only the achievement is checked again.
    problems = [p for p in check_nominees(dossier, [spec]) if p.field != "award"]
    if problems:
        raise ValidationError({p.field: p.message for p in problems})
    before = {
        "summary": nominee.summary,
        "period": [nominee.period_start.isoformat(), nominee.period_end.isoformat()],
        "initiatives": sorted(nominee.initiatives.values_list("code", flat=True)),
    }
    nominee.summary = (summary or "").strip()
    nominee.period_start = period_start
    nominee.period_end = period_end
    nominee.save(update_fields=["summary", "period_start", "period_end"])
    nominee.initiatives.set(initiatives)
    log(
        "nominations.nominee.update",
        nominee,
        actor=actor,
        before=before,
        after={
            "summary": nominee.summary,
            "period": [period_start.isoformat(), period_end.isoformat()],
            "initiatives": sorted(i.code for i in initiatives),
        },
    )
    return nominee


@transaction.atomic
def remove_nominee(nominee: Nominee, *, actor) -> None:
    dossier = _editable(nominee.dossier, actor)
    log(
        "nominations.nominee.remove",
        dossier,
        actor=actor,
        before={"nominee": [nominee.subject_kind, nominee.recipient.code, nominee.award_code]},
    )
    nominee.delete()

"""Covenants (giao ước thi đua): the criteria tree, the header, drafting and revising,
the declared status transitions, signing."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.emulation.choices import (
    COVENANT_TRANSITIONS,
    CovenantStatus,
    GroupKind,
    ScoringMethod,
    TieBreak,
)
from thidua.emulation.models import (
    Block,
    Covenant,
    Criterion,
    CriterionGroup,
    Signature,
)
from thidua.emulation.services import common
from thidua.emulation.services.blocks import scoring_members
from thidua.emulation.services.common import TWO_PLACES
from thidua.org.models import Unit
from thidua.text import is_code
from thidua.vietnamese import format_number


@dataclass
class CriterionSpec:
    code: str
    title: str
    max_points: Decimal | int | str
    guidance: str = ""


@dataclass
class GroupSpec:
    code: str
    title: str
    kind: str = GroupKind.BASE
    cap: Decimal | int | str | None = None
    criteria: list[CriterionSpec] | None = None


def check_tie_breaks(rules, group_codes: set[str]) -> list[str]:
    """The tie-break rules, each a `TieBreak` value or `group:<code>` of a group."""
    if not isinstance(rules, list | tuple):
        raise ValidationError({"tie_breaks": _("The tie-break rules are a list.")})
    known = set(TieBreak.values)
    for rule in rules:
        if rule in known:
            continue
        if isinstance(rule, str) and rule.startswith("group:") and rule[6:] in group_codes:
            continue
        raise ValidationError(
            {"tie_breaks": _("Unknown tie-break rule “%(rule)s”.") % {"rule": rule}}
        )
    if len(set(rules)) != len(rules):
        raise ValidationError({"tie_breaks": _("A tie-break rule is listed twice.")})
    return list(rules)


def _tree_error(row: str, code: str, field: str, message: str, **params) -> ValidationError:
    """A problem of one row of a criteria tree. `params` say which row (`row`: "group" or
    "criterion", and its `code`) and which of its fields, so that a page can show the
    message on that field of that row; the message itself names the row."""
    return ValidationError(message, params={"row": row, "code": code, "field": field, **params})


def _tree_number(value, row: str, code: str, field: str, label: str, errors: list):
    """A maximum or a cap: a number with at most two decimals, below `limit`."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.append(
            _tree_error(
                row,
                code,
                field,
                _("%(label)s: “%(value)s” is not a number."),
                label=label,
                value=value,
            )
        )
        return None
    if number != number.quantize(TWO_PLACES) or abs(number) >= 10000:
        errors.append(
            _tree_error(
                row,
                code,
                field,
                _("%(label)s: at most two decimals and below %(limit)s."),
                label=label,
                limit=format_number(10000),
            )
        )
        return None
    return number


def _build_criteria(covenant: Covenant, groups: list[GroupSpec]):
    """The rows of a criteria tree, validated as a whole: every problem of every row is
    reported together (each naming its group or criterion, with `params` saying which
    field: see `_tree_error`). Writes nothing."""
    if not groups:
        raise ValidationError({"criteria": _("A covenant needs at least one criteria group.")})
    errors: list[ValidationError] = []
    group_rows, criterion_rows = [], []
    seen_groups, seen_criteria = set(), set()
    for g_pos, spec in enumerate(groups, start=1):
        code = (spec.code or "").strip()
        title = (spec.title or "").strip()
        label = code or "?"
        if not code or code in seen_groups:
            errors.append(
                _tree_error(
                    "group", label, "code", _("Group %(code)s: a group needs a code of its own.")
                )
            )
        elif len(code) > 20:
            errors.append(
                _tree_error(
                    "group", code, "code", _("Group %(code)s: a code has at most 20 characters.")
                )
            )
        elif not is_code(code):
            errors.append(
                _tree_error(
                    "group",
                    code,
                    "code",
                    _(
                        "Group %(code)s: a code holds only letters without diacritics, digits, "
                        "'.', '_' and '-', and starts with a letter or a digit."
                    ),
                )
            )
        seen_groups.add(code)
        if not title or len(title) > 255:
            errors.append(
                _tree_error(
                    "group",
                    label,
                    "title",
                    _("Group %(code)s needs a title (at most 255 characters)."),
                )
            )
        if spec.kind not in GroupKind.values:
            errors.append(
                _tree_error(
                    "group",
                    label,
                    "kind",
                    _("Group %(code)s: unknown kind %(kind)s."),
                    kind=spec.kind,
                )
            )
        cap = None
        if spec.cap not in (None, ""):
            cap = _tree_number(
                spec.cap, "group", label, "cap", _("Group %(code)s cap") % {"code": label}, errors
            )
            if cap is not None and cap < 0:
                errors.append(
                    _tree_error(
                        "group", label, "cap", _("Group %(code)s: the cap is a positive number.")
                    )
                )
        if not spec.criteria:
            errors.append(_tree_error("group", label, "code", _("Group %(code)s has no criteria.")))
        group = CriterionGroup(
            covenant=covenant, position=g_pos, code=code, title=title, kind=spec.kind, cap=cap
        )
        group_rows.append(group)
        for c_pos, crit in enumerate(spec.criteria or [], start=1):
            c_code = (crit.code or "").strip()
            c_label = c_code or "?"
            c_title = (crit.title or "").strip()
            if not c_code or c_code in seen_criteria:
                errors.append(
                    _tree_error(
                        "criterion",
                        c_label,
                        "code",
                        _("Criterion %(code)s: a criterion needs a code of its own."),
                    )
                )
            elif not is_code(c_code):
                errors.append(
                    _tree_error(
                        "criterion",
                        c_code,
                        "code",
                        _(
                            "Criterion %(code)s: a code holds only letters without diacritics, "
                            "digits, '.', '_' and '-', and starts with a letter or a digit."
                        ),
                    )
                )
            elif len(c_code) > 20:
                errors.append(
                    _tree_error(
                        "criterion",
                        c_code,
                        "code",
                        _("Criterion %(code)s: a code has at most 20 characters."),
                    )
                )
            seen_criteria.add(c_code)
            max_points = _tree_number(
                crit.max_points,
                "criterion",
                c_label,
                "max_points",
                _("Criterion %(code)s maximum") % {"code": c_label},
                errors,
            )
            if max_points is not None and max_points <= 0:
                errors.append(
                    _tree_error(
                        "criterion",
                        c_label,
                        "max_points",
                        _("Criterion %(code)s: the maximum is above 0."),
                    )
                )
            if not c_title or len(c_title) > 500:
                errors.append(
                    _tree_error(
                        "criterion",
                        c_label,
                        "title",
                        _("Criterion %(code)s needs a title (at most 500 characters)."),
                    )
                )
            criterion_rows.append(
                (
                    group,
                    Criterion(
                        covenant=covenant,
                        position=c_pos,
                        code=c_code,
                        title=c_title,
                        max_points=max_points,
                        guidance=(crit.guidance or "").strip(),
                    ),
                )
            )
    if not any(g.kind == GroupKind.BASE for g in group_rows):
        errors.append(
            ValidationError(_("A covenant needs at least one group of criteria that score points."))
        )
    if errors:
        raise ValidationError({"criteria": errors})
    return group_rows, criterion_rows


def _write_criteria(covenant: Covenant, rows) -> None:
    """Replace the covenant's criteria tree by rows from `_build_criteria`."""
    group_rows, criterion_rows = rows
    covenant.criteria.all().delete()
    covenant.groups.all().delete()
    CriterionGroup.objects.bulk_create(group_rows)
    for group, criterion in criterion_rows:
        criterion.group = group
    Criterion.objects.bulk_create([c for _g, c in criterion_rows])


def criteria_state(covenant: Covenant) -> list:
    """The criteria tree as JSON-ready data (for audit entries)."""
    groups = {
        g.pk: [g.code, g.kind, str(g.cap) if g.cap is not None else None, []]
        for g in covenant.groups.all()
    }
    for c in covenant.criteria.all():
        groups[c.group_id][3].append([c.code, str(c.max_points)])
    return list(groups.values())


def _check_covenant(covenant: Covenant, groups: list[GroupSpec], tie_breaks, header: dict):
    """Set a covenant's header fields and validate them with its criteria tree; the
    problems of both are raised together, each on its field (the tree's under
    `criteria`). Returns the rows of the tree for `_write_criteria`; writes nothing."""
    errors: dict = {}
    for name, value in header.items():
        setattr(covenant, name, value.strip() if isinstance(value, str) else value)
    first, _last = common.year_bounds(covenant.block.year)
    try:
        if covenant.scoring_deadline is None:
            raise ValidationError({"scoring_deadline": _("Give the scoring deadline.")})
        if covenant.scoring_deadline < first:
            raise ValidationError(
                {"scoring_deadline": _("The scoring deadline falls in or after the block's year.")}
            )
        covenant.tie_breaks = check_tie_breaks(
            covenant.tie_breaks if tie_breaks is None else tie_breaks,
            {(g.code or "").strip() for g in groups},
        )
        covenant.full_clean(exclude=["block"])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        rows = _build_criteria(covenant, groups)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def create_covenant(
    block: Block,
    *,
    title: str,
    scoring_deadline,
    groups: list[GroupSpec],
    method: str = ScoringMethod.CROSS,
    trim_extremes: bool = False,
    tie_breaks: list[str] | None = None,
    number: str = "",
    place: str = "",
    signing_date=None,
    actor,
) -> Covenant:
    """Draft the block's covenant with its criteria tree (a block has one covenant). Every
    problem of the header and of the tree is reported at once; nothing is written while
    one remains."""
    require(actor, Action.CHANGE, block.organiser)
    if Covenant.objects.filter(block=block).exists():
        raise ValidationError(_("This block already has its covenant."))
    covenant = Covenant(block=block)
    rows = _check_covenant(
        covenant,
        groups,
        tie_breaks,
        {
            "title": title,
            "number": number,
            "place": place,
            "signing_date": signing_date,
            "method": method,
            "trim_extremes": trim_extremes,
            "scoring_deadline": scoring_deadline,
        },
    )
    covenant.save()
    _write_criteria(covenant, rows)
    log(
        "emulation.covenant.create",
        covenant,
        actor=actor,
        after={**snapshot(covenant), "criteria": criteria_state(covenant)},
    )
    return covenant


@transaction.atomic
def define_criteria(covenant: Covenant, groups: list[GroupSpec], *, actor) -> Covenant:
    """Replace the criteria tree of a draft covenant (once open, the criteria are fixed:
    members sign them)."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    if covenant.status != CovenantStatus.DRAFT:
        raise ValidationError(_("The criteria of an open covenant are fixed."))
    before = criteria_state(covenant)
    rows = _check_covenant(covenant, groups, None, {})
    _write_criteria(covenant, rows)
    log(
        "emulation.covenant.criteria",
        covenant,
        actor=actor,
        before={"criteria": before},
        after={"criteria": criteria_state(covenant)},
    )
    return covenant


@transaction.atomic
def revise_covenant(
    covenant: Covenant,
    *,
    title: str,
    scoring_deadline,
    groups: list[GroupSpec],
    method: str = ScoringMethod.CROSS,
    trim_extremes: bool = False,
    tie_breaks: list[str] | None = None,
    number: str = "",
    place: str = "",
    signing_date=None,
    actor,
) -> Covenant:
    """Change a draft covenant as a whole: its header (as in `create_covenant`) and its
    criteria tree, all or nothing, audited with the before and after. Refused once the
    covenant is open: members sign what they see."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    if covenant.status != CovenantStatus.DRAFT:
        raise ValidationError(_("The criteria of an open covenant are fixed."))
    before = {**snapshot(covenant), "criteria": criteria_state(covenant)}
    rows = _check_covenant(
        covenant,
        groups,
        tie_breaks,
        {
            "title": title,
            "number": number,
            "place": place,
            "signing_date": signing_date,
            "method": method,
            "trim_extremes": trim_extremes,
            "scoring_deadline": scoring_deadline,
        },
    )
    covenant.save()
    _write_criteria(covenant, rows)
    log(
        "emulation.covenant.revise",
        covenant,
        actor=actor,
        before=before,
        after={**snapshot(covenant), "criteria": criteria_state(covenant)},
    )
    return covenant


def _move(covenant: Covenant, to: str, actor, *, message="", extra_before=None, extra_after=None):
    """Move the covenant (locked by the caller) along a declared transition; audited."""
    if to not in COVENANT_TRANSITIONS[CovenantStatus(covenant.status)]:
        raise ValidationError(
            _("A covenant that is “%(status)s” cannot become “%(to)s”.")
            % {"status": covenant.get_status_display(), "to": CovenantStatus(to).label}
        )
    before = {"status": covenant.status, **(extra_before or {})}
    covenant.status = to
    covenant.save()
    log(
        f"emulation.covenant.{to}",
        covenant,
        actor=actor,
        before=before,
        after={"status": to, **(extra_after or {})},
        message=message,
    )


def _locked_covenant(covenant: Covenant) -> Covenant:
    return (
        Covenant.objects.select_for_update().select_related("block__organiser").get(pk=covenant.pk)
    )


@transaction.atomic
def open_covenant(covenant: Covenant, *, actor) -> Covenant:
    """Open a draft covenant for signing and scoring; its criteria are then fixed."""
    require(actor, Action.CHANGE, covenant.block.organiser)
    covenant = _locked_covenant(covenant)
    _move(covenant, CovenantStatus.OPEN, actor)
    return covenant


@transaction.atomic
def sign_covenant(
    covenant: Covenant,
    unit: Unit,
    *,
    signer_name: str,
    signer_position: str = "",
    signed_on=None,
    actor,
) -> Signature:
    """Record that `unit`, a member of the block, signed the open covenant: who signed
    for it and when. A unit signs once."""
    require(actor, Action.CHANGE, unit)
    covenant = _locked_covenant(covenant)
    if covenant.status != CovenantStatus.OPEN:
        raise ValidationError(_("The covenant is not open for signing."))
    if unit.pk not in {m.unit_id for m in scoring_members(covenant.block)}:
        raise ValidationError(
            {"unit": _("Unit %(code)s is not a member of this block.") % {"code": unit.code}}
        )
    if not signer_name.strip():
        raise ValidationError({"signer_name": _("Give the name of the person who signed.")})
    if Signature.objects.filter(covenant=covenant, unit=unit).exists():
        raise ValidationError(
            {"unit": _("Unit %(code)s has already signed.") % {"code": unit.code}}
        )
    signature = Signature(
        covenant=covenant,
        unit=unit,
        signer_name=signer_name.strip(),
        signer_position=signer_position.strip(),
        signed_on=common.today(signed_on),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    signature.full_clean(exclude=["recorded_by"])
    signature.save()
    log("emulation.covenant.sign", signature, actor=actor, after=snapshot(signature))
    return signature

"""Covenant pages: the covenant with its signatures (a member signs here), drafting and
revising the criteria tree, opening it, and its Word document."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.emulation import services
from thidua.emulation.choices import DEFAULT_TIE_BREAKS, CovenantStatus
from thidua.emulation.documents import covenant_document
from thidua.emulation.forms import (
    CovenantForm,
    CriterionFormSet,
    CriterionRowForm,
    GroupFormSet,
    GroupRowForm,
    SignForm,
    add_service_errors,
    add_tree_errors,
    posted_group_codes,
    posted_rows,
    tree_specs,
)
from thidua.emulation.models import Signature
from thidua.emulation.ranking import tie_break_label
from thidua.emulation.sheets import plain
from thidua.emulation.views import common

COVENANT_ROWS = {"groups": 4, "criteria": 10}  # empty rows of a new covenant
MORE_ROWS = {"groups": 2, "criteria": 5}  # empty rows added below the filled ones


def _criteria_tree(covenant):
    groups = list(covenant.groups.all())
    by_group = {g.pk: g for g in groups}
    for g in groups:
        g.items = []
    for c in covenant.criteria.all():
        by_group[c.group_id].items.append(c)
    return groups


def _sign(request, covenant, form, can_sign):
    """Sign for the unit chosen in `form`; True when signed (errors go on the form)."""
    unit = next(u for u in can_sign if u.code == form.cleaned_data["unit"])
    try:
        services.sign_covenant(
            covenant,
            unit,
            signer_name=form.cleaned_data["signer_name"],
            signer_position=form.cleaned_data["signer_position"],
            signed_on=form.cleaned_data["signed_on"],
            actor=request.user,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("%(unit)s has signed the covenant.") % {"unit": unit.name})
    return True


@login_required
def covenant_detail(request, year, code):
    block = common.visible_block(request, year, code)
    covenant = common.covenant_of(block)
    members = services.scoring_members(block)
    signatures = {s.unit_id: s for s in Signature.objects.filter(covenant=covenant)}
    can_sign = [
        m.unit
        for m in members
        if m.unit_id not in signatures and scope.can(request.user, Action.CHANGE, m.unit)
    ]
    form = None
    if covenant.status == CovenantStatus.OPEN and can_sign:
        form = SignForm(request.POST or None, units=can_sign)
        if (
            request.method == "POST"
            and form.is_valid()
            and _sign(request, covenant, form, can_sign)
        ):
            return redirect("emulation:covenant", year=year, code=code)
    elif request.method == "POST":
        raise PermissionDenied(_("There is nothing you may sign here."))
    return render(
        request,
        "emulation/covenant.html",
        {
            "emu_block": block,
            "covenant": covenant,
            "groups": _criteria_tree(covenant),
            "rows": [(m.unit, signatures.get(m.unit_id)) for m in members],
            "form": form,
            "tie_breaks": [tie_break_label(r) for r in covenant.tie_breaks],
            "manage": scope.can(request.user, Action.CHANGE, block.organiser),
        },
        status=common.form_status(request),
    )


def _tree_formsets(data=None, *, rows=None, extra=MORE_ROWS):
    """The two formsets of the criteria tree: bound to `data`, or filled with `rows`
    (`{"groups": [...], "criteria": [...]}` of initial values) plus `extra` empty rows."""
    if data is not None:
        return (
            GroupFormSet(data, prefix="groups"),
            CriterionFormSet(data, prefix="criteria"),
        )
    rows = rows or {"groups": [], "criteria": []}
    return (
        formset_factory(GroupRowForm, extra=extra["groups"])(
            initial=rows["groups"], prefix="groups"
        ),
        formset_factory(CriterionRowForm, extra=extra["criteria"])(
            initial=rows["criteria"], prefix="criteria"
        ),
    )


def _tree_rows(covenant) -> dict:
    groups = list(covenant.groups.all())
    codes = {g.pk: g.code for g in groups}
    return {
        "groups": [
            {"code": g.code, "title": g.title, "kind": g.kind, "cap": _number(g.cap)}
            for g in groups
        ],
        "criteria": [
            {
                "group": codes[c.group_id],
                "code": c.code,
                "title": c.title,
                "max_points": _number(c.max_points),
                "guidance": c.guidance,
            }
            for c in covenant.criteria.all()
        ],
    }


def _number(value) -> str:
    return "" if value is None else plain(value)


def _unsaved_forms(block, covenant):
    """The header and the tree as first shown: a new covenant's defaults, or the draft."""
    if covenant is None:
        header = CovenantForm(
            initial={
                "title": _("Emulation covenant %(year)s") % {"year": block.year},
                "scoring_deadline": datetime.date(block.year, 12, 15),
                "tie_break_1": DEFAULT_TIE_BREAKS[0],
                "tie_break_2": DEFAULT_TIE_BREAKS[1],
            }
        )
        return (header, *_tree_formsets(extra=COVENANT_ROWS))
    rows = _tree_rows(covenant)
    header = CovenantForm(
        initial=CovenantForm.initial_from(covenant),
        group_codes=[g["code"] for g in rows["groups"]],
    )
    return (header, *_tree_formsets(rows=rows))


def _more_rows_forms(data):
    """What was typed, unbound, with empty rows added below ("more rows")."""
    groups, criteria = _tree_formsets(data)
    rows = {"groups": posted_rows(groups), "criteria": posted_rows(criteria)}
    header = CovenantForm(
        initial=data.dict() | {"trim_extremes": "trim_extremes" in data},
        group_codes=[g["code"] for g in rows["groups"] if g.get("code")],
    )
    return (header, *_tree_formsets(rows=rows))


def _save_tree(request, block, covenant, header, groups, criteria):
    """Create or revise the draft from the posted forms: (saved, tree errors)."""
    specs = tree_specs(groups, criteria)
    if not header.is_valid() or specs is None:
        return False, []
    arguments = header.verb_arguments()
    try:
        if covenant is None:
            services.create_covenant(block, groups=specs, actor=request.user, **arguments)
        else:
            services.revise_covenant(covenant, groups=specs, actor=request.user, **arguments)
    except ValidationError as exc:
        return False, add_tree_errors(header, groups, criteria, exc)
    return True, []


@login_required
def covenant_edit(request, year, code):
    """Draft the block's covenant, or change the draft: the header and the criteria tree
    (groups; criteria with their maximum; bonus and penalty items with caps), on one
    page without JavaScript. "More rows" adds empty rows and keeps what was typed.
    Saving calls `services.create_covenant` or `services.revise_covenant`, whose
    problems are shown on the row and field they name."""
    block = common.visible_block(request, year, code)
    scope.require(request.user, Action.CHANGE, block.organiser)
    covenant = block.covenant_or_none
    if covenant is not None and covenant.status != CovenantStatus.DRAFT:
        messages.info(request, _("The covenant is open: its criteria are fixed."))
        return redirect("emulation:covenant", year=year, code=code)
    tree_errors, status = [], 200
    if request.method != "POST":
        header, groups, criteria = _unsaved_forms(block, covenant)
    elif "more" in request.POST:
        header, groups, criteria = _more_rows_forms(request.POST)
    else:
        groups, criteria = _tree_formsets(request.POST)
        header = CovenantForm(request.POST, group_codes=posted_group_codes(request.POST))
        saved, tree_errors = _save_tree(request, block, covenant, header, groups, criteria)
        if saved:
            messages.success(request, _("The covenant is saved as a draft."))
            return redirect("emulation:covenant", year=year, code=code)
        status = 400
    return render(
        request,
        "emulation/covenant_form.html",
        {
            "emu_block": block,
            "covenant": covenant,
            "header": header,
            "groups": groups,
            "criteria": criteria,
            "tree_errors": tree_errors,
        },
        status=status,
    )


@login_required
@require_POST
def covenant_open(request, year, code):
    """Open the draft covenant for signing and scoring; its criteria are then fixed."""
    block = common.visible_block(request, year, code)
    common.perform(
        request,
        lambda: services.open_covenant(common.covenant_of(block), actor=request.user),
        lambda _result: _("The covenant is open for signing and scoring."),
    )
    return redirect("emulation:covenant", year=year, code=code)


@login_required
def covenant_docx(request, year, code):
    block = common.visible_block(request, year, code)
    content = covenant_document(common.covenant_of(block))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="giao-uoc-{block.code}-{block.year}.docx"'
    )
    return response

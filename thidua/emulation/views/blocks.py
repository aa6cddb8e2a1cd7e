"""Block pages: setting one up, its dashboard with the ranking chart, naming its leader
and deputies, locking, reopening and publishing the scoring, and the "who scored whom"
matrix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.emulation import selectors, services
from thidua.emulation.choices import BlockRoleKind, CovenantStatus
from thidua.emulation.forms import BlockForm, ReopenForm, RolesForm, add_service_errors
from thidua.emulation.ranking import score_matrix
from thidua.emulation.views import common

CHART_WIDTH = 420  # px of the longest bar


@login_required
def block_new(request):
    """Set up a block with its members and, optionally, its leader and deputies
    (`services.set_up_block`)."""
    movements = selectors.visible_movements(request.user).order_by("-year", "name")
    movements = movements[: common.UNIT_CHOICE_LIMIT]
    form = BlockForm(
        request.POST or None,
        user=request.user,
        units=common.acting_units(request.user),
        movements=list(movements),
        initial={"year": common.today().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            block = services.set_up_block(actor=request.user, **form.verb_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The block is set up."))
            return redirect("emulation:block", year=block.year, code=block.code)
    return render(
        request, "emulation/block_form.html", {"form": form}, status=common.form_status(request)
    )


def _chart(ranking):
    """Bars of the ranking for a server-rendered SVG: (standing, y, width). The longest
    bar is the covenant's full score (or the best final score above it), both in points."""
    if ranking is None or not ranking.standings:
        return None
    top = max([s.final for s in ranking.standings] + [ranking.tree.base_max_points, 1])
    bars = []
    for i, s in enumerate(ranking.standings):
        width = int(max(s.final, 0) * CHART_WIDTH / top)
        bars.append({"s": s, "y": 10 + i * 30, "width": width, "end": 230 + width + 6})
    return {"bars": bars, "height": 20 + 30 * len(bars), "width": 230 + CHART_WIDTH + 80}


@login_required
def block_dashboard(request, year, code):
    block = common.visible_block(request, year, code)
    page = selectors.block_page(block, request.user, common.today(), request.GET.get("don_vi", ""))
    suggestion = roles_form = None
    if page.access.manage and not page.roles:
        suggestion = selectors.suggest_rotation(block)
    published = page.covenant is not None and page.covenant.status == CovenantStatus.PUBLISHED
    if page.access.manage and page.members and not published:
        roles_form = _roles_form([row.unit for row in page.members], page.roles, suggestion)
    return render(
        request,
        "emulation/block_dashboard.html",
        {
            "emu_block": block,
            "page": page,
            "chart": _chart(page.ranking),
            "suggestion": suggestion,
            "reopen_form": ReopenForm(),
            "roles_form": roles_form,
        },
    )


def _roles_form(members, roles, suggestion, data=None):
    """The form naming the leader and deputies, filled with the roles named before or
    else with the rotation's suggestion."""
    initial = {}
    if roles:
        initial = {
            "leader": next((r.unit.code for r in roles if r.role == BlockRoleKind.LEADER), ""),
            "deputies": [r.unit.code for r in roles if r.role == BlockRoleKind.DEPUTY],
            "decision_number": roles[0].decision_number,
            "decision_date": roles[0].decision_date,
        }
    elif suggestion is not None and suggestion.leader is not None:
        initial = {
            "leader": suggestion.leader.code,
            "deputies": [suggestion.deputy.code] if suggestion.deputy else [],
        }
    return RolesForm(data, members=members, initial=initial)


@login_required
@require_POST
def name_roles(request, year, code):
    """Name the block's leader and deputies by a decision (the organiser's officers)."""
    block = common.visible_block(request, year, code)
    scope.require(request.user, Action.CHANGE, block.organiser)
    members = [m.unit for m in services.scoring_members(block)]
    form = _roles_form(members, [], None, request.POST)
    if form.is_valid():
        try:
            services.name_block_roles(block, actor=request.user, **form.verb_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The leader and deputies are named."))
            return redirect("emulation:block", year=year, code=code)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("emulation:block", year=year, code=code)


@login_required
@require_POST
def copy_block(request, year, code):
    """Set the block up again for the next year, with its members and its covenant's
    criteria as a draft (`services.copy_block`, the organiser's officers)."""
    block = common.visible_block(request, year, code)
    copy = common.perform(
        request,
        lambda: services.copy_block(block, actor=request.user),
        lambda new: (
            _("The block is set up for %(year)s with last year's members and criteria.")
            % {"year": new.year}
        ),
    )
    if copy is None:
        return redirect("emulation:block", year=year, code=code)
    return redirect("emulation:block", year=copy.year, code=copy.code)


@login_required
@require_POST
def lock(request, year, code):
    block = common.visible_block(request, year, code)
    common.perform(
        request,
        lambda: services.lock_scoring(common.covenant_of(block), actor=request.user),
        lambda _result: _("Scoring is locked."),
    )
    return redirect("emulation:block", year=year, code=code)


@login_required
@require_POST
def reopen(request, year, code):
    block = common.visible_block(request, year, code)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("emulation:block", year=year, code=code)
    common.perform(
        request,
        lambda: services.reopen_scoring(
            common.covenant_of(block),
            reason=form.cleaned_data["reason"],
            new_deadline=form.cleaned_data["new_deadline"],
            actor=request.user,
        ),
        lambda _result: _("Scoring is open again."),
    )
    return redirect("emulation:block", year=year, code=code)


@login_required
@require_POST
def publish(request, year, code):
    block = common.visible_block(request, year, code)
    common.perform(
        request,
        lambda: services.publish_results(common.covenant_of(block), actor=request.user),
        lambda leads: (
            _("Results published; leading: %(units)s.")
            % {"units": ", ".join(lead.unit.name for lead in leads)}
        ),
    )
    return redirect("emulation:block", year=year, code=code)


@login_required
def matrix(request, year, code):
    block = common.visible_block(request, year, code)
    covenant = common.covenant_of(block)
    members = [m.unit_id for m in services.scoring_members(block)]
    access = selectors.block_access(request.user, block, members, selectors.roles_of(block))
    if not access.results:
        raise Http404(_("The results of this block are not published yet."))
    return render(
        request,
        "emulation/matrix.html",
        {"emu_block": block, "covenant": covenant, "matrix": score_matrix(covenant)},
    )

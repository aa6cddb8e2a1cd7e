"""Pages of emulation work: movements and their registrations, the block dashboard, the
covenant and its signing, scoring sheets (htmx per criterion, a plain form without
JavaScript, XLSX round trip), the "who scored whom" matrix.

Thin: they parse input, start from `selectors.visible_blocks` / `visible_movements`
(which start from `thidua.accounts.scope`) and call the verbs of `services`. A block or
sheet the user may not see answers 404, like one that does not exist; a change the user
may not make answers 403 (the verb's `PermissionDenied`).
"""

import datetime
import re
import uuid
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.emulation import selectors, services, xlsx
from thidua.emulation.choices import (
    DEFAULT_TIE_BREAKS,
    BlockRoleKind,
    CovenantStatus,
    GroupKind,
    ScoreKind,
)
from thidua.emulation.documents import covenant_document
from thidua.emulation.forms import (
    AttachmentForm,
    BlockForm,
    CovenantForm,
    CriterionFormSet,
    CriterionRowForm,
    GroupFormSet,
    GroupRowForm,
    MovementForm,
    RegistrationForm,
    ReopenForm,
    RolesForm,
    SignForm,
    UploadForm,
    YearForm,
    add_service_errors,
    add_tree_errors,
    posted_group_codes,
    posted_rows,
    tree_specs,
)
from thidua.emulation.models import (
    Block,
    Criterion,
    MovementAttachment,
    Registration,
    Score,
    Signature,
)
from thidua.emulation.ranking import score_matrix, tie_break_label
from thidua.rules.catalog import get_catalog
from thidua.vietnamese import fold

UNIT_CHOICE_LIMIT = 300
CHART_WIDTH = 420  # px of the longest bar


def _today():
    return timezone.localdate()


def _block(request, year: int, code: str) -> Block:
    blocks = selectors.visible_blocks(request.user).select_related("organiser", "movement")
    block = get_object_or_404(blocks, year=year, code=code)
    # The reverse one-to-one is read once here; `covenant` is None when there is none.
    block.covenant_or_none = block.covenant if selectors.has_covenant(block) else None
    return block


def _covenant(block):
    if block.covenant_or_none is None:
        raise Http404(_("This block has no covenant yet."))
    return block.covenant_or_none


# --------------------------------------------------------------------------- lists


@login_required
def index(request):
    blocks = selectors.visible_blocks(request.user).select_related("organiser")
    years = sorted(set(blocks.values_list("year", flat=True)), reverse=True)
    form = YearForm(request.GET, years=years)
    year = form.year()
    if year:
        blocks = blocks.filter(year=year)
    movements = selectors.visible_movements(request.user).select_related("launched_by")
    if year:
        movements = movements.filter(year=year)
    return render(
        request,
        "emulation/index.html",
        {
            "form": form,
            "blocks": blocks.order_by("-year", "name"),
            "movements": movements.order_by("-year", "name"),
            "may_act": selectors.may_act(request.user),
        },
    )


def _movement(request, code):
    return get_object_or_404(
        selectors.visible_movements(request.user).select_related("launched_by"), code=code
    )


def _attachment_form(*args):
    return AttachmentForm(*args, max_bytes=services.attachment_max_bytes())


def _movement_page(request, movement, *, attachment_form=None, status=200):
    blocks = list(
        selectors.visible_blocks(request.user)
        .filter(movement=movement)
        .select_related("organiser")
        .prefetch_related("leads__unit")
        .order_by("name")
    )
    registrations = scope.restrict(
        Registration.objects.filter(movement=movement), request.user, unit="unit", person="person"
    )
    manage = scope.can(request.user, Action.CHANGE, movement.launched_by)
    if manage and attachment_form is None:
        attachment_form = _attachment_form()
    return render(
        request,
        "emulation/movement_detail.html",
        {
            "movement": movement,
            "reviews": movement.reviews.all(),
            "blocks": blocks,
            "registration_count": registrations.count(),
            "attachments": movement.attachments.select_related("uploaded_by"),
            "attachment_form": attachment_form if manage else None,
            "manage": manage,
        },
        status=status,
    )


@login_required
def movement_detail(request, code):
    return _movement_page(request, _movement(request, code))


@login_required
@require_POST
def attachment_upload(request, code):
    """Attach a file to the movement (the launching unit's officers); without
    JavaScript, a plain multipart form. A refused file re-shows the page with the
    message on the form, and nothing is stored."""
    movement = _movement(request, code)
    scope.require(request.user, Action.CHANGE, movement.launched_by)
    form = _attachment_form(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attach_to_movement(
                movement,
                form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is attached.") % {"name": attachment.original_name}
            )
            return redirect("emulation:movement", code=movement.code)
    return _movement_page(request, movement, attachment_form=form, status=400)


def content_disposition(name: str) -> str:
    """`attachment` with the original (Vietnamese) name, RFC 6266: `filename*` in UTF-8
    for every current browser, and a plain ASCII `filename` (diacritics dropped) for old
    clients."""
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", fold(name)) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"


@login_required
def attachment_download(request, code, pk):
    """Send an attachment to whoever may see its movement (404 to anyone else, as for a
    file that does not exist), under its original name; never shown inline."""
    movement = _movement(request, code)
    attachment = get_object_or_404(MovementAttachment, movement=movement, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the store.")) from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, code, pk):
    movement = _movement(request, code)
    attachment = get_object_or_404(MovementAttachment, movement=movement, pk=pk)
    services.remove_attachment(attachment, actor=request.user)
    messages.success(request, _("%(name)s is removed.") % {"name": attachment.original_name})
    return redirect("emulation:movement", code=movement.code)


def _registration_units(user):
    return list(scope.units(user, Action.CHANGE).order_by("sort_key", "code")[:UNIT_CHOICE_LIMIT])


# --------------------------------------------------------------------------- creation pages


def _acting_units(user):
    units = selectors.acting_units(user, UNIT_CHOICE_LIMIT)
    if not units:
        raise PermissionDenied(_("You may act for no unit."))
    return units


@login_required
def movement_new(request):
    """Launch a movement for a unit the user may change (`services.launch_movement`)."""
    form = MovementForm(request.POST or None, units=_acting_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.launch_movement(actor=request.user, **form.verb_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The movement is launched."))
            return redirect("emulation:movement", code=movement.code)
    return render(
        request,
        "emulation/movement_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def block_new(request):
    """Set up a block with its members and, optionally, its leader and deputies
    (`services.set_up_block`)."""
    movements = selectors.visible_movements(request.user).order_by("-year", "name")
    movements = movements[:UNIT_CHOICE_LIMIT]
    form = BlockForm(
        request.POST or None,
        user=request.user,
        units=_acting_units(request.user),
        movements=list(movements),
        initial={"year": _today().year},
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
        request,
        "emulation/block_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def registrations(request, code):
    """The movement's registrations the user may see, rolled up by block and by title;
    a unit's officer registers its titles and its people's here."""
    movement = get_object_or_404(
        selectors.visible_movements(request.user).select_related("launched_by"), code=code
    )
    units = _registration_units(request.user)
    form = RegistrationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        try:
            services.register_title(
                movement,
                unit=unit,
                person=form.cleaned_data["person"],
                award_code=form.cleaned_data["award_code"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Registration recorded."))
            return redirect("emulation:registrations", code=movement.code)
    rows = list(
        scope.restrict(
            Registration.objects.filter(movement=movement),
            request.user,
            unit="unit",
            person="person",
        )
        .select_related("unit", "person")
        .order_by("unit__sort_key", "person__sort_key", "award_code")
    )
    catalog = get_catalog()
    for r in rows:
        entry = catalog.get(r.award_code)
        r.award_name = entry.name if entry else r.award_code
    by_award: dict[str, int] = {}
    for r in rows:
        by_award[r.award_name] = by_award.get(r.award_name, 0) + 1
    by_unit: dict[int, list] = {}
    for r in rows:
        by_unit.setdefault(r.unit_id, []).append(r)
    blocks = []
    for block in (
        selectors.visible_blocks(request.user)
        .filter(movement=movement)
        .prefetch_related("memberships__unit")
        .order_by("name")
    ):
        members = sorted({m.unit for m in block.memberships.all()}, key=lambda u: u.sort_key)
        blocks.append((block, [(u, by_unit.get(u.pk, [])) for u in members]))
    open_now = not movement.registration_deadline or _today() <= movement.registration_deadline
    return render(
        request,
        "emulation/registrations.html",
        {
            "movement": movement,
            "rows": rows,
            "by_award": sorted(by_award.items()),
            "blocks": blocks,
            "form": form if units and open_now else None,
            "open_now": open_now,
        },
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- block


def _chart(ranking):
    """Bars of the ranking for a server-rendered SVG: (standing, y, width)."""
    if ranking is None or not ranking.standings:
        return None
    top = max([s.final for s in ranking.standings] + [ranking.tree.base_max, 1])
    bars = []
    for i, s in enumerate(ranking.standings):
        width = int(max(s.final, 0) * CHART_WIDTH / top)
        bars.append({"s": s, "y": 10 + i * 30, "width": width, "end": 230 + width + 6})
    return {"bars": bars, "height": 20 + 30 * len(bars), "width": 230 + CHART_WIDTH + 80}


@login_required
def block_dashboard(request, year, code):
    block = _block(request, year, code)
    page = selectors.block_page(block, request.user, _today(), request.GET.get("don_vi", ""))
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
    block = _block(request, year, code)
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


def _perform(request, call, success):
    """Run a button's service verb: a refusal becomes an error message (the verb wrote
    nothing), a success the message `success(result)`."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success(result))
    return result


@login_required
@require_POST
def lock(request, year, code):
    block = _block(request, year, code)
    _perform(
        request,
        lambda: services.lock_scoring(_covenant(block), actor=request.user),
        lambda _result: _("Scoring is locked."),
    )
    return redirect("emulation:block", year=year, code=code)


@login_required
@require_POST
def reopen(request, year, code):
    block = _block(request, year, code)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("emulation:block", year=year, code=code)
    _perform(
        request,
        lambda: services.reopen_scoring(
            _covenant(block),
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
    block = _block(request, year, code)
    _perform(
        request,
        lambda: services.publish_results(_covenant(block), actor=request.user),
        lambda leads: (
            _("Results published; leading: %(units)s.")
            % {"units": ", ".join(lead.unit.name for lead in leads)}
        ),
    )
    return redirect("emulation:block", year=year, code=code)


@login_required
def matrix(request, year, code):
    block = _block(request, year, code)
    covenant = _covenant(block)
    members = [m.unit_id for m in services.scoring_members(block)]
    access = selectors.block_access(request.user, block, members, selectors.roles_of(block))
    if not access.results:
        raise Http404(_("The results of this block are not published yet."))
    return render(
        request,
        "emulation/matrix.html",
        {"emu_block": block, "covenant": covenant, "matrix": score_matrix(covenant)},
    )


# --------------------------------------------------------------------------- covenant


@login_required
def covenant_detail(request, year, code):
    block = _block(request, year, code)
    covenant = _covenant(block)
    members = services.scoring_members(block)
    signatures = {s.unit_id: s for s in Signature.objects.filter(covenant=covenant)}
    can_sign = [
        m.unit
        for m in members
        if m.unit_id not in signatures and scope.can(request.user, Action.CHANGE, m.unit)
    ]
    form = None
    if covenant.status == "open" and can_sign:
        form = SignForm(request.POST or None, units=can_sign)
        if request.method == "POST" and form.is_valid():
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
            else:
                messages.success(
                    request, _("%(unit)s has signed the covenant.") % {"unit": unit.name}
                )
                return redirect("emulation:covenant", year=year, code=code)
    elif request.method == "POST":
        raise PermissionDenied(_("There is nothing you may sign here."))
    groups = _criteria_tree(covenant)
    return render(
        request,
        "emulation/covenant.html",
        {
            "emu_block": block,
            "covenant": covenant,
            "groups": groups,
            "rows": [(m.unit, signatures.get(m.unit_id)) for m in members],
            "form": form,
            "tie_breaks": [tie_break_label(r) for r in covenant.tie_breaks],
            "manage": scope.can(request.user, Action.CHANGE, block.organiser),
        },
        status=400 if request.method == "POST" else 200,
    )


COVENANT_ROWS = {"groups": 4, "criteria": 10}  # empty rows of a new covenant
MORE_ROWS = {"groups": 2, "criteria": 5}  # empty rows added below the filled ones


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
    return "" if value is None else _plain(value)


@login_required
def covenant_edit(request, year, code):
    """Draft the block's covenant, or change the draft: the header and the criteria tree
    (groups; criteria with their maximum; bonus and penalty items with caps), on one
    page without JavaScript. "More rows" adds empty rows and keeps what was typed.
    Saving calls `services.create_covenant` or `services.revise_covenant`, whose
    problems are shown on the row and field they name."""
    block = _block(request, year, code)
    scope.require(request.user, Action.CHANGE, block.organiser)
    covenant = block.covenant_or_none
    if covenant is not None and covenant.status != CovenantStatus.DRAFT:
        messages.info(request, _("The covenant is open: its criteria are fixed."))
        return redirect("emulation:covenant", year=year, code=code)
    tree_errors, status = [], 200
    if request.method != "POST":
        if covenant is None:
            header = CovenantForm(
                initial={
                    "title": _("Emulation covenant %(year)s") % {"year": block.year},
                    "scoring_deadline": datetime.date(block.year, 12, 15),
                    "tie_break_1": DEFAULT_TIE_BREAKS[0],
                    "tie_break_2": DEFAULT_TIE_BREAKS[1],
                }
            )
            groups, criteria = _tree_formsets(extra=COVENANT_ROWS)
        else:
            rows = _tree_rows(covenant)
            header = CovenantForm(
                initial=CovenantForm.initial_from(covenant),
                group_codes=[g["code"] for g in rows["groups"]],
            )
            groups, criteria = _tree_formsets(rows=rows)
    elif "more" in request.POST:
        groups, criteria = _tree_formsets(request.POST)
        rows = {"groups": posted_rows(groups), "criteria": posted_rows(criteria)}
        header = CovenantForm(
            initial=request.POST.dict() | {"trim_extremes": "trim_extremes" in request.POST},
            group_codes=[g["code"] for g in rows["groups"] if g.get("code")],
        )
        groups, criteria = _tree_formsets(rows=rows)
    else:
        groups, criteria = _tree_formsets(request.POST)
        header = CovenantForm(request.POST, group_codes=posted_group_codes(request.POST))
        status = 400
        specs = tree_specs(groups, criteria)
        if header.is_valid() and specs is not None:
            try:
                if covenant is None:
                    services.create_covenant(
                        block, groups=specs, actor=request.user, **header.verb_arguments()
                    )
                else:
                    services.revise_covenant(
                        covenant, groups=specs, actor=request.user, **header.verb_arguments()
                    )
            except ValidationError as exc:
                tree_errors = add_tree_errors(header, groups, criteria, exc)
            else:
                messages.success(request, _("The covenant is saved as a draft."))
                return redirect("emulation:covenant", year=year, code=code)
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
    block = _block(request, year, code)
    _perform(
        request,
        lambda: services.open_covenant(_covenant(block), actor=request.user),
        lambda _result: _("The covenant is open for signing and scoring."),
    )
    return redirect("emulation:covenant", year=year, code=code)


def _criteria_tree(covenant):
    groups = list(covenant.groups.all())
    by_group = {g.pk: g for g in groups}
    for g in groups:
        g.items = []
    for c in covenant.criteria.all():
        by_group[c.group_id].items.append(c)
    return groups


@login_required
def covenant_docx(request, year, code):
    block = _block(request, year, code)
    covenant = _covenant(block)
    content = covenant_document(covenant)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="giao-uoc-{block.code}-{block.year}.docx"'
    )
    return response


# --------------------------------------------------------------------------- scoring sheets


class Sheet:
    """One scoring sheet as a page sees it: the covenant, who scores whom, the criteria,
    the saved scores, and what the user may do."""

    def __init__(self, request, year, code, kind, scorer, target):
        self.block = _block(request, year, code)
        self.covenant = _covenant(self.block)
        if kind not in ScoreKind.values:
            raise Http404
        members = services.scoring_members(self.block)
        units = {m.unit.code: m.unit for m in members}
        if scorer not in units or target not in units:
            raise Http404
        self.kind = kind
        self.scorer, self.target = units[scorer], units[target]
        roles = selectors.roles_of(self.block)
        self.access = selectors.block_access(
            request.user, self.block, [u.pk for u in units.values()], roles
        )
        if not selectors.can_view_sheet(self.access, self.scorer.pk):
            raise Http404
        try:
            services.check_sheet(
                self.covenant, self.scorer, self.target, kind, {u.pk for u in units.values()}, roles
            )
        except ValidationError:
            raise Http404 from None
        self.locked = self.covenant.is_locked(_today())
        self.editable = self.scorer.pk in self.access.change_units and not self.locked
        self.criteria = list(
            Criterion.objects.filter(covenant=self.covenant)
            .select_related("group")
            .order_by("group__position", "position")
        )
        self.scores = {
            s.criterion_id: s
            for s in Score.objects.filter(
                covenant=self.covenant, scorer=self.scorer, target=self.target, kind=kind
            )
        }

    def url_args(self):
        return [self.block.year, self.block.code, self.kind, self.scorer.code, self.target.code]

    def row(self, criterion, posted=None, error="", saved=False):
        score = self.scores.get(criterion.pk)
        if posted is not None:
            points, evidence = posted
        else:
            points = "" if score is None else _plain(score.points)
            evidence = "" if score is None else score.evidence
        low = -criterion.max_points if criterion.group.kind == GroupKind.PENALTY else 0
        high = 0 if criterion.group.kind == GroupKind.PENALTY else criterion.max_points
        return {
            "c": criterion,
            "points": points,
            "evidence": evidence,
            "error": error,
            "saved": saved,
            "low": low,
            "high": high,
        }

    def groups(self, posted=None, errors=None):
        """[(group, [row, …]), …] in the covenant's order."""
        groups = []
        for c in self.criteria:
            row = self.row(c, (posted or {}).get(c.pk), (errors or {}).get(c.pk, ""))
            if not groups or groups[-1][0].pk != c.group_id:
                groups.append((c.group, []))
            groups[-1][1].append(row)
        return groups

    def posted(self, data) -> dict:
        return {
            c.pk: (data.get(f"points-{c.pk}", "").strip(), data.get(f"evidence-{c.pk}", "").strip())
            for c in self.criteria
            if f"points-{c.pk}" in data
        }

    def row_errors(self, posted) -> dict:
        """Per-criterion problems, by the same check the verb makes (`clean_points`)."""
        errors = {}
        for c in self.criteria:
            if c.pk in posted:
                try:
                    services.clean_points(c, c.group.kind, posted[c.pk][0])
                except ValidationError as exc:
                    errors[c.pk] = " ".join(exc.messages)
        return errors

    def save(self, request, posted):
        by_pk = {c.pk: c for c in self.criteria}
        return services.save_scores(
            self.covenant,
            scorer=self.scorer,
            target=self.target,
            kind=self.kind,
            entries=[
                services.ScoreEntry(by_pk[pk].code, points, evidence)
                for pk, (points, evidence) in posted.items()
            ],
            actor=request.user,
        )


def _plain(points) -> str:
    """Points as typed: no trailing zeros, a comma for the decimals (Vietnamese)."""
    text = format(points.normalize(), "f")
    return text.replace(".", ",")


@login_required
def sheet(request, year, code, kind, scorer, target):
    """The whole sheet; posting it (without JavaScript) saves every criterion at once."""
    s = Sheet(request, year, code, kind, scorer, target)
    posted, errors, status = None, None, 200
    if request.method == "POST":
        posted = s.posted(request.POST)
        errors = s.row_errors(posted)
        if not errors:
            try:
                s.save(request, posted)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                messages.success(request, _("Scores saved."))
                return redirect(reverse("emulation:sheet", args=s.url_args()))
        else:
            status = 400
    return render(
        request,
        "emulation/sheet.html",
        {"s": s, "groups": s.groups(posted, errors), "upload_form": UploadForm()},
        status=status,
    )


@login_required
@require_POST
def sheet_cell(request, year, code, kind, scorer, target):
    """htmx: save one criterion and answer its row, saved or with the problem."""
    s = Sheet(request, year, code, kind, scorer, target)
    criterion = next((c for c in s.criteria if c.code == request.POST.get("criterion")), None)
    if criterion is None:
        raise Http404
    posted = s.posted(request.POST).get(criterion.pk, ("", ""))
    error, saved = "", False
    try:
        s.save(request, {criterion.pk: posted})
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        saved = True
        s.scores = {
            x.criterion_id: x
            for x in Score.objects.filter(
                covenant=s.covenant,
                scorer=s.scorer,
                target=s.target,
                kind=s.kind,
                criterion=criterion,
            )
        }
    row = s.row(criterion, None if saved else posted, error, saved)
    return render(request, "emulation/_sheet_row.html", {"s": s, "row": row})


@login_required
def sheet_xlsx(request, year, code, kind, scorer, target):
    s = Sheet(request, year, code, kind, scorer, target)
    content = xlsx.sheet_template(s.covenant, s.scorer, s.target, s.kind, s.criteria, s.scores)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"cham-diem-{s.block.year}-{s.kind}-{s.scorer.code}-{s.target.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


SESSION_KEY = "emulation_upload"


@login_required
@require_POST
def sheet_upload(request, year, code, kind, scorer, target):
    """Upload a filled-in template: a preview with every problem named by row and column,
    nothing saved; "commit" then saves the previewed rows in one transaction."""
    s = Sheet(request, year, code, kind, scorer, target)
    if not s.editable:
        raise PermissionDenied(_("This sheet cannot be changed."))
    if "commit" in request.POST:
        pending = request.session.get(SESSION_KEY) or {}
        if (
            pending.get("token") != request.POST.get("token")
            or pending.get("sheet") != s.url_args()
        ):
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect(reverse("emulation:sheet", args=s.url_args()))
        entries = [services.ScoreEntry(*e) for e in pending["entries"]]
        try:
            services.save_scores(
                s.covenant,
                scorer=s.scorer,
                target=s.target,
                kind=s.kind,
                entries=entries,
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Scores saved from the file."))
        request.session.pop(SESSION_KEY, None)
        return redirect(reverse("emulation:sheet", args=s.url_args()))

    form = UploadForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        preview = xlsx.read_sheet(
            form.cleaned_data["file"], s.covenant, s.scorer, s.target, s.kind, s.criteria
        )
        if not preview.problems:
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {
                "token": token,
                "sheet": s.url_args(),
                "entries": [[e.criterion, e.points, e.evidence] for e in preview.entries],
            }
            preview.token = token
    return render(
        request,
        "emulation/upload_preview.html",
        {"s": s, "form": form, "preview": preview},
        status=200 if preview is not None and not preview.problems else 400,
    )

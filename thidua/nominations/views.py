"""Pages of award proposals: rounds, a dossier with its nominees and the moves the user
may make, adding nominees (engine suggestions with one click, the register picker, an
XLSX import with a preview), a nominee's achievement, a move's confirmation, and the
comparison of the frozen eligibility with the records.

Thin: they start from `selectors` (which start from `thidua.accounts.scope`) and call the
verbs of `services`. A round or dossier the user may not see answers 404, like one that
does not exist; a refused change comes back as a message on the page (the verb has
audited the attempt) and nothing is changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.nominations import documents, report, selectors, services, views_publicity, xlsx
from thidua.nominations.choices import LEVEL_OF_KIND, Source, SubjectKind
from thidua.nominations.forms import (
    AddForm,
    DocumentForm,
    DossierForm,
    ImportForm,
    NomineeForm,
    PickForm,
    ReturnForm,
    RoundForm,
    award_choices,
)
from thidua.nominations.services.eligibility import live_verdicts
from thidua.nominations.services.nominees import EDITABLE
from thidua.nominations.workflow import FIX_FIELDS, TRANSITIONS
from thidua.org.models import Employment, Household, Person, Unit
from thidua.records.models import Initiative
from thidua.rules import services as rules_services
from thidua.rules.definitions import get_definitions
from thidua.rules.messages import VERDICT_LABELS
from thidua.vietnamese import fold, format_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PICK_LIMIT = 30
IMPORT_SALT = "thidua.nominations.import"


def _today():
    return timezone.localdate()


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


def _form_errors(form, exc: ValidationError) -> None:
    """A verb's refusal on the form: on its field when it names one, else above it."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _dossier(request, pk):
    return get_object_or_404(selectors.visible_dossiers(request.user), pk=pk)


def _may_edit(request, dossier) -> bool:
    return dossier.state in EDITABLE and scope.can(request.user, Action.CHANGE, dossier.unit)


def _edit_or_refuse(request, dossier) -> bool:
    if _may_edit(request, dossier):
        return True
    if dossier.state not in EDITABLE:
        messages.error(
            request,
            _(
                "The dossier is %(state)s; nominees can be changed only in a draft or a returned dossier."
            )
            % {"state": str(dossier.get_state_display()).lower()},
        )
    else:
        messages.error(
            request,
            _("Only an emulation officer of %(unit)s may change this dossier.")
            % {"unit": dossier.unit.name},
        )
    return False


# --------------------------------------------------------------------------- rounds


def _organisable_units(user):
    kinds = list(LEVEL_OF_KIND)
    return scope.units(user, Action.CHANGE).filter(kind__in=kinds, dissolved_on__isnull=True)


@login_required
def round_list(request):
    rounds = selectors.visible_rounds(request.user).order_by("-year", "name")
    return render(
        request,
        "nominations/round_list.html",
        {"rounds": rounds, "may_open": _organisable_units(request.user).exists()},
    )


@login_required
def round_new(request):
    units = _organisable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("You may not open a round."))
    form = RoundForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.open_round(
                data["unit"],
                year=data["year"],
                kind=data["kind"],
                name=data["name"],
                deadline=data["deadline"],
                actor=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The round is open."))
            return redirect("nominations:round", round_.pk)
    return render(request, "nominations/round_form.html", {"form": form})


def _proposing_units(request, round_):
    below = scope.subtree_ids([round_.unit_id]) - {round_.unit_id}
    taken = round_.dossiers.values("unit_id")
    return (
        scope.units(request.user, Action.CHANGE)
        .filter(pk__in=below, dissolved_on__isnull=True)
        .exclude(pk__in=taken)
    )


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=pk)
    units = _proposing_units(request, round_)
    form = DossierForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.start_dossier(round_, form.cleaned_data["unit"], actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            _refused(request, exc)
        else:
            return redirect("nominations:dossier", dossier.pk)
    today = _today()
    dossiers = list(selectors.round_dossiers(round_, request.user))
    for d in dossiers:
        d.overdue = d.is_overdue(today)
    return render(
        request,
        "nominations/round_detail.html",
        {"round": round_, "dossiers": dossiers, "form": form, "may_start": units.exists()},
    )


# --------------------------------------------------------------------------- dossier


@login_required
def dossier_detail(request, pk):
    dossier = _dossier(request, pk)
    rows = selectors.nominee_rows(dossier)
    live = {}
    if dossier.frozen_at is None and rows:
        live = live_verdicts(dossier, rows, _today())
    base = reverse("nominations:nominee", args=[dossier.pk, 0])[: -len("0/")]
    year = dossier.round.year
    for n in rows:
        n.shown_verdict = n.verdict or live.get(n.pk, "")
        n.verdict_label = VERDICT_LABELS.get(n.shown_verdict, "")
        n.url = f"{base}{n.pk}/"
        n.name = n.person.full_name if n.person_id else str(n.recipient)
        n.period = f"{format_date(n.period_start)}–{format_date(n.period_end)}"
        n.explain_url = _explanation_url(n, year)
    actions = selectors.actions_for(request.user, dossier)
    return render(
        request,
        "nominations/dossier_detail.html",
        {
            "dossier": dossier,
            "round": dossier.round,
            "rows": rows,
            "live": bool(live),
            "actions": actions,
            "may_edit": _may_edit(request, dossier),
            "overdue": dossier.is_overdue(_today()),
            "return_fields": [FIX_FIELDS[f] for f in dossier.return_fields if f in FIX_FIELDS],
            "history": dossier.transitions.order_by("at", "pk"),
            "rule_set": _rule_set_name(dossier.frozen_rule_set),
            "documents": dossier.documents.select_related("nominee__person", "nominee__unit"),
            "missing": services.missing_documents(dossier) if dossier.state in EDITABLE else [],
            "document_form": _document_form(dossier),
            **views_publicity.section(request.user, dossier),
        },
    )


def _explanation_url(nominee, year) -> str:
    """The explanation page of a nominee whose verdict awaits a judgement (where the
    council attests its qualitative criteria); empty for other verdicts."""
    if nominee.shown_verdict != "needs_attestation":
        return ""
    if nominee.person_id:
        kind, code = "ca-nhan", nominee.person.code
    elif nominee.unit_id:
        kind, code = "don-vi", nominee.unit.code
    else:
        kind, code = "ho-gia-dinh", nominee.household.code
    url = reverse("rules:explanation", args=[kind, code, nominee.award_code])
    return f"{url}?nam={year}"


def _rule_set_name(rule_set_id: str) -> str:
    rule_set = get_definitions().rule_sets.get(rule_set_id)
    return rule_set.name if rule_set else ""


@login_required
def move(request, pk, verb):
    dossier = _dossier(request, pk)
    transition = TRANSITIONS.get(verb)
    if transition is None:
        raise Http404
    form = ReturnForm(request.POST or None) if transition.needs_reason else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            services.move(
                dossier,
                verb,
                actor=request.user,
                reason=data.get("reason", ""),
                fields=data.get("fields", ()),
            )
        except (PermissionDenied, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("Done: %(action)s.") % {"action": str(transition.label).lower()}
            )
        return redirect("nominations:dossier", dossier.pk)
    return render(
        request,
        "nominations/move_confirm.html",
        {"dossier": dossier, "transition": transition, "form": form},
    )


def _document_form(dossier, data=None, files=None):
    nominees = dossier.nominees.select_related("person", "unit").order_by("pk")
    return DocumentForm(data, files, nominees=nominees)


@login_required
def document_upload(request, pk):
    dossier = _dossier(request, pk)
    if request.method == "POST" and _edit_or_refuse(request, dossier):
        form = _document_form(dossier, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.attach_document(
                    dossier, data["file"], kind=data["kind"], nominee=data["nominee"],
                    actor=request.user,
                )  # fmt: skip
            except (PermissionDenied, ValidationError) as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("%(name)s attached.") % {"name": data["file"].name})
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return redirect(f"{reverse('nominations:dossier', args=[dossier.pk])}#h-documents")


@login_required
def document_download(request, pk, document_pk):
    dossier = _dossier(request, pk)
    document = get_object_or_404(dossier.documents, pk=document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from the data directory.")) from exc
    return FileResponse(
        handle, as_attachment=True, filename=document.original_name,
        content_type=document.content_type,
    )  # fmt: skip


@require_POST
@login_required
def document_remove(request, pk, document_pk):
    dossier = _dossier(request, pk)
    document = get_object_or_404(dossier.documents, pk=document_pk)
    try:
        services.remove_document(document, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(name)s removed.") % {"name": document.original_name})
    return redirect(f"{reverse('nominations:dossier', args=[dossier.pk])}#h-documents")


@login_required
def proposal_letter(request, pk):
    dossier = _dossier(request, pk)
    response = HttpResponse(documents.proposal_letter(dossier, day=_today()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="to-trinh-{dossier.pk}.docx"'
    return response


@login_required
def achievement_report(request, pk, nominee_pk):
    """A nominee's achievement report (.docx) in the form that fits it (`report.py`)."""
    dossier = _dossier(request, pk)
    nominee = get_object_or_404(
        dossier.nominees.select_related("person", "unit", "household__commune"), pk=nominee_pk
    )
    nominee.dossier = dossier
    content = report.achievement_report(nominee, day=_today())
    response = HttpResponse(content, content_type=DOCX)
    filename = f"bao-cao-thanh-tich-{dossier.pk}-{nominee.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def compare(request, pk):
    dossier = _dossier(request, pk)
    changes = services.compare(dossier)
    for change in changes:
        change["frozen_label"] = VERDICT_LABELS.get(change["frozen_verdict"], "")
        change["current_label"] = VERDICT_LABELS.get(change["current_verdict"], "")
    return render(request, "nominations/compare.html", {"dossier": dossier, "changes": changes})


# --------------------------------------------------------------------------- adding nominees


def _add(request, dossier, spec) -> bool:
    try:
        services.add_nominee(dossier, spec, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
        return False
    except PermissionDenied as exc:
        _refused(request, exc)
        return False
    messages.success(request, _("%(name)s added.") % {"name": spec.recipient})
    return True


def _recipient(kind, subject_id) -> dict:
    """The recipient of an add form, as NomineeSpec keyword arguments ({} if none)."""
    model, key = {
        SubjectKind.PERSON: (Person, "person"),
        SubjectKind.UNIT: (Unit, "unit"),
        SubjectKind.HOUSEHOLD: (Household, "household"),
    }[kind]
    found = model.objects.filter(pk=subject_id).first()
    return {key: found} if found is not None else {}


@login_required
def suggestions(request, pk):
    """The engine's suggestions for the proposing unit and the round's year; each one a
    single click away from the dossier."""
    dossier = _dossier(request, pk)
    if request.method == "POST":
        form = AddForm(request.POST)
        if form.is_valid() and _edit_or_refuse(request, dossier):
            recipient = _recipient(form.cleaned_data["kind"], form.cleaned_data["subject"])
            if recipient:
                spec = services.NomineeSpec(
                    award_code=form.cleaned_data["award"], source=Source.SUGGESTION, **recipient
                )
                _add(request, dossier, spec)
        return redirect("nominations:suggestions", dossier.pk)
    found = rules_services.unit_suggestions(dossier.unit, dossier.round.year, user=request.user)
    taken = set(dossier.nominees.values_list("subject_kind", "person_id", "unit_id", "award_code"))
    problems = {}
    rows = []
    for r in found:
        key = (r.award_code, r.subject_kind)
        if key not in problems:
            problems[key] = services.award_problem(dossier, r.award_code, r.subject_kind)
        if problems[key]:
            continue
        is_person = r.subject_kind == SubjectKind.PERSON
        ids = (
            r.subject_kind,
            r.subject_id if is_person else None,
            None if is_person else r.subject_id,
            r.award_code,
        )
        rows.append({"result": r, "added": ids in taken})
    return render(
        request,
        "nominations/suggestions.html",
        {"dossier": dossier, "rows": rows, "may_edit": _may_edit(request, dossier)},
    )


@login_required
def pick(request, pk):
    """The register: people employed, or units, in the proposing unit's subtree."""
    dossier = _dossier(request, pk)
    if request.method == "POST":
        form = AddForm(request.POST)
        if form.is_valid() and _edit_or_refuse(request, dossier):
            recipient = _recipient(form.cleaned_data["kind"], form.cleaned_data["subject"])
            if recipient:
                spec = services.NomineeSpec(award_code=form.cleaned_data["award"], **recipient)
                _add(request, dossier, spec)
        return redirect(
            f"{reverse('nominations:pick', args=[dossier.pk])}?{request.GET.urlencode()}"
        )
    form = PickForm(request.GET)
    kind, query = form.kind(), form.query()
    inside = scope.subtree_ids([dossier.unit_id]) & _visible_ids(request.user)
    if kind == SubjectKind.PERSON:
        found = scope.people(request.user).filter(
            pk__in=Employment.objects.filter(unit_id__in=inside).values("person_id")
        )
        if query:
            found = found.filter(search_name__contains=" " + fold(query)) | found.filter(code=query)
    elif kind == SubjectKind.UNIT:
        found = Unit.objects.filter(pk__in=inside)
        if query:
            found = found.filter(search_name__contains=fold(query)) | found.filter(code=query)
    else:
        found = Household.objects.filter(commune_id__in=inside)
        if query:
            found = found.filter(search_name__contains=fold(query)) | found.filter(code=query)
    return render(
        request,
        "nominations/pick.html",
        {
            "dossier": dossier,
            "form": form,
            "kind": kind,
            "found": list(found.order_by("sort_key")[:PICK_LIMIT]),
            "limit": PICK_LIMIT,
            "awards": award_choices(dossier, kind),
            "may_edit": _may_edit(request, dossier),
        },
    )


def _visible_ids(user) -> set[int]:
    ids = scope.unit_ids_for(user)
    return set(Unit.objects.values_list("pk", flat=True)) if ids is None else set(ids)


@login_required
def import_template(request, pk):
    dossier = _dossier(request, pk)
    response = HttpResponse(xlsx.template(dossier), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="de-nghi-{dossier.pk}.xlsx"'
    return response


@login_required
def import_nominees(request, pk):
    """Upload → a preview of every row with its problems → confirm (all rows or none)."""
    dossier = _dossier(request, pk)
    preview = None
    payload = ""
    form = ImportForm()
    if request.method == "POST" and _edit_or_refuse(request, dossier):
        if "payload" in request.POST:
            return _confirm_import(request, dossier)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            preview = xlsx.read(form.cleaned_data["file"], dossier)
            if not preview.problems:
                payload = signing.dumps(
                    {"dossier": dossier.pk, "sheet": preview.sheet,
                     "rows": [[r.number, r.values] for r in preview.rows]},
                    salt=IMPORT_SALT,
                )  # fmt: skip
    return render(
        request,
        "nominations/import.html",
        {"dossier": dossier, "form": form, "preview": preview, "payload": payload},
    )


def _confirm_import(request, dossier):
    try:
        data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("nominations:import", dossier.pk)
    if data.get("dossier") != dossier.pk:
        raise Http404
    preview = xlsx.Preview(
        sheet=data["sheet"], rows=[xlsx.ImportRow(n, values) for n, values in data["rows"]]
    )
    specs = xlsx.specs(preview, dossier)
    if preview.problems:
        for problem in preview.problems:
            messages.error(request, problem)
        return redirect("nominations:import", dossier.pk)
    try:
        services.add_nominees(dossier, specs, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
        return redirect("nominations:import", dossier.pk)
    messages.success(request, _("%(count)s nominees added.") % {"count": len(specs)})
    return redirect("nominations:dossier", dossier.pk)


# --------------------------------------------------------------------------- one nominee


@login_required
def nominee_edit(request, pk, nominee_pk):
    dossier = _dossier(request, pk)
    nominee = get_object_or_404(dossier.nominees.select_related("person", "unit"), pk=nominee_pk)
    if nominee.person_id:
        mine = Initiative.objects.filter(authors=nominee.person_id)
    elif nominee.household_id:
        members = nominee.household.members.values("pk")
        mine = Initiative.objects.filter(authors__in=members).distinct()
    else:
        staff = Employment.objects.filter(unit_id=nominee.unit_id).values("person_id")
        mine = Initiative.objects.filter(authors__in=staff).distinct()
    form = NomineeForm(
        request.POST or None,
        initiatives=mine.order_by("-recognised_on"),
        initial={
            "period_start": nominee.period_start,
            "period_end": nominee.period_end,
            "summary": nominee.summary,
            "initiatives": list(nominee.initiatives.all()),
        },
    )
    if request.method == "POST" and _edit_or_refuse(request, dossier):
        if "remove" in request.POST:
            try:
                services.remove_nominee(nominee, actor=request.user)
            except (PermissionDenied, ValidationError) as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("%(name)s removed.") % {"name": nominee.recipient})
            return redirect("nominations:dossier", dossier.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_nominee(
                    nominee,
                    summary=data["summary"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    initiatives=list(data["initiatives"]),
                    actor=request.user,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("nominations:dossier", dossier.pk)
    return render(
        request,
        "nominations/nominee_form.html",
        {
            "dossier": dossier,
            "nominee": nominee,
            "form": form,
            "may_edit": _may_edit(request, dossier),
            "frozen": nominee.frozen,
            "rule_set": _rule_set_name((nominee.frozen or {}).get("rule_set", "")),
        },
    )

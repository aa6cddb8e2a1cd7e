"""Pages of award decisions (`/quyet-dinh/`) and the public verification of a certificate
(`/xac-minh/<serial>/`).

Thin: they start from `selectors` (which start from `thidua.accounts.scope`) and call the
verbs of `services`. A decision the user may not see answers 404 like one that does not
exist; a refused verb comes back on the form (the verb has audited the attempt).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.audit import throttle
from thidua.audit.models import AuditEntry
from thidua.audit.services import log
from thidua.awards.catalog import get_catalog
from thidua.decisions import certificates, documents, selectors, services
from thidua.decisions.choices import DecisionKind
from thidua.decisions.forms import AnnulForm, CorrectForm, IssueForm, PrintForm
from thidua.decisions.models import PrinterOffset, Recipient
from thidua.records.choices import AwardStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 50


def _form_errors(form, exc) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _decision(request, pk):
    return get_object_or_404(selectors.visible_decisions(request.user), pk=pk)


def _whole(request, pk):
    """A decision the user sees whole (its authority in scope): downloads and changes."""
    decision = _decision(request, pk)
    if not selectors.may_see_whole(request.user, decision):
        raise Http404
    return decision


def _names(rows):
    catalog = get_catalog()
    for row in rows:
        entry = catalog.get(row.award_code)
        row.award_name = entry.name if entry else row.award_code
    return rows


@login_required
def decision_list(request):
    decisions = selectors.visible_decisions(request.user).order_by(
        "-decided_on", "-sequence", "-pk"
    )
    page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("page"))
    totals = services.totals(list(page.object_list))
    for d in page.object_list:
        d.total = totals["decision"].get(d.pk)
    may_issue = selectors.decidable(request.user).exists()
    return render(
        request,
        "decisions/list.html",
        {
            "page": page,
            "decisions": page.object_list,
            "funds": sorted(totals["fund"].items()),
            "may_issue": may_issue,
        },
    )


@login_required
def decision_issue(request):
    candidates = list(selectors.decidable(request.user))
    authorities = {n.dossier.round.unit_id: n.dossier.round.unit for n in candidates}
    if not authorities:
        raise PermissionDenied(_("No nominee passed by the council waits for your decision."))
    chosen = request.GET.get("don-vi") or request.POST.get("authority")
    try:
        authority = authorities[int(chosen)] if chosen else next(iter(authorities.values()))
    except (KeyError, ValueError):
        raise Http404 from None
    candidates = [n for n in candidates if n.dossier.round.unit_id == authority.pk]
    _names(candidates)
    initial = {"nominees": [str(n.pk) for n in candidates]}
    form = IssueForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.issue_decision(
                authority,
                [int(pk) for pk in data["nominees"]],
                decided_on=data["decided_on"],
                signer_name=data["signer_name"],
                signer_position=data["signer_position"],
                title=data["title"],
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Decision %(number)s issued.") % {"number": decision.number}
            )
            return redirect("decisions:detail", decision.pk)
    return render(
        request,
        "decisions/issue.html",
        {
            "form": form,
            "authority": authority,
            "authorities": list(authorities.values()),
            "candidates": candidates,
        },
    )


@login_required
def decision_detail(request, pk):
    decision = _decision(request, pk)
    whole = selectors.may_see_whole(request.user, decision)
    lines = _names(list(selectors.recipients(request.user, decision)))
    conferring = decision.kind == DecisionKind.CONFER
    may_change = conferring and whole and scope.can(request.user, Action.CHANGE, decision.authority)
    total = sum((r.to_recover if not conferring else r.amount) or 0 for r in lines)
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "lines": lines,
            "whole": whole,
            "conferring": conferring,
            "may_change": may_change,
            "may_annul": may_change and any(r.award.status == AwardStatus.VALID for r in lines),
            "total": total,
            "followed_by": decision.followed_by.order_by("decided_on", "pk"),
            "print_form": PrintForm(),
            "printers": PrinterOffset.objects.filter(unit=decision.authority).order_by("name"),
        },
    )


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_stem(decision) -> str:
    return f"quyet-dinh-{decision.sequence}-{decision.year}"


@login_required
def decision_docx(request, pk):
    decision = _whole(request, pk)
    return _attachment(documents.decision_docx(decision), DOCX, f"{_file_stem(decision)}.docx")


@login_required
def decision_xlsx(request, pk):
    decision = _whole(request, pk)
    return _attachment(documents.money_xlsx(decision), XLSX, f"{_file_stem(decision)}.xlsx")


@login_required
def certificates_pdf(request, pk):
    """Every certificate of the decision in one PDF (or one, `?so=<serial>`), shifted by a
    saved printer's offset (`?may-in=<id>`) or the one given (`dx_mm`, `dy_mm`)."""
    decision = _decision(request, pk)
    if decision.kind != DecisionKind.CONFER:
        raise Http404
    lines = selectors.recipients(request.user, decision)
    serial = request.GET.get("so")
    if serial:
        lines = lines.filter(serial=serial)
    lines = list(lines)
    if not lines:
        raise Http404
    dx = dy = 0
    printer = request.GET.get("may-in")
    if printer:
        offset = get_object_or_404(PrinterOffset, pk=printer, unit=decision.authority)
        dx, dy = offset.dx_mm, offset.dy_mm
    else:
        form = PrintForm(request.GET)
        if form.is_valid():
            dx, dy = form.cleaned_data["dx_mm"] or 0, form.cleaned_data["dy_mm"] or 0

    def verify_url(code):
        return request.build_absolute_uri(reverse("verify", args=[code]))

    content = certificates.render(lines, verify_url, dx_mm=dx, dy_mm=dy)
    name = f"bang-{serial}.pdf" if serial else f"{_file_stem(decision)}-bang.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def printer_save(request, pk):
    decision = _whole(request, pk)
    form = PrintForm(request.POST)
    name = (request.POST.get("name") or "").strip()
    if not form.is_valid() or not name:
        messages.error(request, _("Give the printer's name and its shifts in millimetres."))
    else:
        try:
            services.save_printer_offset(
                decision.authority,
                name,
                form.cleaned_data["dx_mm"] or 0,
                form.cleaned_data["dy_mm"] or 0,
                actor=request.user,
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Printer %(name)s saved.") % {"name": name})
    return redirect("decisions:detail", decision.pk)


def _change(request, pk, form_class, verb, template):
    decision = _whole(request, pk)
    if decision.kind != DecisionKind.CONFER or not scope.can(
        request.user, Action.CHANGE, decision.authority
    ):
        raise PermissionDenied(_("Only an emulation officer of the authority may do this."))
    lines = _names(list(decision.recipients.select_related("award")))
    kwargs = {"lines": [r for r in lines if r.award.status == AwardStatus.VALID]}
    if form_class is CorrectForm:
        kwargs = {}
    initial = {"signer_name": decision.signer_name, "signer_position": decision.signer_position}
    if form_class is AnnulForm:
        initial["recipients"] = [str(r.pk) for r in kwargs["lines"]]
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "recipients" in data:
            data["recipients"] = [int(x) for x in data["recipients"]]
        try:
            made = verb(decision, actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Decision %(number)s issued.") % {"number": made.number})
            return redirect("decisions:detail", made.pk)
    return render(request, template, {"decision": decision, "form": form, "lines": lines})


@login_required
def decision_annul(request, pk):
    return _change(request, pk, AnnulForm, services.annul_decision, "decisions/annul.html")


@login_required
def decision_correct(request, pk):
    return _change(request, pk, CorrectForm, services.correct_decision, "decisions/correct.html")


def _unknown_serial(serial: str) -> None:
    AuditEntry.objects.create(
        actor_label="anonymous",
        action="decisions.certificate.unknown",
        target_type="decisions.recipient",
        target_id=serial[:64],
        target_label=serial[:255],
    )


def verify(request, serial):
    """Public: the name, the award, the decision and whether it is still valid — nothing
    else about the person. An unknown serial answers a Vietnamese 404 page; a client over
    THIDUA_VERIFY_RATE_LIMIT requests a minute a Vietnamese 429 page."""
    if not throttle.allow(request, "decisions.verify", limit=settings.VERIFY_RATE_LIMIT):
        return render(request, "decisions/verify_throttled.html", status=429)
    recipient = (
        Recipient.objects.filter(serial=serial, decision__kind=DecisionKind.CONFER)
        .select_related("decision", "decision__authority", "award")
        .first()
    )
    if recipient is None:
        _unknown_serial(serial)
        return render(request, "decisions/verify_unknown.html", {"serial": serial}, status=404)
    valid = recipient.award.status == AwardStatus.VALID
    annulment = None
    if not valid:
        annulment = (
            Recipient.objects.filter(award=recipient.award, decision__kind=DecisionKind.ANNUL)
            .select_related("decision")
            .first()
        )
        log("decisions.certificate.annulled_checked", recipient, actor=request.user, message=serial)
    entry = get_catalog().get(recipient.award_code)
    return render(
        request,
        "decisions/verify.html",
        {
            "r": recipient,
            "award_name": entry.name_vi if entry else recipient.award_code,
            "valid": valid,
            "annulment": annulment.decision if annulment else None,
        },
    )

"""The officers' side of public comment, on the dossier page: every comment (approved,
awaiting, hidden), approve / hide, and the outcome of each objection. Only an officer of
the receiving unit (the one organising the round) may moderate; the verbs check again and
audit a refusal. A dossier the user may not see answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.nominations import selectors, services
from thidua.nominations.choices import State
from thidua.nominations.forms import OutcomeForm
from thidua.nominations.models import Comment


def may_moderate(user, dossier) -> bool:
    return scope.can(user, Action.CHANGE, dossier.round.unit)


def section(user, dossier) -> dict:
    """What the dossier page shows about public comment (three queries at most)."""
    publication = services.current_publication(dossier)
    if publication is None:
        return {"publication": None}
    moderator = may_moderate(user, dossier)
    comments = selectors.dossier_comments(dossier) if moderator else []
    blockers = []
    if dossier.state == State.PUBLIC_COMMENT:
        blockers = services.council_blockers(dossier, timezone.localdate())
    return {
        "publication": publication,
        "comments": comments,
        "may_moderate": moderator,
        "blockers": blockers,
        "outcome_choices": Comment.Outcome.choices,
    }


def _back(dossier):
    return redirect(f"{reverse('nominations:dossier', args=[dossier.pk])}#h-comments")


def _comment(request, pk, comment_pk):
    dossier = get_object_or_404(selectors.visible_dossiers(request.user), pk=pk)
    comment = get_object_or_404(Comment, pk=comment_pk, publication__dossier=dossier)
    return dossier, comment


def _refused(request, exc):
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)


@require_POST
@login_required
def moderate(request, pk, comment_pk):
    dossier, comment = _comment(request, pk, comment_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.moderate_comment(comment, approve=approve, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Comment approved.") if approve else _("Comment hidden."))
    return _back(dossier)


@require_POST
@login_required
def outcome(request, pk, comment_pk):
    dossier, comment = _comment(request, pk, comment_pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return _back(dossier)
    try:
        services.record_objection_outcome(
            comment,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The outcome of the objection is recorded."))
    return _back(dossier)

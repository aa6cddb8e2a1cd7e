"""Public comment pages of the portal (/tin-tuc/cong-khai/): the nominee lists open for
comment, one page per published list (names, units, awards, achievement summaries — no
personal data), its approved comments, and the comment form. No login, no JavaScript.

The data and the verbs are in `thidua.nominations` (`selectors.open_publications`,
`services.post_comment`); these views only read and forward."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.context import address_of
from thidua.nominations import selectors, services
from thidua.portal.forms import CommentForm


def publication_list(request):
    today = timezone.localdate()
    publications = selectors.open_publications(today)
    return render(
        request, "portal/publication_list.html", {"publications": publications, "today": today}
    )


def publication_detail(request, pk):
    today = timezone.localdate()
    publication = get_object_or_404(selectors.public_publications(), pk=pk)
    rows = selectors.published_rows(publication)
    form = CommentForm(request.POST or None, rows=rows)
    is_open = publication.is_open(today)
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_comment(
                publication,
                actor=request.user,
                nominee_id=data["nominee"],
                text=data["text"],
                author_name=data["author_name"],
                contact=data["contact"],
                is_objection=data["is_objection"],
                client_address=address_of(request),
                token=data["token"],
                honeypot=data["website"],
                today=today,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Thank you. Your comment was received; it is shown once an officer has read it."),
            )
            return redirect("portal:publication", publication.pk)
    form.data = form.data.copy() if form.is_bound else form.data
    token = services.comment_form_token(publication)
    if form.is_bound:
        form.data["token"] = token
    else:
        form.initial["token"] = token
    return render(
        request,
        "portal/publication_detail.html",
        {"publication": publication, "rows": rows, "form": form, "is_open": is_open},
    )

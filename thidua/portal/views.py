"""The public news pages (/tin-tuc/: the list, a category, an article, RSS) and the
editor's pages (drafts of the user's units, editing, publishing, a draft from a year-end
summary).

Public pages show published articles only: a draft's address answers 404 to everyone,
its editors included (they read it on the editor's page). Editor pages start from
`selectors.editable` (the scope's change right); the verbs check again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.form_errors import add_service_errors
from thidua.portal import photos, selectors, services
from thidua.portal.choices import ArticleStatus
from thidua.portal.forms import ArticleForm, PhotoForm, SummaryDraftForm
from thidua.portal.models import Article, Category
from thidua.reports.summary import FIRST_YEAR, LAST_YEAR

NEWS_PER_PAGE = 10


def news_list(request, category=None):
    articles = selectors.published().order_by("-published_at", "-id")
    current = None
    if category is not None:
        current = get_object_or_404(Category, slug=category)
        articles = articles.filter(category=current)
    page = Paginator(articles, NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/news_list.html",
        {"page": page, "category": current, "categories": Category.objects.all()},
    )


def news_detail(request, category, slug):
    article = get_object_or_404(selectors.published(), category__slug=category, slug=slug)
    return render(request, "portal/news_detail.html", {"article": article})


@login_required
def editor_list(request):
    articles = selectors.editable(request.user).order_by("-updated_at", "-id")
    page = Paginator(articles, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/editor_list.html", {"page": page})


@login_required
def article_edit(request, pk, photo_form=None):
    article = get_object_or_404(selectors.editable(request.user), pk=pk)
    form = ArticleForm((request.POST or None) if photo_form is None else None, instance=article)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_article(
                article,
                actor=request.user,
                **{field: form.cleaned_data[field] for field in services.FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:article_edit", pk=article.pk)
    article.refresh_from_db()
    return render(
        request,
        "portal/article_edit.html",
        {"article": article, "form": form, "photo_form": photo_form or PhotoForm()},
        status=400 if photo_form is not None else 200,
    )


@login_required
@require_POST
def article_photo_upload(request, pk):
    """Upload (or replace) the draft's photo; a refused file re-shows the editor with the
    reason on the photo field, and nothing is stored."""
    article = get_object_or_404(selectors.editable(request.user), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.set_photo(article, form.cleaned_data["photo"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The photo is saved."))
            return redirect("portal:article_edit", pk=article.pk)
    return article_edit(request, pk, photo_form=form)


@login_required
@require_POST
def article_photo_remove(request, pk):
    article = get_object_or_404(selectors.editable(request.user), pk=pk)
    try:
        photos.remove_photo(article, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The photo is removed."))
    return redirect("portal:article_edit", pk=article.pk)


def article_photo(request, pk):
    """The article's photo: public once the article is published, to its editors before
    (404 to anyone else, as for a photo that does not exist)."""
    article = Article.objects.filter(pk=pk).exclude(photo="").first()
    if article is None:
        raise Http404
    if article.status != ArticleStatus.PUBLISHED and not (
        request.user.is_authenticated and selectors.editable(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    try:
        handle = article.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=article.photo_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def article_publish(request, pk):
    """Publishing asks first: the page shows the article as the public will read it, with
    its address, and publishes only when confirmed."""
    article = get_object_or_404(selectors.editable(request.user), pk=pk)
    if request.method != "POST" or "confirm" not in request.POST:
        return render(request, "portal/article_publish.html", {"article": article})
    try:
        article = services.publish_article(article, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:article_edit", pk=pk)
    messages.success(request, _("Published."))
    return redirect("portal:news_detail", category=article.category.slug, slug=article.slug)


@login_required
@require_POST
def article_withdraw(request, pk):
    article = get_object_or_404(selectors.editable(request.user), pk=pk)
    try:
        services.withdraw_article(article, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrawn from the portal."))
    return redirect("portal:article_edit", pk=pk)


@login_required
def draft_from_summary(request, code, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    unit = get_object_or_404(scope.units(request.user, Action.CHANGE), code=code)
    form = SummaryDraftForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.draft_from_summary(
                unit,
                year,
                held_on=form.cleaned_data["held_on"],
                credit=form.cleaned_data["credit"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Draft written from the summary; review it before publishing.")
            )
            return redirect("portal:article_edit", pk=article.pk)
    return render(
        request, "portal/draft_from_summary.html", {"unit": unit, "year": year, "form": form}
    )

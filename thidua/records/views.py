"""Entry pages for yearly records: the ratings grid of a unit and year (htmx per row, a
plain form without JavaScript), discipline, absences, pending reviews, initiatives with
their authors, and a decision from above with its recipients.

Thin: they parse input and call the verbs of `thidua.records.services`, which check the
scope, write in one transaction and audit. A subject the user may not see answers 404
(like one that does not exist); one they may see but not change answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escapejs, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org.forms_entry import apply_errors
from thidua.records import entry_selectors as selectors
from thidua.records import services
from thidua.records.choices import RatingLevel, band_for_score
from thidua.records.forms import (
    AbsenceForm,
    AwardDecisionForm,
    CloseReviewForm,
    DisciplineForm,
    EveryoneForm,
    InitiativeForm,
    ReviewForm,
)
from thidua.records.models import PendingReview


def _unit_for_change(request, code):
    unit = get_object_or_404(scope.units(request.user), code=code)
    scope.require(request.user, Action.CHANGE, unit)
    return unit


def _person_for_change(request, code):
    person = get_object_or_404(scope.people(request.user), code=code)
    scope.require_person(request.user, Action.CHANGE, person)
    return person


def _check_year(year: int) -> int:
    if not 1945 <= year <= 2100:
        raise Http404
    return year


# --------------------------------------------------------------------------- ratings grid


def _posted(post, key) -> tuple[str, str]:
    return post.get(f"level-{key}", "").strip(), post.get(f"score-{key}", "").strip()


def _save_row(row, unit, year, level, score, actor) -> None:
    """Save one row through the rating verbs; a score typed without a level takes the
    level of its band."""
    if not level and score:
        level = band_for_score(services.clean_score(score))
    if level not in RatingLevel.values:
        raise ValidationError({"level": _("Choose a level for %(name)s.") % {"name": row.label}})
    if row.person is None:
        services.rate_unit(unit, year, level, score=score, actor=actor)
    else:
        services.rate_person(row.person, year, level, score=score, actor=actor)


def _row_error(row, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        row.error_field = next(iter(exc.error_dict))
    row.error = " ".join(exc.messages)


def _grid_context(unit, year, rows) -> dict:
    """What every row needs, computed once for the grid (reversing a URL or translating a
    label per row would cost more than the rest of the page)."""
    person_url = reverse("org:person_detail", args=["-"])[:-2]
    cell_url = reverse("records:rating_cell", args=[unit.code, year])
    level_of, score_of = _("Level of %(name)s"), _("Score of %(name)s")
    options = _level_options()
    for row in rows:
        if row.person is not None:
            row.url = f"{person_url}{row.person.code}/"
        row.level_label = level_of % {"name": row.label}
        row.score_label = score_of % {"name": row.label}
        row.options = options.get(row.level, options[""])
        row.hx = format_html(
            'hx-post="{}" hx-trigger="change" hx-include="closest tr" '
            'hx-params="row,level-{},score-{}" hx-vals=\'{{"row": "{}"}}\' '
            'hx-target="closest tr" hx-swap="outerHTML"',
            cell_url,
            row.key,
            row.key,
            escapejs(row.key),
        )
    return {"unit": unit, "year": year}


def _level_options() -> dict[str, str]:
    """The level <option>s, one rendering per selected value (five in all)."""
    choices = [("", "—"), *((v, f"{v} – {label}") for v, label in RatingLevel.choices)]
    return {
        chosen: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if v == chosen else "", text) for v, text in choices),
        )
        for chosen, _label in choices
    }


def _changed(row, level, score) -> bool:
    if not level and not score:
        return False  # nothing typed: no verb deletes a rating from the grid
    return (level, score.replace(".", ",")) != (row.level, row.score)


@login_required
def rating_grid(request, code, year):
    """Every person employed in the unit that year, and the unit itself; posting the
    whole form (without JavaScript) saves every changed row in one transaction."""
    unit = _unit_for_change(request, code)
    year = _check_year(year)
    rows = selectors.grid_rows(unit, year)
    status = 200
    if request.method == "POST":
        failed = False
        with transaction.atomic():
            for row in rows:
                level, score = _posted(request.POST, row.key)
                if not _changed(row, level, score):
                    continue
                row.level, row.score = level, score
                try:
                    _save_row(row, unit, year, level, score, request.user)
                except ValidationError as exc:
                    _row_error(row, exc)
                    failed = True
            if failed:
                transaction.set_rollback(True)
        if not failed:
            messages.success(request, _("Ratings saved."))
            return redirect(request.path)
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
        status = 400
    return render(
        request,
        "records/rating_grid.html",
        {
            **_grid_context(unit, year, rows),
            "rows": rows,
            "everyone_form": EveryoneForm(),
            "rated": sum(1 for r in rows if r.level),
        },
        status=status,
    )


@login_required
@require_POST
def rating_cell(request, code, year):
    """htmx: save one row (its level and score) and answer the row, saved or with the
    reason it was refused next to the field."""
    unit = _unit_for_change(request, code)
    year = _check_year(year)
    key = request.POST.get("row", "")
    found = selectors.grid_rows(unit, year, only=key)
    row = next((r for r in found if r.key == key), None)
    if row is None:
        raise Http404
    level, score = _posted(request.POST, key)
    status = 200
    if _changed(row, level, score):
        try:
            _save_row(row, unit, year, level, score, request.user)
        except ValidationError as exc:
            row.level, row.score = level, score
            _row_error(row, exc)
            status = 422 if not request.headers.get("HX-Request") else 200
        else:
            row = next(r for r in selectors.grid_rows(unit, year, only=key) if r.key == key)
            row.saved = True
    return render(
        request,
        "records/_grid_row.html",
        {**_grid_context(unit, year, [row]), "row": row},
        status=status,
    )


@login_required
@require_POST
def rate_everyone(request, code, year):
    unit = _unit_for_change(request, code)
    year = _check_year(year)
    form = EveryoneForm(request.POST)
    if form.is_valid():
        try:
            count = services.rate_everyone(
                unit, year, form.cleaned_data["level"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(count)s ratings added; adjust the exceptions below.") % {"count": count},
            )
    return redirect(reverse("records:rating_grid", args=[unit.code, year]))


# --------------------------------------------------------------------------- person records


def _record_page(request, *, form, save, title, lead, back_url, back_label, done):
    """A one-form entry page: on a valid post, `save(cleaned_data)` (a verb call), a
    message and back to `back_url`; a refusal is shown on the field it names."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(back_url)
    return render(
        request,
        "entry/form.html",
        {
            "forms": [form],
            "title": title,
            "lead": lead,
            "back_url": back_url,
            "back_label": back_label,
            "submit_label": _("Save"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _person_url(person) -> str:
    return reverse("org:person_detail", args=[person.code])


@login_required
def discipline(request, code):
    person = _person_for_change(request, code)
    return _record_page(
        request,
        form=DisciplineForm(request.POST or None),
        save=lambda data: services.record_discipline(person, actor=request.user, **data),
        title=_("Record a disciplinary measure"),
        lead=person.full_name,
        back_url=_person_url(person),
        back_label=person.full_name,
        done=_("Disciplinary measure recorded."),
    )


@login_required
def absence(request, code):
    person = _person_for_change(request, code)
    return _record_page(
        request,
        form=AbsenceForm(request.POST or None),
        save=lambda data: services.record_absence(person, actor=request.user, **data),
        title=_("Record an absence"),
        lead=_(
            "%(name)s. Maternity leave counts as working time; a long absence of 3 to "
            "under 6 months caps the year's rating below “completed tasks well”."
        )
        % {"name": person.full_name},
        back_url=_person_url(person),
        back_label=person.full_name,
        done=_("Absence recorded."),
    )


@login_required
def person_review(request, code):
    person = _person_for_change(request, code)
    return _record_page(
        request,
        form=ReviewForm(request.POST or None),
        save=lambda data: services.open_review(person=person, actor=request.user, **data),
        title=_("Open a pending review"),
        lead=_("%(name)s. While it is open, awards to this person are deferred.")
        % {"name": person.full_name},
        back_url=_person_url(person),
        back_label=person.full_name,
        done=_("Pending review recorded."),
    )


@login_required
def unit_review(request, code):
    unit = _unit_for_change(request, code)
    return _record_page(
        request,
        form=ReviewForm(request.POST or None),
        save=lambda data: services.open_review(unit=unit, actor=request.user, **data),
        title=_("Open a pending review"),
        lead=_("%(name)s. While it is open, awards to this unit are deferred.")
        % {"name": unit.name},
        back_url=reverse("org:unit_detail", args=[unit.code]),
        back_label=unit.name,
        done=_("Pending review recorded."),
    )


@login_required
def close_review(request, pk):
    review = get_object_or_404(
        scope.restrict(PendingReview.objects.select_related("person", "unit"), request.user),
        pk=pk,
        ended_on__isnull=True,
    )
    subject = review.person or review.unit
    if review.person_id:
        scope.require_person(request.user, Action.CHANGE, review.person)
        back = _person_url(review.person)
    else:
        scope.require(request.user, Action.CHANGE, review.unit)
        back = reverse("org:unit_detail", args=[review.unit.code])
    return _record_page(
        request,
        form=CloseReviewForm(request.POST or None),
        save=lambda data: services.close_review(review, data["ended_on"], actor=request.user),
        title=_("Close a pending review"),
        lead=f"{subject} — {review.get_kind_display()}",
        back_url=back,
        back_label=str(subject),
        done=_("Pending review closed."),
    )


# --------------------------------------------------------------------------- pickers


def _picker_context(request, *, people: bool, units: bool):
    """The chosen people/units (from the posted codes, in scope; on a first visit from the
    query string, e.g. `?person=CODE` from a person's page) and, when the user asked for a
    search, what it found."""
    post = request.POST if request.method == "POST" else request.GET
    chosen_people = selectors.people_by_code(request.user, post.getlist("person")) if people else []
    chosen_units = selectors.units_by_code(request.user, post.getlist("unit")) if units else []
    q = post.get("q", "").strip()
    found_people = selectors.search_people(request.user, q) if people and q else []
    found_units = selectors.search_units(request.user, q) if units and q else []
    taken_p = {p.pk for p in chosen_people}
    taken_u = {u.pk for u in chosen_units}
    found_people = [p for p in found_people if p.pk not in taken_p]
    found_units = [u for u in found_units if u.pk not in taken_u]
    selectors.attach_units([*chosen_people, *found_people])
    return {
        "q": q,
        "pick_people": people,
        "pick_units": units,
        "chosen_people": chosen_people,
        "chosen_units": chosen_units,
        "found_people": found_people,
        "found_units": found_units,
        "searched": bool(q) and "search" in post,
    }


def _picker_page(request, *, form, template, pick, save, done, back_url):
    """A form with a picker: "search" re-renders with results (nothing saved, no errors
    shown); "save" validates and calls `save(cleaned_data, people, units)`."""
    ctx = _picker_context(request, **pick)
    searching = request.method == "POST" and "save" not in request.POST
    recipients_error = ""
    if request.method == "POST" and not searching and form.is_valid():
        try:
            save(form.cleaned_data, ctx["chosen_people"], ctx["chosen_units"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "recipients" in exc.error_dict:
                recipients_error = " ".join(exc.message_dict["recipients"])
            else:
                apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(back_url)
    return render(
        request,
        template,
        {"form": form, "searching": searching, "recipients_error": recipients_error, **ctx},
        status=400 if request.method == "POST" and not searching else 200,
    )


@login_required
def initiative(request):
    """An initiative or research work with its authors, picked among people in scope."""
    if not scope.unit_ids_for(request.user, Action.CHANGE) and not request.user.is_superuser:
        raise PermissionDenied(_("You may not record initiatives."))

    def save(data, people, units):
        if not people:
            raise ValidationError({"recipients": _("Choose at least one author.")})
        work = services.record_initiative(authors=people, actor=request.user, **data)
        return work

    return _picker_page(
        request,
        form=InitiativeForm(request.POST or None),
        template="records/initiative_form.html",
        pick={"people": True, "units": False},
        save=save,
        done=_("Initiative recorded."),
        back_url=reverse("records:initiative"),
    )


@login_required
def award_decision(request):
    """A decision from above: its number, date, authority, signer, award, type and
    achievement period once, with its list of recipients; written all or nothing."""
    if not scope.unit_ids_for(request.user, Action.CHANGE) and not request.user.is_superuser:
        raise PermissionDenied(_("You may not record awards."))
    form = AwardDecisionForm(
        request.POST or None,
        authorities=selectors.authority_units(request.user),
        awards=services.award_choices(),
        initial={"decision_date": timezone.localdate()},
    )

    def save(data, people, units):
        return services.record_award_decision(
            people=people, units=units, actor=request.user, **data
        )

    return _picker_page(
        request,
        form=form,
        template="records/award_decision.html",
        pick={"people": True, "units": True},
        save=save,
        done=_("Decision recorded with its recipients."),
        back_url=reverse("records:award_decision"),
    )

"""Pages of the council: councils and members, a meeting (agenda, attendance, recusals,
opening and closing the poll, results after the close), the member's secret ballot, the
counting committee's paper counts, and the minutes as .docx.

Thin: they start from `selectors` and call the verbs of `services`. A council or meeting
the user may not see answers 404; a refused change comes back as a message (the verb has
audited it) and nothing is changed.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.council import minutes, selectors, services
from thidua.council.choices import BallotMode, Choice, Function, MeetingState
from thidua.council.models import AgendaItem, Member
from thidua.org.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refused(request, exc):
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


class CouncilForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=gettext_lazy("Unit"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    term_start = forms.IntegerField(label=gettext_lazy("Term from (year)"), min_value=1945)
    term_end = forms.IntegerField(label=gettext_lazy("Term to (year)"), min_value=1945)


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User account"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=Function.choices)
    position = forms.CharField(label=gettext_lazy("Position"), max_length=255, required=False)
    unit = forms.ModelChoiceField(
        Unit.objects.all(), label=gettext_lazy("Own unit"), required=False
    )

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise ValidationError(_("No user account with this name."))
        return user


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    year = forms.IntegerField(label=gettext_lazy("Achievement year"), min_value=1945)
    held_on = forms.DateField(label=gettext_lazy("Held on"), input_formats=["%d/%m/%Y"])
    place = forms.CharField(label=gettext_lazy("Place"), max_length=255, required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Ballot"), choices=BallotMode.choices)


@login_required
def council_list(request):
    councils = selectors.visible_councils(request.user).order_by("-term_start", "name")
    units = scope.units(request.user, Action.CHANGE)
    form = CouncilForm(request.POST or None)
    form.fields["unit"].queryset = units
    if request.method == "POST" and form.is_valid():
        try:
            council = services.create_council(
                form.cleaned_data["unit"], name=form.cleaned_data["name"],
                term_start=form.cleaned_data["term_start"],
                term_end=form.cleaned_data["term_end"], actor=request.user,
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as exc:
            _refused(request, exc)
        else:
            return redirect("council:council", council.pk)
    meetings = selectors.visible_meetings(request.user).order_by("-held_on")[:20]
    seats = Member.objects.filter(user=request.user).values_list("council_id", flat=True)
    return render(
        request,
        "council/council_list.html",
        {"councils": councils, "meetings": meetings, "form": form,
         "may_create": units.exists(), "seats": set(seats)},
    )  # fmt: skip


@login_required
def council_detail(request, pk):
    council = get_object_or_404(selectors.visible_councils(request.user), pk=pk)
    manage = services.may_manage(request.user, council)
    member_form, meeting_form = MemberForm(prefix="m"), MeetingForm(prefix="h")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            if "add_member" in request.POST:
                member_form = MemberForm(request.POST, prefix="m")
                if member_form.is_valid():
                    data = member_form.cleaned_data
                    services.add_member(
                        council, user=data["username"], full_name=data["full_name"],
                        function=data["function"], unit=data["unit"],
                        position=data["position"], actor=request.user,
                    )  # fmt: skip
                    return redirect("council:council", council.pk)
            elif "remove_member" in request.POST:
                member = get_object_or_404(council.members, pk=request.POST["remove_member"])
                services.remove_member(member, actor=request.user)
                return redirect("council:council", council.pk)
            elif "add_meeting" in request.POST:
                meeting_form = MeetingForm(request.POST, prefix="h")
                if meeting_form.is_valid():
                    meeting = services.create_meeting(
                        council, actor=request.user, **meeting_form.cleaned_data
                    )
                    return redirect("council:meeting", meeting.pk)
        except ValidationError as exc:
            _refused(request, exc)
    return render(
        request,
        "council/council_detail.html",
        {"council": council, "members": council.members.select_related("user", "unit"),
         "meetings": council.meetings.all(), "manage": manage,
         "member_form": member_form, "meeting_form": meeting_form},
    )  # fmt: skip


def _meeting(request, pk):
    return get_object_or_404(selectors.visible_meetings(request.user), pk=pk)


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    council = meeting.council
    manage = services.may_manage(request.user, council)
    members = list(council.members.select_related("unit").order_by("id"))
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            _meeting_post(request, meeting, members)
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("council:meeting", meeting.pk)
    present = set(meeting.attendance.values_list("member_id", flat=True))
    voted = selectors.voted_members(meeting)
    seat = services.seat(meeting, request.user)
    conflicts = services.conflicts(meeting) if meeting.state == MeetingState.DRAFT else {}
    present_count, member_count, met = services.quorum(meeting)
    rows = selectors.agenda_rows(meeting)
    by_item = {}
    for (item_id, member_id), reason in conflicts.items():
        by_item.setdefault(item_id, []).append((member_id, reason))
    names = {m.pk: m.full_name for m in members}
    for row in rows:
        row["conflicts"] = [(names[m], reason) for m, reason in by_item.get(row["item"].pk, [])]
    return render(
        request,
        "council/meeting_detail.html",
        {
            "meeting": meeting, "council": council, "manage": manage, "rows": rows,
            "members": [(m, m.pk in present, voted.get(m.pk, 0)) for m in members],
            "quorum": {"present": present_count, "members": member_count, "met": met,
                       "percent": services.settings.THIDUA_COUNCIL_QUORUM_PERCENT},
            "seat": seat, "counters": set(meeting.counters.values_list("pk", flat=True)),
            "closed": meeting.state == MeetingState.CLOSED,
            "draft": meeting.state == MeetingState.DRAFT,
            "open": meeting.state == MeetingState.OPEN,
            "paper": meeting.mode == BallotMode.PAPER,
        },
    )  # fmt: skip


def _meeting_post(request, meeting, members):
    by_pk = {m.pk: m for m in members}
    action = request.POST.get("action")
    if action == "attendance":
        chosen = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        services.set_attendance(
            meeting, [by_pk[p] for p in chosen if p in by_pk], actor=request.user
        )
        messages.success(request, _("Attendance recorded."))
    elif action == "counters":
        chosen = {int(v) for v in request.POST.getlist("counter") if v.isdigit()}
        services.set_counters(meeting, [by_pk[p] for p in chosen if p in by_pk], actor=request.user)
    elif action == "recuse":
        member = by_pk.get(int(request.POST.get("member") or 0))
        item = meeting.items.filter(pk=request.POST.get("item") or 0).first()
        if member is None or item is None:
            raise ValidationError(_("Choose the member and the nominee."))
        services.recuse(meeting, member, item, reason=request.POST.get("reason", ""),
                        actor=request.user)  # fmt: skip
        messages.success(request, _("Recusal recorded."))
    elif action == "agenda":
        added = services.refresh_agenda(meeting, actor=request.user)
        messages.success(request, _("%(count)s nominee(s) added to the agenda.") % {"count": added})
    elif action == "open":
        services.open_voting(meeting, actor=request.user)
        messages.success(request, _("Voting is open."))
    elif action == "close":
        services.close_voting(meeting, actor=request.user)
        messages.success(request, _("Voting is closed; the results are recorded."))


@login_required
def ballot(request, pk):
    """The member's secret ballot: the nominees they may vote on and have not yet."""
    meeting = get_object_or_404(
        selectors.visible_meetings(request.user).filter(council__members__user=request.user),
        pk=pk,
    )
    member = services.seat(meeting, request.user)
    entitled = services.entitled_items(meeting, member).select_related(
        "nominee__person", "nominee__unit", "nominee__household", "nominee__dossier__unit"
    )
    done = set(meeting.items.filter(voted__member=member).values_list("pk", flat=True))
    if request.method == "POST":
        one = request.POST.get("only")
        choices = {}
        for item in entitled:
            if one and str(item.pk) != one:
                continue
            value = request.POST.get(f"vote-{item.pk}")
            if value:
                choices[item.pk] = value
        try:
            cast = services.cast_votes(meeting, choices, actor=request.user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("%(count)s vote(s) cast in secret.") % {"count": cast})
        return redirect("council:ballot", meeting.pk)
    rows = [
        {
            "item": item,
            "name": str(item.nominee.recipient),
            "award": selectors.award_name(item.nominee.award_code),
            "proposer": item.nominee.dossier.unit.name,
            "verdict": selectors.VERDICT_LABELS.get(item.nominee.verdict, "—"),
            "done": item.pk in done,
        }
        for item in entitled
    ]
    return render(
        request,
        "council/ballot.html",
        {"meeting": meeting, "rows": rows, "choices": Choice.choices, "member": member,
         "open": meeting.state == MeetingState.OPEN and meeting.mode == BallotMode.ELECTRONIC},
    )  # fmt: skip


@login_required
def paper_counts(request, pk):
    meeting = _meeting(request, pk)
    member = services.seat(meeting, request.user)
    if member is None or not meeting.counters.filter(pk=member.pk).exists():
        raise PermissionDenied
    if request.method == "POST":
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=request.POST.get("item") or 0)
        try:
            counts = {k: int(request.POST.get(k, "")) for k in ("yes", "no", "abstain")}
            which = services.enter_paper_count(item, actor=request.user, **counts)
        except ValueError:
            messages.error(request, _("Enter whole numbers for yes, no and abstain."))
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Count entered (%(which)s entry).") % {"which": which})
        return redirect("council:paper", meeting.pk)
    rows = selectors.agenda_rows(meeting)
    return render(request, "council/paper.html", {"meeting": meeting, "rows": rows})


@login_required
def minutes_docx(request, pk, kind):
    meeting = _meeting(request, pk)
    if meeting.state != MeetingState.CLOSED:
        raise Http404
    build = {"bien-ban": minutes.meeting_minutes, "kiem-phieu": minutes.count_minutes}[kind]
    response = HttpResponse(build(meeting), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{meeting.pk}.docx"'
    return response

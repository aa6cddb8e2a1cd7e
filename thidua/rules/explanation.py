"""The explanation page of one subject × award × year: the verdict in one sentence, each
criterion as a plain sentence with its legal basis, what would resolve what is open, and
— for officers, leaders and council members with the subject in scope — the control that
records the council's judgement on each qualitative criterion, with its minutes. The
technical details (rule sets, deployment parameters, confidence tags) are shown to
administrators only.

Thin: the subject is found through `thidua.accounts.scope` (out of scope answers 404),
the verdict comes from one engine run, the judgement from `rules.attestations`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org.models import Household
from thidua.records.models import Attestation
from thidua.rules import attestations
from thidua.rules.definitions import COLL, HH, IND, get_definitions
from thidua.rules.engine import run
from thidua.rules.forms import AttestationForm, YearForm

KINDS = {"ca-nhan": IND, "don-vi": COLL, "ho-gia-dinh": HH}
SLUGS = {kind: slug for slug, kind in KINDS.items()}


def _subject(request, kind: str, code: str, action=Action.VIEW):
    if kind == IND:
        return get_object_or_404(scope.people(request.user, action), code=code)
    if kind == HH:
        # A household is seen by whoever sees its commune.
        return get_object_or_404(
            Household.objects.select_related("commune").filter(
                commune__in=scope.units(request.user, action)
            ),
            code=code,
        )
    return get_object_or_404(scope.units(request.user, action), code=code)


def _may_attest(user, kind: str, subject) -> bool:
    if kind == IND:
        return scope.people(user, Action.ATTEST).filter(pk=subject.pk).exists()
    if kind == HH:
        return scope.can(user, Action.ATTEST, subject.commune)
    return scope.can(user, Action.ATTEST, subject)


def _targets(award_code: str, kind: str, rule_set_id: str) -> list[tuple[str, str, dict]]:
    """(award, criterion id, texts) of the qualitative criteria the verdict reads: the
    award's own, then those of the standards it builds on (`meets_award`)."""
    definitions = get_definitions()
    found, todo, seen = [], [award_code], set()
    while todo:
        code = todo.pop(0)
        if code in seen or code not in definitions.awards:
            continue
        seen.add(code)
        for cid, texts in attestations.attest_criteria(code, kind).items():
            found.append((code, cid, texts))
        stack = list(definitions.awards[code].criteria(rule_set_id, kind) or ())
        while stack:
            c = stack.pop()
            stack.extend(c.options)
            if c.check == "meets_award":
                todo.append(c.params["award"])
    return found


@login_required
def explanation(request, kind, code, award):
    kind = KINDS.get(kind)
    definitions = get_definitions()
    if kind is None or award not in definitions.awards:
        raise Http404
    if kind not in definitions.awards[award].entry.subjects:
        raise Http404
    subject = _subject(request, kind, code)
    today = timezone.localdate()
    form_year = YearForm(request.GET, default=today.year)
    year = form_year.year()
    may_attest = _may_attest(request.user, kind, subject)
    bound = None
    if request.method == "POST":
        if not may_attest:
            raise PermissionDenied(_("You may not record a judgement for this subject."))
        bound = AttestationForm(request.POST, prefix=request.POST.get("prefix") or None)
        done = _record(request, subject, year, bound)
        if done:
            return redirect(f"{request.path}?nam={year}#attest")
    if kind == IND:
        evaluation = run(
            year, people=[subject], award_codes=[award], subjects=(IND,), user=request.user
        )
    elif kind == HH:
        evaluation = run(year, people=[], households=[subject], award_codes=[award], subjects=(HH,))
    else:
        evaluation = run(
            year,
            units=[subject],
            subtree=False,
            award_codes=[award],
            subjects=(COLL,),
            user=request.user,
        )
    results = [r for r in evaluation.results if r.subject_id == subject.pk]
    result = results[0] if results else None
    criteria = result.criteria if result else []
    recorded = {
        (a.award_code, a.criterion): a
        for a in Attestation.objects.filter(
            **{{IND: "person", COLL: "unit", HH: "household"}[kind]: subject}, year=year
        )
    }
    names = {code: a.entry.name for code, a in definitions.awards.items()}
    targets = []
    for i, (target, cid, texts) in enumerate(_targets(award, kind, evaluation.evaluated_under.id)):
        prefix = f"t{i}"
        form = (
            bound
            if bound is not None and bound.prefix == prefix
            else AttestationForm(
                prefix=prefix, initial={"award": target, "criterion": cid, "body": "council"}
            )
        )
        targets.append(
            {
                "prefix": prefix,
                "award_name": names[target],
                "texts": texts,
                "recorded": recorded.get((target, cid)),
                "form": form,
            }
        )
    return render(
        request,
        "rules/explanation.html",
        {
            "kind": kind,
            "subject": subject,
            "award": definitions.awards[award],
            "year": year,
            "year_form": form_year,
            "evaluation": evaluation,
            "result": result,
            "criteria": criteria,
            "open": [c for c in criteria if c.outcome != "met"],
            "actions": list(dict.fromkeys(a for c in criteria for a in c.actions)),
            "targets": targets,
            "may_attest": may_attest,
            "technical": request.user.is_superuser,
        },
        status=400 if bound is not None and bound.errors else 200,
    )


def _record(request, subject, year, form: AttestationForm) -> bool:
    """Record the judgement of a bound form; False (errors on the form) if refused."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    verb = (
        attestations.attest if data["decision"] == "attested" else attestations.refuse_attestation
    )
    try:
        verb(
            subject,
            year,
            data["award"],
            data["criterion"],
            actor=request.user,
            body=data["body"],
            body_name=data["body_name"],
            decided_on=data["decided_on"],
            minutes_number=data["minutes_number"],
            minutes_date=data["minutes_date"],
            minutes_text=data["minutes_text"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(request, _("The judgement is recorded."))
    return True


def explanation_url(kind: str, code: str, award: str, year: int) -> str:
    slug = SLUGS[kind]
    return reverse("rules:explanation", args=[slug, code, award]) + f"?nam={year}"

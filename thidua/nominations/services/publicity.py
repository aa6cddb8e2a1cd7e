"""Public comment (công khai) on a dossier's nominee list.

- `open_publication` is called by the `publish` move (inside its transaction): the list
  as published — names, units, awards, achievement summaries, never personal data such as
  birth dates or citizen ids — is kept with its SHA-256 and the period
  (`THIDUA_PUBLIC_COMMENT_DAYS` working days from the day of publication);
- `post_comment`: anyone, while the period is open; refused (audited, nothing written) for
  a flood from one client address (`THIDUA_PUBLIC_COMMENT_PER_HOUR`), a filled honeypot,
  a form sent too fast or with a forged or stale token;
- `moderate_comment`: an officer of the receiving unit approves or hides a comment;
- `record_objection_outcome`: upheld (the nominee is withdrawn from the dossier) or
  dismissed, with a reason;
- `council_blockers`: why the dossier may not go to the council yet (the period has not
  ended; an objection has no outcome) — read by the `to_council` move.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import can
from thidua.audit.services import log
from thidua.nominations.models import Comment, Dossier, Nominee, Publication
from thidua.nominations.services import common
from thidua.nominations.services.eligibility import content_hash
from thidua.nominations.workflow import add_working_days
from thidua.org.models import Employment
from thidua.rules.catalog import get_catalog
from thidua.vietnamese import format_date

TOKEN_SALT = "thidua.nominations.comment-form"
TOKEN_MAX_AGE = 24 * 3600


# --------------------------------------------------------------------------- publication


def published_list(dossier: Dossier, day: datetime.date) -> list[dict]:
    """The nominee list as the public sees it (no personal data), in dossier order."""
    catalog = get_catalog()
    nominees = list(
        dossier.nominees.select_related("person", "unit", "household").order_by(
            "subject_kind", "unit__sort_key", "household__sort_key", "person__sort_key", "pk"
        )
    )
    people = [n.person_id for n in nominees if n.person_id]
    works = {}
    for e in (
        Employment.objects.filter(person_id__in=people, start__lte=day)
        .exclude(end__lte=day)
        .select_related("unit")
        .order_by("start", "pk")
    ):
        works[e.person_id] = e.unit.name
    rows = []
    for n in nominees:
        entry = catalog.get(n.award_code)
        if n.person_id:
            name, unit = n.person.full_name, works.get(n.person_id, dossier.unit.name)
        elif n.unit_id:
            name, unit = n.unit.name, dossier.unit.name
        else:
            name, unit = n.household.name, dossier.unit.name
        rows.append(
            {
                "nominee": n.pk,
                "kind": n.subject_kind,
                "name": name,
                "unit": unit,
                "award": entry.name if entry else n.award_code,
                "period": f"{format_date(n.period_start)}–{format_date(n.period_end)}",
                "summary": n.summary,
            }
        )
    return rows


def open_publication(dossier: Dossier, *, actor, day: datetime.date) -> Publication:
    """Publish the dossier's list (called by the `publish` move, in its transaction)."""
    content = {
        "dossier": dossier.pk,
        "unit": dossier.unit.name,
        "organiser": dossier.round.unit.name,
        "round": dossier.round.name,
        "nominees": published_list(dossier, day),
    }
    user = actor if actor is not None and actor.is_authenticated else None
    return Publication.objects.create(
        dossier=dossier,
        starts_on=day,
        ends_on=add_working_days(day, settings.THIDUA_PUBLIC_COMMENT_DAYS),
        published_at=timezone.now(),
        published_by=user,
        content=content,
        list_hash=content_hash(content),
    )


def current_publication(dossier: Dossier) -> Publication | None:
    return dossier.publications.order_by("-starts_on", "-pk").first()


def council_blockers(dossier: Dossier, day: datetime.date) -> list[str]:
    """Why the dossier may not go to the council on `day` (empty: it may)."""
    publication = current_publication(dossier)
    if publication is None:
        return [_("The nominee list has not been published for public comment.")]
    problems = []
    if day <= publication.ends_on:
        problems.append(
            _(
                "The public comment period runs until %(end)s: the dossier may go to the council from the next day."
            )
            % {"end": format_date(publication.ends_on)}
        )
    waiting = [
        c.nominee_label
        for c in publication.comments.filter(is_objection=True, outcome="").exclude(
            status=Comment.Status.HIDDEN
        )
    ]
    if waiting:
        problems.append(
            _("%(count)s objection(s) have no recorded outcome yet (%(names)s).")
            % {"count": len(waiting), "names": ", ".join(sorted(set(waiting)))}
        )
    return problems


# --------------------------------------------------------------------------- comments


def comment_form_token(publication: Publication) -> str:
    """A signed token stamped when the comment form is shown (checked by `post_comment`)."""
    return signing.dumps(
        {"p": publication.pk, "t": timezone.now().timestamp()}, salt=TOKEN_SALT, compress=True
    )


def _check_token(token: str, publication: Publication) -> None:
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(
            _("The form has expired; open the page again and write your comment.")
        ) from exc
    if data.get("p") != publication.pk:
        raise ValidationError(
            _("The form has expired; open the page again and write your comment.")
        )
    waited = timezone.now().timestamp() - float(data.get("t", 0))
    if waited < settings.THIDUA_PUBLIC_COMMENT_MIN_SECONDS:
        raise ValidationError(
            _(
                "The comment was sent too quickly after the page was shown; wait a moment and send it again."
            )
        )


def post_comment(
    publication: Publication,
    *,
    actor,
    nominee_id,
    text: str,
    author_name: str = "",
    contact: str = "",
    is_objection: bool = False,
    client_address: str | None = None,
    token: str = "",
    honeypot: str = "",
    today: datetime.date | None = None,
) -> Comment:
    """A visitor's comment on a published nominee; it waits for moderation. `actor` is the
    visitor (anonymous, usually: the audit then names no user)."""
    day = common.today(today)
    now = timezone.now()
    attempt = {"client_address": client_address, "nominee": nominee_id, "objection": is_objection}
    try:
        with transaction.atomic():
            if honeypot:
                raise ValidationError(_("The comment could not be accepted."))
            _check_token(token, publication)
            if not publication.is_open(day):
                raise ValidationError(
                    _("Comments on this list were accepted from %(start)s to %(end)s.")
                    % {
                        "start": format_date(publication.starts_on),
                        "end": format_date(publication.ends_on),
                    }
                )
            if client_address:
                recent = Comment.objects.filter(
                    client_address=client_address, created_at__gte=now - datetime.timedelta(hours=1)
                ).count()
                if recent >= settings.THIDUA_PUBLIC_COMMENT_PER_HOUR:
                    raise ValidationError(
                        _(
                            "Too many comments from your connection in the last hour (at most %(limit)s); try again later."
                        )
                        % {"limit": settings.THIDUA_PUBLIC_COMMENT_PER_HOUR}
                    )
            labels = {
                row["nominee"]: f"{row['name']} – {row['award']}"
                for row in publication.content["nominees"]
            }
            nominee = Nominee.objects.filter(
                pk=nominee_id, dossier_id=publication.dossier_id
            ).first()
            if nominee is None or nominee.pk not in labels:
                raise ValidationError({"nominee": _("Choose a nominee from the published list.")})
            text = (text or "").strip()
            if not text:
                raise ValidationError({"text": _("Write your comment.")})
            comment = Comment.objects.create(
                publication=publication,
                nominee=nominee,
                nominee_label=labels[nominee.pk],
                author_name=(author_name or "").strip()[:150],
                contact=(contact or "").strip()[:200],
                text=text,
                is_objection=bool(is_objection),
                client_address=client_address,
                created_at=now,
            )
            log(
                "nominations.comment.post",
                comment,
                actor=actor,
                after={"nominee": nominee.pk, "objection": comment.is_objection,
                       "client_address": client_address},
            )  # fmt: skip
            return comment
    except ValidationError as exc:
        common.refuse(
            exc, publication, actor=actor, action="nominations.comment.refused", attempt=attempt
        )


def _officer(comment: Comment, actor) -> Dossier:
    dossier = comment.publication.dossier
    if actor is not None and not can(actor, Action.CHANGE, dossier.round.unit):
        raise PermissionDenied(
            _(
                "Only an emulation officer of %(unit)s, which received the dossier, may moderate its comments."
            )
            % {"unit": dossier.round.unit.name}
        )
    return dossier


def moderate_comment(comment: Comment, *, approve: bool, actor) -> Comment:
    """Approve a comment (shown on the portal) or hide it."""
    try:
        with transaction.atomic():
            comment = Comment.objects.select_for_update().get(pk=comment.pk)
            _officer(comment, actor)
            before = {"status": comment.status}
            comment.status = Comment.Status.APPROVED if approve else Comment.Status.HIDDEN
            comment.moderated_by = actor if actor is not None and actor.is_authenticated else None
            comment.moderated_at = timezone.now()
            comment.save()
            log("nominations.comment.moderate", comment, actor=actor, before=before,
                after={"status": comment.status})  # fmt: skip
            return comment
    except PermissionDenied as exc:
        common.refuse(exc, comment, actor=actor, action="nominations.comment.refused",
                      attempt={"moderate": approve})  # fmt: skip


def record_objection_outcome(
    comment: Comment, *, outcome: str, reason: str, actor, today=None
) -> Comment:
    """Upheld (the nominee is withdrawn from the dossier) or dismissed, with the reason."""
    day = common.today(today)
    try:
        with transaction.atomic():
            comment = (
                Comment.objects.select_for_update(of=("self",))
                .select_related("nominee")
                .get(pk=comment.pk)
            )
            dossier = _officer(comment, actor)
            if not comment.is_objection:
                raise ValidationError(_("This comment is not an objection."))
            if comment.outcome:
                raise ValidationError(_("This objection already has an outcome."))
            if comment.status != Comment.Status.APPROVED:
                raise ValidationError(_("Approve the objection before recording its outcome."))
            if outcome not in Comment.Outcome.values:
                raise ValidationError({"outcome": _("Choose upheld or dismissed.")})
            reason = (reason or "").strip()
            if not reason:
                raise ValidationError({"reason": _("Give the reason.")})
            after = {"outcome": outcome}
            nominee = comment.nominee
            comment.outcome = outcome
            comment.outcome_reason = reason
            comment.outcome_by = actor if actor is not None and actor.is_authenticated else None
            comment.outcome_on = day
            comment.save()
            if outcome == Comment.Outcome.UPHELD and nominee is not None:
                after["withdrawn"] = {
                    "nominee": nominee.pk,
                    "label": comment.nominee_label,
                    "frozen_hash": nominee.frozen_hash,
                }
                nominee.delete()
            log("nominations.comment.outcome", comment, actor=actor, after=after,
                message=reason)  # fmt: skip
            log("nominations.dossier.objection", dossier, actor=actor, after=after,
                message=reason)  # fmt: skip
            return comment
    except (PermissionDenied, ValidationError) as exc:
        common.refuse(exc, comment, actor=actor, action="nominations.comment.refused",
                      attempt={"outcome": outcome})  # fmt: skip

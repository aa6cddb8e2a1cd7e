"""Read side of award proposals, every query starting from the user's scope
(`thidua.accounts.scope`):

- a round is visible to whoever may see its organising unit, and to the units below it
  (they propose to it);
- a dossier is visible on both sides: to whoever may see the proposing unit, and to
  whoever may see the organising unit it is addressed to.
"""

from django.db.models import Count, Q, QuerySet

from thidua.accounts.choices import Action
from thidua.accounts.scope import unit_ids_for
from thidua.nominations.models import Comment, Dossier, Nominee, Publication, Round
from thidua.nominations.services.workflow import may_move
from thidua.nominations.workflow import moves_from
from thidua.org.ids import InIds
from thidua.org.tree import ancestor_ids
from thidua.rules.catalog import get_catalog


def visible_rounds(user) -> QuerySet[Round]:
    ids = unit_ids_for(user, Action.VIEW)
    qs = Round.objects.select_related("unit")
    if ids is None:
        return qs
    roots = set(user.unit_roles.values_list("unit_id", flat=True)) if ids else set()
    return qs.filter(InIds("unit_id", ids | ancestor_ids(roots)))


def visible_dossiers(user) -> QuerySet[Dossier]:
    ids = unit_ids_for(user, Action.VIEW)
    qs = Dossier.objects.select_related("round__unit", "unit")
    if ids is None:
        return qs
    return qs.filter(Q(InIds("unit_id", ids)) | Q(InIds("round__unit_id", ids)))


def round_dossiers(round_, user) -> QuerySet[Dossier]:
    return (
        visible_dossiers(user)
        .filter(round=round_)
        .annotate(nominee_count=Count("nominees"))
        .order_by("unit__sort_key", "pk")
    )


def nominee_rows(dossier: Dossier) -> list[Nominee]:
    """The dossier's nominees with their recipient's name, award name and number of
    initiatives (two queries; the frozen criteria are not read)."""
    catalog = get_catalog()
    rows = list(
        dossier.nominees.select_related("person", "unit", "household")
        .only(
            "subject_kind", "award_code", "period_start", "period_end", "summary", "verdict",
            "frozen_hash", "source", "person_id", "unit_id", "dossier_id",
            "person__code", "person__family_name", "person__middle_name", "person__given_name",
            "unit__code", "unit__name", "household_id", "household__code", "household__name",
        )
        .order_by(
            "subject_kind", "unit__sort_key", "household__sort_key", "person__sort_key", "pk"
        )
    )  # fmt: skip
    counts = dict(
        Nominee.initiatives.through.objects.filter(nominee__dossier=dossier)
        .values("nominee_id")
        .annotate(n=Count("pk"))
        .values_list("nominee_id", "n")
    )
    for n in rows:
        entry = catalog.get(n.award_code)
        n.award_name = entry.name if entry else n.award_code
        n.initiative_count = counts.get(n.pk, 0)
    return rows


def actions_for(user, dossier: Dossier) -> list:
    """The moves `user` may make on the dossier now (table order)."""
    return [t for t in moves_from(dossier.state) if may_move(user, dossier, t.verb)]


# --------------------------------------------------------------------------- public comment


def public_publications() -> QuerySet[Publication]:
    """Every published list (the public may read one after its period, as a record)."""
    return Publication.objects.select_related("dossier__unit", "dossier__round__unit")


def open_publications(today) -> QuerySet[Publication]:
    """The lists open for comment on `today`, the newest first."""
    return public_publications().filter(starts_on__lte=today, ends_on__gte=today)


def published_rows(publication: Publication) -> list[dict]:
    """The list as published, each row with its approved comments and whether the
    nominee has since been withdrawn (two queries)."""
    rows = [dict(r) for r in publication.content.get("nominees", [])]
    present = set(
        Nominee.objects.filter(
            dossier_id=publication.dossier_id, pk__in=[r["nominee"] for r in rows]
        ).values_list("pk", flat=True)
    )
    comments: dict[int, list] = {}
    for c in publication.comments.filter(status=Comment.Status.APPROVED).only(
        "nominee_label", "author_name", "text", "is_objection", "created_at", "outcome",
        "outcome_reason", "nominee_id", "publication_id",
    ):  # fmt: skip
        # A withdrawn nominee's comments lost their link; they keep the published label.
        comments.setdefault(c.nominee_id or c.nominee_label, []).append(c)
    for r in rows:
        r["withdrawn"] = r["nominee"] not in present
        r["comments"] = comments.get(r["nominee"], [])
        if r["withdrawn"]:
            r["comments"] = r["comments"] + comments.get(f"{r['name']} – {r['award']}", [])
    return rows


def dossier_comments(dossier: Dossier) -> list[Comment]:
    """Every comment on the dossier's publications, for the receiving unit's officers."""
    return list(
        Comment.objects.filter(publication__dossier=dossier)
        .select_related("moderated_by", "outcome_by")
        .order_by("created_at", "pk")
    )

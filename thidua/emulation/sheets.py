"""The scoring sheet as a page sees it (a presenter, no HTTP): the covenant, who scores
whom, the criteria, the saved scores, and what the user may do. The sheet views
(`views/sheets.py`) build one per request; it reads in a fixed number of queries and
saves through `services.save_scores`."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404

from thidua.emulation import selectors, services
from thidua.emulation.choices import GroupKind, ScoreKind
from thidua.emulation.models import Block, Criterion, Score


def plain(points) -> str:
    """Points as typed: no trailing zeros, a comma for the decimals (Vietnamese)."""
    text = format(points.normalize(), "f")
    return text.replace(".", ",")


class Sheet:
    """One scoring sheet of `block`'s `covenant`: `scorer` scores `target` (unit codes)
    with a score of `kind`. Anything the user may not see, or a sheet the covenant does
    not have, is `Http404`, like one that does not exist."""

    def __init__(self, user, block: Block, covenant, kind, scorer, target, today: datetime.date):
        self.block = block
        self.covenant = covenant
        if kind not in ScoreKind.values:
            raise Http404
        members = services.scoring_members(self.block)
        units = {m.unit.code: m.unit for m in members}
        if scorer not in units or target not in units:
            raise Http404
        self.kind = kind
        self.scorer, self.target = units[scorer], units[target]
        roles = selectors.roles_of(self.block)
        self.access = selectors.block_access(
            user, self.block, [u.pk for u in units.values()], roles
        )
        if not selectors.can_view_sheet(self.access, self.scorer.pk):
            raise Http404
        try:
            services.check_sheet(
                self.covenant, self.scorer, self.target, kind, {u.pk for u in units.values()}, roles
            )
        except ValidationError:
            raise Http404 from None
        self.locked = self.covenant.is_locked(today)
        self.editable = self.scorer.pk in self.access.change_units and not self.locked
        self.criteria = list(
            Criterion.objects.filter(covenant=self.covenant)
            .select_related("group")
            .order_by("group__position", "position")
        )
        self.scores = self.read_scores()

    def read_scores(self, criterion=None) -> dict:
        rows = Score.objects.filter(
            covenant=self.covenant, scorer=self.scorer, target=self.target, kind=self.kind
        )
        if criterion is not None:
            rows = rows.filter(criterion=criterion)
        return {s.criterion_id: s for s in rows}

    def url_args(self):
        return [self.block.year, self.block.code, self.kind, self.scorer.code, self.target.code]

    def row(self, criterion, posted=None, error="", saved=False):
        score = self.scores.get(criterion.pk)
        if posted is not None:
            points, evidence = posted
        else:
            points = "" if score is None else plain(score.points)
            evidence = "" if score is None else score.evidence
        low = -criterion.max_points if criterion.group.kind == GroupKind.PENALTY else 0
        high = 0 if criterion.group.kind == GroupKind.PENALTY else criterion.max_points
        return {
            "c": criterion,
            "points": points,
            "evidence": evidence,
            "error": error,
            "saved": saved,
            "low": low,
            "high": high,
        }

    def groups(self, posted=None, errors=None):
        """[(group, [row, …]), …] in the covenant's order."""
        groups = []
        for c in self.criteria:
            row = self.row(c, (posted or {}).get(c.pk), (errors or {}).get(c.pk, ""))
            if not groups or groups[-1][0].pk != c.group_id:
                groups.append((c.group, []))
            groups[-1][1].append(row)
        return groups

    def posted(self, data) -> dict:
        return {
            c.pk: (data.get(f"points-{c.pk}", "").strip(), data.get(f"evidence-{c.pk}", "").strip())
            for c in self.criteria
            if f"points-{c.pk}" in data
        }

    def row_errors(self, posted) -> dict:
        """Per-criterion problems, by the same check the verb makes (`clean_points`)."""
        errors = {}
        for c in self.criteria:
            if c.pk in posted:
                try:
                    services.clean_points(c, c.group.kind, posted[c.pk][0])
                except ValidationError as exc:
                    errors[c.pk] = " ".join(exc.messages)
        return errors

    def save(self, actor, posted):
        by_pk = {c.pk: c for c in self.criteria}
        return self.save_entries(
            actor,
            [
                services.ScoreEntry(by_pk[pk].code, points, evidence)
                for pk, (points, evidence) in posted.items()
            ],
        )

    def save_entries(self, actor, entries):
        return services.save_scores(
            self.covenant,
            scorer=self.scorer,
            target=self.target,
            kind=self.kind,
            entries=entries,
            actor=actor,
        )

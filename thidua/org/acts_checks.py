"""Checks and helpers of the acts (`thidua.org.acts`): chunked fetches, the cycle among
internal codes, and the invariant the database also enforces (no two overlapping periods
of one unit's versions or official codes; migration 0003, ADR 0009)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from thidua.org.models import Unit, UnitOfficialCode, UnitVersion
from thidua.org.reorganize.reading import CHUNK, Problem, ReorganizeError


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _fetch(queryset, field_name, values):
    for chunk in _chunks(values):
        yield from queryset.filter(**{f"{field_name}__in": chunk})


def _fetch_values(queryset, field_name, values):
    for chunk in _chunks(values):
        yield from queryset.filter(**{f"{field_name}__in": chunk}).values_list("pk", "code")


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle among the codes (old → new, different codes), as a list closing on its
    first code; None if there is none."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [], [(start, iter(sorted(graph.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def overlapping_versions(unit_ids=None) -> list[int]:
    """Units with two versions (or two official codes) whose periods overlap: the
    invariant the database also enforces (migration 0003); empty when all is well."""
    found = set()
    for model in (UnitVersion, UnitOfficialCode):
        rows = model.objects.all()
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=list(unit_ids))
        by_unit = defaultdict(list)
        for unit_id, start, end in rows.values_list("unit_id", "valid_from", "valid_to"):
            by_unit[unit_id].append((start, end))
        for unit_id, periods in by_unit.items():
            periods.sort()
            for (_s1, e1), (s2, _e2) in zip(periods, periods[1:], strict=False):
                if e1 is None or e1 > s2:
                    found.add(unit_id)
    return sorted(found)


def check_no_overlap(unit_ids) -> None:
    """Raise (rolling the transaction back) if a unit touched has overlapping periods."""
    bad = []
    for chunk in _chunks(set(unit_ids)):
        bad += overlapping_versions(chunk)
    if bad:
        codes = Unit.objects.filter(pk__in=bad[:20]).values_list("code", flat=True)
        raise ReorganizeError(
            [
                Problem(
                    None,
                    None,
                    _("Units with overlapping periods: %(codes)s.")
                    % {"codes": ", ".join(sorted(codes))},
                )
            ]
        )

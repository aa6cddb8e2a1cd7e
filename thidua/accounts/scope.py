"""The one choke point for who may see or change what.

A user's scope is what the units they hold a role on (for the roles that allow the
action) cover, bounded in time (docs/adr/0010-scope-bounded-in-time.md): a unit covers
what was beneath it *while* it was beneath it, and a successor covers its predecessors'
history up to the act. So scope is a set of (unit, period) pairs (`coverage_for`), and a
record is in scope when its unit was covered on the record's date: callers pass that date
(`covers(user, unit, on=day)`, `restrict(qs, user, dated="field")`, `people(user,
on=day)`). The plain set of units covered at some time (`unit_ids_for`, `units`) remains
for what has no date (a unit's page, a picker). Every page, API call, export and download
starts from the querysets below.

Superusers and the system actor (`thidua.accounts.system.SYSTEM`, for the operator's CLI,
the loader and the demo) see everything (scope `None`). There is no implicit actor: the verbs
require one (`None` is tolerated, with a warning, only until the nominations verbs do).
"""

import datetime
import functools
import operator

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, IsNull, LessThan
from django.utils.translation import gettext as _

from thidua.accounts.choices import ROLE_ACTIONS, Action
from thidua.accounts.system import is_system
from thidua.org.ids import InIds
from thidua.org.models import Employment, Person, Unit
from thidua.org.tree import BEGINNING, FOREVER, Coverage, coverage, subtree_ids, time_graph

_CACHE_ATTR = "_thidua_scope_cache"

__all__ = ["subtree_ids"]  # the tree walk itself lives in thidua.org.tree


def coverage_for(user, action: str = Action.VIEW) -> Coverage | None:
    """The (unit, period) pairs `user` may act on for `action`, or None for "everything".
    The user's roles and the unit graph are read once per user object (one request) and
    cached on it (three queries)."""
    _refuse_none(user)
    if is_system(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return Coverage({})
    if user.is_superuser:
        return None
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    key = ("coverage", action)
    if key not in cache:
        roots = [unit_id for unit_id, role in _roles(user) if action in ROLE_ACTIONS.get(role, ())]
        cache[key] = coverage(_graph(user), roots) if roots else Coverage({})
    return cache[key]


def unit_ids_for(user, action: str = Action.VIEW) -> frozenset[int] | None:
    """Ids of the units `user` may act on at some time, or None for "all units"."""
    cov = coverage_for(user, action)
    return None if cov is None else cov.units


def _roles(user) -> list[tuple[int, str]]:
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "roles" not in cache:
        cache["roles"] = list(user.unit_roles.values_list("unit_id", "role"))
    return cache["roles"]


def _graph(user):
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "graph" not in cache:
        cache["graph"] = time_graph()
    return cache["graph"]


def _refuse_none(user) -> None:
    """`None` is not an actor: a caller that forgot the user must fail, not run with every
    right (docs/adr/0007-system-actor.md)."""
    if user is None:
        raise TypeError("an action without an actor: pass the user, or SYSTEM for the command line")


def forget(user) -> None:
    """Drop the cached scope (after roles or the tree change)."""
    user.__dict__.pop(_CACHE_ATTR, None)


def can(user, action: str, unit: Unit, *, on: datetime.date | None = None) -> bool:
    """Whether `user` may do `action` on `unit` — on the day `on` when the question is
    about something dated (a record, a rating), else at some time."""
    cov = coverage_for(user, action)
    if cov is None:
        return True
    return cov.covers(unit.pk, on) if on is not None else unit.pk in cov


def covers(user, unit: Unit, *, on: datetime.date, action: str = Action.VIEW) -> bool:
    """Whether a record of `unit` dated `on` is in `user`'s scope."""
    return can(user, action, unit, on=on)


def has_any_role(user) -> bool:
    if is_system(user):
        return True
    return user.is_authenticated and (user.is_superuser or user.unit_roles.exists())


def units(user, action: str = Action.VIEW) -> QuerySet[Unit]:
    ids = unit_ids_for(user, action)
    qs = Unit.objects.all()
    return qs if ids is None else qs.filter(InIds("pk", ids))


# --------------------------------------------------------------------------- set-based
# Conditions "(unit, date) is covered", built as one OR per group of units sharing their
# periods (a handful of groups), so a query's size grows with the units in scope and its
# count stays constant. `unit` and `day` are expressions: F(...) for the row's own fields,
# OuterRef(...) for the outer row's in a subquery.


def _any(conditions) -> Q:
    conditions = list(conditions)
    return functools.reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def _all(conditions) -> Q:
    return functools.reduce(operator.and_, conditions, Q())


def covered_on(cov: Coverage, unit, day) -> Q:
    """Rows whose unit (`unit`) was covered on their date (`day`)."""
    return _any(
        Q(InIds(unit, ids))
        & _any(
            _all(
                ([Q(GreaterThanOrEqual(day, Value(s)))] if s != BEGINNING else [])
                + ([Q(LessThan(day, Value(e)))] if e != FOREVER else [])
            )
            for s, e in spans
        )
        for spans, ids in cov.by_spans().items()
    )


def covered_in_year(cov: Coverage, unit, year) -> Q:
    """Rows whose unit was covered at the end of their year (`year`, an integer field): a
    rating or a title counts at the end of its year (docs/adr/0008-privacy-of-history.md)."""
    return _any(
        Q(InIds(unit, ids))
        & _any(
            _all(
                ([Q(GreaterThanOrEqual(year, Value(s.year)))] if s != BEGINNING else [])
                + ([Q(LessThan(year, Value(e.year)))] if e != FOREVER else [])
            )
            for s, e in spans
        )
        for spans, ids in cov.by_spans().items()
    )


def covered_during(cov: Coverage, unit, start, end) -> Q:
    """Rows whose unit was covered on some day of their period [`start`, `end`) (`end`
    null: open) — an employment, a membership."""
    return _any(
        Q(InIds(unit, ids))
        & _any(
            _all(
                ([Q(IsNull(end, True)) | Q(GreaterThan(end, Value(s)))] if s != BEGINNING else [])
                + ([Q(LessThan(start, Value(e)))] if e != FOREVER else [])
            )
            for s, e in spans
        )
        for spans, ids in cov.by_spans().items()
    )


def _employed(cov: Coverage, *, on: datetime.date | None = None) -> QuerySet:
    """Employments in scope: on the day `on` (their unit covered that day), or (None) at
    some time while their unit was covered."""
    if on is None:
        return Employment.objects.filter(covered_during(cov, F("unit_id"), F("start"), F("end")))
    return Employment.objects.filter(
        Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on)),
        InIds("unit_id", cov.units_on(on)),
    )


def _people_in(cov: Coverage, *, on: datetime.date | None = None):
    return _employed(cov, on=on).values("person_id")


# A scope holding at least this share of the units is "dense" (a province's officer on a
# province's database): most people are in it, see `people`.
DENSE_SHARE = 0.25
# With `people(..., per_row=True)`: a caller reading a page of people in name order tests
# each row while the scope holds this share (a province of the country: 5%).
PER_ROW_SHARE = 0.03


def people(
    user, action: str = Action.VIEW, *, on: datetime.date | None = None, per_row: bool = False
) -> QuerySet[Person]:
    """People who worked in a unit while it was in the user's scope (`on`: on that day).
    `per_row`: the caller reads a page of rows in an indexed order (the people list), so
    the scope is tested row by row as soon as it holds `PER_ROW_SHARE` of the units."""
    cov = coverage_for(user, action)
    qs = Person.objects.all()
    if cov is None:
        return qs if on is None else qs.filter(pk__in=_employed_anywhere(on))
    if dense(user, cov, PER_ROW_SHARE if per_row else DENSE_SHARE):
        # A correlated EXISTS: most people are in scope, so a page of the list (walking
        # the people in name order) or a lookup of a few (the engine's, the API's) probes
        # a few people's employments. An IN-subquery would make SQLite build the set of
        # everyone in scope first (a province: 100,000 people, half a second of CPU).
        return qs.filter(Exists(_employed(cov, on=on).filter(person_id=OuterRef("pk"))))
    # An IN-subquery: the database builds the (small) set of people in scope once instead
    # of probing employments for each of (up to) 100,000 people.
    return qs.filter(pk__in=_people_in(cov, on=on))


def dense(user, cov: Coverage, share: float | None = None) -> bool:
    """Whether `cov` holds `share` (default `DENSE_SHARE`) of the units known to the unit
    graph (no query: the graph is cached on `user`)."""
    share = DENSE_SHARE if share is None else share
    return len(cov) >= share * _graph(user).unit_count()


def people_below_per_row(user, cov: Coverage, *, on: datetime.date | None = None) -> Q | None:
    """The people `cov` holds as a condition tested row by row (a correlated EXISTS), when
    `cov` holds `PER_ROW_SHARE` of the units; None when it is too small for that (then
    `people_below`, an IN-subquery, is the better plan)."""
    if not dense(user, cov, PER_ROW_SHARE):
        return None
    return Q(Exists(_employed(cov, on=on).filter(person_id=OuterRef("pk"))))


def person(user, action: str = Action.VIEW, **lookup) -> Person | None:
    """The one person matching `lookup` (e.g. `code=…`) if they are among `people(user)`,
    else None. A correlated EXISTS on that person's employments: the IN-subquery of
    `people`, right for a list, makes SQLite build the set of everyone in scope first (a
    province: 100,000 people, a second of CPU) to answer for one."""
    cov = coverage_for(user, action)
    qs = Person.objects.filter(**lookup)
    if cov is not None:
        qs = qs.filter(Exists(_employed(cov).filter(person_id=OuterRef("pk"))))
    return qs.first()


def _employed_anywhere(on: datetime.date):
    return Employment.objects.filter(
        Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))
    ).values("person_id")


def people_below(cov: Coverage, *, on: datetime.date | None = None) -> QuerySet:
    """The ids (a subquery) of the people a coverage holds — e.g. a unit chosen in a
    filter, with its subtree and lineage (`thidua.org.tree.coverage`)."""
    return _people_in(cov, on=on)


_FROM_MODEL = object()


def restrict(
    qs: QuerySet,
    user,
    action: str = Action.VIEW,
    *,
    person=_FROM_MODEL,
    unit=_FROM_MODEL,
    dated: str | None = None,
    dated_year: str | None = None,
    during: tuple[str, str] | None = None,
):
    """Limit a queryset of records attached to a person and/or a unit to the user's scope.

    `person` / `unit` name the paths to the subject; by default the model's own `person`
    and `unit` fields where it has them (None: no such path). A row is kept when its unit
    is in scope, or its person is. Pass the row's date so that scope is bounded in time:
    `dated` (a date field), `dated_year` (a year field: the end of that year) or `during`
    (a (start, end) pair of fields: some day of the period). A unit's row is then kept when
    its unit was covered on that date; a person's row follows the privacy of history
    (`history_windows`): kept when the person works in the scope now, or worked there at
    the row's date. Without a date, any time counts (for what has none).
    """
    cov = coverage_for(user, action)
    if cov is None:
        return qs
    fields = {f.name for f in qs.model._meta.get_fields()}
    if person is _FROM_MODEL:
        person = "person" if "person" in fields else None
    if unit is _FROM_MODEL:
        unit = "unit" if "unit" in fields else None
    conditions = []
    if unit:
        ref = F(unit)
        if dated:
            conditions.append(covered_on(cov, ref, F(dated)))
        elif dated_year:
            conditions.append(covered_in_year(cov, ref, F(dated_year)))
        elif during:
            conditions.append(covered_during(cov, ref, F(during[0]), F(during[1])))
        else:
            conditions.append(Q(InIds(unit, cov.units)))
    if person and (dated or dated_year):
        conditions.append(_person_history_visible(cov, person, dated, dated_year))
    elif person:
        conditions.append(Q(**{f"{person}__in": _people_in(cov)}))
    return qs.filter(_any(conditions))


def _person_history_visible(
    cov: Coverage, person: str, dated: str | None, dated_year: str | None
) -> Q:
    """Privacy of history, set-based (see `history_windows`): the row's person works in
    the scope today, or worked there on the row's date (`dated`, a date field) or at the
    end of the row's year (`dated_year`, a year field) — in a unit covered on that date."""
    today = datetime.date.today()
    if dated:
        then = (
            Q(start__lte=OuterRef(dated))
            & (Q(end__isnull=True) | Q(end__gt=OuterRef(dated)))
            & covered_on(cov, F("unit_id"), OuterRef(dated))
        )
    else:
        then = (
            Q(start__year__lte=OuterRef(dated_year))
            & (Q(end__isnull=True) | Q(end__year__gt=OuterRef(dated_year)))
            & covered_in_year(cov, F("unit_id"), OuterRef(dated_year))
        )
    in_scope = Employment.objects.filter(person=OuterRef(person))
    return Q(**{f"{person}__in": _people_in(cov, on=today)}) | Exists(in_scope.filter(then))


def require(user, action: str, unit: Unit) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `unit` (the system actor may
    do everything; `None` is refused)."""
    if not can(user, action, unit):
        raise PermissionDenied(
            _("You may not %(action)s unit %(code)s.") % {"action": action, "code": unit.code}
        )


def require_person(user, action: str, person: Person) -> None:
    """Like `require`, for a person: allowed if any of their units is in scope."""
    cov = coverage_for(user, action)
    if cov is None:
        return
    if not _employed(cov).filter(person=person).exists():
        raise PermissionDenied(
            _("You may not %(action)s person %(code)s.") % {"action": action, "code": person.code}
        )


def home_unit(user, action: str = Action.VIEW) -> Unit | None:
    """The unit a user works from, to preselect on every page: of the units they hold a role
    on that allows `action`, the one with the largest subtree (a district officer who also
    holds a role on one commune works from the district). None without such a role (a
    superuser without roles sees everything and picks). Cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return None
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    key = ("home", action)
    if key not in cache:
        roots = sorted(
            {unit_id for unit_id, role in _roles(user) if action in ROLE_ACTIONS.get(role, ())}
        )
        if len(roots) > 1:
            graph = _graph(user)
            roots.sort(key=lambda pk: -len(coverage(graph, [pk])))
        cache[key] = Unit.objects.filter(pk=roots[0]).first() if roots else None
    return cache[key]


def subtree_in_scope(user, unit: Unit | None, action: str = Action.VIEW) -> frozenset[int] | None:
    """Ids of `unit` and what it covers at some time (bounded in time, see the module) that
    `user` may act on; `unit` None: the user's whole scope (None meaning all units, for a
    superuser). Uses the unit graph cached on the user, so pages that show several
    sections pay for it once."""
    ids = unit_ids_for(user, action)
    if unit is None:
        return ids
    below = coverage_for_units(user, [unit])
    return frozenset(below.units if ids is None else below.units & ids)


def coverage_for_units(user, units) -> Coverage:
    """What the given units cover (their subtree and lineage, bounded in time), from the
    unit graph cached on `user` — for a filter by unit ("the people of this province").
    Not limited to the user's scope: intersect with it."""
    return coverage(_graph(user), [u.pk for u in units])


def may(user, action: str) -> bool:
    """Whether `user` holds any role allowing `action` (from the roles cached on the user;
    no walk of the tree): what menus show."""
    if is_system(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(action in ROLE_ACTIONS.get(role, ()) for _unit, role in _roles(user))


def history_windows(user, person: Person, action: str = Action.VIEW, *, today=None):
    """The periods of `person`'s history that `user` may see: None for all of it, else a
    list of half-open [start, end) date intervals (end None: open).

    The rule (docs/adr/0008-privacy-of-history.md): a unit sees a person's records from
    the time the person belonged to its scope; the whole history only while the person
    currently belongs to it. So an officer of the commune a person works in now sees their
    whole record; the officer of a commune they left sees only what is dated while they
    worked there — and, scope being bounded in time (ADR 0010), while the unit they worked
    in was in the officer's scope. One query (the person's employments)."""
    cov = coverage_for(user, action)
    if cov is None:
        return None
    today = today or datetime.date.today()
    spans = list(person.employments.values_list("unit_id", "start", "end"))
    if any(
        start <= today and (end is None or end > today) and cov.covers(unit_id, today)
        for unit_id, start, end in spans
    ):
        return None
    windows = []
    for unit_id, start, end in spans:
        for s, e in cov.spans.get(unit_id, ()):
            lo, hi = max(s, start), min(e, end or FOREVER)
            if lo < hi:
                windows.append((lo, None if hi == FOREVER else hi))
    return sorted(windows, key=lambda w: (w[0], w[1] or FOREVER))


def in_windows(day, windows) -> bool:
    """Whether `day` lies in one of `windows` (as returned by `history_windows`)."""
    if windows is None:
        return True
    return any(start <= day and (end is None or day < end) for start, end in windows)

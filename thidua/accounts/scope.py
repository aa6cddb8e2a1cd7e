"""The one choke point for who may see or change what.

A user's scope is the set of units in the subtrees of the units they hold a role on,
for the roles that allow the action. "Subtree" spans history: every unit that was ever a
descendant (in any `UnitVersion`), and every unit merged or split into one of those
(lineage predecessors), so that an officer of a successor commune still sees the records
of the communes it absorbed. Every page, API call, export and download starts from the
querysets below.

Superusers and the system actor (`thidua.accounts.system.SYSTEM`, for the operator's CLI,
the loader and the demo) see everything (scope `None`). There is no implicit actor: the verbs
require one (`None` is tolerated, with a warning, only until the nominations verbs do).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from thidua.accounts.choices import ROLE_ACTIONS, Action
from thidua.accounts.system import is_system
from thidua.org.models import Employment, Person, Unit
from thidua.org.tree import history_graph, subtree_ids, walk

_CACHE_ATTR = "_thidua_scope_cache"

__all__ = ["subtree_ids"]  # the tree walk itself lives in thidua.org.tree


def unit_ids_for(user, action: str = Action.VIEW) -> frozenset[int] | None:
    """Ids of the units `user` may act on, or None for "all units". The user's roles and
    the unit graph are read once per user object (one request) and cached on it."""
    _refuse_none(user)
    if user is None or is_system(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if action not in cache:
        if "roles" not in cache:
            cache["roles"] = list(user.unit_roles.values_list("unit_id", "role"))
        roots = [
            unit_id for unit_id, role in cache["roles"] if action in ROLE_ACTIONS.get(role, ())
        ]
        if roots and "graph" not in cache:
            cache["graph"] = history_graph()
        cache[action] = frozenset(walk(cache.get("graph", {}), roots))
    return cache[action]


def _refuse_none(user) -> None:
    """`None` is not an actor: a caller that forgot the user must fail, not run with every
    right (docs/adr/0007-system-actor.md)."""
    if user is None:
        raise TypeError("an action without an actor: pass the user, or SYSTEM for the command line")


def forget(user) -> None:
    """Drop the cached scope (after roles or the tree change)."""
    user.__dict__.pop(_CACHE_ATTR, None)


def can(user, action: str, unit: Unit) -> bool:
    ids = unit_ids_for(user, action)
    return ids is None or unit.pk in ids


def has_any_role(user) -> bool:
    if is_system(user):
        return True
    return user.is_authenticated and (user.is_superuser or user.unit_roles.exists())


def units(user, action: str = Action.VIEW) -> QuerySet[Unit]:
    ids = unit_ids_for(user, action)
    qs = Unit.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def _people_in(unit_ids):
    return Employment.objects.filter(unit_id__in=unit_ids).values("person_id")


def people(user, action: str = Action.VIEW) -> QuerySet[Person]:
    """People who were ever employed in a unit of the user's scope."""
    ids = unit_ids_for(user, action)
    qs = Person.objects.all()
    if ids is None:
        return qs
    # An IN-subquery, not a correlated EXISTS: the database builds the set of people in
    # scope once instead of probing employments for each of (up to) 100,000 people.
    return qs.filter(pk__in=_people_in(ids))


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
):
    """Limit a queryset of records attached to a person and/or a unit to the user's scope.

    `person` / `unit` name the paths to the subject; by default the model's own `person`
    and `unit` fields where it has them (None: no such path). A row is kept when its unit
    is in scope, or its person is. With `dated` (the row's date field) or `dated_year`
    (its year field), a person's row follows the privacy of history (`history_windows`):
    kept when the person works in the scope now, or worked there at the row's date.
    """
    ids = unit_ids_for(user, action)
    if ids is None:
        return qs
    fields = {f.name for f in qs.model._meta.get_fields()}
    if person is _FROM_MODEL:
        person = "person" if "person" in fields else None
    if unit is _FROM_MODEL:
        unit = "unit" if "unit" in fields else None
    condition = Q(pk__in=[])
    if unit:
        condition |= Q(**{f"{unit}__in": ids})
    if person and (dated or dated_year):
        condition |= _person_history_visible(ids, person, dated, dated_year)
    elif person:
        condition |= Q(**{f"{person}__in": _people_in(ids)})
    return qs.filter(condition)


def _person_history_visible(ids, person: str, dated: str | None, dated_year: str | None) -> Q:
    """Privacy of history, set-based (see `history_windows`): the row's person works in
    the scope today, or worked there on the row's date (`dated`, a date field) or at the
    end of the row's year (`dated_year`, a year field)."""
    import datetime

    today = datetime.date.today()
    now = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gt=today))
    if dated:
        then = Q(start__lte=OuterRef(dated)) & (Q(end__isnull=True) | Q(end__gt=OuterRef(dated)))
    else:
        then = Q(start__year__lte=OuterRef(dated_year)) & (
            Q(end__isnull=True) | Q(end__year__gt=OuterRef(dated_year))
        )
    in_scope = Employment.objects.filter(person=OuterRef(person), unit_id__in=ids)
    return Q(**{f"{person}__in": _people_in(ids).filter(now)}) | Exists(in_scope.filter(then))


def require(user, action: str, unit: Unit) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `unit` (the system actor may
    do everything; `None` is refused)."""
    if not can(user, action, unit):
        raise PermissionDenied(
            _("You may not %(action)s unit %(code)s.") % {"action": action, "code": unit.code}
        )


def require_person(user, action: str, person: Person) -> None:
    """Like `require`, for a person: allowed if any of their units is in scope."""
    ids = unit_ids_for(user, action)
    if ids is None:
        return
    if not person.employments.filter(unit_id__in=ids).exists():
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
        if "roles" not in cache:
            cache["roles"] = list(user.unit_roles.values_list("unit_id", "role"))
        roots = sorted(
            {unit_id for unit_id, role in cache["roles"] if action in ROLE_ACTIONS.get(role, ())}
        )
        if len(roots) > 1:
            if "graph" not in cache:
                cache["graph"] = history_graph()
            roots.sort(key=lambda pk: -len(walk(cache["graph"], [pk])))
        cache[key] = Unit.objects.filter(pk=roots[0]).first() if roots else None
    return cache[key]


def subtree_in_scope(user, unit: Unit | None, action: str = Action.VIEW) -> frozenset[int] | None:
    """Ids of `unit` and everything beneath it (across history) that `user` may act on;
    `unit` None: the user's whole scope (None meaning all units, for a superuser). Uses the
    unit graph cached on the user, so pages that show several sections pay for it once."""
    ids = unit_ids_for(user, action)
    if unit is None:
        return ids
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "graph" not in cache:
        cache["graph"] = history_graph()
    below = walk(cache["graph"], [unit.pk])
    return frozenset(below if ids is None else below & ids)


def may(user, action: str) -> bool:
    """Whether `user` holds any role allowing `action` (from the roles cached on the user;
    no walk of the tree): what menus show."""
    if is_system(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if "roles" not in cache:
        cache["roles"] = list(user.unit_roles.values_list("unit_id", "role"))
    return any(action in ROLE_ACTIONS.get(role, ()) for _unit, role in cache["roles"])


def history_windows(user, person: Person, action: str = Action.VIEW, *, today=None):
    """The periods of `person`'s history that `user` may see: None for all of it, else a
    list of half-open [start, end) date intervals (end None: open).

    The rule (docs/adr/0008-privacy-of-history.md): a unit sees a person's records from
    the time the person belonged to its scope; the whole history only while the person
    currently belongs to it. So an officer of the commune a person works in now sees their
    whole record; the officer of a commune they left sees only what is dated while they
    worked there. One query (the person's employments)."""
    import datetime

    ids = unit_ids_for(user, action)
    if ids is None:
        return None
    today = today or datetime.date.today()
    spans = list(person.employments.values_list("unit_id", "start", "end"))
    current = [s for s in spans if s[1] <= today and (s[2] is None or s[2] > today)]
    if any(unit_id in ids for unit_id, _start, _end in current):
        return None
    return sorted((start, end) for unit_id, start, end in spans if unit_id in ids)


def in_windows(day, windows) -> bool:
    """Whether `day` lies in one of `windows` (as returned by `history_windows`)."""
    if windows is None:
        return True
    return any(start <= day and (end is None or day < end) for start, end in windows)

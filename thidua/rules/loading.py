"""Loading the facts of a population (`load_facts`): one query per kind of fact, whatever
the size of the population, into the indexes of `facts.Facts`."""

import datetime
from functools import partial
from itertools import chain
from operator import attrgetter, itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Substr

from thidua.org.choices import LineageKind
from thidua.org.models import Employment, Household, LineageEdge, Person, Unit
from thidua.records.choices import AwardStatus
from thidua.records.models import (
    Absence,
    Attestation,
    Award,
    AwardInitiative,
    Discipline,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.rules.definitions import COLL, IND
from thidua.rules.facts import (
    HISTORY_KINDS,
    LEVEL_RANK,
    MEASURE_RANK,
    SCOPE_RANK,
    AttestationFact,
    AwardFact,
    DisciplineFact,
    EmploymentFact,
    Facts,
    HouseholdFact,
    InitiativeFact,
    MergeFact,
    People,
    Period,
    PersonFact,
    UnitFact,
    UseFact,
    year_bounds,
)


def _group_awards(rows, target) -> set[int]:
    """Index the awards by subject and code; the subjects holding several of one code."""
    repeated = set()
    for subject_id, fact in rows:
        by_code = target[subject_id]
        found = by_code.get(fact[0])
        if found is None:
            by_code[fact[0]] = [fact]
        else:
            found.append(fact)
            repeated.add(subject_id)
    for subject_id in repeated:
        for facts in target[subject_id].values():
            if len(facts) > 1:
                facts.sort(key=_award_order)
    return repeated


def _award_order(fact):
    return (fact.last_year, fact.first_year)


def _rows(queryset, *, ordered=False):
    """The rows of a values_list queryset, straight from the cursor: no per-value converters
    (dates come back as ISO text on SQLite, as dates on PostgreSQL; see `_date`), and no
    ORDER BY unless `ordered` (the models' default orderings would sort whole tables for
    nothing). The rows are read in batches and chained in C (no Python frame per row); the
    cursor is closed once they are all read."""
    if not ordered:
        queryset = queryset.order_by()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `pk__in=[]`: nothing to read, no query to run
        return iter(())
    cursor = connections[queryset.db].cursor()  # the replica's, for a run reading it
    try:
        cursor.execute(sql, params)
    except BaseException:
        cursor.close()
        raise
    return chain.from_iterable(iter(partial(_fetch_batch, cursor), []))


def _fetch_batch(cursor) -> list:
    rows = cursor.fetchmany(10_000)
    if not rows:
        cursor.close()
    return rows


# Facts are built with tuple.__new__ (C) rather than the named tuples' Python-level
# constructors: a province's facts are hundreds of thousands of tuples.
_new = tuple.__new__
_from_iso = datetime.date.fromisoformat
_start = attrgetter("start")
_first, _third = itemgetter(0), itemgetter(2)


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value[:10])


def _bool(value) -> bool:
    return bool(value)


def _as_text(*names):
    """Date columns read as ISO text (`name_text`): the drivers' per-value date conversion
    costs more than `date.fromisoformat` on the text."""
    return {f"{name}_text": Cast(name, CharField()) for name in names}


def _years_of(*names):
    """Date columns read as their years (`name_year`), cut from the ISO text in SQL: no
    per-value date conversion, no parsing in Python."""
    return {
        f"{name}_year": Cast(Substr(Cast(name, CharField()), 1, 4), IntegerField())
        for name in names
    }


def _employed_during(unit_ids, lo, hi):
    qs = Employment.objects.filter(start__lt=hi).filter(Q(end__isnull=True) | Q(end__gt=lo))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return qs


class _Window:
    """What one `load_facts` reads: the year, the history windows, the population."""

    def __init__(self, year, first_years, unit_ids, person_ids, households=None, wide=False):
        self.year = year
        # A population of a large share of the database (`load_facts(wide=True)`): after
        # the employments, the people's rows are chosen here (`keep`), not in SQL.
        self.wide = wide and unit_ids is not None
        self.keep: set[int] | None = None
        # (commune ids or None: all, explicit household ids or None) when households are
        # evaluated; None: no household is loaded
        self.households = households
        self.household_ids: list[int] = []
        self.lo, self.hi = year_bounds(year)
        self.first_year = first_years["ratings"]  # ratings, and the employments saying who worked
        self.history_lo = datetime.date(self.first_year, 1, 1)
        self.awards_lo = datetime.date(first_years["awards"], 1, 1)
        self.initiatives_lo = datetime.date(first_years["initiatives"], 1, 1)
        self.unit_ids, self.person_ids = unit_ids, person_ids
        self.unit_scope = None  # the evaluated units and their merged predecessors
        self._explicit = [*person_ids] if person_ids is not None else None
        self._staff = None
        if unit_ids is not None and (person_ids is None or unit_ids):
            self._staff = _employed_during(unit_ids, self.lo, self.hi).values("person_id")

    def population(self, field) -> Q:
        """People evaluated, and the staff of the evaluated units, as a subquery filter."""
        if self._explicit is None:
            return Q() if self._staff is None else Q(**{f"{field}__in": self._staff})
        q = Q(**{f"{field}__in": self._explicit})
        return q | Q(**{f"{field}__in": self._staff}) if self._staff is not None else q

    def rows_of(self, field) -> Q:
        """The population's filter for a table whose rows are then chosen by `kept`:
        none once `keep` is known (wide populations)."""
        return Q() if self.keep is not None else self.population(field)

    def kept(self, rows):
        """The rows (person id first) of the population, of those read with `rows_of`."""
        keep = self.keep
        if keep is None:
            return rows
        return (row for row in rows if row[0] in keep)

    def units_filter(self, field) -> Q:
        return Q() if self.unit_scope is None else Q(**{f"{field}__in": list(self.unit_scope)})


def load_facts(
    year: int,
    *,
    unit_ids: set[int] | None = None,
    person_ids: set[int] | None = None,
    horizon: int = 40,
    history: dict[str, int] | None = None,
    households: tuple | None = None,
    wide: bool = False,
) -> Facts:
    """Facts for a population, with its history from `year - horizon` to `year`, or, per
    kind of history (`HISTORY_KINDS`), for the years `history` gives (what the criteria
    read, see `primitives.reach`).

    - `unit_ids`: the units evaluated as collectives (None: every unit);
    - `person_ids`: the people evaluated as individuals (None: everyone employed during
      `year` in `unit_ids`). The staff of the evaluated units are always loaded, since
      collective criteria count their members;
    - `households`: (commune ids, household ids) of the households evaluated — those of
      the communes (None: every commune) and those named (None: no other); None: no
      household is loaded.

    Runs a fixed number of queries (13, and one more with households), whatever the size
    of the population; the ids of the population travel as subqueries, not as lists.
    `wide`: the units are a large share of the database (a partition of the country): the
    subquery choosing the population runs once, for the employments, and the rows of the
    other tables are read whole and chosen in Python, which costs less than running the
    subquery again for each table.
    """
    history = history or {}
    first_years = {kind: year - history.get(kind, horizon) for kind in HISTORY_KINDS}
    facts = Facts(year, first_years)
    w = _Window(year, first_years, unit_ids, person_ids, households, wide)
    for load in _LOADERS:
        if load(facts, w) is not False:
            facts.queries += 1
    return facts


def _load_households(facts: Facts, w: _Window) -> bool:
    """The households evaluated (no query when none is asked for)."""
    if w.households is None:
        return False
    communes, ids = w.households
    chosen = Q() if communes is None else Q(commune_id__in=list(communes))
    if ids is not None:
        chosen = (chosen | Q(pk__in=list(ids))) if communes is not None else Q(pk__in=list(ids))
    for pk, code, name, commune_id in _rows(
        Household.objects.filter(chosen).values_list("pk", "code", "name", "commune_id"),
        ordered=True,
    ):
        facts.households[pk] = HouseholdFact(code, name, commune_id)
    w.household_ids = list(facts.households)
    return True


def _load_employments(facts: Facts, w: _Window) -> None:
    """Employments of the population (their whole history: months worked, tenure). For a
    wide population, its people are read first (one more query) and the employments of
    the window chosen from all of them by person (`_Window.kept`)."""
    if w.wide:
        staff = _employed_during(w.unit_ids, w.lo, w.hi).values_list("person_id")
        w.keep = {person_id for (person_id,) in _rows(staff)}.union(w._explicit or ())
        facts.queries += 1
    emp_rows = (
        Employment.objects.filter(w.rows_of("person_id"))
        .filter(Q(end__isnull=True) | Q(end__gt=w.history_lo))
        .annotate(**_as_text("start", "end"))
        .values_list("person_id", "unit_id", "position", "start_text", "end_text")
    )
    in_year: set[int] = set()
    employments, unit_staff, whole = facts.employments, facts.unit_staff, facts.whole_year
    lo, hi = w.lo, w.hi
    # Dates repeat (days of appointment, of a reorganisation): one date object each.
    dates: dict[str, datetime.date] = {}
    day = dates.get
    for person_id, unit_id, position, start, end in w.kept(_rows(emp_rows)):
        start = day(start) or dates.setdefault(start, _from_iso(start))
        end = (day(end) or dates.setdefault(end, _from_iso(end))) if end else None
        employments[person_id].append(_new(EmploymentFact, (unit_id, position, start, end)))
        if start < hi and (end is None or end > lo):
            unit_staff[unit_id].append((person_id, start, end))
            in_year.add(person_id)
            if start <= lo and (end is None or end >= hi):
                whole.add(person_id)
    for items in employments.values():
        if len(items) > 1:
            items.sort(key=_start)
    if w.person_ids is not None:
        facts.population = sorted(w.person_ids)
    elif w.unit_ids is not None:
        facts.population = sorted(
            {p for u in w.unit_ids for p, _start, _end in facts.unit_staff.get(u, ())}
        )
    else:
        facts.population = sorted(in_year)


def _load_people(facts: Facts, w: _Window) -> bool:
    """People: read when first needed (`People`), in one query for the whole population."""
    queryset = Person.objects.filter(w.population("pk"))
    facts.people = People(partial(_read_people, queryset.using(queryset.db)), facts.employments)
    return False


def _read_people(queryset) -> dict[int, PersonFact]:
    people, new = {}, _new
    # Family, middle and given names repeat across a province: one string object each.
    names: dict[str, str] = {}
    name = names.setdefault
    for pk, code, family, middle, given, gender in _rows(
        queryset.values_list("pk", "code", "family_name", "middle_name", "given_name", "gender")
    ):
        people[pk] = new(
            PersonFact,
            (code, name(family, family), name(middle, middle), name(given, given), gender),
        )
    return people


def _load_person_ratings(facts: Facts, w: _Window) -> None:
    """Person ratings in the window."""
    ratings, rank = facts.person_ratings, LEVEL_RANK
    rows = w.kept(
        _rows(
            PersonRating.objects.filter(
                w.rows_of("person_id"), year__gte=w.first_year, year__lte=w.year
            ).values_list("person_id", "year", "level")
        )
    )
    if w.first_year == w.year:  # one year (what the annual titles read): one dict, in C
        rows = list(rows)
        levels = map(rank.__getitem__, map(_third, rows))
        ratings[w.year].update(zip(map(_first, rows), levels, strict=True))
        return
    for person_id, y, level in rows:
        ratings[y][person_id] = rank[level]


def _load_merges(facts: Facts, w: _Window) -> None:
    """Merges into the evaluated units (their predecessors' history may be carried)."""
    merge_edges = LineageEdge.objects.filter(
        event__kind__in=[LineageKind.MERGE, LineageKind.SPLIT, LineageKind.ACT],
        successor__isnull=False,
    ).exclude(predecessor_id=F("successor_id"))
    if w.unit_ids is not None:
        merge_edges = merge_edges.filter(successor_id__in=list(w.unit_ids))
    for pred, succ, day, decision in _rows(
        merge_edges.values_list("predecessor_id", "successor_id", "event__date", "event__decision")
    ):
        facts.merged_into[succ].append(MergeFact(pred, _date(day), decision))
    if w.unit_ids is not None:
        w.unit_scope = set(w.unit_ids)
        for merges in facts.merged_into.values():
            w.unit_scope.update(m.predecessor_id for m in merges)


def _load_units(facts: Facts, w: _Window) -> None:
    """Units, in their display order (collective results follow it)."""
    reorganised = LineageEdge.objects.filter(
        predecessor_id=OuterRef("pk"),
        successor__isnull=False,
        event__kind__in=[LineageKind.MERGE, LineageKind.SPLIT, LineageKind.ACT],
    ).exclude(successor_id=OuterRef("pk"))
    for pk, code, name, kind, established, dissolved, by_reorganisation in _rows(
        Unit.objects.filter(w.units_filter("pk"))
        .annotate(
            by_reorganisation=Case(
                When(dissolved_on__isnull=True, then=Value(False)),
                default=Exists(reorganised),
            )
        )
        .values_list(
            "pk", "code", "name", "kind", "established_on", "dissolved_on", "by_reorganisation"
        ),
        ordered=True,
    ):
        facts.units[pk] = UnitFact(
            code, name, kind, _date(established), _date(dissolved), _bool(by_reorganisation)
        )


def _load_unit_ratings(facts: Facts, w: _Window) -> None:
    """Unit ratings."""
    for unit_id, y, level in _rows(
        UnitRating.objects.filter(
            w.units_filter("unit_id"), year__gte=w.first_year, year__lte=w.year
        ).values_list("unit_id", "year", "level")
    ):
        facts.unit_ratings[unit_id][y] = LEVEL_RANK[level]


def _load_awards(facts: Facts, w: _Window) -> None:
    """Awards (valid ones: an annulled award counts for nothing, Law Điều 93)."""
    if w.unit_scope is None and w.person_ids is None and w.unit_ids is None:
        recipients = Q()
    else:
        recipients = (Q(person__isnull=False) & w.rows_of("person_id")) | (
            Q(unit__isnull=False) & w.units_filter("unit_id")
        )
        if w.household_ids:
            recipients |= Q(household_id__in=w.household_ids)
    households, keep = set(w.household_ids), w.keep
    person_rows, unit_rows, household_rows = [], [], []
    # Only the periods' years are needed: read as integers (`_years_of`).
    for row in _rows(
        Award.objects.filter(recipients, status=AwardStatus.VALID, period_end__gte=w.awards_lo)
        .annotate(**_years_of("period_start", "period_end"))
        .values_list(
            "person_id",
            "unit_id",
            "household_id",
            "award_code",
            "commendation_type",
            "period_start_year",
            "period_end_year",
            "decision_number",
            "pk",
        )
    ):
        person_id, unit_id, household_id, code, kind, start, end, number, pk = row
        fact = _new(AwardFact, (code, kind, start, end, number, pk))
        if person_id:
            if keep is None or person_id in keep:
                person_rows.append((person_id, fact))
        elif unit_id:
            unit_rows.append((unit_id, fact))
        elif household_id in households:
            household_rows.append((household_id, fact))
    facts.repeated_awards = {
        IND: _group_awards(person_rows, facts.person_awards),
        COLL: _group_awards(unit_rows, facts.unit_awards),
    }
    _group_awards(household_rows, facts.household_awards)


def _load_disciplines(facts: Facts, w: _Window) -> None:
    """Disciplines."""
    for person_id, measure, duty, start, end, number in w.kept(
        _rows(
            Discipline.objects.filter(w.rows_of("person_id")).values_list(
                "person_id",
                "measure",
                "duty_related",
                "effective_from",
                "effective_to",
                "decision_number",
            )
        )
    ):
        facts.disciplines[person_id].append(
            DisciplineFact(
                MEASURE_RANK[measure], measure, _bool(duty), _date(start), _date(end), number
            )
        )


def _load_absences(facts: Facts, w: _Window) -> None:
    """Absences."""
    for person_id, kind, start, end in w.kept(
        _rows(
            Absence.objects.filter(w.rows_of("person_id"), end__gt=w.history_lo).values_list(
                "person_id", "kind", "start", "end"
            )
        )
    ):
        facts.absences[person_id].append(Period(kind, _date(start), _date(end)))


def _load_initiatives(facts: Facts, w: _Window) -> None:
    """Initiatives and research, through their authors."""
    for row in w.kept(
        _rows(
            InitiativeAuthor.objects.filter(
                w.rows_of("person_id"), initiative__recognised_on__gte=w.initiatives_lo
            ).values_list(
                "person_id",
                "initiative_id",
                "initiative__code",
                "initiative__kind",
                "initiative__scope",
                "initiative__recognised_on",
                "initiative__applied",
                "initiative__replicable",
                "initiative__decision_number",
            )
        )
    ):
        person_id, pk, code, kind, scope, recognised, applied, replicable, number = row
        facts.initiatives[person_id].append(
            InitiativeFact(
                pk,
                code,
                kind,
                SCOPE_RANK[scope],
                _date(recognised),
                _bool(applied),
                _bool(replicable),
                number,
            )
        )


def _load_reviews(facts: Facts, w: _Window) -> None:
    """Pending reviews (people and units)."""
    keep = w.keep
    for person_id, unit_id, kind, start, end in _rows(
        PendingReview.objects.filter(
            (Q(person__isnull=False) & w.rows_of("person_id"))
            | (Q(unit__isnull=False) & w.units_filter("unit_id"))
        ).values_list("person_id", "unit_id", "kind", "started_on", "ended_on")
    ):
        if person_id and keep is not None and person_id not in keep:
            continue
        target = facts.person_reviews[person_id] if person_id else facts.unit_reviews[unit_id]
        target.append(Period(kind, _date(start), _date(end)))


def _load_initiative_uses(facts: Facts, w: _Window) -> None:
    """The valid awards that relied on the population's initiatives of the window."""
    if w.keep is None:
        initiatives = InitiativeAuthor.objects.filter(
            w.population("person_id"), initiative__recognised_on__gte=w.initiatives_lo
        ).values("initiative_id")
        chosen, loaded = Q(initiative_id__in=initiatives), None
    else:  # those loaded (`_load_initiatives`), chosen here
        chosen = Q()
        loaded = {i.id for items in facts.initiatives.values() for i in items}
    for initiative_id, *row in _rows(
        AwardInitiative.objects.filter(chosen, award__status=AwardStatus.VALID).values_list(
            "initiative_id",
            "award__person_id",
            "award__unit_id",
            "award__award_code",
            "award__period_start",
            "award__period_end",
            "award__decision_number",
        )
    ):
        if loaded is not None and initiative_id not in loaded:
            continue
        person_id, unit_id, code, start, end, number = row
        facts.initiative_uses[initiative_id].append(
            UseFact(person_id, unit_id, code, _date(start).year, _date(end).year, number)
        )


def _load_attestations(facts: Facts, w: _Window) -> None:
    """Attestations and refusals of qualitative criteria for the evaluated year."""
    subjects = (Q(person__isnull=False) & w.rows_of("person_id")) | (
        Q(unit__isnull=False) & w.units_filter("unit_id")
    )
    if w.household_ids:
        subjects |= Q(household_id__in=w.household_ids)
    keep = w.keep
    for person_id, unit_id, household_id, code, criterion, *fact in _rows(
        Attestation.objects.filter(subjects, year=w.year).values_list(
            "person_id",
            "unit_id",
            "household_id",
            "award_code",
            "criterion",
            "outcome",
            "body_name",
            "decided_on",
            "minutes_number",
            "minutes_date",
        )
    ):
        outcome, body_name, decided_on, number, minutes_date = fact
        if person_id:
            if keep is not None and person_id not in keep:
                continue
            key = ("individual", person_id)
        elif unit_id:
            key = ("collective", unit_id)
        else:
            key = ("household", household_id)
        facts.attestations[key][(code, criterion)] = AttestationFact(
            outcome, body_name, _date(decided_on), number, _date(minutes_date)
        )


# In this order: the units read the merges, the population the employments.
_LOADERS = (
    _load_employments,
    _load_people,
    _load_person_ratings,
    _load_merges,
    _load_units,
    _load_unit_ratings,
    _load_households,
    _load_awards,
    _load_disciplines,
    _load_absences,
    _load_initiatives,
    _load_reviews,
    _load_attestations,
    _load_initiative_uses,
)

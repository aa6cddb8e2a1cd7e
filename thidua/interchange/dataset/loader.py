"""`load_dataset`: read a dataset, check all of it, then write all of it in one transaction."""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from thidua.collector import cycle_collector_paused
from thidua.interchange.dataset.audit import log_load
from thidua.interchange.dataset.bulk import (
    checked_row_by_row,
    insert,
    insert_coded,
    sqlite_load_cache,
)
from thidua.interchange.dataset.facts import chunked
from thidua.interchange.dataset.parallel import ChildSource, worth_a_child
from thidua.interchange.dataset.reader import DatasetSource
from thidua.interchange.dataset.report import DatasetError, LoadReport, Problem
from thidua.interchange.dataset.schema import clear_caches
from thidua.interchange.dataset.staging import StagedRows
from thidua.interchange.dataset.validate import FIRST_YEAR, LAST_YEAR, Plan, Validator
from thidua.org.models import (
    Employment,
    Household,
    HouseholdMember,
    LineageEdge,
    LineageEvent,
    Person,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.records.rating_rules import months_in_year, problem_for, rating_problems_for

PROGRESS_EVERY = 100_000  # rows between two progress reports while reading


def load_dataset(source, *, fmt: str | None = None, actor, progress=None) -> LoadReport:
    """Load a dataset (see docs/dataset-format.md) into the database.

    `source` is a path, a binary file object or a dict of the JSON shape; `fmt` is "json" or
    "xlsx" (by default from the file name, or the first bytes). Every row is checked before
    anything is written; on any problem `DatasetError` lists them all and nothing is written.
    The writes run in one transaction and leave one audit entry (`interchange.dataset.load`,
    with the counts per section; see `dataset.audit`).

    A dataset may touch any unit, so loading is an operator's act: `actor` is the system
    (`SYSTEM`: a CLI run, the demo) or a superuser, and is recorded in the audit entry.

    `progress`, if given, is called as `progress(phase, rows)` with phase "read" (every
    PROGRESS_EVERY rows and at the end), then "check" and "write", for a progress display.
    """
    report_progress = progress or (lambda phase, rows: None)
    if actor is None or not actor.is_superuser:
        raise PermissionDenied("Only an administrator may load a dataset.")
    with cycle_collector_paused():
        return _load(source, fmt, actor, report_progress)


def _load(source, fmt, actor, report_progress) -> LoadReport:
    reading = read_dataset(source, fmt=fmt, progress=report_progress)
    try:
        with integrity_as_problem(), transaction.atomic():
            report_progress("check", reading.rows)
            plan = reading.validator.finish(reading.structure_problems)
            report_progress("write", reading.rows)
            counts = write_and_log(plan, reading, actor=actor)
            warnings = rating_warnings(plan)
    finally:
        reading.validator.close()
    return LoadReport(counts=counts, sha256=reading.sha256, warnings=warnings)


@dataclass
class Reading:
    """A dataset read and checked row by row (`Validator.add`), not yet against the
    database: `validator.finish(structure_problems)` does that next."""

    validator: Validator
    structure_problems: list
    name: str
    sha256: str
    rows: int
    skipped: int = 0


def read_dataset(
    source, *, fmt=None, progress=None, skip=None, every: int = PROGRESS_EVERY
) -> Reading:
    """Read every row of `source` into a fresh `Validator`. `skip(section, raw)`, if given,
    says which rows to leave out (counted in `Reading.skipped`); `progress("read", rows)`
    is called every `every` rows and at the end. The caller closes `Reading.validator`
    (`Validator.close`) once done with its rows."""
    report_progress = progress or (lambda phase, rows: None)
    validator = Validator()
    skipped = rows = 0
    try:
        opened = ChildSource if worth_a_child(source) else DatasetSource
        with opened(source, fmt) as src:
            add = validator.add
            for rows, (section, number, raw) in enumerate(src.rows(), start=1):
                if skip is not None and skip(section, raw):
                    skipped += 1
                    continue
                add(section, number, raw)
                if not rows % every:
                    report_progress("read", rows)
            report_progress("read", rows)
            structure_problems = list(src.problems)
            name, sha256 = src.name, src.sha256
    except BaseException:
        validator.close()
        raise
    finally:
        clear_caches()
    return Reading(validator, structure_problems, name, sha256, rows - skipped, skipped)


def write_and_log(plan: Plan, reading: Reading, *, actor) -> dict[str, int]:
    """Write a checked plan and its one audit entry; call inside `transaction.atomic()`."""
    with checked_row_by_row(), sqlite_load_cache():
        counts = write_plan(plan)
    log_load(
        actor=actor,
        name=reading.name,
        sha256=reading.sha256,
        counts=counts,
        message=_("Dataset %(name)s loaded: %(total)s rows.")
        % {"name": reading.name, "total": sum(counts.values())},
    )
    return counts


@contextmanager
def integrity_as_problem():
    """An IntegrityError or a refused write while writing becomes a `DatasetError`
    (nothing was written)."""
    try:
        yield
    except IntegrityError as exc:
        # Validation read the database before writing; another writer got in between.
        raise DatasetError(
            [
                Problem(
                    "",
                    None,
                    "",
                    _("the database changed during the load (%(error)s); nothing was written")
                    % {"error": exc},
                )
            ]
        ) from exc
    except OperationalError as exc:
        # E.g. SQLite: another write (a second load) held the database past the busy timeout.
        raise DatasetError(
            [
                Problem(
                    "",
                    None,
                    "",
                    _("the database refused the write (%(error)s); nothing was written, try again")
                    % {"error": exc},
                )
            ]
        ) from exc


def rating_warnings(plan: Plan) -> list[Problem]:
    """Ratings loaded that cannot stand (`records.rating_rules`: fewer than 6 months worked
    in the year outside maternity, or absent 3 to under 6 months and rated HTT or better).
    They are loaded — they are the unit's record — and reported; the eligibility engine
    reads them as they can stand.

    A person the file defines has no other employment or absence than the file's rows, so
    theirs are judged from the plan in memory (no query: a national load rates millions);
    a year that one employment covers whole, for someone without absences, stands with no
    more work. The people already in the database are read back after writing, two
    queries per year and 5,000 people."""
    new = plan.new_people
    jobs, whole = defaultdict(list), defaultdict(int)  # whole: bitmask of years covered
    for r in plan.rows["employments"]:
        if r.person in new:
            jobs[r.person].append((r.start, r.end))
            whole[r.person] |= _whole_years(r.start, r.end)
    away = defaultdict(list)
    for r in plan.rows["absences"]:
        if r.person in new:
            away[r.person].append((r.kind, r.start, r.end))
    ratings = plan.rows["person_ratings"]
    if isinstance(ratings, StagedRows):
        ratings = ratings.values("row", "person", "year", "level")
    else:
        ratings = ((r.row, r.person, r.year, r.level) for r in ratings)
    warnings, existing = [], []
    for rating in ratings:
        row, person, year, level = rating
        if person not in new:
            existing.append(rating)
        elif (whole[person] >> (year - FIRST_YEAR)) & 1 and person not in away:
            continue
        else:
            problem = _rating_problem(level, year, jobs[person], away.get(person, ()))
            if problem is not None:
                warnings.append(Problem("person_ratings", row, "level", problem.message()))
    warnings.extend(_existing_rating_warnings(existing))
    warnings.sort(key=lambda p: p.row or 0)
    return warnings


def _whole_years(start, end) -> int:
    """Bitmask (bit 0: 1945) of the years that the employment [start, end) covers whole."""
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = LAST_YEAR if end is None else end.year - 1  # [start, 1 Jan of end's year)
    first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
    if last < first:
        return 0
    return ((1 << (last - first + 1)) - 1) << (first - FIRST_YEAR)


def _rating_problem(level, year, jobs, away):
    """`rating_rules.problem_for` of one rating from the person's periods in the file."""
    year = int(year)
    lo, hi = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    jobs = [(start, end) for start, end in jobs if start < hi and (end is None or end > lo)]
    worked, absent, maternity = months_in_year(jobs, away, year)
    return problem_for(level, year, worked, absent, maternity)


def _existing_rating_warnings(ratings) -> list[Problem]:
    """The warnings of `ratings` ((row, person, year, level)) of people in the database."""
    codes = sorted({person for _row, person, _year, _level in ratings})
    people = {}
    for at in range(0, len(codes), 5000):
        people.update(
            Person.objects.filter(code__in=codes[at : at + 5000]).values_list("code", "pk")
        )
    by_year: dict[int, dict[int, tuple]] = {}
    for row, person, year, level in ratings:
        by_year.setdefault(int(year), {})[people[person]] = (level, row)
    warnings = []
    for year, rated in sorted(by_year.items()):
        levels = {pid: level for pid, (level, _row) in rated.items()}
        for pid, problem in rating_problems_for(list(rated), year, levels).items():
            warnings.append(Problem("person_ratings", rated[pid][1], "level", problem.message()))
    return warnings


def write_plan(plan: Plan) -> dict[str, int]:
    """Write validated rows, in dependency order; returns rows created per section."""
    rows = plan.rows
    units, people = dict(plan.unit_ids), dict(plan.person_ids)
    households = dict(plan.household_ids)
    counts: dict[str, int] = {}
    _write_units(rows, units, counts)
    _write_people(rows, people, units, counts, known=plan.person_ids)
    _write_households(rows, people, units, households, counts)
    _write_ratings_and_reviews(rows, people, units, counts)
    _write_initiatives(rows, people, counts)
    _write_awards_and_absences(rows, people, units, households, counts)
    return counts


def _write_units(rows, units: dict[str, int], counts: dict[str, int]) -> None:
    """Units (their ids added to `units`), their versions, official codes and lineage."""
    unit_derived = _derived(Unit, ("name",))

    def unit_values():
        for r in rows["units"]:
            yield (r.code, r.kind, r.name, *unit_derived(r.name), r.established_on, r.dissolved_on)

    counts["units"] = insert_coded(
        Unit,
        ["code", "kind", "name", "search_name", "sort_key", "established_on", "dissolved_on"],
        unit_values(),
        units,
    )
    counts["unit_versions"] = insert(
        UnitVersion,
        ["unit", "name", "parent", "valid_from", "valid_to"],
        (
            (units[r.unit], r.name, units[r.parent] if r.parent else None, r.valid_from, r.valid_to)
            for r in rows["unit_versions"]
        ),
    )
    counts["official_codes"] = insert(
        UnitOfficialCode,
        ["unit", "code", "valid_from", "valid_to"],
        (
            (units[r.unit], r.official_code, r.valid_from, r.valid_to)
            for r in rows["official_codes"]
        ),
    )
    counts["lineage"] = _write_lineage(rows["lineage"], units)


def _write_people(rows, people: dict[str, int], units, counts: dict[str, int], *, known) -> None:
    """People (their ids added to `people`) and their employments."""
    person_derived = _derived(Person, ("family_name", "middle_name", "given_name"))

    def person_values():
        for r in rows["people"]:
            middle = r.middle_name or ""
            yield (
                r.code,
                r.family_name,
                middle,
                r.given_name,
                r.birth_date,
                r.gender,
                r.citizen_id,
                *person_derived(r.family_name, middle, r.given_name),
            )

    counts["people"] = insert_coded(
        Person,
        [
            "code",
            "family_name",
            "middle_name",
            "given_name",
            "birth_date",
            "gender",
            "citizen_id",
            "search_name",
            "sort_key",
        ],
        person_values(),
        people,
    )
    rows["people"] = []  # written: let the rows go before the employments are
    # A row repeating an open employment of the database (same person, unit and start)
    # with an end ends it (a transfer: end one, start the next, in one load).
    open_jobs = {}
    # (only people of the database have employments there: none of those the file defines)
    ending_known = {known[r.person] for r in rows["employments"] if r.end and r.person in known}
    for chunk in chunked(ending_known):
        for pk, person_id, unit_id, start in Employment.objects.filter(
            person_id__in=chunk, end__isnull=True
        ).values_list("pk", "person_id", "unit_id", "start"):
            open_jobs[person_id, unit_id, start] = pk
    ending = defaultdict(list)  # end → ids of the employments it ends
    new = []
    for r in rows["employments"]:
        pk = open_jobs.get((people[r.person], units[r.unit], r.start)) if r.end else None
        if pk is not None:
            ending[r.end].append(pk)
        else:
            new.append(r)
    for end, pks in ending.items():
        for chunk in chunked(pks):
            Employment.objects.filter(pk__in=chunk).update(end=end)
    if ending:
        counts["employments_ended"] = sum(len(pks) for pks in ending.values())
    counts["employments"] = insert(
        Employment,
        ["person", "unit", "position", "start", "end"],
        ((people[r.person], units[r.unit], r.position or "", r.start, r.end) for r in new),
    )


def _write_households(rows, people, units, households, counts: dict[str, int]) -> None:
    """Households (their ids added to `households`) and their members (the head marked)."""
    derived = _derived(Household, ("name",))
    counts["households"] = insert_coded(
        Household,
        ["code", "name", "address", "commune", "search_name", "sort_key"],
        (
            (r.code, r.name, r.address or "", units[r.commune], *derived(r.name))
            for r in rows["households"]
        ),
        households,
    )
    insert(
        HouseholdMember,
        ["household", "person", "is_head"],
        (
            (households[r.code], people[member], member == r.head)
            for r in rows["households"]
            for member in r.members
        ),
    )


def _write_ratings_and_reviews(rows, people, units, counts: dict[str, int]) -> None:
    """Ratings of people and units, disciplines, pending reviews."""
    counts["person_ratings"] = _write_person_ratings(rows["person_ratings"], people)
    counts["unit_ratings"] = insert(
        UnitRating,
        ["unit", "year", "level", "score", "regime"],
        ((units[r.unit], r.year, r.level, r.score, r.regime or "") for r in rows["unit_ratings"]),
    )
    counts["disciplines"] = insert(
        Discipline,
        [
            "person",
            "measure",
            "duty_related",
            "decision_number",
            "decision_date",
            "effective_from",
            "effective_to",
            "reason",
        ],
        (
            (
                people[r.person],
                r.measure,
                r.duty_related,
                r.decision_number or "",
                r.decision_date,
                r.effective_from,
                r.effective_to,
                r.reason or "",
            )
            for r in rows["disciplines"]
        ),
    )
    counts["pending_reviews"] = insert(
        PendingReview,
        ["person", "unit", "kind", "started_on", "ended_on", "note"],
        (
            (
                people[r.person] if r.person else None,
                units[r.unit] if r.unit else None,
                r.kind,
                r.started_on,
                r.ended_on,
                r.note or "",
            )
            for r in rows["pending_reviews"]
        ),
    )


def _write_person_ratings(ratings, people) -> int:
    fields = ["person", "year", "level", "score", "regime"]
    if not isinstance(ratings, StagedRows):
        return insert(
            PersonRating,
            fields,
            ((people[r.person], r.year, r.level, r.score, r.regime or "") for r in ratings),
        )
    return insert_staged(
        ratings,
        PersonRating,
        {"person": "p.id", "year": "s.year", "level": "s.level", "score": "s.score"},
        {"regime": "s.regime"},
        [("p", Person, "person", True)],
    )


def insert_staged(staged, model, values: dict, texts: dict, joins: list) -> int:
    """Copy `staged` rows into `model`'s table with one INSERT … SELECT, in row order.

    `values`: field → SQL over the staged table (alias `s`) and the joins; `texts`: the
    same for text fields, NULL written as ""; `joins`: (alias, model, staged column,
    required) to find a row of `model` by its `code` (validated: every code is known; an
    optional one is a LEFT JOIN). Names in the SQL are plain lower-case identifiers."""
    if not staged:
        return 0
    staged.flush()
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [*values, *texts]
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    select = [*values.values(), *(f"COALESCE({sql}, '')" for sql in texts.values())]
    tables = [f"{staged.quoted} s"]
    for alias, target, column, required in joins:
        tables.append(
            f"{'' if required else 'LEFT '}JOIN {quote(target._meta.db_table)} {alias} "
            f"ON {alias}.code = s.{quote(column)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {', '.join(select)} "
            f"FROM {' '.join(tables)} ORDER BY s.{quote('row')}"
        )
        return cursor.rowcount


def _write_initiatives(rows, people, counts: dict[str, int]) -> None:
    """Initiatives and their authors."""
    initiatives: dict[str, int] = {}
    counts["initiatives"] = insert_coded(
        Initiative,
        [
            "code",
            "kind",
            "title",
            "scope",
            "decision_number",
            "recognised_on",
            "applied",
            "replicable",
        ],
        (
            (
                r.code,
                r.kind,
                r.title,
                r.scope,
                r.decision_number or "",
                r.recognised_on,
                r.applied,
                r.replicable,
            )
            for r in rows["initiatives"]
        ),
        initiatives,
    )
    insert(
        InitiativeAuthor,
        ["initiative", "person"],
        (
            (initiatives[r.code], people[author])
            for r in rows["initiatives"]
            for author in r.authors
        ),
    )


def _write_awards_and_absences(rows, people, units, households, counts: dict[str, int]) -> None:
    """Awards (people's, units' and households') and absences."""
    counts["awards"] = _write_awards(rows["awards"], people, units, households)
    counts["absences"] = insert(
        Absence,
        ["person", "kind", "start", "end"],
        ((people[r.person], r.kind, r.start, r.end) for r in rows["absences"]),
    )


def _write_awards(awards, people, units, households) -> int:
    if isinstance(awards, StagedRows):
        return insert_staged(
            awards,
            Award,
            {
                "person": "p.id",
                "unit": "u.id",
                "household": "h.id",
                **{f"{f}": f"s.{f}" for f in _AWARD_VALUES},
                "authority": "a.id",
                "status": "s.status",
                "amount": "s.amount",
            },
            {"signer": "s.signer", "annulled_reason": "s.annulled_reason"},
            [
                ("p", Person, "person", False),
                ("u", Unit, "unit", False),
                ("h", Household, "household", False),
                ("a", Unit, "authority", True),
            ],
        )
    return insert(
        Award,
        [
            "person",
            "unit",
            "household",
            *_AWARD_VALUES,
            "authority",
            "signer",
            "status",
            "annulled_reason",
            "amount",
        ],
        (
            (
                people[r.person] if r.person else None,
                units[r.unit] if r.unit else None,
                households[r.household] if r.household else None,
                r.award_code,
                r.commendation_type,
                r.period_start,
                r.period_end,
                r.decision_number,
                r.decision_date,
                units[r.authority],
                r.signer or "",
                r.status,
                r.annulled_reason or "",
                r.amount,
            )
            for r in awards
        ),
    )


_AWARD_VALUES = (
    "award_code",
    "commendation_type",
    "period_start",
    "period_end",
    "decision_number",
    "decision_date",
)


def _derived(model, fields):
    """A function from name parts to the model's (search_name, sort_key), as its
    `fill_derived` computes them. Names repeat a lot (a province has a few dozen family
    names), so each distinct name is computed once."""
    scratch = model()
    known = {}

    def derived(*parts):
        found = known.get(parts)
        if found is None:
            for field, value in zip(fields, parts, strict=True):
                setattr(scratch, field, value)
            scratch.fill_derived()
            found = known[parts] = (scratch.search_name, scratch.sort_key)
        return found

    return derived


def _write_lineage(rows, units) -> int:
    """One LineageEvent per event label (in the order labels first appear), then its edges."""
    events: dict[str, LineageEvent] = {}
    for r in rows:
        if r.event not in events:
            events[r.event] = LineageEvent(
                kind=r.kind, date=r.date, decision=r.decision or "", note=r.note or ""
            )
    if connection.features.can_return_rows_from_bulk_insert:
        LineageEvent.objects.bulk_create(events.values(), batch_size=500)
    else:  # SQLite before 3.35 gives no keys back from a bulk insert
        for event in events.values():
            event.save()
    return insert(
        LineageEdge,
        ["event", "predecessor", "successor"],
        (
            (
                events[r.event].pk,
                units[r.predecessor],
                units[r.successor] if r.successor else None,
            )
            for r in rows
        ),
    )

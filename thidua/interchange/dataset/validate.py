"""Every check a dataset passes before anything is written.

Two stages. `Validator.add` takes the rows as they stream in (in any section order): it
converts each row (schema check), runs the checks that need only that row or what came
before it (dates in order, a score in its level's band, an award that suits its recipient,
a code or citizen id seen twice), and keeps the row as a compact tuple. `Validator.finish`
then asks the database, with a few set-based queries whose number does not grow with the
rows (see `facts`), which codes, citizen ids, employments, versions and ratings already
exist, and runs the checks that join sections: unknown codes, overlapping employments and
versions, a person rating in a year without employment. It returns a `Plan` for the
writer, or raises `DatasetError` with every problem found.

Lookups are in-memory maps (code → row, person → year bitmask, person → employment
periods), so a province of 100,000 people and a million ratings is checked in seconds.

A row that fails its schema check is not kept, but the code it defines still counts as
defined, so that one bad person row does not also report every rating of that person.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.interchange.dataset.facts import DatabaseFacts
from thidua.interchange.dataset.official import check_official_codes
from thidua.interchange.dataset.report import DatasetError, ProblemList
from thidua.interchange.dataset.schema import Invalid, quote, sections
from thidua.interchange.dataset.staging import StagedRows, can_stage
from thidua.org.choices import LineageKind
from thidua.records.choices import AwardStatus
from thidua.records.services import check_award_code, check_score_band

STAGED = ("person_ratings", "awards")  # the largest sections: rows wait in a table (`staging`)
FIRST_YEAR, LAST_YEAR = 1945, 2100  # the years a rating may have (records.models)


def day_text(day) -> str:
    return f"{day:%d/%m/%Y}" if day else "…"


@dataclass
class Plan:
    """Validated rows per section (tuples of Python values, codes unresolved) and the ids of
    the database units and people the rows refer to."""

    rows: dict[str, list]
    unit_ids: dict[str, int]
    person_ids: dict[str, int]
    household_ids: dict[str, int] = dataclasses.field(default_factory=dict)
    # code → row of the people the file defines (its keys: whose history is all in the file)
    new_people: dict[str, int] = dataclasses.field(default_factory=dict)


class Validator:
    """Collects the rows of one dataset and the problems found in them (see the module)."""

    def __init__(self):
        self.specs = sections()
        self.problems = ProblemList()
        self.rows: dict[str, list] = {
            name: StagedRows(spec) if name in STAGED and can_stage(spec) else []
            for name, spec in self.specs.items()
        }
        # Codes defined by the file → the row defining them (also rows that failed checks).
        self.defined: dict[str, dict[str, int]] = {
            "units": {},
            "people": {},
            "households": {},
            "initiatives": {},
        }
        self.unit_refs: set[str] = set()
        self.person_refs: set[str] = set()
        self.household_refs: set[str] = set()  # households awards name
        self.citizen_ids: dict[str, int] = {}
        self.versioned_units: set[str] = set()
        self.unsure_people: set[str] = set()  # has an employment row that failed its checks
        self.events: dict[str, object] = {}
        self.edges: dict[tuple, int] = {}
        self.rated: dict[str, int] = {}  # person → bitmask of the years rated
        self.unit_rated: dict[str, int] = {}
        self.repeated_ratings: dict[str, list] = {"person_ratings": [], "unit_ratings": []}
        self._section = None
        self._convert = self._check = self._keep = None

    def problem(self, section: str, row: int | None, field: str, message: str) -> None:
        self.problems.add(section, row, field, message)

    def close(self) -> None:
        """Drop the tables of the staged sections (their rows are then gone)."""
        for rows in self.rows.values():
            if isinstance(rows, StagedRows):
                rows.drop()

    # -- stage 1: one row at a time ---------------------------------------------------------

    def add(self, section: str, number: int, raw) -> None:
        if section != self._section:
            self._start(section)
        if self._convert is None:
            return  # an unknown section: reported once by the document check
        try:
            row = self._convert(raw, number)
        except Invalid as exc:
            self._refused(section, number, raw, exc)
            return
        if self._check(row):
            self._keep(row)

    def _start(self, section: str) -> None:
        """Rows of a section come together; look up its converter and checks once."""
        self._section = section
        spec = self.specs.get(section)
        if spec is None:
            self._convert = None
            return
        self._convert = spec.convert
        self._check = getattr(self, f"_row_{section}")
        self._keep = self.rows[section].append

    def _refused(self, section: str, number: int, raw, exc: Invalid) -> None:
        self._remember(section, number, raw)
        spec = self.specs[section]
        problems = spec.problems(raw, number)
        if problems:
            self.problems.extend(problems)
        else:
            value = raw.get(exc.field) if isinstance(raw, dict) else raw
            message = exc.message or _("invalid value %(value)s") % {"value": quote(value)}
            self.problem(section, number, exc.field, message)

    def _remember(self, section: str, number: int, raw) -> None:
        """What a refused row still tells: the code it defines, the unit it versions, the
        person whose employment periods are then not all known."""
        if not isinstance(raw, dict):
            return
        if section in self.defined and isinstance(raw.get("code"), str):
            self.defined[section].setdefault(raw["code"], number)
        elif section == "unit_versions" and isinstance(raw.get("unit"), str):
            self.versioned_units.add(raw["unit"])
        elif section == "employments" and isinstance(raw.get("person"), str):
            self.unsure_people.add(raw["person"])

    def _define(self, section: str, code: str, number: int) -> bool:
        first = self.defined[section].setdefault(code, number)
        if first == number:
            return True
        self.problem(
            section,
            number,
            "code",
            _("code %(code)s appears twice (also row %(row)s)")
            % {"code": quote(code), "row": first},
        )
        return False

    def _ordered(self, section, row, field, start_field, *, strict=True) -> bool:
        """`field` (an end) is after `start_field` (or on the same day, when not strict)."""
        end, start = getattr(row, field), getattr(row, start_field)
        if end is None or start is None or end > start or (not strict and end == start):
            return True
        message = (
            _("%(value)s is not after %(other_field)s %(other)s")
            if strict
            else _("%(value)s is before %(other_field)s %(other)s")
        )
        self.problem(
            section,
            row.row,
            field,
            message
            % {"value": day_text(end), "other_field": start_field, "other": day_text(start)},
        )
        return False

    def _score(self, section, row) -> bool:
        if row.score is None:
            return True
        try:
            check_score_band(row.level, row.score)
        except ValidationError as exc:
            self.problem(section, row.row, "score", exc.message_dict["score"][0])
            return False
        return True

    def _one_subject(self, section, row, person, unit) -> bool:
        if bool(person) == bool(unit):
            self.problem(section, row.row, "person", _("give exactly one of person and unit"))
            return False
        return True

    def _repeated_year(self, section, masks, code, row) -> bool:
        """Whether the subject already has a rating for the row's year (one bit per year)."""
        bit = 1 << (row.year - FIRST_YEAR)
        mask = masks.get(code, 0)
        if mask & bit:
            self.repeated_ratings[section].append(row)
            return True
        masks[code] = mask | bit
        return False

    def _row_units(self, r) -> bool:
        ok = self._define("units", r.code, r.row)
        return self._ordered("units", r, "dissolved_on", "established_on") and ok

    def _row_unit_versions(self, r) -> bool:
        self.versioned_units.add(r.unit)
        self.unit_refs.add(r.unit)
        ok = True
        if r.parent:
            self.unit_refs.add(r.parent)
            if r.parent == r.unit:
                self.problem("unit_versions", r.row, "parent", _("a unit cannot be its own parent"))
                ok = False
        return self._ordered("unit_versions", r, "valid_to", "valid_from") and ok

    def _row_official_codes(self, r) -> bool:
        self.unit_refs.add(r.unit)
        return self._ordered("official_codes", r, "valid_to", "valid_from")

    def _row_lineage(self, r) -> bool:
        ok = True
        self.unit_refs.add(r.predecessor)
        if r.successor:
            self.unit_refs.add(r.successor)
        first = self.events.setdefault(r.event, r)
        if first is not r:
            for name in ("kind", "date", "decision", "note"):
                mine, theirs = getattr(r, name) or "", getattr(first, name) or ""
                if mine != theirs:
                    show = day_text if name == "date" else quote
                    self.problem(
                        "lineage",
                        r.row,
                        name,
                        _("event %(event)s: %(value)s disagrees with row %(row)s (%(other)s)")
                        % {
                            "event": quote(r.event),
                            "value": show(mine),
                            "row": first.row,
                            "other": show(theirs),
                        },
                    )
                    ok = False
        if r.kind == LineageKind.DISSOLVE and r.successor:
            self.problem("lineage", r.row, "successor", _("a dissolution has no successor"))
            ok = False
        elif r.kind not in (LineageKind.DISSOLVE, LineageKind.ACT) and not r.successor:
            # (an act may end a unit without successor beside its other rows: ADR 0009)
            self.problem(
                "lineage",
                r.row,
                "successor",
                _("required for a %(kind)s event") % {"kind": r.kind},
            )
            ok = False
        elif r.kind in (LineageKind.RENAME, LineageKind.REPARENT) and r.successor != r.predecessor:
            self.problem(
                "lineage",
                r.row,
                "successor",
                _("in a %(kind)s event the successor is the predecessor itself") % {"kind": r.kind},
            )
            ok = False
        edge = (r.event, r.predecessor, r.successor)
        first_row = self.edges.setdefault(edge, r.row)
        if first_row != r.row:
            self.problem(
                "lineage",
                r.row,
                "predecessor",
                _("the same edge is already in row %(row)s") % {"row": first_row},
            )
            ok = False
        return ok

    def _row_people(self, r) -> bool:
        ok = self._define("people", r.code, r.row)
        if r.citizen_id:
            first = self.citizen_ids.setdefault(r.citizen_id, r.row)
            if first != r.row:
                self.problem(
                    "people",
                    r.row,
                    "citizen_id",
                    _("duplicate citizen id %(value)s (also row %(row)s)")
                    % {"value": r.citizen_id, "row": first},
                )
                ok = False
        return ok

    def _row_employments(self, r) -> bool:
        self.person_refs.add(r.person)
        self.unit_refs.add(r.unit)
        if not self._ordered("employments", r, "end", "start"):
            self.unsure_people.add(r.person)
            return False
        return True

    def _row_households(self, r) -> bool:
        ok = self._define("households", r.code, r.row)
        self.unit_refs.add(r.commune)
        self.person_refs.update(r.members)
        twice = [m for m in dict.fromkeys(r.members) if r.members.count(m) > 1]
        if twice:
            self.problem(
                "households",
                r.row,
                "members",
                _("%(code)s is listed twice") % {"code": quote(twice[0])},
            )
            ok = False
        if r.head and r.head not in r.members:
            self.problem(
                "households",
                r.row,
                "head",
                _("the head of household %(code)s is not one of the members")
                % {"code": quote(r.head)},
            )
            ok = False
        return ok

    def _row_person_ratings(self, r) -> bool:
        # The rated people are the keys of self.rated (no person_refs.add: a million calls).
        ok = r.score is None or self._score("person_ratings", r)
        return not self._repeated_year("person_ratings", self.rated, r.person, r) and ok

    def _row_unit_ratings(self, r) -> bool:
        ok = r.score is None or self._score("unit_ratings", r)
        return not self._repeated_year("unit_ratings", self.unit_rated, r.unit, r) and ok

    def _row_disciplines(self, r) -> bool:
        self.person_refs.add(r.person)
        return self._ordered("disciplines", r, "effective_to", "effective_from")

    def _row_pending_reviews(self, r) -> bool:
        if r.person:
            self.person_refs.add(r.person)
        if r.unit:
            self.unit_refs.add(r.unit)
        ok = self._one_subject("pending_reviews", r, r.person, r.unit)
        return self._ordered("pending_reviews", r, "ended_on", "started_on", strict=False) and ok

    def _row_initiatives(self, r) -> bool:
        ok = self._define("initiatives", r.code, r.row)
        self.person_refs.update(r.authors)
        if len(set(r.authors)) != len(r.authors):
            twice = next(a for a in r.authors if r.authors.count(a) > 1)
            self.problem(
                "initiatives",
                r.row,
                "authors",
                _("%(code)s is listed twice") % {"code": quote(twice)},
            )
            ok = False
        return ok

    def _row_awards(self, r) -> bool:
        if sum(bool(x) for x in (r.person, r.unit, r.household)) != 1:
            self.problem(
                "awards", r.row, "person", _("give exactly one of person, unit and household")
            )
            ok = False
        else:
            ok = True
        if r.person:
            self.person_refs.add(r.person)
        if r.unit:
            self.unit_refs.add(r.unit)
        if r.household:
            self.household_refs.add(r.household)
        self.unit_refs.add(r.authority)
        try:
            check_award_code(
                r.award_code,
                person=r.person or None,
                unit=r.unit or None,
                household=r.household or None,
            )
        except ValidationError as exc:
            self.problem("awards", r.row, "award_code", exc.message_dict["award_code"][0])
            ok = False
        if r.status == AwardStatus.ANNULLED and not (r.annulled_reason or "").strip():
            self.problem(
                "awards",
                r.row,
                "annulled_reason",
                _("required when the award is annulled"),
            )
            ok = False
        return self._ordered("awards", r, "period_end", "period_start", strict=False) and ok

    def _row_absences(self, r) -> bool:
        self.person_refs.add(r.person)
        return self._ordered("absences", r, "end", "start")

    # -- stage 2: across sections and against the database ----------------------------------

    def finish(self, extra_problems=()) -> Plan:
        self.problems.extend(extra_problems)
        db = DatabaseFacts(self)
        # Unknown codes by set difference; rows are then only searched when there are some.
        self.unknown_units = (
            (self.unit_refs | self.unit_rated.keys())
            - self.defined["units"].keys()
            - db.unit_ids.keys()
        )
        self.unknown_people = (
            (self.person_refs | self.rated.keys())
            - self.defined["people"].keys()
            - db.person_ids.keys()
        )
        self._check_units(db)
        self._check_unit_versions(db)
        check_official_codes(self, db)
        self._check_lineage(db)
        self._check_people(db)
        intervals = self._check_employments(db)
        self._check_households(db)
        self._check_ratings(db, intervals)
        self._check_records(db)
        if self.problems:
            order = {name: i for i, name in enumerate(self.specs)}
            kept = sorted(self.problems.kept, key=lambda p: (order.get(p.section, -1), p.row or 0))
            raise DatasetError(kept, self.problems.total)
        self._release()
        return Plan(
            rows=self.rows,
            unit_ids=db.unit_ids,
            person_ids=db.person_ids,
            household_ids=db.household_ids,
            new_people=self.defined["people"],
        )

    def _release(self) -> None:
        """Let go of the lookups only the checks need: for a country they take hundreds of
        MB, which the writer is about to need for its own maps."""
        self.citizen_ids = {}
        self.unit_refs, self.person_refs, self.household_refs = set(), set(), set()
        self.versioned_units, self.unsure_people = set(), set()
        self.events, self.edges, self.rated, self.unit_rated = {}, {}, {}, {}
        self.unknown_people = self.unknown_units = frozenset()

    def _unknown(self, section, row, field, code, kind) -> None:
        message = {
            "unit": _("unknown unit code %(code)s"),
            "household": _("unknown household code %(code)s"),
        }.get(kind, _("unknown person code %(code)s"))
        self.problem(section, row, field, message % {"code": quote(code)})

    def _need_unit(self, section, row, field, code) -> None:
        if code in self.unknown_units:
            self._unknown(section, row.row, field, code, "unit")

    def _need_person(self, section, row, field, code) -> None:
        if code in self.unknown_people:
            self._unknown(section, row.row, field, code, "person")

    def _check_units(self, db) -> None:
        for code, number in self.defined["units"].items():
            if code in db.unit_ids:
                self.problem(
                    "units",
                    number,
                    "code",
                    _("unit code %(code)s already exists in the database") % {"code": quote(code)},
                )
        latest = {}
        for v in self.rows["unit_versions"]:
            if v.unit not in latest or v.valid_from > latest[v.unit].valid_from:
                latest[v.unit] = v
        for r in self.rows["units"]:
            if r.code not in self.versioned_units:
                self.problem(
                    "units",
                    r.row,
                    "code",
                    _("unit %(code)s has no row in unit_versions") % {"code": quote(r.code)},
                )
            elif r.code in latest and latest[r.code].name != r.name:
                self.problem(
                    "units",
                    r.row,
                    "name",
                    _(
                        "%(value)s differs from the name of the unit's latest version, "
                        "%(name)s (unit_versions row %(row)s)"
                    )
                    % {
                        "value": quote(r.name),
                        "name": quote(latest[r.code].name),
                        "row": latest[r.code].row,
                    },
                )

    def _check_unit_versions(self, db) -> None:
        by_unit = defaultdict(list)
        for r in self.rows["unit_versions"]:
            self._need_unit("unit_versions", r, "unit", r.unit)
            self._need_unit("unit_versions", r, "parent", r.parent)
            by_unit[r.unit].append((r.valid_from, r.valid_to, r.row))
        for code, periods in db.versions.items():
            by_unit[code].extend(periods)
        noun = _("version")
        for periods in by_unit.values():
            self._overlaps("unit_versions", "valid_from", periods, noun)

    def _overlaps(self, section, field, periods, what) -> None:
        """Report each period (start, end, row; row None for one already in the database)
        that overlaps an earlier one, on the file's row, naming the other period."""
        if len(periods) < 2:
            return
        periods.sort(key=lambda p: (p[0], p[2] or 0))
        reach = periods[0]  # of the periods so far, the one reaching furthest
        for period in periods[1:]:
            if reach[1] is None or reach[1] > period[0]:
                mine, other = (period, reach) if period[2] else (reach, period)
                if mine[2]:  # two overlapping database periods are not this file's doing
                    where = _("row %(row)s") % {"row": other[2]} if other[2] else _("the database")
                    self.problem(
                        section,
                        mine[2],
                        field,
                        _("overlaps the %(what)s %(start)s–%(end)s in %(where)s")
                        % {
                            "what": what,
                            "start": day_text(other[0]),
                            "end": day_text(other[1]),
                            "where": where,
                        },
                    )
            if reach[1] is not None and (period[1] is None or period[1] > reach[1]):
                reach = period

    def _check_lineage(self, db) -> None:
        if self.unknown_units:
            for r in self.rows["lineage"]:
                self._need_unit("lineage", r, "predecessor", r.predecessor)
                self._need_unit("lineage", r, "successor", r.successor)

    def _check_people(self, db) -> None:
        for code, number in self.defined["people"].items():
            if code in db.person_ids:
                self.problem(
                    "people",
                    number,
                    "code",
                    _("person code %(code)s already exists in the database")
                    % {"code": quote(code)},
                )
        for r in self.rows["people"]:
            owner = db.citizen_ids.get(r.citizen_id) if r.citizen_id else None
            if owner is not None and owner != r.code:
                self.problem(
                    "people",
                    r.row,
                    "citizen_id",
                    _("citizen id %(value)s already belongs to person %(code)s in the database")
                    % {"value": r.citizen_id, "code": quote(owner)},
                )

    def _check_employments(self, db) -> dict:
        intervals = defaultdict(list)
        unknown = self.unknown_people or self.unknown_units
        for r in self.rows["employments"]:
            if unknown:
                self._need_person("employments", r, "person", r.person)
                self._need_unit("employments", r, "unit", r.unit)
            intervals[r.person].append((r.start, r.end, r.row))
        # A transfer: a row repeating an open employment of the database (same person, unit
        # and start) with its end ends it; that row stands for the database's period.
        ended = {
            (r.person, r.start)
            for r in self.rows["employments"]
            if r.end and (r.person, r.start) in db.open_employments
        }
        for code, periods in db.employments.items():
            intervals[code].extend(
                p for p in periods if p[1] is not None or (code, p[0]) not in ended
            )
        noun = _("employment")
        for periods in intervals.values():
            self._overlaps("employments", "start", periods, noun)
        return intervals

    def _check_households(self, db) -> None:
        for code, number in self.defined["households"].items():
            if code in db.household_codes:
                self.problem(
                    "households",
                    number,
                    "code",
                    _("household code %(code)s already exists in the database")
                    % {"code": quote(code)},
                )
        unknown_households = (
            self.household_refs - self.defined["households"].keys() - db.household_ids.keys()
        )
        if unknown_households:
            for r in self.rows["awards"]:
                if r.household in unknown_households:
                    self._unknown("awards", r.row, "household", r.household, "household")
        if not (self.unknown_people or self.unknown_units):
            return
        for r in self.rows["households"]:
            self._need_unit("households", r, "commune", r.commune)
            for member in r.members:
                self._need_person("households", r, "members", member)

    def _check_ratings(self, db, intervals) -> None:
        """Repeated years, unknown subjects, years already rated in the database, and person
        ratings in a year without employment: per subject with year bitmasks, then (only if
        something is wrong) one pass over the rows to name them."""
        for section, subject in (("person_ratings", "person"), ("unit_ratings", "unit")):
            repeated = self.repeated_ratings[section]
            if repeated:
                keys = {(getattr(r, subject), r.year) for r in repeated}
                first = {
                    (getattr(r, subject), r.year): r.row
                    for r in reversed(self.rows[section])
                    if (getattr(r, subject), r.year) in keys
                }
                for r in repeated:
                    code = getattr(r, subject)
                    self._rating_twice(section, r, code, first.get((code, r.year)))
        flagged = {}  # person → (years without employment, years rated in the database)
        for code, rated in self.rated.items():
            if code in self.unknown_people:
                flagged[code] = None
                continue
            in_db = _year_mask(db.person_rating_years.get(code, ())) & rated
            uncovered = 0
            if code not in self.unsure_people:
                uncovered = rated & ~_employed_years(intervals.get(code, ()))
            if in_db or uncovered:
                flagged[code] = (uncovered, in_db)
        if flagged:
            for r in self.rows["person_ratings"]:
                flags = flagged.get(r.person, False)
                if flags is False:
                    continue
                if flags is None:
                    self._unknown("person_ratings", r.row, "person", r.person, "person")
                    continue
                bit = 1 << (r.year - FIRST_YEAR)
                if flags[1] & bit:
                    self._rating_twice("person_ratings", r, r.person, None)
                if flags[0] & bit:
                    self.problem(
                        "person_ratings",
                        r.row,
                        "year",
                        _("person %(code)s has no employment in %(year)s")
                        % {"code": quote(r.person), "year": r.year},
                    )
        for r in self.rows["unit_ratings"]:
            self._need_unit("unit_ratings", r, "unit", r.unit)
            if r.year in db.unit_rating_years.get(r.unit, ()):
                self._rating_twice("unit_ratings", r, r.unit, None)

    def _rating_twice(self, section, r, code, first_row) -> None:
        if first_row is None:
            message = _("%(code)s already has a rating for %(year)s in the database")
        else:
            message = _("%(code)s already has a rating for %(year)s in row %(row)s")
        self.problem(
            section,
            r.row,
            "year",
            message % {"code": quote(code), "year": r.year, "row": first_row},
        )

    def _check_records(self, db) -> None:
        for code, number in self.defined["initiatives"].items():
            if code in db.initiative_codes:
                self.problem(
                    "initiatives",
                    number,
                    "code",
                    _("initiative code %(code)s already exists in the database")
                    % {"code": quote(code)},
                )
        unknown_households = (
            self.household_refs - self.defined["households"].keys() - db.household_ids.keys()
        )
        if unknown_households:
            for r in self.rows["awards"]:
                if r.household in unknown_households:
                    self._unknown("awards", r.row, "household", r.household, "household")
        if not (self.unknown_people or self.unknown_units):
            return
        for section in ("disciplines", "absences"):
            for r in self.rows[section]:
                self._need_person(section, r, "person", r.person)
        for r in self.rows["pending_reviews"]:
            self._need_person("pending_reviews", r, "person", r.person)
            self._need_unit("pending_reviews", r, "unit", r.unit)
        for r in self.rows["initiatives"]:
            for author in r.authors:
                self._need_person("initiatives", r, "authors", author)
        for r in self.rows["awards"]:
            self._need_person("awards", r, "person", r.person)
            self._need_unit("awards", r, "unit", r.unit)
            self._need_unit("awards", r, "authority", r.authority)


def _year_mask(years) -> int:
    mask = 0
    for year in years:
        mask |= 1 << (year - FIRST_YEAR)
    return mask


def _employed_years(periods) -> int:
    """Bitmask of the years (from 1945) that the employment periods touch."""
    mask = 0
    for start, end, _row in periods:
        first = max(start.year, FIRST_YEAR)
        last = (end - datetime.timedelta(days=1)).year if end is not None else LAST_YEAR
        last = min(last, LAST_YEAR)
        if last >= first:
            mask |= ((1 << (last - first + 1)) - 1) << (first - FIRST_YEAR)
    return mask

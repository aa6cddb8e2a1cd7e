"""The Kim Bảng demo world: a dataset built from rules, and the logins to explore it.

`build_demo_dataset()` returns a dataset (docs/dataset-format.md) of Hà Nam province and
its Kim Bảng district from 2015 to 2025, with the 2025 reorganisation (Hà Nam, Nam Định
and Ninh Bình merged into Ninh Bình; the district level gone; Kim Bảng's communes merged
into six wards). The same seed always gives the same dataset: nothing depends on today's
date or on the order of a set.

The awards follow the rules of the 2017 regime (legal-rules.md §8) and of the 2022 Law
where they are stricter, so that the eligibility engine finds every valid award eligible:
LĐTT only with a rating of HTT or better and no discipline that year; CSTĐCS to at most
15 % of a unit's LĐTT count, among those rated HTXS or with an initiative; TTLĐTT with at
least 70 % LĐTT members and nobody disciplined at cảnh cáo or above; TTLĐXS to units rated
HTXS whose members are all rated HT or better, at least 70 % LĐTT, with a CSTĐCS; the
provincial certificate of merit to people with two consecutive CSTĐCS years and to units
with two consecutive HTXS years. Shares are met under every reasonable reading of "member
of the unit that year" (anyone employed there that year, those employed there six months
or more, those on the roll on 31 December).

The 2020 facts of the seed world (seed-world.md) hold: every unit directly under Kim Bảng
is rated HTT or better, the district holds the provincial emulation flag and the Hero of
Labour title (Decision 2015/QĐ-CTN of 13/11/2020), and the conference of 12/1/2021 hands
out TTLĐXS, provincial and district certificates of merit decided days before.

`load_demo()` loads it through the dataset loader and creates one login per role.
"""

import datetime
import heapq
import itertools
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from thidua.accounts.choices import Role
from thidua.accounts.models import UserRole
from thidua.audit.services import log
from thidua.emulation.demo import load_emulation_demo
from thidua.interchange import demo_data as data
from thidua.interchange.dataset import load_dataset
from thidua.org.models import Employment, LineageEvent, Person, Unit
from thidua.plans.demo import load_plans_demo
from thidua.records.choices import DISCIPLINE_RANK, RATING_RANK, DisciplineMeasure, RatingLevel
from thidua.records.models import Award, PersonRating, UnitRating
from thidua.rules.demo import load_rules_demo
from thidua.vietnamese import fold

SEED = 2020
FIRST_YEAR, LAST_YEAR = 2015, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
HISTORY_START = datetime.date(1997, 1, 1)
REORG_MARCH = datetime.date(2025, 3, 1)
REORG = datetime.date(2025, 7, 1)
HALF_YEAR_DAYS = 183  # fewer than six months worked in a year: not rated (legal-rules §1.2)
READINGS = ("broad", "narrow", "roster")
QUOTA_FROM = 2023  # the HTXS quota of Decree 48/2023

HTXS, HTT, HT, KHT = (
    x.value for x in (RatingLevel.HTXS, RatingLevel.HTT, RatingLevel.HT, RatingLevel.KHT)
)
RANK = RATING_RANK  # level code → rank, higher is better
KHIEN_TRACH, CANH_CAO = DisciplineMeasure.KHIEN_TRACH.value, DisciplineMeasure.CANH_CAO.value

# Which districts led the provincial block of districts and city each year (and so hold
# the provincial emulation flag); Kim Bảng "kept first place" in 2020.
FLAG_HOLDERS = {
    2015: "DT",
    2016: "PL",
    2017: "TL",
    2018: "LN",
    2019: "KB",
    2020: "KB",
    2021: "DT",
    2022: "KB",
    2023: "PL",
    2024: "KB",
}
KB_RATINGS = {
    2015: HTT,
    2016: HTT,
    2017: HTXS,
    2018: HTT,
    2019: HTXS,
    2020: HTXS,
    2021: HTT,
    2022: HTXS,
    2023: HTT,
    2024: HTXS,
}
# Units that did especially well in 2019–2020 (rated HTXS both years; the 2020 TTLĐXS and
# collective certificates of merit of the seed come from among them).
STAR_UNITS = ("KB-QUE", "KB-LEHO", "KB-PNV", "KB-THCS-QUE", "KB-TH-BASAO", "KB-MN-QUE")
STAR_YEARS = (2019, 2020)

# What units of a kind look like: their transfer pool, their positions (the head first).
COMMUNE = {"positions": data.COMMUNE_POSITIONS, "staff_position": data.COMMUNE_STAFF}
KB_COMMUNE = {**COMMUNE, "pool": "kb_civil"}
WARD = {
    "pool": "kb_civil",
    "positions": ["Chủ tịch UBND", "Phó Chủ tịch UBND"],
    "staff_position": data.WARD_STAFF,
}
SCHOOL = {
    "pool": "kb_school",
    "positions": data.SCHOOL_POSITIONS,
    "staff_position": data.SCHOOL_STAFF,
}
DEPARTMENT = {
    "pool": "hna",
    "positions": data.DEPARTMENT_POSITIONS,
    "staff_position": data.DEPARTMENT_STAFF,
}

HERO_DECISION = {
    "unit": "KB",
    "award_code": "AHLD",
    "commendation_type": "cong_trang",
    "period_start": "1986-01-01",
    "period_end": "2020-12-31",
    "decision_number": "2015/QĐ-CTN",
    "decision_date": "2020-11-13",
    "authority": "CTN",
    "signer": "Chủ tịch nước",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str
    superuser: bool = False


DEMO_PASSWORD = "thidua2020"
DEMO_LOGINS = (
    DemoLogin("admin", Role.ADMIN.value, "NBI", superuser=True),
    DemoLogin("canbo", Role.OFFICER.value, "KB"),
    DemoLogin("lanhdao", Role.LEADER.value, "KB"),
    DemoLogin("hoidong", Role.COUNCIL.value, "KB"),
    DemoLogin("xem", Role.VIEWER.value, "KB-QUE"),
)


# --- small date helpers -----------------------------------------------------------------
def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The half-open interval of a calendar year."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def _overlap_days(start, end, lo, hi) -> int:
    """Days of [start, end) (end None: open) inside [lo, hi)."""
    a, b = max(start, lo), min(end or hi, hi)
    return max((b - a).days, 0)


def _iso(day):
    return day.isoformat() if day else None


# --- the world's parts ------------------------------------------------------------------
@dataclass
class _Unit:
    code: str
    kind: str
    versions: list  # [name, parent code, valid_from, valid_to]
    established_on: datetime.date | None = None
    dissolved_on: datetime.date | None = None
    staff: int = 0
    pool: str = ""  # transfers happen within a pool
    positions: list = field(default_factory=list)  # positions[0] is the head
    staff_position: str = ""
    suffix: str = "UBND"  # of the numbers of its decisions

    @property
    def name(self) -> str:
        return self.versions[-1][0]

    def version_on(self, day):
        for version in self.versions:
            if version[2] <= day and (version[3] is None or day < version[3]):
                return version
        return None

    def exists_on(self, day) -> bool:
        return self.version_on(day) is not None

    def parent_on(self, day):
        version = self.version_on(day)
        return version[1] if version else None


@dataclass
class _Person:
    code: str
    family: str
    middle: str
    given: str
    gender: str
    birth: datetime.date
    citizen_id: str | None
    quality: float
    forced: bool = False


@dataclass
class _Job:
    person: str
    unit: str
    position: str
    start: datetime.date
    end: datetime.date | None = None
    reorganised: bool = False  # started because the old unit was reorganised


class _World:
    """Builds the dataset step by step; every draw comes from one seeded generator."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.units: dict[str, _Unit] = {}
        self.lineage: list[dict] = []
        self.people: dict[str, _Person] = {}
        self.jobs: dict[str, list[_Job]] = defaultdict(list)
        self.citizen_ids: set[str] = set()
        self.absences: list[dict] = []
        self.disciplines: list[dict] = []
        self.reviews: list[dict] = []
        self.initiatives: list[dict] = []
        self.authors_by_year: dict[int, set[str]] = defaultdict(set)
        self.ratings: dict[tuple[str, int], str] = {}
        self.scores: dict[tuple[str, int], float] = {}
        self.unit_ratings: dict[tuple[str, int], str] = {}
        self.awards: list[dict] = []
        self.batches: dict[tuple, tuple[str, datetime.date]] = {}
        self.numbers: dict[tuple[str, int], set[int]] = {}
        self.capped: set[tuple[str, int]] = set()  # rating at most HT (absence, discipline)
        self.blocked: dict[str, set[int]] = defaultdict(set)  # years with discipline
        self.last_discipline_end: dict[str, datetime.date] = {}
        self.failed: set[tuple[str, int]] = set()  # KHT: duty-related discipline that year
        self.ldtt: dict[int, set[str]] = defaultdict(set)
        self.cstdcs: dict[int, set[str]] = defaultdict(set)  # valid titles only
        self.last_bk: dict[str, int] = {}  # person or unit → year of its last Bằng khen
        self.special: dict[str, str] = {}  # role in the story → person code
        self.active: dict[str, _Job] = {}  # person → current job, while simulating
        self.queue: list[tuple] = []  # (day, priority, sequence, event kind, payload)
        self.sequence = itertools.count()
        self.pools: dict[str, list[str]] = defaultdict(list)  # transfers stay in a pool
        self._home: dict[tuple[str, int], str | None] = {}
        self._members: dict[int, dict] = {}

    # -- units -------------------------------------------------------------------------
    def add_unit(self, code, kind, name, parent, start, end=None, **extra) -> _Unit:
        unit = _Unit(code, kind, [[name, parent, start, end]], **extra)
        # Units whose history here starts with the re-established Hà Nam (1997) existed
        # before; their founding date is not recorded.
        if start != HISTORY_START or kind == "province":
            unit.established_on = start
        unit.dissolved_on = end
        self.units[code] = unit
        return unit

    def change(self, code, day, *, name=None, parent=...):
        """Close the unit's current version on `day` and open the next."""
        unit = self.units[code]
        last = unit.versions[-1]
        last[3] = day
        unit.versions.append(
            [name or last[0], last[1] if parent is ... else parent, day, unit.dissolved_on]
        )

    def event(self, label, kind, day, decision, edges, note=""):
        for predecessor, successor in edges:
            row = {
                "event": label,
                "kind": kind,
                "date": _iso(day),
                "decision": decision,
                "predecessor": predecessor,
            }
            if note:
                row["note"] = note
            if successor:
                row["successor"] = successor
            self.lineage.append(row)

    def build_units(self):
        """The tree from 1997 (Hà Nam re-established) to the 2025 reorganisation."""
        for code, name in data.CENTRAL:
            self.add_unit(code, "central", name, None, datetime.date(1945, 9, 2))
        for code, name, start in data.PROVINCES:
            self.add_unit(code, "province", name, None, _d(start), REORG)
        nbi = data.NEW_PROVINCE[0]
        self.add_unit(nbi, "province", data.NEW_PROVINCE[1], None, REORG)
        merged = [(code, nbi) for code, _name, _start in data.PROVINCES]
        self.event("E-TINH-2025", "merge", REORG, data.DECISION_PROVINCE_MERGE, merged)
        for code, name, staff, successor, suffix in data.HNA_DEPARTMENTS:
            profile = {**DEPARTMENT, "suffix": suffix}
            self.add_unit(
                code, "department", name, "HNA", HISTORY_START, REORG, staff=staff, **profile
            )
            self.add_unit(successor, "department", name, nbi, REORG, **profile)
            self.event(
                f"E-{successor}",
                "merge",
                REORG,
                data.DECISION_PROVINCE_MERGE,
                [(code, successor)],
                note="Hợp nhất với cơ quan tương ứng của tỉnh Nam Định và tỉnh Ninh Bình",
            )
        self.build_kim_bang()
        self.build_other_districts()
        ended = [d[0] for d in data.OTHER_DISTRICTS]
        self.event(
            "E-HUYEN-2025",
            "dissolve",
            REORG,
            data.DECISION_DISTRICT_END,
            [(code, None) for code in ("KB", *ended)],
            note="Kết thúc hoạt động của đơn vị hành chính cấp huyện",
        )
        offices = [
            u.code
            for u in self.units.values()
            if u.kind in ("district_office", "public_service") and u.dissolved_on == REORG
        ]
        self.event(
            "E-PHONG-2025",
            "dissolve",
            REORG,
            data.DECISION_DISTRICT_END,
            [(code, None) for code in offices],
            note="Giải thể cơ quan chuyên môn, đơn vị sự nghiệp thuộc UBND cấp huyện",
        )
        self.dept_successor = {c: s for c, _n, _st, s, _sf in data.HNA_DEPARTMENTS}

    def build_kim_bang(self):
        """The district, its communes (merged into six wards in 2025), offices (two merged
        away and one renamed on 1/3/2025, the rest dissolved), centres and schools (handed
        to the wards)."""
        self.add_unit("KB", "district", data.KB[1], "HNA", HISTORY_START, REORG)
        for code, name in data.NEW_WARDS:
            self.add_unit(code, "commune", name, "NBI", REORG, **WARD)
        self.ward_of = {c: w for c, _n, _s, w in data.KB_COMMUNES}
        for code, name, staff, _ward in data.KB_COMMUNES:
            self.add_unit(
                code, "commune", name, "KB", HISTORY_START, REORG, staff=staff, **KB_COMMUNE
            )
        for ward, _name in data.NEW_WARDS:
            communes = [(c, ward) for c, w in self.ward_of.items() if w == ward]
            self.event(f"E-{ward}", "merge", REORG, data.DECISION_COMMUNE_MERGE, communes)
        self.march_successor = dict(data.KB_2025_MERGES)
        for code, name, staff, head in data.KB_OFFICES:
            self.add_unit(
                code,
                "district_office",
                name,
                "KB",
                HISTORY_START,
                REORG_MARCH if code in self.march_successor else REORG,
                staff=staff,
                pool="kb_civil",
                positions=[head, data.OFFICE_DEPUTY.get(head, "Phó Trưởng phòng")],
                staff_position=data.OFFICE_STAFF.get(head, "Chuyên viên"),
            )
        for old, new in data.KB_2025_MERGES:
            self.event(f"E-{old}", "merge", REORG_MARCH, data.DECISION_KB_2025_MERGE, [(old, new)])
        renamed, new_name = data.KB_2025_RENAME
        self.change(renamed, REORG_MARCH, name=new_name)
        edge = [(renamed, renamed)]
        self.event(f"E-{renamed}", "rename", REORG_MARCH, data.DECISION_KB_2025_MERGE, edge)
        for code, name, staff, head in data.KB_CENTRES:
            self.add_unit(
                code,
                "public_service",
                name,
                "KB",
                HISTORY_START,
                REORG,
                staff=staff,
                pool="kb_civil",
                positions=[head, "Phó Giám đốc"],
                staff_position=data.CENTRE_STAFF,
                suffix=code.split("-", 1)[1],
            )
        for code, name, staff, commune, suffix in data.KB_SCHOOLS:
            self.add_unit(
                code,
                "public_service",
                name,
                "KB",
                HISTORY_START,
                staff=staff,
                suffix=suffix,
                **SCHOOL,
            )
            self.change(code, REORG, parent=self.ward_of[commune])
        self.event(
            "E-TRUONG-2025",
            "reparent",
            REORG,
            data.DECISION_COMMUNE_MERGE,
            [(code, code) for code, *_rest in data.KB_SCHOOLS],
            note="Chuyển trường học về UBND cấp xã quản lý",
        )

    def build_other_districts(self):
        """Each with its home affairs office (dissolved in 2025, its staff going to the
        first commune) and two communes (put directly under the province in 2025)."""
        reparented = []
        self.home_commune = {}
        for code, name, communes, rename in data.OTHER_DISTRICTS:
            older = rename[2] if rename else {}
            office = f"{code}-PNV"
            self.add_unit(code, "district", older.get(code, name), "HNA", HISTORY_START, REORG)
            self.add_unit(
                office,
                "district_office",
                "Phòng Nội vụ " + _lower_first(older.get(code, name)),
                code,
                HISTORY_START,
                REORG,
                staff=data.OTHER_DISTRICT_OFFICE_STAFF,
                pool=code,
                positions=["Trưởng phòng", "Phó Trưởng phòng"],
                staff_position="Chuyên viên",
            )
            self.home_commune[office] = communes[0][0]
            for c_code, c_name, staff in communes:
                c_name = older.get(c_code, c_name)
                self.add_unit(
                    c_code,
                    "commune",
                    c_name,
                    code,
                    HISTORY_START,
                    staff=staff,
                    pool=code,
                    **COMMUNE,
                )
                reparented.append(c_code)
            if rename:  # Duy Tiên became a town, its towns wards (before 2025's re-parenting)
                day, decision, _older = _d(rename[0]), rename[1], rename[2]
                changed = (code, office, *(c for c, _n, _s in communes))
                for renamed in changed:
                    self.change(
                        renamed, day, name=_renamed(self.units[renamed], name, communes, code)
                    )
                self.event(f"E-{code}-2020", "rename", day, decision, [(c, c) for c in changed])
        for code in reparented:
            self.change(code, REORG, parent="NBI")
        self.event(
            "E-XA-2025",
            "reparent",
            REORG,
            data.DECISION_COMMUNE_MERGE,
            [(c, c) for c in reparented],
            note="Xã, phường trực thuộc tỉnh",
        )

    # -- units as of a date --------------------------------------------------------------
    def ancestor(self, code, day, kinds):
        seen = 0
        while code is not None and seen < 10:
            unit = self.units[code]
            if unit.kind in kinds:
                return code
            code = unit.parent_on(day)
            seen += 1
        return None

    # -- people ----------------------------------------------------------------------------
    def new_person(self, gender, birth, *, names=None) -> _Person:
        rng = self.rng
        if names is None:
            while True:
                family = _weighted(rng, data.FAMILY_NAMES)
                middle = _weighted(rng, data.MALE_MIDDLE if gender == "M" else data.FEMALE_MIDDLE)
                given = rng.choice(data.MALE_GIVEN if gender == "M" else data.FEMALE_GIVEN)
                if fold(f"{family} {middle} {given}") not in data.RESERVED_NAMES:
                    break
        else:
            family, middle, given = names
        code = f"P{len(self.people) + 1:05d}"
        citizen_id = None
        if rng.random() < 0.93:  # some have no citizen id on record
            # 035: born in Hà Nam; then century-and-gender digit, two digits of the year.
            century = (0 if birth.year < 2000 else 2) + (1 if gender == "F" else 0)
            while citizen_id is None or citizen_id in self.citizen_ids:
                citizen_id = f"035{century}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
            self.citizen_ids.add(citizen_id)
        person = _Person(code, family, middle, given, gender, birth, citizen_id, rng.gauss(0, 1))
        self.people[code] = person
        return person

    def female_share(self, unit: _Unit) -> float:
        if unit.pool == "kb_school":
            return 0.95 if unit.suffix == "MN" else 0.75
        return 0.35 if unit.kind == "commune" else 0.45

    def random_birth(self, lo_age, hi_age, on_year) -> datetime.date:
        year = on_year - self.rng.randint(lo_age, hi_age)
        return datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def hire_new(self, unit: _Unit, day, position) -> _Job:
        gender = "F" if self.rng.random() < self.female_share(unit) else "M"
        person = self.new_person(gender, self.random_birth(22, 32, day.year))
        return self.start_job(person.code, unit.code, position, day)

    def start_job(self, person, unit, position, day, *, reorganised=False) -> _Job:
        job = _Job(person, unit, position, day, reorganised=reorganised)
        self.jobs[person].append(job)
        self.active[person] = job
        return job

    def end_job(self, person, day) -> _Job | None:
        job = self.active.pop(person, None)
        if job is None:
            return None
        if job.start >= day:  # started today (a reorganisation): it never happened
            self.jobs[person].remove(job)
            previous = self.jobs[person][-1] if self.jobs[person] else None
            return previous
        job.end = day
        return job

    def retirement_day(self, person: _Person) -> datetime.date:
        """Retirement age: 60 for men and 55 for women, rising from 2021 by three and
        four months a year of birth (Labour Code 2019, Decree 135/2020)."""
        if person.gender == "M":
            months = 60 * 12 + max(0, min(person.birth.year - 1960, 8)) * 3
        else:
            months = 55 * 12 + max(0, min(person.birth.year - 1965, 15)) * 4
        reached = _add_months(datetime.date(person.birth.year, person.birth.month, 1), months)
        return _add_months(reached, 1)

    def build_people(self):
        """The staff of 2015 (three of them with the names the story needs), then ten
        years of history (`simulate`)."""
        rng = self.rng
        overrides = {
            ("KB-PTCKH", 3): ("an", ("Nguyễn", "Văn", "An"), "M", datetime.date(1982, 3, 14)),
            ("KB-THCS-QUE", 8): ("anh", ("Nguyễn", "Văn", "Anh"), "M", datetime.date(1987, 9, 2)),
            ("KB-LEHO", 4): ("thi_an", ("Nguyễn", "Thị", "An"), "F", datetime.date(1990, 6, 21)),
        }
        for unit in list(self.units.values()):
            if not unit.staff or not unit.exists_on(datetime.date(FIRST_YEAR, 1, 1)):
                continue
            for index in range(unit.staff):
                override = overrides.get((unit.code, index))
                if override:
                    role, names, gender, birth = override
                    person = self.new_person(gender, birth, names=names)
                    person.forced = role == "an"
                    self.special[role] = person.code
                else:
                    female = rng.random() < self.female_share(unit)
                    gender = "F" if female else "M"
                    person = self.new_person(
                        gender, self.random_birth(23, 52 if female else 57, 2015)
                    )
                latest = datetime.date(2014, 12, 1)
                earliest = max(
                    HISTORY_START, _add_months(person.birth, 12 * 22 + rng.randint(0, 60))
                )
                if earliest >= latest:
                    earliest = latest - datetime.timedelta(days=rng.randint(30, 900))
                start = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
                if override and override[0] == "an":
                    start = datetime.date(2006, 9, 1)
                position = (
                    unit.positions[index] if index < len(unit.positions) else unit.staff_position
                )
                self.start_job(person.code, unit.code, position, start)
        self.simulate()

    def push(self, day, priority, kind, payload):
        """Schedule an event; same-day events run by priority, then in the order pushed."""
        heapq.heappush(self.queue, (day, priority, next(self.sequence), kind, payload))

    def simulate(self):
        """Ten years of retirements, resignations, transfers and replacements, then the
        2025 reorganisation, processed in date order."""
        rng = self.rng
        an = self.special["an"]
        for unit in self.units.values():
            if unit.staff:
                self.pools[unit.pool].append(unit.code)
        for year in YEARS:
            lo, hi = _year_bounds(year)
            for code in sorted(self.active):
                person, job = self.people[code], self.active[code]
                retire = self.retirement_day(person)
                if lo <= retire < hi:
                    self.push(retire, 1, "leave", code)
                    continue
                if person.forced or year == LAST_YEAR:
                    continue
                draw = rng.random()
                if draw < 0.009:
                    self.push(lo + datetime.timedelta(days=rng.randrange(365)), 1, "leave", code)
                elif draw < 0.024 and job.position != self.units[job.unit].positions[0]:
                    day = lo if rng.random() < 0.45 else datetime.date(year, rng.randint(3, 10), 1)
                    self.push(day, 1, "transfer", code)
            if year == 2019:
                self.push(datetime.date(2019, 1, 1), 1, "transfer_an", an)
            if year == LAST_YEAR:
                self.push(REORG_MARCH, 0, "reorg_march", None)
                self.push(REORG, 0, "reorg", None)
            while self.queue and self.queue[0][0] < hi:
                day, _prio, _seq, kind, payload = heapq.heappop(self.queue)
                getattr(self, f"_on_{kind}")(day, payload)

    def _on_leave(self, day, code):
        job = self.end_job(code, day)
        if job is None:
            return
        hire_day = day + datetime.timedelta(days=self.rng.randint(30, 150))
        unit = self.units[job.unit]
        if unit.exists_on(hire_day) and hire_day < REORG_MARCH:
            self.push(hire_day, 2, "hire", (unit.code, job.position))

    def _on_hire(self, day, payload):
        unit_code, position = payload
        self.hire_new(self.units[unit_code], day, position)

    def _on_transfer(self, day, code):
        job = self.active.get(code)
        if job is None or job.start >= day:
            return
        choices = [c for c in self.pools[self.units[job.unit].pool] if c != job.unit]
        choices = [c for c in choices if self.units[c].exists_on(day) and self.units[c].staff]
        target = self.units[self.rng.choice(choices)]
        self.end_job(code, day)
        self.start_job(code, target.code, target.staff_position, day)

    def _on_transfer_an(self, day, code):
        """Nguyễn Văn An moves from the finance office to home affairs mid-streak."""
        self.end_job(code, day)
        self.start_job(code, "KB-PNV", "Phó Trưởng phòng", day)

    def _on_reorg_march(self, day, _payload):
        for code in sorted(self.active):
            job = self.active[code]
            if job.unit in self.march_successor:
                target = self.units[self.march_successor[job.unit]]
                self.end_job(code, day)
                self.start_job(code, target.code, target.staff_position, day, reorganised=True)

    def _on_reorg(self, day, _payload):
        """1/7/2025: staff of dissolved units continue in the successor units."""
        wards = [code for code, _name in data.NEW_WARDS]
        chaired = set()
        for code in sorted(self.active):
            job = self.active[code]
            unit = self.units[job.unit]
            if unit.dissolved_on != day:
                continue
            if job.unit in self.ward_of:
                target = self.ward_of[job.unit]
            elif job.unit in self.dept_successor:
                target = self.dept_successor[job.unit]
            elif job.unit in self.home_commune:
                target = self.home_commune[job.unit]
            else:
                target = wards[0] if code == self.special["an"] else self.rng.choice(wards)
            position = (
                job.position if unit.kind == "department" else self.units[target].staff_position
            )
            if job.unit in self.ward_of and job.position == unit.positions[0]:
                position = "Phó Chủ tịch UBND" if target in chaired else "Chủ tịch UBND"
                chaired.add(target)
            self.end_job(code, day)
            self.start_job(code, target, position, day, reorganised=True)

    # -- facts about people ------------------------------------------------------------------
    def job_on(self, code, day) -> _Job | None:
        for job in self.jobs[code]:
            if job.start <= day and (job.end is None or day < job.end):
                return job
        return None

    def covering_job(self, code, start, end) -> _Job | None:
        """The one job that covers all of [start, end)."""
        for job in self.jobs[code]:
            if job.start <= start and (job.end is None or job.end >= end):
                return job
        return None

    def days_in(self, code, year) -> int:
        lo, hi = _year_bounds(year)
        return sum(_overlap_days(j.start, j.end, lo, hi) for j in self.jobs[code])

    def home_unit(self, code, year):
        """The unit that rates the person for the year: where they spent most of it among
        the units still existing at its end (the later one on a tie)."""
        key = (code, year)
        if key not in self._home:
            lo, hi = _year_bounds(year)
            last_day = datetime.date(year, 12, 31)
            best = None
            for job in self.jobs[code]:
                days = _overlap_days(job.start, job.end, lo, hi)
                if days:
                    rank = (self.units[job.unit].exists_on(last_day), days)
                    if best is None or rank >= best[0]:
                        best = (rank, job.unit)
            self._home[key] = best[1] if best else None
        return self._home[key]

    def members(self, year):
        """unit → people, under three readings of "member that year": employed there on
        any day (broad), for six months or more (narrow), on 31 December (roster)."""
        if year not in self._members:
            lo, hi = _year_bounds(year)
            dec31 = datetime.date(year, 12, 31)
            result = {r: defaultdict(set) for r in READINGS}
            for code, jobs in self.jobs.items():
                days = defaultdict(int)
                for job in jobs:
                    overlap = _overlap_days(job.start, job.end, lo, hi)
                    if overlap:
                        days[job.unit] += overlap
                        result["broad"][job.unit].add(code)
                    if job.start <= dec31 and (job.end is None or job.end > dec31):
                        result["roster"][job.unit].add(code)
                for unit, count in days.items():
                    if count >= HALF_YEAR_DAYS:
                        result["narrow"][unit].add(code)
            self._members[year] = result
        return self._members[year]

    def build_absences_and_discipline(self):
        """Maternity leave for some young women, a few long absences (rating capped at HT),
        one or two disciplinary measures a year, and reviews."""
        rng = self.rng
        for code in sorted(self.people):
            person = self.people[code]
            if person.gender != "F" or person.forced:
                continue
            last = None
            for year in YEARS:
                age = year - person.birth.year
                if not 22 <= age <= 40 or (last and year - last < 3) or rng.random() >= 0.06:
                    continue
                start = datetime.date(year, rng.randint(1, 10), rng.randint(1, 28))
                end = _add_months(start, 6)
                if self.covering_job(code, start, end):
                    self.absences.append(_absence(code, "maternity", start, end))
                    last = year
        busy = {a["person"] for a in self.absences}
        protected = {self.special["an"]}
        for year in YEARS:
            mid = datetime.date(year, 6, 30)
            active = sorted(c for c in self.jobs if c not in protected and self.job_on(c, mid))
            for code in rng.sample(active, 3):
                start = datetime.date(year, rng.randint(2, 6), rng.randint(1, 28))
                end = start + datetime.timedelta(days=rng.randint(95, 170))
                if code not in busy and self.covering_job(code, start, end):
                    busy.add(code)
                    self.capped.add((code, year))
                    self.absences.append(_absence(code, "long_absence", start, end))
            for _n in range(1 + (rng.random() < 0.4)):
                self.discipline(rng.choice(active), year)
        # A complaint still being verified at the end of 2025: no 2025 award for that person.
        late = datetime.date(2025, 11, 20)
        candidates = [
            c
            for c in sorted(self.jobs)
            if c not in protected
            and not self.blocked[c]
            and (job := self.job_on(c, late))
            and job.unit.startswith("NBI-")
        ]
        reviewed = candidates[len(candidates) // 2]
        self.special["reviewed"] = reviewed
        self.blocked[reviewed].add(LAST_YEAR)
        self.reviews.append(
            {
                "person": reviewed,
                "kind": "complaint",
                "started_on": _iso(late),
                "note": "Đơn tố cáo liên quan đến việc cấp giấy chứng nhận quyền sử dụng đất "
                "đang được xác minh",
            }
        )
        self.reviews.append(
            {
                "unit": "KB-DONGHOA",
                "kind": "inspection",
                "started_on": "2019-04-10",
                "ended_on": "2019-08-30",
                "note": "Thanh tra việc quản lý, sử dụng ngân sách năm 2018; kết luận không có "
                "vi phạm",
            }
        )

    def discipline(self, code, year):
        """A reprimand or warning in force for twelve months. The person is not rated above
        HT while it is in force, KHT in the year of a duty-related violation, and gets no
        award in any year it touches."""
        rng = self.rng
        start = datetime.date(year, rng.randint(3, 11), rng.randint(1, 28))
        job = self.job_on(code, start)
        if job is None or (job.unit in STAR_UNITS and year in (2018, *STAR_YEARS)):
            return
        end = _add_months(start, 12)
        warning = rng.random() < 0.25
        duty = rng.random() < 0.8
        reasons = data.DISCIPLINE_REASONS_DUTY if duty else data.DISCIPLINE_REASONS_OTHER
        self.disciplines.append(
            {
                "person": code,
                "measure": CANH_CAO if warning else KHIEN_TRACH,
                "duty_related": duty,
                "decision_number": f"{rng.randint(300, 2400)}/QĐ-UBND",
                "decision_date": _iso(start),
                "effective_from": _iso(start),
                "effective_to": _iso(end),
                "reason": rng.choice(reasons),
            }
        )
        for blocked_year in range(start.year, end.year + 1):
            self.blocked[code].add(blocked_year)
            self.capped.add((code, blocked_year))
        if duty:
            self.failed.add((code, year))
        self.last_discipline_end[code] = max(end, self.last_discipline_end.get(code, end))

    # -- ratings ---------------------------------------------------------------------------
    def rate_people(self):
        """Everyone who worked six months or more of a year (maternity leave counts as
        work) is rated: about 15 % HTXS, 65 % HTT, 18 % HT, 2 % KHT. From 2023 HTXS is at
        most 20 % of the number rated HTT in a unit (Decree 48/2023 amending 90/2020)."""
        rng = self.rng
        an = self.special["an"]
        for year in YEARS:
            drawn = {}
            for code in sorted(self.people):
                if self.days_in(code, year) < HALF_YEAR_DAYS:
                    continue
                z = 0.75 * self.people[code].quality + 0.66 * rng.gauss(0, 1)
                drawn[code] = z
                level = (
                    HTXS
                    if z > (0.45 if year >= QUOTA_FROM else 1.0)
                    else HTT
                    if z > -0.85
                    else HT
                    if z > -2.05
                    else KHT
                )
                home = self.home_unit(code, year)
                if home in STAR_UNITS and year in STAR_YEARS and level == KHT:
                    level = HT
                if (code, year) in self.capped and RANK[level] > RANK[HT]:
                    level = HT
                if (code, year) in self.failed:
                    level = KHT
                if code == an:
                    level = HTXS if 2018 <= year <= 2020 else max(level, HTT, key=RANK.get)
                self.ratings[(code, year)] = level
            by_unit = defaultdict(list)
            for code in drawn:
                by_unit[self.home_unit(code, year)].append(code)
            for unit_code in sorted(by_unit):
                members = by_unit[unit_code]
                if unit_code in STAR_UNITS and year in STAR_YEARS:
                    self.lift_star_unit(members, year)
                if year < QUOTA_FROM:
                    continue
                excellent = [c for c in members if self.ratings[(c, year)] == HTXS]
                good = sum(self.ratings[(c, year)] == HTT for c in members)
                excellent.sort(key=lambda c: (c != an, -drawn[c]))
                # x HTXS may stay when x ≤ 20 % × (HTT + the demoted), i.e. x ≤ total / 6.
                allowed = max((good + len(excellent)) // 6, 1 if an in excellent else 0)
                for code in excellent[allowed:]:
                    self.ratings[(code, year)] = HTT

    def lift_star_unit(self, members, year):
        """A unit that did well: at least 80 % of its people rated HTT or better."""
        ordered = sorted(members)
        needed = math.ceil(0.8 * len(ordered)) - sum(
            RANK[self.ratings[(c, year)]] >= RANK[HTT] for c in ordered
        )
        for code in ordered:
            if needed <= 0:
                break
            if self.ratings[(code, year)] == HT and (code, year) not in self.capped:
                self.ratings[(code, year)] = HTT
                needed -= 1

    def score_last_year(self):
        """Some 2025 ratings already carry the 100-point score of the new regime."""
        for (code, year), level in sorted(self.ratings.items()):
            if year == LAST_YEAR and self.rng.random() < 0.3:
                self.scores[(code, year)] = _score_in_band(self.rng, level)

    def build_initiatives(self):
        """Initiatives by people rated HTT or better (more often by the HTXS), with
        colleagues as co-authors, and one research work a year."""
        rng = self.rng
        an = self.special["an"]
        for year in YEARS:
            rated = sorted(
                c
                for (c, y), level in self.ratings.items()
                if y == year and RANK[level] >= RANK[HTT]
            )
            by_home = defaultdict(list)
            for code in rated:
                by_home[self.home_unit(code, year)].append(code)
            count = 0
            for code in rated:
                forced = code == an and year in (2018, 2020)
                chance = 0.18 if self.ratings[(code, year)] == HTXS else 0.035
                if code in self.authors_by_year[year] or not (forced or rng.random() < chance):
                    continue
                unit = self.units[self.home_unit(code, year)]
                others = [
                    c
                    for c in by_home[unit.code]
                    if c != code and c not in self.authors_by_year[year]
                ]
                authors = [code]
                if not forced:
                    authors += rng.sample(others, min(len(others), rng.randint(0, 2)))
                titles = data.INITIATIVE_TITLES["school" if unit.pool == "kb_school" else "civil"]
                title = data.INITIATIVE_TITLES["civil"][7] if forced else rng.choice(titles)
                count += 1
                self.add_initiative(
                    f"SK{year}-{count:03d}",
                    "initiative",
                    f"{title} tại {_lower_first(self.name_on(unit.code, datetime.date(year, 9, 1)))}",
                    "bo_tinh" if rng.random() < 0.1 else "co_so",
                    year,
                    authors,
                )
            civil = [c for c in rated if self.units[self.home_unit(c, year)].pool == "kb_civil"]
            title = data.RESEARCH_TITLES[(year - FIRST_YEAR) % len(data.RESEARCH_TITLES)]
            self.add_initiative(
                f"NC{year}-01",
                "research",
                f"{title} (đề tài năm {year})",
                "bo_tinh" if rng.random() < 0.6 else "co_so",
                year,
                rng.sample(civil, rng.randint(2, 4)),
            )

    def name_on(self, code, day) -> str:
        version = self.units[code].version_on(day)
        return version[0] if version else self.units[code].name

    def add_initiative(self, code, kind, title, scope, year, authors):
        """Recognised in the autumn, by the district (or the unit itself once there is no
        district) at grassroots scope, by the province at provincial scope."""
        rng = self.rng
        day = datetime.date(year, rng.randint(9, 11), rng.randint(1, 28))
        if scope == "bo_tinh":
            decider = "NBI" if day >= REORG else "HNA"
        else:
            home = self.home_unit(authors[0], year)
            decider = self.ancestor(home, day, {"district"}) or home
        number, day = self.decision(decider, ("initiative", year, scope), day)
        self.initiatives.append(
            {
                "code": code,
                "kind": kind,
                "title": title,
                "scope": scope,
                "decision_number": number,
                "recognised_on": _iso(day),
                "applied": rng.random() < 0.85,
                "replicable": rng.random() < (0.6 if scope == "bo_tinh" else 0.15),
                "authors": list(authors),
            }
        )
        self.authors_by_year[year].update(authors)

    def rate_units(self):
        """Districts by the province (Kim Bảng by KB_RATINGS), other units from how their
        people did; in 2020 every unit directly under Kim Bảng HTT or better (the seed)."""
        rng = self.rng
        for year in YEARS:
            dec31 = datetime.date(year, 12, 31)
            members = self.members(year)
            for unit in self.units.values():
                if unit.kind in ("central", "province") or not unit.exists_on(dec31):
                    continue
                if unit.kind == "district":
                    if unit.code == "KB":
                        level = KB_RATINGS[year]
                    elif FLAG_HOLDERS.get(year) == unit.code:
                        level = HTXS
                    else:
                        level = _weighted(rng, [(HTXS, 30), (HTT, 62), (HT, 8)])
                    self.unit_ratings[(unit.code, year)] = level
                    continue
                people = members["broad"].get(unit.code, set())
                if not people:
                    continue
                new = unit.versions[0][2].year == year
                under_kb_2020 = year == 2020 and unit.parent_on(dec31) == "KB"
                good = [c for c in people if RANK[self.ratings.get((c, year), KHT)] >= RANK[HTT]]
                share = len(good) / len(people)
                solid = self.qualifies_excellent(unit.code, year, members)
                if unit.code in STAR_UNITS and year in STAR_YEARS:
                    level = HTXS
                elif new:
                    level = HTT
                elif solid and rng.random() < 0.45:
                    level = HTXS
                elif share >= 0.6 and rng.random() < 0.95:
                    level = HTT
                else:
                    level = HT
                if under_kb_2020 and RANK[level] < RANK[HTT]:
                    level = HTT  # the seed: 100 % of units under the district HTT or better
                self.unit_ratings[(unit.code, year)] = level
            # A head is not rated above the unit (Decree 90/2020 as amended).
            for code in sorted(self.people):
                rating = self.ratings.get((code, year))
                home = self.home_unit(code, year) if rating else None
                unit_level = self.unit_ratings.get((home, year))
                if unit_level is None or RANK[rating] <= RANK[unit_level]:
                    continue
                head = self.units[home].positions[0]
                if any(j.unit == home and j.position == head for j in self.jobs[code]):
                    self.ratings[(code, year)] = unit_level

    def qualifies_excellent(self, unit_code, year, members) -> bool:
        """Every member rated HT or better, nobody with cảnh cáo, ≥ 75 % HTT or better."""
        people = members["broad"].get(unit_code, set())
        if len(people) < 7 or self.warned(people, year):
            return False
        if any(RANK[self.ratings.get((c, year), KHT)] < RANK[HT] for c in people):
            return False
        for reading in READINGS:
            group = members[reading].get(unit_code, set())
            if not group:
                return False
            good = sum(RANK[self.ratings.get((c, year), KHT)] >= RANK[HTT] for c in group)
            if good < 0.75 * len(group):
                return False
        return True

    def warned(self, people, year) -> bool:
        """Someone among `people` was under cảnh cáo or worse during the year."""
        lo, hi = _year_bounds(year)
        for row in self.disciplines:
            if (
                row["person"] in people
                and DISCIPLINE_RANK[row["measure"]] >= DISCIPLINE_RANK[CANH_CAO]
                and _d(row["effective_from"]) < hi
                and _d(row["effective_to"]) > lo
            ):
                return True
        return False

    # -- decisions and awards ------------------------------------------------------------
    def decision(self, authority, key, day) -> tuple[str, datetime.date]:
        """One numbered decision per authority and batch (the first call fixes its day).
        Numbers follow the day of the year at the pace of the authority's paperwork, and
        are never given twice by the same authority in a year."""
        batch = (authority, *key)
        if batch not in self.batches:
            unit = self.units[authority]
            pace = 6.0 if unit.kind in ("province", "district") else 0.8
            used = self.numbers.setdefault((authority, day.year), set())
            number = int(day.timetuple().tm_yday * pace) + self.rng.randint(1, 9)
            while number in used:
                number += 1
            used.add(number)
            self.batches[batch] = (f"{number}/QĐ-{unit.suffix}", day)
        return self.batches[batch]

    def award(self, code, year, authority, *, person=None, unit=None, batch="", later=False):
        """A yearly title or merit award for `year`, in the authority's batch decision."""
        number, day = self.decision(
            authority, (code, year, batch), self.decision_day(authority, year, later=later)
        )
        row = {"person": person} if person else {"unit": unit}
        row.update(
            award_code=code,
            commendation_type="cong_trang",
            period_start=f"{year}-01-01",
            period_end=f"{year}-12-31",
            decision_number=number,
            decision_date=_iso(day),
            authority=authority,
            signer=_signer(self.units[authority], day),
        )
        self.awards.append(row)
        return row

    def decision_day(self, authority, year, *, later=False) -> datetime.date:
        """A unit's own decisions on year Y come in late December; the district's and the
        province's (and, for 2025, the new communes' second round) early in January."""
        kind = self.units[authority].kind
        if kind in ("province", "district") or (later and kind == "commune" and year == LAST_YEAR):
            return datetime.date(year + 1, 1, self.rng.randint(5 + later, 11))
        return datetime.date(year, 12, self.rng.randint(18, 29))

    def local_authority(self, unit_code, year):
        """Who confers CSTĐCS, TTLĐTT and Giấy khen: the district chairman until 30/6/2025,
        then the commune chairman (Decree 129/2025); department heads for their staff."""
        dec31 = datetime.date(year, 12, 31)
        district = self.ancestor(unit_code, dec31, {"district"})
        if district:
            return district
        if self.units[unit_code].kind in ("commune", "department"):
            return unit_code
        return self.ancestor(unit_code, dec31, {"commune", "province"})

    def province_of(self, unit_code, year):
        return self.ancestor(unit_code, datetime.date(year, 12, 31), {"province"})

    def award_titles(self):
        for year in YEARS:
            self.award_ldtt(year)
            self.award_cstdcs(year)
            honoured_units = self.award_collective_titles(year)
            honoured = self.award_merit_certificates(year)
            if year < LAST_YEAR:  # the district's own certificates, while it exists
                self.district_commendations(year, honoured, honoured_units)
            if year in FLAG_HOLDERS:  # the district leading the province's block
                self.award("CO_TD_TINH", year, "HNA", unit=FLAG_HOLDERS[year])

    def award_ldtt(self, year):
        """LĐTT to those rated HTT or better with no discipline that year (a few did not
        apply). A unit with legal personality decides for its staff; the district for
        the staff of its offices."""
        an = self.special["an"]
        for code in sorted(c for (c, y) in self.ratings if y == year):
            if RANK[self.ratings[(code, year)]] < RANK[HTT] or year in self.blocked[code]:
                continue
            if code != an and self.rng.random() < 0.02:
                continue
            self.ldtt[year].add(code)
            home = self.units[self.home_unit(code, year)]
            authority = home.code
            if home.kind == "district_office":
                authority = self.local_authority(home.code, year)
            self.award("LDTT", year, authority, person=code)

    def award_cstdcs(self, year):
        """CSTĐCS to at most 15 % of a unit's LĐTT (Decree 91/2017 Điều 9(3)), among those
        rated HTXS or with an initiative who stayed in the unit all year; last year's
        holders first. One 2018 title is later annulled (its initiative was copied)."""
        an, ldtt, members = self.special["an"], self.ldtt[year], self.members(year)
        by_home = defaultdict(list)
        for code in sorted(ldtt):
            by_home[self.home_unit(code, year)].append(code)
        for unit_code in sorted(by_home):
            counts = [len(members[r].get(unit_code, set()) & ldtt) for r in READINGS]
            quota = math.floor(0.15 * min(*counts, len(by_home[unit_code])))
            chosen = [
                c
                for c in by_home[unit_code]
                if self.stayed(c, unit_code, year)
                and (self.ratings[(c, year)] == HTXS or c in self.authors_by_year[year])
            ]
            chosen.sort(
                key=lambda c: (
                    c != an,
                    c not in self.cstdcs[year - 1],
                    c not in self.authors_by_year[year],
                    self.rng.random(),
                )
            )
            authority = self.local_authority(unit_code, year)
            for code in chosen[:quota]:
                row = self.award("CSTDCS", year, authority, person=code, later=True)
                if year == 2018 and code != an and not self.special.get("annulled"):
                    self.special["annulled"] = code
                    row["status"] = "annulled"
                    row["annulled_reason"] = (
                        "Sáng kiến làm căn cứ công nhận bị phát hiện sao chép; hủy bỏ theo "
                        "Quyết định 845/QĐ-UBND ngày 12/6/2019"
                    )
                else:
                    self.cstdcs[year].add(code)

    def award_collective_titles(self, year) -> set[str]:
        """TTLĐXS (by the province) and TTLĐTT (by the district, later the commune) to
        units rated HTT or better with ≥ 70 % LĐTT under every reading of membership and
        nobody under cảnh cáo; TTLĐXS also needs HTXS, everyone rated HT or better and a
        CSTĐCS. Units created during the year get none. Returns the TTLĐXS holders."""
        members, ldtt, excellent = self.members(year), self.ldtt[year], set()
        for unit in self.units.values():
            level = self.unit_ratings.get((unit.code, year))
            if level is None or unit.kind == "district" or unit.versions[0][2].year == year:
                continue
            people = members["broad"].get(unit.code, set())
            if not people or self.warned(people, year) or RANK[level] < RANK[HTT]:
                continue
            if not all(
                len(members[r][unit.code] & ldtt) >= 0.7 * len(members[r][unit.code])
                for r in READINGS
                if members[r].get(unit.code)
            ):
                continue
            all_rated = all(RANK[self.ratings.get((c, year), KHT)] >= RANK[HT] for c in people)
            province = self.province_of(unit.code, year)
            qualifies = level == HTXS and all_rated and people & self.cstdcs[year]
            if qualifies and self.rng.random() < 0.9:
                self.award("TTLDXS", year, province, unit=unit.code)
                excellent.add(unit.code)
                continue
            # TTLĐTT is conferred from above by the district (later the commune) chairman;
            # departments and communes directly under the province get none.
            authority = self.local_authority(unit.code, year)
            if authority != unit.code and self.rng.random() < 0.9:
                self.award("TTLDTT", year, authority, unit=unit.code, later=True)
        return excellent

    def award_merit_certificates(self, year) -> set[str]:
        """The provincial certificate of merit (Bằng khen) to people with CSTĐCS in this
        and the previous year, and to units rated HTXS both years (the same years never
        used twice, none in or right after a discipline). Returns honoured codes."""
        honoured = set()
        for code in sorted(self.cstdcs[year] & self.cstdcs[year - 1]):
            if self.last_bk.get(code, 0) >= year - 1:
                continue
            if self.last_discipline_end.get(code, HISTORY_START) > datetime.date(year - 1, 1, 1):
                continue
            province = self.province_of(self.home_unit(code, year), year)
            self.award("BK_TINH", year, province, person=code, batch="ca_nhan")
            self.last_bk[code] = year
            honoured.add(code)
        broad = self.members(year)["broad"]
        for unit in self.units.values():
            if unit.kind == "district" or unit.versions[0][2].year >= year - 1:
                continue
            levels = [self.unit_ratings.get((unit.code, y)) for y in (year - 1, year)]
            if levels != [HTXS, HTXS] or self.last_bk.get(unit.code, 0) >= year - 1:
                continue
            if self.warned(broad.get(unit.code, set()), year) or self.rng.random() >= 0.6:
                continue
            province = self.province_of(unit.code, year)
            self.award("BK_TINH", year, province, unit=unit.code, batch="tap_the")
            self.last_bk[unit.code] = year
            honoured.add(unit.code)
        return honoured

    def stayed(self, code, unit_code, year) -> bool:
        """In the unit all year (moves made by the reorganisation do not count)."""
        lo, hi = _year_bounds(year)
        for job in self.jobs[code]:
            if _overlap_days(job.start, job.end, lo, hi) == 0:
                continue
            if job.unit != unit_code and job.end not in (REORG, REORG_MARCH):
                return False
            if job.unit == unit_code and job.start > lo and not job.reorganised:
                return False
            if job.unit == unit_code and job.end is not None and job.end < hi:
                return False
        return True

    def district_commendations(self, year, honoured, honoured_units):
        """Kim Bảng's Giấy khen to a few of its LĐTT people and three of its units rated
        HTT or better that got no higher award that year."""
        dec31 = datetime.date(year, 12, 31)
        for code in sorted(self.ldtt[year] - self.cstdcs[year] - honoured):
            in_kb = self.ancestor(self.home_unit(code, year), dec31, {"district"}) == "KB"
            if in_kb and self.rng.random() < 0.03:
                self.award("GK", year, "KB", person=code, batch="ca_nhan")
        broad = self.members(year)["broad"]
        units = [
            code
            for (code, y), level in sorted(self.unit_ratings.items())
            if y == year
            and RANK[level] >= RANK[HTT]
            and code not in honoured | honoured_units
            and self.units[code].parent_on(dec31) == "KB"
            and not self.warned(broad.get(code, set()), year)
        ]
        for code in self.rng.sample(units, min(3, len(units))):
            self.award("GK", year, "KB", unit=code, batch="tap_the")

    def special_awards(self):
        """The Hero of Labour title of 2020, and one sudden award: a commune officer who
        rescued people in the October 2017 flood of the Đáy river."""
        self.awards.append(dict(HERO_DECISION))
        flood = datetime.date(2017, 10, 12)
        staff = [
            c
            for c in sorted(self.jobs)
            if (job := self.job_on(c, flood))
            and job.unit == "KB-KHAPHONG"
            and RANK[self.ratings.get((c, flood.year), KHT)] >= RANK[HTT]
        ]
        decided = datetime.date(2017, 10, 25)
        self.awards.append(
            {
                "person": staff[len(staff) // 3],
                "award_code": "GK",
                "commendation_type": "dot_xuat",
                "period_start": "2017-10-10",
                "period_end": "2017-10-16",
                "decision_number": "1625/QĐ-UBND",
                "decision_date": _iso(decided),
                "authority": "KB",
                "signer": _signer(self.units["KB"], decided),
            }
        )

    # -- output ----------------------------------------------------------------------------
    def dataset(self) -> dict:
        units, versions = [], []
        for unit in self.units.values():
            row = {"code": unit.code, "kind": unit.kind, "name": unit.name}
            if unit.established_on:
                row["established_on"] = _iso(unit.established_on)
            if unit.dissolved_on:
                row["dissolved_on"] = _iso(unit.dissolved_on)
            units.append(row)
            for name, parent, start, end in unit.versions:
                version = {"unit": unit.code, "name": name, "valid_from": _iso(start)}
                if parent:
                    version["parent"] = parent
                if end:
                    version["valid_to"] = _iso(end)
                versions.append(version)
        people = []
        for code in sorted(self.people):
            p = self.people[code]
            row = {
                "code": code,
                "family_name": p.family,
                "middle_name": p.middle,
                "given_name": p.given,
                "birth_date": _iso(p.birth),
                "gender": p.gender,
            }
            if p.citizen_id:
                row["citizen_id"] = p.citizen_id
            people.append(row)
        employments = []
        for code in sorted(self.jobs):
            for job in self.jobs[code]:
                row = {
                    "person": code,
                    "unit": job.unit,
                    "position": job.position,
                    "start": _iso(job.start),
                }
                if job.end:
                    row["end"] = _iso(job.end)
                employments.append(row)
        person_ratings = []
        for (code, year), level in sorted(self.ratings.items()):
            row = {"person": code, "year": year, "level": level, "regime": _regime(year)}
            if (code, year) in self.scores:
                row["score"] = self.scores[(code, year)]
            person_ratings.append(row)
        unit_ratings = [
            {"unit": code, "year": year, "level": level, "regime": _regime(year)}
            for (code, year), level in sorted(self.unit_ratings.items())
        ]
        awards = sorted(
            self.awards,
            key=lambda a: (
                a["decision_date"],
                a["decision_number"],
                a["award_code"],
                a.get("person") or "",
                a.get("unit") or "",
            ),
        )
        return {
            "format": "thidua-dataset",
            "version": 1,
            "units": units,
            "unit_versions": versions,
            "lineage": self.lineage,
            "people": people,
            "employments": employments,
            "person_ratings": person_ratings,
            "unit_ratings": unit_ratings,
            "disciplines": self.disciplines,
            "pending_reviews": self.reviews,
            "initiatives": self.initiatives,
            "awards": awards,
            "absences": sorted(self.absences, key=lambda a: (a["person"], a["start"])),
        }


# --- helpers used by the builder --------------------------------------------------------
_PLACE_WORDS = ("Thị trấn", "Thị xã", "Thành phố", "Huyện", "Xã", "Phường", "Tỉnh")


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _lower_first(name: str) -> str:
    """'Xã Lê Hồ' → 'xã Lê Hồ' inside a sentence; other names keep their capital."""
    place = next((w for w in _PLACE_WORDS if name.startswith(w + " ")), None)
    return place.lower() + name[len(place) :] if place else name


def _renamed(unit, district_name, communes, district_code) -> str:
    """Names after the 2020 change of Duy Tiên from district to town."""
    if unit.code == district_code:
        return district_name
    if unit.kind == "district_office":
        return "Phòng Nội vụ " + _lower_first(district_name)
    return {c: n for c, n, _s in communes}[unit.code]


def _absence(code, kind, start, end) -> dict:
    return {"person": code, "kind": kind, "start": _iso(start), "end": _iso(end)}


def _regime(year: int) -> str:
    return "ND56/2015" if year < 2020 else "ND90/2020"


def _score_in_band(rng, level) -> float:
    low, high = {HTXS: (90, 98), HTT: (70, 89.5), HT: (50, 69.5), KHT: (35, 49.5)}[level]
    return rng.randint(int(low * 2), int(high * 2)) / 2


def _signer(unit: _Unit, day) -> str:
    """The title of who signs the authority's decisions."""
    if unit.kind == "central":
        return unit.name
    if unit.kind in ("province", "district", "commune"):
        name = unit.version_on(day)[0] if unit.exists_on(day) else unit.name
        place = next((w for w in _PLACE_WORDS if name.startswith(w)), "")
        return f"Chủ tịch UBND {place.lower()}".strip()
    if unit.kind == "department":
        return "Giám đốc Sở" if unit.suffix.startswith("S") else "Chánh Văn phòng"
    return unit.positions[0] if unit.positions else ""


def build_demo_dataset() -> dict:
    """The Kim Bảng demo world as a dataset dict (docs/dataset-format.md).

    Deterministic: the same dict on every call, on every machine."""
    world = _World(SEED)
    world.build_units()
    world.build_people()
    world.build_absences_and_discipline()
    world.rate_people()
    world.build_initiatives()
    world.rate_units()
    world.score_last_year()
    world.award_titles()
    world.special_awards()
    return world.dataset()


# --- loading ----------------------------------------------------------------------------
class DemoError(Exception):
    """The demo cannot be loaded (the database already holds data)."""


def migrate_if_needed(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Apply pending migrations; True if there were any."""
    executor = MigrationExecutor(connections[using])
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0, database=using)
    return True


def load_demo(*, force: bool = False) -> dict[str, int]:
    """Load the demo world and create the demo logins (`DEMO_LOGINS`, password
    `DEMO_PASSWORD`), all in one transaction.

    Refuses (DemoError) when the database already holds units, unless `force`, which
    first erases every row of every table. Returns row counts and the seconds it took.
    """
    started = time.perf_counter()
    if Unit.objects.exists() and not force:
        raise DemoError(
            _(
                "The database already holds units; use --force to erase everything and "
                "load the demo."
            )
        )
    dataset = build_demo_dataset()
    with transaction.atomic():
        if force:
            if connection.vendor == "postgresql":
                # TRUNCATE refuses to run while deferred foreign-key checks of earlier
                # writes in this transaction are pending: check them now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
        load_dataset(dataset)
        create_demo_logins()
        # Each domain adds its demo year on top of the organisation and records.
        load_emulation_demo()
        load_plans_demo()
        load_rules_demo()
    counts = demo_counts()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def create_demo_logins() -> list:
    """One user per role (see DEMO_LOGINS), each holding that role on its unit."""
    user_model = get_user_model()
    units = Unit.objects.in_bulk([login.unit for login in DEMO_LOGINS], field_name="code")
    password = make_password(DEMO_PASSWORD)  # hashed once: the same public password for all
    users = []
    for login in DEMO_LOGINS:
        user = user_model(
            username=login.username, is_staff=login.superuser, is_superuser=login.superuser
        )
        user.password = password
        user.save()
        UserRole.objects.create(user=user, unit=units[login.unit], role=login.role)
        log(
            "accounts.user.create",
            user,
            after={"username": login.username, "role": login.role, "unit": login.unit},
            message=_("Demo login"),
        )
        users.append(user)
    return users


def demo_counts() -> dict[str, int]:
    """Rows of the main tables, as `thidua demo` reports them."""
    return {
        "units": Unit.objects.count(),
        "lineage_events": LineageEvent.objects.count(),
        "people": Person.objects.count(),
        "employments": Employment.objects.count(),
        "person_ratings": PersonRating.objects.count(),
        "unit_ratings": UnitRating.objects.count(),
        "awards": Award.objects.count(),
        "logins": get_user_model().objects.count(),
    }

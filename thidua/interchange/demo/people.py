"""The demo world's people: hires, transfers, leaves and retirements, simulated day by
day in one event queue, and the reorganisations that move everyone."""

import datetime
import heapq

from thidua.interchange import demo_data as data
from thidua.interchange.demo.constants import (
    FIRST_YEAR,
    HISTORY_START,
    LAST_YEAR,
    REORG,
    REORG_MARCH,
    YEARS,
)
from thidua.interchange.demo.parts import _add_months, _Job, _Person, _Unit, _weighted, _year_bounds
from thidua.vietnamese import fold


class _PeopleMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

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

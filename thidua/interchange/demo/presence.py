"""Where each person of the demo world was, and when: jobs on a day, days worked in a
year, the unit they count in, absences and discipline."""

import datetime
from collections import defaultdict

from thidua.interchange import demo_data as data
from thidua.interchange.demo.constants import (
    CANH_CAO,
    HALF_YEAR_DAYS,
    KHIEN_TRACH,
    LAST_YEAR,
    READINGS,
    STAR_UNITS,
    STAR_YEARS,
    YEARS,
)
from thidua.interchange.demo.parts import (
    _absence,
    _add_months,
    _iso,
    _Job,
    _overlap_days,
    _year_bounds,
)


class _PresenceMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

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

"""The demo world's decisions and awards, within the shares and conditions of the
regime in force each year."""

import datetime
import math
from collections import defaultdict

from thidua.interchange.demo.constants import (
    FLAG_HOLDERS,
    HERO_DECISION,
    HISTORY_START,
    HT,
    HTT,
    HTXS,
    KHT,
    LAST_YEAR,
    RANK,
    READINGS,
    REORG,
    REORG_MARCH,
    YEARS,
)
from thidua.interchange.demo.parts import _iso, _overlap_days, _signer, _year_bounds


class _AwardsMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

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

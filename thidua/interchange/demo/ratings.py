"""The demo world's ratings of people and units, and the initiatives that back the
CSTĐCS titles."""

import datetime
import math
from collections import defaultdict

from thidua.interchange import demo_data as data
from thidua.interchange.demo.constants import (
    CANH_CAO,
    FIRST_YEAR,
    FLAG_HOLDERS,
    HALF_YEAR_DAYS,
    HT,
    HTT,
    HTXS,
    KB_RATINGS,
    KHT,
    LAST_YEAR,
    QUOTA_FROM,
    RANK,
    READINGS,
    REORG,
    STAR_UNITS,
    STAR_YEARS,
    YEARS,
)
from thidua.interchange.demo.parts import (
    _d,
    _iso,
    _lower_first,
    _score_in_band,
    _weighted,
    _year_bounds,
)
from thidua.records.choices import DISCIPLINE_RANK


class _RatingsMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

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

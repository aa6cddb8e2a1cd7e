"""A synthetic province dataset, deterministic for a given seed, for load benchmarks.

    python -m benchmarks.synthetic OUT.json [--people 100000] [--units 3000] [--seed 2020]

The province: one province unit; ~100 communes and departments beneath it; divisions and
villages beneath those (3,000 units in all). Ten years (2016–2025) of records: employments
(some people leave, ~8 % transfer once), a rating per person-year employed and per unit-year,
~2 % of people disciplined, initiatives, awards (≈15 % of person-years get Lao động tiên
tiến, some Chiến sĩ thi đua cơ sở and provincial certificates; collective titles for
units), maternity and long absences. On 1 July 2025 twenty communes merge pairwise into ten
new ones (their villages are re-parented, the communes' own staff transferred), and five
departments were renamed in 2020: lineage events for each.

The file is written row by row (one row per line) in the section order of the format, and
is valid: `thidua load` accepts it with no problem. Nothing here needs Django.
"""

import argparse
import datetime
import json
import random
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2016, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
MERGE_DAY = datetime.date(2025, 7, 1)
RENAME_DAY = datetime.date(2020, 1, 1)
FOUNDED = datetime.date(1990, 1, 1)
PROVINCE = "TINH"
LEVELS = ("HTXS", "HTT", "HT", "KHT")
LEVEL_WEIGHTS = (12, 63, 22, 3)
BANDS = {"HTXS": (90, 100), "HTT": (70, 89), "HT": (50, 69), "KHT": (20, 49)}

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4),
    ("Vũ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Thành", "Xuân", "Ngọc", ""]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Thùy", "Minh", "Phương", "Hồng", "Bích", ""]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hùng", "Khánh"]
GIVEN_M += ["Long", "Mạnh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt"]
GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai"]
GIVEN_F += ["Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến"]
PLACE = ["An", "Bình", "Hòa", "Phú", "Tân", "Thanh", "Minh", "Hưng", "Phúc", "Thịnh"]
PLACE += ["Lộc", "Đông", "Tây", "Nam", "Bắc", "Trung", "Sơn", "Hải", "Long", "Quang"]
DEPARTMENTS = [
    "Nội vụ",
    "Tài chính",
    "Xây dựng",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Tư pháp",
    "Công Thương",
    "Nông nghiệp và Môi trường",
    "Văn hóa, Thể thao và Du lịch",
    "Khoa học và Công nghệ",
    "Dân tộc và Tôn giáo",
    "Ngoại vụ",
]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Cán sự", "Phó trưởng phòng", "Trưởng phòng"]
MEASURES = [("khien_trach", 60), ("canh_cao", 30), ("ha_bac_luong", 5), ("giang_chuc", 3)]
MEASURES += [("cach_chuc", 2)]


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    """A random day in [start, end)."""
    return start + datetime.timedelta(days=rng.randrange((end - start).days))


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class Province:
    """The generated world, kept compact (tuples and lists) so that 100,000 people fit in
    a few hundred MB while the sections are written."""

    def __init__(self, people: int, units: int, seed: int):
        self.rng = random.Random(seed)
        self.n_people = people
        self._units(units)
        self._people()

    # -- units ---------------------------------------------------------------------------

    def _units(self, total: int) -> None:
        # unit code → [kind, name, established, dissolved, versions [(name, parent, from, to)]]
        self.units: dict[str, list] = {}
        self.events: list[tuple] = []  # (kind, date, decision, note, [(pred, succ)])
        self.level2: list[str] = []
        n_level2, n_merged = 100, 10
        n_communes = 70
        self._add(PROVINCE, "province", "Tỉnh Thử Nghiệm", None)
        for i in range(n_level2):
            if i < n_communes:
                code = f"X{i + 1:03d}"
                name = f"Xã {PLACE[i % 20]} {PLACE[(i // 20 + i) % 20]}"
                self._add(code, "commune", name, PROVINCE)
            else:
                code = f"S{i - n_communes + 1:02d}"
                j = i - n_communes
                name = f"Sở {DEPARTMENTS[j % len(DEPARTMENTS)]}"
                if j >= len(DEPARTMENTS):
                    name += f" (khu vực {j // len(DEPARTMENTS) + 1})"
                self._add(code, "department", name, PROVINCE)
            self.level2.append(code)
        self.children: dict[str, list[str]] = {code: [] for code in self.level2}
        remaining = total - 1 - n_level2 - n_merged
        for k in range(remaining):
            parent = self.level2[k % n_level2]
            number = len(self.children[parent]) + 1
            code = f"{parent}-{number:02d}"
            if parent.startswith("X"):
                self._add(code, "village", f"Thôn {number}", parent)
            else:
                self._add(code, "division", f"Phòng {number}", parent)
            self.children[parent].append(code)
        self.workplaces = [c for c in self.units if c != PROVINCE]
        self._renames()
        self._merges(n_merged)

    def _add(self, code, kind, name, parent, established=FOUNDED):
        self.units[code] = [kind, name, established, None, [[name, parent, established, None]]]

    def _renames(self) -> None:
        for code in self.level2[70:75]:
            unit = self.units[code]
            old = unit[4][-1]
            new_name = old[0] + " mới"
            old[3] = RENAME_DAY
            unit[4].append([new_name, old[1], RENAME_DAY, None])
            unit[1] = new_name
            self.events.append(("rename", RENAME_DAY, "Quyết định 12/QĐ-UBND", "", [(code, code)]))

    def _merges(self, n_merged: int) -> None:
        """Communes X001–X020 merge pairwise into XM01–XM10 on 1 July 2025."""
        self.merged_into: dict[str, str] = {}
        for k in range(n_merged):
            a, b = self.level2[2 * k], self.level2[2 * k + 1]
            new = f"XM{k + 1:02d}"
            name = f"Xã {self.units[a][1][3:]}–{self.units[b][1][3:]}"
            self._add(new, "commune", name, PROVINCE, established=MERGE_DAY)
            self.children[new] = []
            decision = "Nghị quyết 1674/NQ-UBTVQH15"
            for old in (a, b):
                self.units[old][3] = MERGE_DAY
                self.units[old][4][-1][3] = MERGE_DAY
                self.merged_into[old] = new
            self.events.append(("merge", MERGE_DAY, decision, "", [(a, new), (b, new)]))
            moved = []
            for old in (a, b):
                for village in self.children[old]:
                    versions = self.units[village][4]
                    versions[-1][3] = MERGE_DAY
                    versions.append([versions[-1][0], new, MERGE_DAY, None])
                    moved.append((village, village))
            self.events.append(("reparent", MERGE_DAY, decision, "", moved))
        self.level2_after = [c for c in self.level2 if c not in self.merged_into] + [
            f"XM{k + 1:02d}" for k in range(n_merged)
        ]

    def authority(self, code: str, day: datetime.date) -> str:
        """Who confers a person's yearly titles: the commune or department the person's unit
        belongs to on the decision day."""
        kind = self.units[code][0]
        if kind in ("village", "division"):
            code = next(
                parent
                for _name, parent, start, end in self.units[code][4]
                if start <= day and (end is None or end > day)
            )
        return code

    def province_of(self, code: str) -> str:
        """The province whose people's committee confers the unit's (or its people's)
        provincial awards."""
        return PROVINCE

    def rated(self, code: str) -> bool:
        """Whether the unit gets yearly ratings and collective titles (not the root)."""
        return code != PROVINCE

    def existed(self, code: str, year: int) -> bool:
        kind, name, established, dissolved, versions = self.units[code]
        return established <= datetime.date(year, 12, 31) and (
            dissolved is None or dissolved > datetime.date(year, 1, 1)
        )

    # -- people --------------------------------------------------------------------------

    def _people(self) -> None:
        rng = self.rng
        family = FAMILY
        self.people: list[tuple] = []  # (code, family, middle, given, birth, gender, cid)
        self.jobs: list[list[tuple]] = []  # per person: [(unit, start, end, position)]
        end_of_data = datetime.date(LAST_YEAR, 12, 31)
        for n in range(self.n_people):
            gender = "F" if rng.random() < 0.5 else "M"
            birth = _day(rng, datetime.date(1965, 1, 1), datetime.date(2001, 1, 1))
            middle = rng.choice(MIDDLE_F if gender == "F" else MIDDLE_M)
            given = rng.choice(GIVEN_F if gender == "F" else GIVEN_M)
            century = (2 if birth.year < 2000 else 4) + (gender == "F")
            cid = f"{rng.randrange(1, 97):03d}{century}{birth.year % 100:02d}{n:06d}"
            code = f"CB{n + 1:06d}"
            self.people.append((code, _pick(rng, family), middle, given, birth, gender, cid))
            unit = rng.choice(self.workplaces)
            if rng.random() < 0.65:
                start = _day(rng, datetime.date(1995, 1, 1), datetime.date(FIRST_YEAR, 1, 1))
            else:
                start = _day(rng, datetime.date(FIRST_YEAR, 1, 1), end_of_data)
            end = None
            if rng.random() < 0.12:
                first = start + datetime.timedelta(days=366)
                if first < end_of_data:
                    end = _day(rng, first, end_of_data)
            position = rng.choice(POSITIONS)
            jobs = [(unit, start, end, position)]
            if rng.random() < 0.08:
                earliest = max(start, datetime.date(FIRST_YEAR, 1, 1)) + datetime.timedelta(180)
                latest = end or datetime.date(2025, 6, 1)
                if earliest < latest:
                    day = _day(rng, earliest, latest)
                    other = rng.choice(self.workplaces)
                    if other != unit:
                        jobs = [(unit, start, day, position), (other, day, end, position)]
            last_unit, last_start, last_end, last_position = jobs[-1]
            successor = self.merged_into.get(last_unit)
            if successor and (last_end is None or last_end > MERGE_DAY):
                if last_start < MERGE_DAY:  # the commune's own staff move to the new commune
                    jobs[-1] = (last_unit, last_start, MERGE_DAY, last_position)
                    jobs.append((successor, MERGE_DAY, last_end, last_position))
                else:
                    jobs[-1] = (successor, last_start, last_end, last_position)
            self.jobs.append(jobs)

    def job_in(self, person: int, year: int):
        """The person's last employment overlapping the year, or None."""
        jan1, next_jan1 = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        found = None
        for job in self.jobs[person]:
            if job[1] < next_jan1 and (job[2] is None or job[2] > jan1):
                found = job
        return found


def _iso(day):
    return day.isoformat() if day else None


class _Writer:
    def __init__(self, out):
        self.out = out
        self.counts: dict[str, int] = {}
        self.section = None

    def start(self, name: str) -> None:
        if self.section is not None:
            self.out.write("\n  ]" if self.counts[self.section] else "]")
        self.out.write(f',\n  "{name}": [')
        self.section = name
        self.counts[name] = 0

    def row(self, **fields) -> None:
        row = {k: v for k, v in fields.items() if v is not None and v != ""}
        self.out.write(",\n    " if self.counts[self.section] else "\n    ")
        self.out.write(json.dumps(row, ensure_ascii=False))
        self.counts[self.section] += 1

    def close(self) -> None:
        self.out.write("\n  ]" if self.counts[self.section] else "]")
        self.out.write("\n}\n")


def synthetic_name(people: int, units: int = 3_000) -> str:
    """The dataset file's name under benchmarks/out/ for a size (the 3,000-unit province
    keeps its old name)."""
    return f"synthetic-{people}.json" if units == 3_000 else f"synthetic-{people}-{units}.json"


def generate(path, *, people: int = 100_000, units: int = 3_000, seed: int = 2020) -> dict:
    """Write the dataset to `path`; returns rows per section."""
    return write(path, Province(people, units, seed), seed)


def write(path, world, seed: int) -> dict:
    """Write `world`'s dataset to `path` (records drawn from `seed`); rows per section."""
    rng = random.Random(seed + 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write('{\n  "format": "thidua-dataset",\n  "version": 1')
        w = _Writer(out)
        _write_org(w, world)
        levels = _write_people(w, world, rng)
        _write_records(w, world, rng, levels)
        w.close()
    tmp.replace(path)
    return w.counts


def _write_org(w, world) -> None:
    w.start("units")
    for code, (kind, name, established, dissolved, _versions) in world.units.items():
        w.row(
            code=code,
            kind=kind,
            name=name,
            established_on=_iso(established),
            dissolved_on=_iso(dissolved),
        )
    w.start("unit_versions")
    for code, unit in world.units.items():
        for name, parent, start, end in unit[4]:
            w.row(unit=code, name=name, parent=parent, valid_from=_iso(start), valid_to=_iso(end))
    w.start("official_codes")
    for code, official, start, end in getattr(world, "official_codes", ()):
        w.row(unit=code, official_code=official, valid_from=_iso(start), valid_to=_iso(end))
    w.start("lineage")
    for number, (kind, day, decision, note, edges) in enumerate(world.events, start=1):
        for pred, succ in edges:
            w.row(
                event=f"E{number}",
                kind=kind,
                date=_iso(day),
                decision=decision,
                note=note,
                predecessor=pred,
                successor=succ,
            )


def _write_people(w, world, rng) -> bytearray:
    w.start("people")
    for code, family, middle, given, birth, gender, cid in world.people:
        w.row(
            code=code,
            family_name=family,
            middle_name=middle,
            given_name=given,
            birth_date=_iso(birth),
            gender=gender,
            citizen_id=cid,
        )
    w.start("employments")
    for i, jobs in enumerate(world.jobs):
        for unit, start, end, position in jobs:
            w.row(
                person=world.people[i][0],
                unit=unit,
                position=position,
                start=_iso(start),
                end=_iso(end),
            )
    # Level per person-year (0: not employed that year), kept for the awards.
    levels = bytearray(len(world.people) * len(YEARS))
    w.start("person_ratings")
    for i, person in enumerate(world.people):
        for y, year in enumerate(YEARS):
            if world.job_in(i, year) is None:
                continue
            level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
            levels[i * len(YEARS) + y] = LEVELS.index(level) + 1
            scored = year == LAST_YEAR
            w.row(
                person=person[0],
                year=year,
                level=level,
                score=rng.randint(*BANDS[level]) if scored else None,
                regime="ND335/2025" if scored else ("ND90/2020" if year >= 2020 else "ND56/2015"),
            )
    return levels


def _write_records(w, world, rng, levels) -> None:
    w.start("unit_ratings")
    for code in world.units:
        if not world.rated(code):
            continue
        for year in YEARS:
            if world.existed(code, year):
                w.row(unit=code, year=year, level=rng.choices(LEVELS, LEVEL_WEIGHTS)[0])
    w.start("disciplines")
    for i, person in enumerate(world.people):
        if rng.random() >= 0.02:
            continue
        unit, start, end, _position = world.jobs[i][-1]
        first = max(start, datetime.date(FIRST_YEAR, 1, 1))
        last = min(end or datetime.date(LAST_YEAR, 12, 31), datetime.date(LAST_YEAR, 12, 31))
        if first >= last:
            continue
        day = _day(rng, first, last)
        w.row(
            person=person[0],
            measure=_pick(rng, MEASURES),
            duty_related=rng.random() < 0.8,
            decision_number=f"{i % 997 + 1}/QĐ-KL",
            decision_date=_iso(day),
            effective_from=_iso(day),
            effective_to=_iso(day + datetime.timedelta(days=365)),
            reason="Vi phạm quy định về giờ giấc làm việc",
        )
    w.start("pending_reviews")
    for person in world.people:
        if rng.random() < 0.001:
            started = _day(rng, datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))
            w.row(person=person[0], kind="complaint", started_on=_iso(started))
    for code in world.level2_after[:10]:
        w.row(unit=code, kind="inspection", started_on="2025-09-01", note="Thanh tra công vụ")
    _write_initiatives(w, world, rng)
    _write_awards(w, world, rng, levels)
    w.start("absences")
    for i, person in enumerate(world.people):
        r = rng.random()
        if r >= 0.02:
            continue
        kind = "maternity" if person[5] == "F" and r < 0.015 else "long_absence"
        year = rng.choice(YEARS)
        if world.job_in(i, year) is None:
            continue
        start = _day(rng, datetime.date(year, 1, 1), datetime.date(year, 7, 1))
        months = 6 if kind == "maternity" else 4
        w.row(
            person=person[0],
            kind=kind,
            start=_iso(start),
            end=_iso(start + datetime.timedelta(days=30 * months)),
        )


def _write_initiatives(w, world, rng) -> None:
    w.start("initiatives")
    count = len(world.people) // 16
    for k in range(count):
        author = rng.randrange(len(world.people))
        year = rng.choice(YEARS)
        authors = [author] + [rng.randrange(len(world.people)) for _ in range(rng.randrange(3))]
        codes = list(dict.fromkeys(world.people[a][0] for a in authors))
        kind = "research" if rng.random() < 0.15 else "initiative"
        w.row(
            code=f"SK{year}-{k + 1:05d}",
            kind=kind,
            title=f"Giải pháp nâng cao hiệu quả công tác số {k + 1}",
            scope=_pick(rng, [("co_so", 90), ("bo_tinh", 9), ("toan_quoc", 1)]),
            decision_number=f"{k % 500 + 1}/QĐ-HĐSK",
            recognised_on=_iso(_day(rng, datetime.date(year, 6, 1), datetime.date(year, 12, 31))),
            applied=rng.random() < 0.8,
            replicable=rng.random() < 0.3,
            authors=codes,
        )


def _award(w, rng, recipient, code, year, authority, *, person=True, seq=0):
    annulled = rng.random() < 0.0005
    w.row(
        person=recipient if person else None,
        unit=None if person else recipient,
        award_code=code,
        commendation_type="cong_trang",
        period_start=f"{year}-01-01",
        period_end=f"{year}-12-31",
        decision_number=f"{seq}/QĐ-UBND",
        decision_date=f"{year + 1}-01-15",
        authority=authority,
        signer="Chủ tịch UBND",
        status="annulled" if annulled else "valid",
        annulled_reason="Phát hiện vi phạm sau khi khen thưởng" if annulled else None,
        amount={"LDTT": 1_170_000, "CSTDCS": 2_340_000}.get(code),
    )


def _write_awards(w, world, rng, levels) -> None:
    w.start("awards")
    n_years = len(YEARS)
    unit_index = {code: i + 1 for i, code in enumerate(world.units)}
    for i, person in enumerate(world.people):
        for y, year in enumerate(YEARS):
            level = levels[i * n_years + y]
            if level not in (1, 2):  # HTXS or HTT
                continue
            if rng.random() >= 0.2:
                continue
            authority = world.authority(world.job_in(i, year)[0], datetime.date(year + 1, 1, 15))
            seq = (year % 100) * 1000 + unit_index[authority]
            _award(w, rng, person[0], "LDTT", year, authority, seq=seq)
            if level == 1 and rng.random() < 0.3:
                _award(w, rng, person[0], "CSTDCS", year, authority, seq=seq + 500_000)
            if level == 1 and rng.random() < 0.02:
                province = world.province_of(authority)
                _award(w, rng, person[0], "BK_TINH", year, province, seq=year * 10 + 1)
    for code, unit in world.units.items():
        if not world.rated(code):
            continue
        province = world.province_of(code)
        for year in YEARS:
            if not world.existed(code, year):
                continue
            r = rng.random()
            if unit[0] in ("village", "division") and r < 0.4:
                _award(w, rng, code, "TTLDTT", year, province, person=False, seq=year * 10 + 2)
            elif unit[0] in ("commune", "department") and r < 0.08:
                _award(w, rng, code, "TTLDXS", year, province, person=False, seq=year * 10 + 3)
            elif unit[0] in ("commune", "department") and r < 0.1:
                _award(w, rng, code, "CO_TD_TINH", year, province, person=False, seq=year * 10 + 4)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    counts = generate(args.path, people=args.people, units=args.units, seed=args.seed)
    print(json.dumps(counts), f"total {sum(counts.values())}")


if __name__ == "__main__":
    main()

"""A synthetic country in the dataset format, deterministic for a given seed: the shape of
Vietnam's administrative map before and after the reform of 1 July 2025, with people and
ten years of records (2016–2025) as in `benchmarks.synthetic`.

    python -m benchmarks.national OUT.json [--people 1000000] [--scale 1.0] [--seed 2025]

Before the reform: 63 provinces, 696 districts, 10,035 communes (the counts of the official
catalog of 30/06/2025). On 1 July 2025: the districts are dissolved; 52 provinces merge
into 23 new ones (two or three each) and 11 continue unchanged, 34 in all; the communes of
each new province merge, three or so at a time, into 3,321 new communes directly beneath
it. Every commune's staff on that day transfer to its successor (an employment ends, the
next begins). `--scale` shrinks every count (at least one unit of each kind) for the
test suite's small country.

The names and codes are synthetic (the official catalog's codes are reused by successors,
which the dataset's unique codes cannot say); the counts and the shape are the real ones.
Nothing here needs Django.
"""

import argparse
import json

from benchmarks import synthetic
from benchmarks.synthetic import MERGE_DAY, PLACE, Province

OLD_PROVINCES, OLD_DISTRICTS, OLD_COMMUNES = 63, 696, 10_035
NEW_PROVINCES, NEW_COMMUNES = 34, 3_321
UNCHANGED = 11  # provinces the reform left as they were
DECISION = "Nghị quyết 1674/NQ-UBTVQH15"
PROVINCE_DECISION = "Nghị quyết 202/2025/QH15"


def counts(scale: float) -> dict[str, int]:
    """The counts of each level at `scale` (1.0: the country)."""
    old_provinces = max(3, round(OLD_PROVINCES * scale))
    new_provinces = max(2, round(NEW_PROVINCES * scale))
    unchanged = max(1, min(round(UNCHANGED * scale), new_provinces - 1))
    # every merged new province takes at least two old ones
    old_provinces = max(old_provinces, unchanged + 2 * (new_provinces - unchanged))
    return {
        "old_provinces": old_provinces,
        "districts": max(old_provinces, round(OLD_DISTRICTS * scale)),
        "old_communes": max(3 * old_provinces, round(OLD_COMMUNES * scale)),
        "new_provinces": new_provinces,
        "unchanged": unchanged,
        "new_communes": max(new_provinces, round(NEW_COMMUNES * scale)),
    }


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class Country(Province):
    """The world of `benchmarks.synthetic` on a national map (see the module's text)."""

    def __init__(self, people: int, scale: float, seed: int):
        self.scale = scale
        super().__init__(people, 0, seed)

    def _units(self, _total: int) -> None:
        n = counts(self.scale)
        self.units, self.events = {}, []
        self.merged_into = {}
        self.top: dict[str, str] = {}  # unit code → its province (as last standing)
        old = [f"P{i + 1:02d}" for i in range(n["old_provinces"])]
        for i, code in enumerate(old):
            self._add(code, "province", f"Tỉnh {PLACE[i % 20]} {PLACE[(i // 20 + i) % 20]}", None)
            self.top[code] = code
        districts: list[str] = []
        for i, size in enumerate(_spread(n["districts"], len(old))):
            for k in range(size):
                code = f"{old[i]}-H{k + 1:02d}"
                self._add(code, "district", f"Huyện {PLACE[k % 20]} {k // 20 + 1}", old[i])
                self.top[code] = old[i]
                districts.append(code)
        communes: dict[str, list[str]] = {p: [] for p in old}  # old province → communes
        for i, size in enumerate(_spread(n["old_communes"], len(districts))):
            district = districts[i]
            for k in range(size):
                code = f"{district}-X{k + 1:02d}"
                self._add(code, "commune", f"Xã {PLACE[k % 20]} {k + 1}", district)
                province = self.top[district]
                self.top[code] = province
                communes[province].append(code)
        self.workplaces = [c for p in old for c in communes[p]]
        for code in districts:
            self._end(code)
        self.events.append(
            ("dissolve", MERGE_DAY, DECISION, "", [(code, None) for code in districts])
        )
        self._reform(n, old, communes)
        self.level2 = self.workplaces
        self.children = {}

    def _end(self, code: str) -> None:
        unit = self.units[code]
        unit[3] = MERGE_DAY
        unit[4][-1][3] = MERGE_DAY

    def _reform(self, n: dict, old: list[str], communes: dict[str, list[str]]) -> None:
        """New provinces from one (unchanged) or several old ones; new communes from the
        old communes of each new province, a few at a time."""
        merged = n["new_provinces"] - n["unchanged"]
        groups = [[p] for p in old[: n["unchanged"]]]
        sizes = _spread(len(old) - n["unchanged"], merged)
        at = n["unchanged"]
        for size in sizes:
            groups.append(old[at : at + size])
            at += size
        total_old = sum(len(c) for c in communes.values())
        shares = [sum(len(communes[p]) for p in g) for g in groups]
        targets = [max(1, round(n["new_communes"] * s / total_old)) for s in shares]
        targets[-1] += n["new_communes"] - sum(targets)
        self.after: list[str] = []
        for g, (group, target) in enumerate(zip(groups, targets, strict=True)):
            if len(group) == 1:
                province = group[0]  # continues: the same unit
            else:
                province = f"T{g + 1:02d}"
                self._add(province, "province", f"Tỉnh {group[0]}–{group[-1]}", None, MERGE_DAY)
                self.top[province] = province
                for p in group:
                    self._end(p)
                self.events.append(
                    ("merge", MERGE_DAY, PROVINCE_DECISION, "", [(p, province) for p in group])
                )
            pool = [c for p in group for c in communes[p]]
            bounds = _spread(len(pool), min(target, len(pool)))
            start = 0
            for k, size in enumerate(bounds):
                code = f"{province}-M{k + 1:03d}"
                preds = pool[start : start + size]
                start += size
                self._add(code, "commune", f"Phường {PLACE[k % 20]} {k + 1}", province, MERGE_DAY)
                self.top[code] = province
                self.after.append(code)
                for c in preds:
                    self._end(c)
                    self.merged_into[c] = code
                self.events.append(("merge", MERGE_DAY, DECISION, "", [(c, code) for c in preds]))
        self.level2_after = self.after

    def province_of(self, code: str) -> str:
        return self.top[code]

    def rated(self, code: str) -> bool:
        return True


def generate(path, *, people: int = 1_000_000, scale: float = 1.0, seed: int = 2025) -> dict:
    """Write the country's dataset to `path`; returns rows per section."""
    return synthetic.write(path, Country(people, scale, seed), seed)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    found = generate(args.path, people=args.people, scale=args.scale, seed=args.seed)
    print(json.dumps(found), f"total {sum(found.values())}")


if __name__ == "__main__":
    main()

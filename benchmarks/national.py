"""A synthetic country in the dataset format, deterministic for a given seed: the real
administrative map of the official catalog (`thidua/org/catalog/data/`) before and after the
reform of 1 July 2025, with synthetic people and ten years of records (2016–2025) as in
`benchmarks.synthetic`.

    python -m benchmarks.national OUT.json [--people 1000000] [--scale 1.0] [--seed 2025]

Before the reform: the 63 provinces, 696 districts and 10,035 communes of the catalog of
30/06/2025; on 1 July 2025 they end and the 34 provinces and 3,321 communes of 01/07/2025
begin, joined by the catalog's reform rows (one lineage event of kind `act` per resolution,
an edge per old → new row; the districts no row names are dissolved). Codes follow
`thidua catalog load` (ADR 0009): `VN-<official code>` before, `VN-<official code>-2025`
after, and every unit carries its official code in the `official_codes` section. Each
commune's staff on that day transfer to its first successor (an employment ends, the next
begins). `--scale` below 1 keeps max(2, 34 × scale) new provinces, those with the fewest
communes, with their predecessors, for the test suite's small country.

Nothing here needs Django.
"""

import argparse
import csv
import json
from pathlib import Path

from benchmarks import synthetic
from benchmarks.synthetic import FOUNDED, MERGE_DAY, Province

CATALOG = Path(__file__).resolve().parent.parent / "thidua" / "org" / "catalog" / "data"
BASE_FILE, AFTER_FILE = "units-2025-06-30.csv", "units-2025-07-01.csv"
REFORM_FILES = ("reform-2025-07-01.csv", "reform-2025-07-01-districts.csv")
NEW_PROVINCES = 34
DECISION = "Luật Tổ chức chính quyền địa phương 72/2025/QH15"  # districts end


class Country(Province):
    """The world of `benchmarks.synthetic` on the real catalog (see the module's text)."""

    def __init__(self, people: int, scale: float, seed: int, data: Path = CATALOG):
        self.scale, self.data = scale, data
        super().__init__(people, 0, seed)

    def _units(self, _total: int) -> None:
        before, after = _read(self.data / BASE_FILE), _read(self.data / AFTER_FILE)
        reform = [r for name in REFORM_FILES for r in _read(self.data / name)]
        kept_old, kept_new = _chosen(before, after, reform, self.scale)
        self.units, self.events, self.official_codes = {}, [], []
        self.merged_into, self.top = {}, {}
        parent_of = {r["code"]: r["parent_code"] for r in before}
        for r in before:
            if r["code"] not in kept_old:
                continue
            code, parent = f"VN-{r['code']}", r["parent_code"]
            self._add(code, r["level"], r["name"], f"VN-{parent}" if parent else None)
            self._end(code)
            self.official_codes.append((code, r["code"], FOUNDED, MERGE_DAY))
            province = r["code"]
            while parent_of[province]:
                province = parent_of[province]
            self.top[code] = f"VN-{province}"
        for r in after:
            if r["code"] not in kept_new:
                continue
            code, parent = f"VN-{r['code']}-2025", r["parent_code"]
            self._add(code, r["level"], r["name"], f"VN-{parent}-2025" if parent else None)
            self.units[code][2] = self.units[code][4][0][2] = MERGE_DAY
            self.official_codes.append((code, r["code"], MERGE_DAY, None))
            self.top[code] = f"VN-{parent or r['code']}-2025"
        acts: dict[str, list] = {}
        for r in reform:
            if r["old_code"] in kept_old and r["new_code"] in kept_new:
                old, new = f"VN-{r['old_code']}", f"VN-{r['new_code']}-2025"
                acts.setdefault(r["act"], []).append((old, new))
                if r["level"] != "province":  # a commune's staff follow its first successor
                    self.merged_into.setdefault(old, new)
        for act, edges in acts.items():
            self.events.append(("act", MERGE_DAY, f"Nghị quyết {act}", "", edges))
        moved = {old for edges in acts.values() for old, _new in edges}
        dissolved = [
            f"VN-{r['code']}"
            for r in before
            if r["code"] in kept_old and r["level"] == "district" and f"VN-{r['code']}" not in moved
        ]
        self.events.append(("dissolve", MERGE_DAY, DECISION, "", [(d, None) for d in dissolved]))
        levels = {code: unit[0] for code, unit in self.units.items()}
        self.workplaces = [c for c in self.units if levels[c] == "commune" and c[-5:] != "-2025"]
        self.level2 = self.workplaces
        self.level2_after = [c for c in self.units if levels[c] == "commune" and c[-5:] == "-2025"]
        self.after = self.level2_after
        self.children = {}

    def _end(self, code: str) -> None:
        unit = self.units[code]
        unit[3] = MERGE_DAY
        unit[4][-1][3] = MERGE_DAY

    def province_of(self, code: str) -> str:
        return self.top[code]

    def rated(self, code: str) -> bool:
        return True


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _chosen(before, after, reform, scale: float) -> tuple[set, set]:
    """The official codes of the units kept at `scale`: all of them at 1.0, else the
    max(2, 34 × scale) new provinces with the fewest communes before the reform, with their
    predecessors and every unit beneath them (before and after)."""
    if scale >= 1:
        return {r["code"] for r in before}, {r["code"] for r in after}
    provinces = [r for r in reform if r["level"] == "province"]
    parent = {r["code"]: r["parent_code"] for r in before}
    size: dict[str, int] = {}
    for r in before:
        if r["level"] == "commune":
            top = r["code"]
            while parent[top]:
                top = parent[top]
            size[top] = size.get(top, 0) + 1
    weight: dict[str, int] = {}
    for r in provinces:
        weight[r["new_code"]] = weight.get(r["new_code"], 0) + size.get(r["old_code"], 0)
    wanted = max(2, round(NEW_PROVINCES * scale))
    new_provinces = set(sorted(weight, key=lambda code: (weight[code], code))[:wanted])
    old_provinces = {r["old_code"] for r in provinces if r["new_code"] in new_provinces}
    return _beneath(before, old_provinces), _beneath(after, new_provinces)


def _beneath(rows, tops: set) -> set:
    parent = {r["code"]: r["parent_code"] for r in rows}
    kept = set()
    for r in rows:
        top = r["code"]
        while parent.get(top):
            top = parent[top]
        if top in tops:
            kept.add(r["code"])
    return kept


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

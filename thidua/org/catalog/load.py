"""`thidua catalog load`: the chosen provinces as of 30/06/2025, with their history up to
today (the reform of 01/07/2025 applied to them through `thidua.org.acts`), set-based.

Internal codes (ADR 0009): a unit of the 30/06/2025 catalog is `VN-<official code>`; a
unit the reform creates is `VN-<official code>-2025`, even when it carries a predecessor's
official code. The catalog knows units from 30/06/2025: their first version starts then.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from thidua.audit.services import log
from thidua.org.acts import ActResult, ActRow, NewUnit, run_acts
from thidua.org.acts_checks import _chunks
from thidua.org.choices import UnitKind
from thidua.org.models import Unit, UnitOfficialCode, UnitVersion
from thidua.org.reorganize.reading import CHUNK, ReorganizeError

DATA = Path(__file__).parent / "data"
CATALOG_DAY = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
BASE_FILE = "units-2025-06-30.csv"
AFTER_FILE = "units-2025-07-01.csv"
REFORM_FILES = ("reform-2025-07-01.csv", "reform-2025-07-01-districts.csv")
LEVELS = {
    "province": UnitKind.PROVINCE,
    "district": UnitKind.DISTRICT,
    "commune": UnitKind.COMMUNE,
}


class CatalogError(Exception):
    pass


@dataclass
class CatalogResult:
    provinces: list[str]
    counts: dict[datetime.date, dict[str, int]] = field(default_factory=dict)
    acts: ActResult | None = None


def base_code(official: str) -> str:
    return f"VN-{official}"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def select(rows: list[dict], provinces: list[str] | None) -> list[dict]:
    """The rows of the chosen provinces and everything beneath them (all: None)."""
    if provinces is None:
        return rows
    known = {r["code"] for r in rows if r["level"] == "province"}
    unknown = sorted(set(provinces) - known)
    if unknown:
        raise CatalogError(
            _("Unknown province codes: %(codes)s (the catalog has %(count)s provinces).")
            % {"codes": ", ".join(unknown), "count": len(known)}
        )
    chosen = set(provinces)
    children = defaultdict(list)
    for row in rows:
        children[row["parent_code"]].append(row["code"])
    stack = list(chosen)
    while stack:
        for child in children[stack.pop()]:
            if child not in chosen:
                chosen.add(child)
                stack.append(child)
    return [r for r in rows if r["code"] in chosen]


@transaction.atomic
def load_catalog(provinces: list[str] | None, *, actor, data=DATA) -> CatalogResult:
    """Load the chosen provinces (None: the whole country) and apply the reform to them,
    in one transaction: a problem leaves the database as it was."""
    rows = select(_read(data / BASE_FILE), provinces)
    codes = [r["code"] for r in rows]
    held = any(
        UnitOfficialCode.objects.on(CATALOG_DAY).filter(code__in=chunk).exists()
        or Unit.objects.filter(code__in=[base_code(c) for c in chunk]).exists()
        for chunk in _chunks(codes)
    )
    if held:
        raise CatalogError(_("These provinces are already loaded (or carry the same codes)."))
    units = {}
    for row in rows:
        unit = Unit(code=base_code(row["code"]), kind=LEVELS[row["level"]], name=row["name"])
        unit.fill_derived()
        units[row["code"]] = unit
    Unit.objects.bulk_create(units.values(), batch_size=CHUNK)
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=units[r["code"]],
                name=r["name"],
                parent=units.get(r["parent_code"]),
                valid_from=CATALOG_DAY,
            )
            for r in rows
        ],
        batch_size=CHUNK,
    )
    UnitOfficialCode.objects.bulk_create(
        [UnitOfficialCode(unit=u, code=c, valid_from=CATALOG_DAY) for c, u in units.items()],
        batch_size=CHUNK,
    )
    after = {
        r["code"]: NewUnit(r["name"], LEVELS[r["level"]], r["parent_code"])
        for r in _read(data / AFTER_FILE)
    }
    act_rows = []
    for name in REFORM_FILES:
        if not (data / name).exists():
            continue
        for line, row in enumerate(_read(data / name), start=2):
            if row["old_code"] in units:
                act_rows.append(
                    ActRow(
                        line,
                        row["act"],
                        datetime.date.fromisoformat(row["act_date"]),
                        row["old_code"],
                        row["new_code"],
                    )
                )
    result = CatalogResult(sorted(provinces) if provinces else [])
    result.acts = run_acts(act_rows, new_units=after, actor=actor)
    if result.acts.problems:
        raise ReorganizeError(result.acts.problems)
    result.counts = {day: counts_on(day) for day in (CATALOG_DAY, REFORM_DAY)}
    log(
        "org.catalog.load",
        next(iter(units.values())),
        actor=actor,
        after={
            "provinces": result.provinces or "all",
            "units": len(units),
            "reform_rows": len(act_rows),
            "counts": {d.isoformat(): c for d, c in result.counts.items()},
        },
    )
    return result


def counts_on(day: datetime.date) -> dict[str, int]:
    """Units by kind (province, district, commune) standing on `day` (one query)."""
    found = dict(
        UnitVersion.objects.on(day)
        .filter(unit__kind__in=list(LEVELS.values()))
        .values_list("unit__kind")
        .annotate(n=Count("id"))
    )
    return {level: found.get(kind, 0) for level, kind in LEVELS.items()}

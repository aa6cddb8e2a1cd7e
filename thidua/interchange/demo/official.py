"""The demo world's administrative units carry their real official codes (mã ĐVHC),
found by name in the official catalog (`thidua/org/catalog/data/`): the provinces, the
districts of Hà Nam and their communes as they stood on 30/06/2025, and the new Ninh Bình
wards from 01/07/2025. The demo's short internal codes (`KB`, `KB-QUE`) stay as they are.

A demo commune whose name the catalog no longer knows on 30/06/2025 (merged away before
it, such as Nhật Tân and Nhật Tựu into Tân Tựu) gets no code: the demo's history is
older than the catalog."""

import datetime

from thidua.org.catalog.load import AFTER_FILE, BASE_FILE, CATALOG_DAY, DATA, REFORM_DAY, _read
from thidua.org.choices import UnitKind
from thidua.org.models import UnitOfficialCode, UnitVersion
from thidua.vietnamese import fold

KINDS = ("tỉnh", "thành phố", "thị xã", "thị trấn", "huyện", "quận", "xã", "phường", "đặc khu")
LEVELS = {UnitKind.PROVINCE: "province", UnitKind.DISTRICT: "district", UnitKind.COMMUNE: "commune"}


def bare(name: str) -> str:
    """A unit's name without its kind: "Thị trấn Quế" and "Phường Quế" are both "que"."""
    folded = fold(name)
    for kind in sorted((fold(k) for k in KINDS), key=len, reverse=True):
        if folded.startswith(kind + " "):
            return folded[len(kind) + 1 :]
    return folded


def attach_official_codes() -> int:
    """Give the demo's provinces, districts and communes their official codes; returns
    how many units got one."""
    codes = []
    for day, file in ((CATALOG_DAY, BASE_FILE), (REFORM_DAY, AFTER_FILE)):
        catalog = {
            (r["level"], r["parent_code"], bare(r["name"])): r["code"] for r in _read(DATA / file)
        }
        on_day = (
            UnitVersion.objects.on(day)
            .filter(unit__kind__in=list(LEVELS))
            .select_related("unit")
            .order_by("unit__kind")
        )
        versions = {v.unit_id: v for v in on_day}
        held: dict[int, str] = {}
        # Parents before children: provinces have no parent, then districts, communes.
        for level in ("province", "district", "commune"):
            for v in versions.values():
                if LEVELS[v.unit.kind] != level:
                    continue
                parent = held.get(v.parent_id, "") if v.parent_id else ""
                if v.parent_id and not parent:
                    continue
                code = catalog.get((level, parent, bare(v.name)))
                if code is None:
                    continue
                held[v.unit_id] = code
                if day == REFORM_DAY and v.unit.established_on != REFORM_DAY:
                    continue  # a unit of both days keeps the code found on the eve
                start = v.unit.established_on or datetime.date(1945, 9, 2)
                codes.append(
                    UnitOfficialCode(
                        unit=v.unit, code=code, valid_from=start, valid_to=v.unit.dissolved_on
                    )
                )
    UnitOfficialCode.objects.bulk_create(codes)
    return len(codes)


__all__ = ["attach_official_codes", "bare"]

"""The pieces the demo world is built from (units, people, jobs) and small helpers for
dates, names and draws."""

import datetime
from dataclasses import dataclass, field

from thidua.interchange.demo.constants import HT, HTT, HTXS, KHT


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

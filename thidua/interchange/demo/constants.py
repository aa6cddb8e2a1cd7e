"""The demo world's fixed facts: its years, seed, the units and people its story
needs by name, and the demo logins."""

import datetime
from dataclasses import dataclass

from thidua.accounts.choices import Role
from thidua.interchange import demo_data as data
from thidua.records.choices import RATING_RANK, DisciplineMeasure, RatingLevel

SEED = 2020
FIRST_YEAR, LAST_YEAR = 2015, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
HISTORY_START = datetime.date(1997, 1, 1)
REORG_MARCH = datetime.date(2025, 3, 1)
REORG = datetime.date(2025, 7, 1)
HALF_YEAR_DAYS = 183  # fewer than six months worked in a year: not rated (docs/legal/ratings.md)
READINGS = ("broad", "narrow", "roster")
QUOTA_FROM = 2023  # the HTXS quota of Decree 48/2023

HTXS, HTT, HT, KHT = (
    x.value for x in (RatingLevel.HTXS, RatingLevel.HTT, RatingLevel.HT, RatingLevel.KHT)
)
RANK = RATING_RANK  # level code → rank, higher is better
KHIEN_TRACH, CANH_CAO = DisciplineMeasure.KHIEN_TRACH.value, DisciplineMeasure.CANH_CAO.value

# Which districts led the provincial block of districts and city each year (and so hold
# the provincial emulation flag); Kim Bảng "kept first place" in 2020.
FLAG_HOLDERS = {
    2015: "DT",
    2016: "PL",
    2017: "TL",
    2018: "LN",
    2019: "KB",
    2020: "KB",
    2021: "DT",
    2022: "KB",
    2023: "PL",
    2024: "KB",
}
KB_RATINGS = {
    2015: HTT,
    2016: HTT,
    2017: HTXS,
    2018: HTT,
    2019: HTXS,
    2020: HTXS,
    2021: HTT,
    2022: HTXS,
    2023: HTT,
    2024: HTXS,
}
# Units that did especially well in 2019–2020 (rated HTXS both years; the 2020 TTLĐXS and
# collective certificates of merit of the seed come from among them).
STAR_UNITS = ("KB-QUE", "KB-LEHO", "KB-PNV", "KB-THCS-QUE", "KB-TH-BASAO", "KB-MN-QUE")
STAR_YEARS = (2019, 2020)

# What units of a kind look like: their transfer pool, their positions (the head first).
COMMUNE = {"positions": data.COMMUNE_POSITIONS, "staff_position": data.COMMUNE_STAFF}
KB_COMMUNE = {**COMMUNE, "pool": "kb_civil"}
WARD = {
    "pool": "kb_civil",
    "positions": ["Chủ tịch UBND", "Phó Chủ tịch UBND"],
    "staff_position": data.WARD_STAFF,
}
SCHOOL = {
    "pool": "kb_school",
    "positions": data.SCHOOL_POSITIONS,
    "staff_position": data.SCHOOL_STAFF,
}
DEPARTMENT = {
    "pool": "hna",
    "positions": data.DEPARTMENT_POSITIONS,
    "staff_position": data.DEPARTMENT_STAFF,
}

HERO_DECISION = {
    "unit": "KB",
    "award_code": "AHLD",
    "commendation_type": "cong_trang",
    "period_start": "1986-01-01",
    "period_end": "2020-12-31",
    "decision_number": "2015/QĐ-CTN",
    "decision_date": "2020-11-13",
    "authority": "CTN",
    "signer": "Chủ tịch nước",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str
    superuser: bool = False


DEMO_PASSWORD = "thidua2020"
DEMO_LOGINS = (
    DemoLogin("admin", Role.ADMIN.value, "NBI", superuser=True),
    DemoLogin("canbo", Role.OFFICER.value, "KB"),
    DemoLogin("lanhdao", Role.LEADER.value, "KB"),
    DemoLogin("hoidong", Role.COUNCIL.value, "KB"),
    DemoLogin("xem", Role.VIEWER.value, "KB-QUE"),
)

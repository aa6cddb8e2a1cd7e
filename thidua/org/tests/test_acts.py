"""Reorganisation by legal acts (`thidua.org.acts`): one act, many predecessors and many
successors, reused official codes, staff that follow, bad input refused with its row, and
the database's refusal of overlapping periods."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org.acts import ActRow, NewUnit, Placement, overlapping_versions, run_acts
from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import (
    Employment,
    LineageEdge,
    LineageEvent,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.selectors import unit_by_official_code
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UnitFactory

DAY = datetime.date(2025, 7, 1)
EVE = datetime.date(2025, 6, 30)
EPOCH = datetime.date(2000, 1, 1)


def official(unit, code):
    UnitOfficialCode.objects.create(unit=unit, code=code, valid_from=EPOCH)
    return unit


@pytest.fixture
def world(tree):
    """Hà Nam (35) with Kim Bảng (350) and its communes Thanh Sơn 13438, Nhật Tân 13999
    (made up) and Quế 13384; Thanh Liêm (351) with one commune 14000."""
    official(tree["province"], "35")
    official(tree["district"], "350")
    official(tree["commune"], "13438")
    official(tree["commune2"], "13999")
    official(tree["other"], "351")
    que = official(UnitFactory(code="KB-QU", name="Phường Quế", parent=tree["district"]), "13384")
    tl = official(UnitFactory(code="TL-X", name="Xã Thanh Hà", parent=tree["other"]), "14000")
    nb = official(UnitFactory(code="NB", kind=UnitKind.PROVINCE, name="Tỉnh Ninh Bình"), "37")
    return {**tree, "que": que, "tl": tl, "nb": nb}


def rows(*pairs, act="1674/NQ-UBTVQH15", day=DAY, **extra):
    return [
        ActRow(line, act, day, old, new, **extra) for line, (old, new) in enumerate(pairs, start=2)
    ]


NEW = {
    "37": NewUnit("Tỉnh Ninh Bình", UnitKind.PROVINCE),
    "13384": NewUnit("Phường Kim Bảng", UnitKind.COMMUNE, "37"),
    "13438": NewUnit("Phường Tam Chúc", UnitKind.COMMUNE, "37"),
    "14000": NewUnit("Xã Thanh Hà", UnitKind.COMMUNE, "37"),
}


def reform(world, **options):
    """Provinces 35 and 37 into a new Ninh Bình 37 (act 202), and the communes by the
    province's resolution: Quế + half of Thanh Sơn → Kim Bảng (13384, Quế's code), the
    other half of Thanh Sơn + Nhật Tân → Tam Chúc (13438, Thanh Sơn's code), Thanh Hà
    unchanged (14000 → 14000)."""
    acts = rows(("35", "37"), ("37", "37"), act="202/2025/QH15") + rows(
        ("13384", "13384"), ("13438", "13384"), ("13438", "13438"), ("13999", "13438")
    )
    acts += rows(("14000", "14000"), act="1675/NQ-UBTVQH15")
    for line, row in enumerate(acts, start=2):
        row.line = line
    return run_acts(acts, new_units=NEW, actor=SYSTEM, **options)


def test_one_act_many_predecessors_many_successors_with_reused_codes(world):
    result = reform(world)
    assert result.ok, result.problems
    kim_bang = unit_by_official_code("13384", DAY)
    assert unit_by_official_code("13438", DAY).code == "VN-13438-2025"
    province = unit_by_official_code("37", DAY)
    # A reused code is a new unit: the old Quế still carries 13384 on the eve.
    assert unit_by_official_code("13384", EVE) == world["que"]
    assert kim_bang.code == "VN-13384-2025" and kim_bang.name == "Phường Kim Bảng"
    assert province.code == "VN-37-2025" and world["nb"].pk != province.pk
    # Thanh Sơn is split between the two new wards; both absorbed whole communes too.
    event = LineageEvent.objects.get(decision="1674/NQ-UBTVQH15")
    assert event.kind == LineageKind.ACT
    edges = set(event.edges.values_list("predecessor__code", "successor__code"))
    assert edges == {
        ("KB-QU", "VN-13384-2025"),
        ("KB-TL", "VN-13384-2025"),
        ("KB-TL", "VN-13438-2025"),
        ("KB-NK", "VN-13438-2025"),
    }
    # The unchanged commune continues (same unit), moved beneath the new province.
    assert unit_by_official_code("14000", DAY) == world["tl"]
    assert UnitVersion.objects.on(DAY).get(unit=world["tl"]).parent == province
    # Districts whose communes all left end, their successor recorded: the new province.
    for district in ("KB", "TL"):
        unit = Unit.objects.get(code=district)
        assert unit.dissolved_on == DAY
        assert not UnitVersion.objects.on(DAY).filter(unit=unit).exists()
        assert LineageEdge.objects.filter(predecessor=unit, successor=province).exists()
    assert Unit.objects.get(code="KB-TL").dissolved_on == DAY
    assert not UnitOfficialCode.objects.on(DAY).filter(unit__code="KB-TL").exists()
    assert AuditEntry.objects.filter(action="org.act.apply").count() == 3
    assert overlapping_versions() == []
    assert result.by_province["Tỉnh Ninh Bình"]["commune:new"] == 2


def test_several_acts_on_one_day_may_name_the_same_successor(world):
    acts = rows(("13384", "13384"), act="A") + rows(("13999", "13384"), act="B")
    acts[1].line = 3
    new = {"13384": NewUnit("Phường Kim Bảng", UnitKind.COMMUNE, "KB")}
    result = run_acts(acts, new_units=new, actor=SYSTEM)
    assert result.ok, result.problems
    successor = Unit.objects.get(code="VN-13384-2025")
    assert set(
        LineageEdge.objects.filter(successor=successor).values_list("event__decision", flat=True)
    ) == {"A", "B"}


def test_staff_follow_a_merge_and_a_split_by_rule_or_placement(world):
    merged = EmploymentFactory(unit=world["que"], start=EPOCH)
    split_marked = EmploymentFactory(unit=world["commune2"], start=EPOCH)
    placed = EmploymentFactory(unit=world["commune"], start=EPOCH)
    unplaced = EmploymentFactory(unit=world["commune"], start=EPOCH)
    ended = EmploymentFactory(unit=world["que"], start=EPOCH, end=datetime.date(2024, 1, 1))
    result = reform(world, placements=[Placement(2, placed.person.code, "13438")])
    assert result.ok, result.problems
    tam_chuc = Unit.objects.get(code="VN-13438-2025")
    kim_bang = Unit.objects.get(code="VN-13384-2025")
    assert Employment.objects.get(person=merged.person, end__isnull=True).unit == kim_bang
    assert Employment.objects.get(person=split_marked.person, end__isnull=True).unit == tam_chuc
    assert Employment.objects.get(person=placed.person, end__isnull=True).unit == tam_chuc
    # Thanh Sơn is split with no rule for this person: listed, left where they were.
    assert Employment.objects.get(person=unplaced.person).end is None
    assert [unplaced.person.code in line for line in result.unplaced] == [True]
    assert Employment.objects.filter(person=ended.person).count() == 1
    assert result.moved_staff == 3
    entry = AuditEntry.objects.get(action="org.act.staff")
    assert [merged.person.code, "KB-QU", "VN-13384-2025"] in entry.after["moved"]


def test_a_split_rule_in_the_file_sends_the_staff(world):
    job = EmploymentFactory(unit=world["commune"], start=EPOCH)
    acts = rows(("13438", "13501"), ("13438", "13502"))
    acts[0].staff = True
    new = {c: NewUnit(f"Xã Mới {c}", UnitKind.COMMUNE, "KB") for c in ("13501", "13502")}
    result = run_acts(acts, new_units=new, actor=SYSTEM)
    assert result.ok, result.problems
    current = Employment.objects.get(person=job.person, end__isnull=True)
    assert current.unit.code == "VN-13501-2025" and current.start == DAY


def test_a_code_held_by_a_unit_the_act_does_not_name_absorbs(world):
    result = run_acts(rows(("13999", "13384")), actor=SYSTEM)
    assert result.ok, result.problems
    assert unit_by_official_code("13384", DAY) == world["que"]
    assert LineageEdge.objects.filter(predecessor=world["commune2"], successor=world["que"])


def unchanged():
    return [
        m.objects.count()
        for m in (Unit, UnitVersion, UnitOfficialCode, LineageEvent, Employment, AuditEntry)
    ]


@pytest.mark.parametrize(
    "make, line, column, words",
    [
        (lambda w: rows(("13438", "13384"), ("99999", "13384")), 3, "old_code", "99999"),
        (
            lambda w: rows(("13438", "13438"), ("13438", "")),
            3,
            "new_code",
            "both dissolved",
        ),
        (lambda w: rows(("KB-TL", "KB-NK"), ("KB-NK", "KB-TL")), 3, "new_code", "cycle"),
        (
            lambda w: rows(("KB-TL", "13384"), day=datetime.date(1999, 1, 1)),
            2,
            "act_date",
            "before unit",
        ),
    ],
    ids=["unknown code", "dissolved and continued", "cycle", "before the unit exists"],
)
def test_bad_input_is_refused_with_its_row_and_nothing_is_applied(
    world, english, make, line, column, words
):
    before = unchanged()
    acts = make(world)
    new = {"13384": NewUnit("Phường Kim Bảng", UnitKind.COMMUNE, "KB")}
    result = run_acts(acts, new_units=new, actor=SYSTEM)
    assert not result.ok and not result.applied
    assert (result.problems[0].line, result.problems[0].column) == (line, column)
    assert words in result.problems[0].message
    assert unchanged() == before


def test_a_person_placed_in_two_successors_is_refused(world, english):
    job = EmploymentFactory(unit=world["commune"], start=EPOCH)
    code = job.person.code
    before = unchanged()
    result = reform(world, placements=[Placement(2, code, "13438"), Placement(3, code, "13384")])
    assert [(p.line, p.column) for p in result.problems] == [(3, "new_code")]
    assert "already placed" in result.problems[0].message
    assert unchanged() == before


def test_messages_are_in_vietnamese(world):
    result = run_acts(rows(("99999", "13384")), actor=SYSTEM)
    assert str(result.problems[0]) == "dòng 2, cột old_code: Mã đơn vị 99999 không tồn tại."


def test_a_dry_run_writes_nothing_but_reports_the_summary(world):
    before = unchanged()
    result = reform(world, dry_run=True)
    assert result.ok and not result.applied
    assert result.by_province["Tỉnh Ninh Bình"]["commune:new"] == 2
    assert unchanged() == before


def test_the_database_refuses_two_overlapping_versions_of_one_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitVersion.objects.create(
            unit=world["commune"], name="Trùng", valid_from=datetime.date(2020, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitOfficialCode.objects.create(unit=world["tl"], code="13438", valid_from=EPOCH)
    assert overlapping_versions() == []


def test_applying_acts_costs_the_same_queries_for_more_rows(world, django_assert_max_num_queries):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=world["que"], start=EPOCH)
    with django_assert_max_num_queries(60):
        result = reform(world)
    assert result.ok


TABLE = """act,act_date,level,old_code,new_code,new_name,new_parent,staff
202/2025/QH15,01/07/2025,province,35,37,Tỉnh Ninh Bình,,
202/2025/QH15,01/07/2025,province,37,37,,,
1674/NQ-UBTVQH15,01/07/2025,commune,13384,13384,Phường Kim Bảng,37,
1674/NQ-UBTVQH15,01/07/2025,commune,13438,13384,,,x
1674/NQ-UBTVQH15,01/07/2025,commune,13438,13438,Phường Tam Chúc,37,
1674/NQ-UBTVQH15,01/07/2025,commune,13999,13438,,,
1675/NQ-UBTVQH15,01/07/2025,commune,14000,14000,,37,
"""


def test_reorganize_accepts_the_official_table_and_prints_a_summary_per_province(
    world, tmp_path, english
):
    job = EmploymentFactory(unit=world["commune"], start=EPOCH)
    path = tmp_path / "reform.csv"
    path.write_text(TABLE, encoding="utf-8")
    out = io.StringIO()
    before = unchanged()
    call_command("reorganize", str(path), "--dry-run", stdout=out)
    assert unchanged() == before
    text = out.getvalue()
    assert "Tỉnh Ninh Bình: 3 communes from 4 (2 new, 1 continued, 0 absorbing)" in text
    assert "2 districts ended" in text and "Dry run: 3 units would be created" in text
    call_command("reorganize", str(path), stdout=io.StringIO())
    moved = Employment.objects.get(person=job.person, end__isnull=True)
    assert moved.unit.code == "VN-13384-2025"  # the row marked `staff`


def test_reorganize_refuses_a_bad_table_with_the_row(world, tmp_path, english):
    path = tmp_path / "reform.csv"
    path.write_text(TABLE.replace("13999,13438", "99999,13438"), encoding="utf-8")
    err = io.StringIO()
    before = unchanged()
    with pytest.raises(CommandError):
        call_command("reorganize", str(path), stderr=err, stdout=io.StringIO())
    assert "line 7, column old_code: Unknown unit code 99999." in err.getvalue()
    assert unchanged() == before


def test_only_an_administrator_applies_acts(world, users):
    before = unchanged()
    with pytest.raises(PermissionDenied):
        run_acts(rows(("13999", "13384")), actor=users["officer"])
    assert unchanged() == before

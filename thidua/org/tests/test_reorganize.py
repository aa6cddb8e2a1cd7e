"""`thidua reorganize FILE [--dry-run]`: a mapping file applied whole or not at all,
every problem reported with its line and column, a plan printed before anything is
written."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services
from thidua.org.choices import LineageKind, UnitKind
from thidua.org.models import Employment, LineageEdge, LineageEvent, Unit, UnitVersion
from thidua.org.reorganize import (
    ReorganizeError,
    Row,
    apply_plan,
    plan_reorganization,
    read_mapping,
    reorganize,
)
from thidua.org.tests.factories import EmploymentFactory, UnitFactory

HEADER = ["old_code", "new_code", "date", "kind", "new_name", "new_parent", "decision"]
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language, whatever the catalog holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def kb(tree):
    """The test tree with a third commune in Kim Bảng."""
    tree["commune3"] = UnitFactory(code="KB-QU", name="Thị trấn Quế", parent=tree["district"])
    return tree


def write_csv(tmp_path, rows, header=HEADER, delimiter=",", name="map.csv"):
    path = tmp_path / name
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts():
    return [
        m.objects.count()
        for m in (Unit, UnitVersion, LineageEvent, LineageEdge, Employment, AuditEntry)
    ]


def located(problems):
    return {(p.line, p.column) for p in problems}


MERGE_ROWS = [
    ["KB-TL", "KB-M", "01/07/2025", "merge", "Xã Kim Bảng", "HN", "1674/NQ-UBTVQH15"],
    ["KB-NK", "KB-M", "01/07/2025", "merge", "", "", "1674/NQ-UBTVQH15"],
    ["KB-QU", "KB-M", "01/07/2025", "merge", "", "", ""],
]


def test_three_communes_merge_into_a_new_commune(kb, tmp_path):
    plan = reorganize(write_csv(tmp_path, MERGE_ROWS), actor=SYSTEM)

    assert plan.ok and plan.applied
    new = Unit.objects.get(code="KB-M")
    assert (new.name, new.kind, new.established_on) == ("Xã Kim Bảng", UnitKind.COMMUNE, REFORM)
    assert new.versions.get().parent == kb["province"]
    for code in ("KB-TL", "KB-NK", "KB-QU"):
        old = Unit.objects.get(code=code)
        assert old.dissolved_on == REFORM
        assert old.versions.get().valid_to == REFORM  # closed, not deleted
    event = LineageEvent.objects.get(kind=LineageKind.MERGE)
    assert event.decision == "1674/NQ-UBTVQH15"
    assert sorted(event.edges.values_list("predecessor__code", "successor__code")) == [
        ("KB-NK", "KB-M"),
        ("KB-QU", "KB-M"),
        ("KB-TL", "KB-M"),
    ]
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["org.unit.create"] + ["org.unit.dissolve"] * 3 + ["org.unit.merge"]


def test_dry_run_prints_the_plan_and_writes_nothing(kb, tmp_path):
    path = write_csv(tmp_path, MERGE_ROWS)
    before = counts()
    out = io.StringIO()

    call_command("reorganize", str(path), "--dry-run", stdout=out)

    text = out.getvalue()
    assert "would create KB-M (Xã Kim Bảng) under HN (Tỉnh Hà Nam) on 01/07/2025" in text
    assert (
        "would merge KB-TL (Xã Thanh Sơn), KB-NK (Xã Nhật Tân), KB-QU (Thị trấn Quế) "
        "into KB-M (Xã Kim Bảng) on 01/07/2025 (decision 1674/NQ-UBTVQH15)"
    ) in text
    assert "nothing was written" in text
    assert counts() == before


def test_the_command_applies_and_says_so(kb, tmp_path):
    out = io.StringIO()

    call_command("reorganize", str(write_csv(tmp_path, MERGE_ROWS)), stdout=out)

    assert "merged KB-TL (Xã Thanh Sơn)" in out.getvalue()
    assert "2 changes applied" in out.getvalue()
    request_ids = set(AuditEntry.objects.values_list("request_id", flat=True))
    assert len(request_ids) == 1 and request_ids.pop().startswith("reorganize-")


def test_an_xlsx_with_date_cells_renames_moves_and_dissolves(kb, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["KB-TL", "KB-TL", datetime.date(2020, 1, 1), "rename", "Xã Thanh Sơn Mới"])
    sheet.append(["KB-NK", None, datetime.datetime(2025, 7, 1), "reparent", None, "HN"])
    sheet.append(["KB-QU", None, "01/07/2025", "dissolve"])
    path = tmp_path / "map.xlsx"
    workbook.save(path)

    plan = reorganize(path, actor=SYSTEM)

    assert plan.ok, plan.problems
    assert UnitVersion.objects.on(datetime.date(2020, 1, 1)).get(unit=kb["commune"]).name == (
        "Xã Thanh Sơn Mới"
    )
    assert UnitVersion.objects.on(REFORM).get(unit=kb["commune2"]).parent == kb["province"]
    assert Unit.objects.get(code="KB-QU").dissolved_on == REFORM


def test_a_rename_and_a_move_of_one_unit_on_one_day_make_one_new_version(kb, tmp_path):
    rows = [
        ["KB-TL", "", "01/07/2025", "rename", "Phường Thanh Sơn", "", ""],
        ["KB-TL", "", "01/07/2025", "reparent", "", "HN", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert plan.ok, plan.problems
    latest = kb["commune"].versions.get(valid_from=REFORM)
    assert (latest.name, latest.parent) == ("Phường Thanh Sơn", kb["province"])
    assert kb["commune"].versions.count() == 2
    assert "would" not in plan.steps[0].describe(applied=True)
    assert "rename KB-TL (Xã Thanh Sơn) to “Phường Thanh Sơn” and move it" in (
        plan.steps[0].describe()
    )


def test_a_split_creates_the_new_units_beneath_the_old_parent(kb, tmp_path):
    rows = [
        ["KB-TL", "KB-TL-A", "01/07/2025", "split", "Xã Thanh Sơn A", "", "9/NQ"],
        ["KB-TL", "KB-TL-B", "01/07/2025", "split", "Xã Thanh Sơn B", "", "9/NQ"],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert plan.ok, plan.problems
    for code in ("KB-TL-A", "KB-TL-B"):
        assert UnitVersion.objects.get(unit__code=code).parent == kb["district"]
    event = LineageEvent.objects.get(kind=LineageKind.SPLIT)
    assert sorted(event.edges.values_list("successor__code", flat=True)) == ["KB-TL-A", "KB-TL-B"]
    assert Unit.objects.get(code="KB-TL").dissolved_on == REFORM


def test_rows_are_applied_in_date_order_across_years(kb, tmp_path):
    rows = [
        ["KB-NK", "KB-TL", "01/07/2025", "merge", "", "", ""],
        ["KB-TL", "KB-TL", "01/07/2025", "merge", "", "", ""],
        ["KB-TL", "", "2020-01-01", "rename", "Xã Thanh Sơn Mới", "", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert plan.ok, plan.problems
    assert [s.day.year for s in plan.steps] == [2020, 2025]
    assert Unit.objects.get(code="KB-TL").dissolved_on is None
    assert Unit.objects.get(code="KB-NK").dissolved_on == REFORM


def test_every_problem_is_reported_with_line_and_column_and_nothing_is_written(kb, tmp_path):
    rows = [
        ["XX", "KB-M", "01/07/2025", "merge", "Xã Mới", "HN", ""],  # 2 unknown code
        ["KB-TL", "KB-M", "31/02/2025", "merge", "", "", ""],  # 3 bad date
        ["KB-TL", "", "01/07/2025", "join", "", "", ""],  # 4 bad kind
        ["KB-NK", "TL", "01/07/2025", "merge", "Xã Khác", "", ""],  # 5 TL means another unit
        ["KB-QU", "KB-Q2", "01/07/2025", "merge", "Xã Quế", "KB", ""],  # 6
        ["KB-TL", "KB-Q2", "01/07/2025", "merge", "Xã Quế Khác", "", ""],  # 7 conflicts with 6
        ["KB-NK", "", "01/01/1999", "rename", "Xã Cũ", "", ""],  # 8 did not exist then
        ["KB-QU", "KB-X", "01/08/2025", "dissolve", "", "", ""],  # 9 new_code on a dissolve
        ["KB-TL", "", "01/09/2025", "rename", "", "", ""],  # 10 rename without a name
    ]
    before = counts()

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert not plan.applied
    assert located(plan.problems) >= {
        (2, "old_code"),
        (3, "date"),
        (4, "kind"),
        (5, "new_name"),
        (7, "new_name"),
        (8, "old_code"),
        (9, "new_code"),
        (10, "new_name"),
    }
    messages = "\n".join(map(str, plan.problems))
    assert "line 2, column old_code: Unknown unit code XX." in messages
    assert "line 3, column date: “31/02/2025” is not a date" in messages
    assert "Unit TL already exists with new_name “Huyện Thanh Liêm”" in messages
    assert "conflicts with “Xã Quế” on line 6" in messages
    assert "Unit KB-NK does not exist on 01/01/1999 (it exists from 01/01/2000)" in messages
    assert counts() == before


def test_a_unit_cannot_end_twice_or_be_renamed_as_it_ends(kb, tmp_path):
    rows = [
        ["KB-TL", "KB-M", "01/07/2025", "merge", "Xã Mới", "", ""],
        ["KB-NK", "KB-M", "01/07/2025", "merge", "", "", ""],
        ["KB-TL", "", "01/07/2025", "dissolve", "", "", ""],
        ["KB-NK", "", "01/07/2025", "rename", "Tên khác", "", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert {(4, "old_code"), (5, "old_code")} <= located(plan.problems)
    assert not Unit.objects.filter(code="KB-M").exists()


def test_a_new_code_of_a_dissolved_unit_is_not_reused(kb, tmp_path):
    services.dissolve_unit(kb["commune3"], datetime.date(2024, 1, 1), actor=SYSTEM)
    rows = [["KB-TL", "KB-QU", "01/07/2025", "merge", "", "", ""]]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert "codes are never reused" in str(plan.problems[0])
    assert located(plan.problems) == {(2, "new_code")}


def test_a_merge_of_units_under_different_parents_needs_a_new_parent(kb, tmp_path):
    rows = [
        ["KB-TL", "M", "01/07/2025", "merge", "Xã Mới", "", ""],
        ["TL", "M", "01/07/2025", "merge", "", "", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert {(2, "new_kind"), (2, "new_parent")} & located(plan.problems)
    assert "give the" in str(plan.problems[0])


def test_a_change_before_an_existing_later_one_is_refused(kb, tmp_path):
    services.rename_unit(kb["commune"], "Phường Thanh Sơn", REFORM, actor=SYSTEM)
    rows = [["KB-TL", "", "01/01/2020", "rename", "Xã Thanh Sơn 2", "", ""]]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    assert located(plan.problems) == {(2, "old_code")}
    assert "has changes from 01/07/2025, after 01/01/2020" in str(plan.problems[0])


def test_a_unit_is_not_moved_beneath_itself_or_beneath_a_unit_that_ends(kb, tmp_path):
    rows = [
        ["KB", "", "01/07/2025", "reparent", "", "KB-TL", ""],
        ["KB-NK", "", "01/07/2025", "reparent", "", "TL", ""],
        ["TL", "", "01/07/2025", "dissolve", "", "", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), actor=SYSTEM)

    text = "\n".join(map(str, plan.problems))
    assert "line 2, column new_parent: KB would lie beneath itself" in text
    assert "line 3, column new_parent: KB-NK would be placed beneath TL, which ceases" in text


def test_the_plan_warns_when_a_dissolved_unit_keeps_children_or_staff(kb, tmp_path):
    EmploymentFactory(unit=kb["district"], start=datetime.date(2010, 1, 1))
    rows = [
        ["KB", "", "01/07/2025", "dissolve", "", "", ""],
        ["KB-TL", "", "01/07/2025", "reparent", "", "HN", ""],
    ]

    plan = reorganize(write_csv(tmp_path, rows), dry_run=True, actor=SYSTEM)

    assert plan.ok
    warnings = "\n".join(map(str, plan.warnings))
    assert "KB ceases to exist on 01/07/2025 but 2 units are still beneath it" in warnings
    assert "KB-NK, KB-QU" in warnings and "KB-TL" not in warnings.split(":")[-1]
    assert "1 person is still employed in KB after 01/07/2025" in warnings


def test_no_warning_once_every_child_is_placed(kb, tmp_path):
    rows = [["KB", "", "01/07/2025", "dissolve", "", "", ""]] + [
        [code, "", "01/07/2025", "reparent", "", "HN", ""] for code in ("KB-TL", "KB-NK", "KB-QU")
    ]

    plan = reorganize(write_csv(tmp_path, rows), dry_run=True, actor=SYSTEM)

    assert plan.ok and plan.warnings == []


def test_an_officer_may_only_reorganise_within_their_scope(kb, users, tmp_path):
    rows, _problems = read_mapping(write_csv(tmp_path, MERGE_ROWS))

    outsider = plan_reorganization(rows, actor=users["other_unit"])
    officer = plan_reorganization(rows, actor=users["officer"])

    assert "You may not change unit KB-TL." in {p.message for p in outsider.problems}
    # The district officer may merge the communes, but not create beneath the province.
    assert located(officer.problems) == {(2, "new_parent")}
    rows[0].new_parent = "KB"
    assert plan_reorganization(rows, actor=users["officer"]).ok


def test_a_failure_while_applying_writes_nothing(kb, tmp_path):
    rows, _problems = read_mapping(write_csv(tmp_path, MERGE_ROWS))
    plan = plan_reorganization(rows, actor=SYSTEM)
    services.rename_unit(kb["commune3"], "Thị trấn Quế Mới", REFORM, actor=SYSTEM)  # meanwhile
    before = counts()

    with pytest.raises(ReorganizeError) as failed:
        apply_plan(plan, actor=SYSTEM)

    assert "line 2" in str(failed.value) and "KB-QU already changed" in str(failed.value)
    assert counts() == before
    assert not Unit.objects.filter(code="KB-M").exists()


def test_the_command_lists_the_problems_and_exits_non_zero(kb, tmp_path):
    path = write_csv(tmp_path, [["XX", "", "01/07/2025", "dissolve", "", "", ""]])
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem; nothing was written"):
        call_command("reorganize", str(path), stderr=err)

    assert "line 2, column old_code: Unknown unit code XX." in err.getvalue()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["old_code", "new_code", "kind"], {(1, "date")}),
        ([*HEADER, "new_parnet"], {(1, "new_parnet")}),
    ],
)
def test_a_bad_header_is_reported(db, tmp_path, header, expected):
    rows, problems = read_mapping(write_csv(tmp_path, [], header=header))
    assert rows == [] and located(problems) == expected


def test_semicolons_a_bom_and_blank_lines_are_accepted(kb, tmp_path):
    path = tmp_path / "map.csv"
    path.write_text(
        "\ufeffOld_Code;New_Code;Date;Kind;New_Name\n\nKB-TL;;01/07/2025;rename;Xã Mới\n",
        encoding="utf-8",
    )

    rows, problems = read_mapping(path)

    assert problems == []
    assert [(r.line, r.old_code, r.date, r.new_name) for r in rows] == [
        (3, "KB-TL", REFORM, "Xã Mới")
    ]


def test_an_unreadable_or_empty_file_is_reported(db, tmp_path):
    (tmp_path / "map.txt").write_text("x")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "bad.xlsx").write_text("not a workbook")

    for name, expected in [
        ("map.txt", "expected a .csv or .xlsx file"),
        ("empty.csv", "no header row"),
        ("bad.xlsx", "Cannot read bad.xlsx"),
    ]:
        rows, problems = read_mapping(tmp_path / name)
        assert rows == [] and expected in str(problems[0])


def _many_merges(n):
    """n pairs of communes (made in bulk) and the rows merging each pair into a new code."""
    parent = Unit.objects.get(code="KB")
    units = [
        Unit(
            code=f"C{i:04d}",
            kind=UnitKind.COMMUNE,
            name=f"Xã {i}",
            established_on=datetime.date(2000, 1, 1),
        )
        for i in range(2 * n)
    ]
    for unit in units:
        unit.fill_derived()
    Unit.objects.bulk_create(units)
    UnitVersion.objects.bulk_create(
        UnitVersion(unit=u, name=u.name, parent=parent, valid_from=u.established_on) for u in units
    )
    return [
        Row(
            line=i + 2,
            old_code=f"C{i:04d}",
            new_code=f"M{i // 2:04d}",
            date=REFORM,
            kind="merge",
            new_name=f"Xã mới {i // 2}",
        )
        for i in range(2 * n)
    ]


@pytest.mark.parametrize("groups", [5, 50])
def test_checking_a_plan_takes_the_same_number_of_queries_for_5_or_50_merges(
    tree, django_assert_max_num_queries, groups
):
    rows = _many_merges(groups)

    with django_assert_max_num_queries(12):
        plan = plan_reorganization(rows, actor=SYSTEM)

    assert plan.ok and len(plan.steps) == 2 * groups

"""Forms 0601, 0603, 0604 and 0605.N: each line counted from the records it reads (the
movements, the ministry/province awards, the emulation units of the tree and the people
employed in them), the XLSX cells equal to the records, text kept as text, the page and
the command reach every form, and the page's queries do not grow with the records."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.emulation.choices import MovementKind
from thidua.emulation.tests.factories import make_block, make_movement
from thidua.jobs.tests.download import job_content
from thidua.org.choices import Gender, UnitKind
from thidua.org.models import Household
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    UnitFactory,
    user_with_role,
)
from thidua.records.choices import AwardStatus, CommendationType
from thidua.reports.statistics import build_statistics, to_xlsx
from thidua.reports.statistics.movements import duration

D = datetime.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    centre = UnitFactory(code="TW", kind=UnitKind.CENTRAL, name="Hội đồng TĐKT Trung ương")
    ministry = UnitFactory(code="BNV", kind=UnitKind.CENTRAL, name="Bộ Nội vụ", parent=centre)
    province = UnitFactory(code="HN", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    home = UnitFactory(
        code="SNV", kind=UnitKind.DEPARTMENT, name="Sở Nội vụ tỉnh Hà Nam", parent=province
    )
    board = UnitFactory(
        code="SNV-TDKT", kind=UnitKind.DIVISION, name="Ban Thi đua - Khen thưởng", parent=home
    )
    district = UnitFactory(
        code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province
    )
    firm = UnitFactory(
        code="KB-CTY", kind=UnitKind.ENTERPRISE, name="Công ty Xi măng", parent=district
    )
    other = UnitFactory(code="NB", kind=UnitKind.PROVINCE, name="Tỉnh Ninh Bình")
    return {
        "centre": centre,
        "ministry": ministry,
        "province": province,
        "home": home,
        "board": board,
        "district": district,
        "firm": firm,
        "other": other,
    }


def _counts(stats, number):
    return next(row for row in stats.rows if row.number == number).counts


# --------------------------------------------------------------------------- 0601.N


def test_0601_counts_movements_by_level_scope_duration_and_method(world):
    make_movement(world["province"], year=2025)  # province level, one year, regular
    thematic = make_movement(
        world["district"], year=2025, code="KB-CD", kind=MovementKind.THEMATIC,
        period_start=D(2025, 3, 1), period_end=D(2027, 2, 28), decision_date=D(2025, 2, 20),
        registration_deadline=None,
    )  # fmt: skip
    make_block(world["province"], [world["district"]], year=2025, movement=thematic)
    make_movement(world["province"], year=2024)  # launched in 2024: not counted
    make_movement(world["other"], year=2025, code="NB-2025")  # another province
    stats = build_statistics(SYSTEM, world["province"], *YEAR, form="0601")
    assert _counts(stats, "01") == {"total": 2, "central": 0, "ministry": 1, "agency": 1}
    assert _counts(stats, "03") == {"total": 1, "central": 0, "ministry": 1, "agency": 0}
    assert _counts(stats, "04")["total"] == 1  # the district's, run through a block
    assert _counts(stats, "05")["total"] == 0
    assert _counts(stats, "07")["total"] == 1  # one year
    assert _counts(stats, "08")["agency"] == 1  # two years
    assert (_counts(stats, "11")["total"], _counts(stats, "12")["total"]) == (1, 1)
    central = build_statistics(SYSTEM, world["centre"], *YEAR, form="0601")
    assert _counts(central, "01")["total"] == 0
    make_movement(world["centre"], year=2025, code="TW-2025")
    central = build_statistics(SYSTEM, world["centre"], *YEAR, form="0601")
    assert _counts(central, "02") == {"total": 1, "central": 1, "ministry": 0, "agency": 0}


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        (D(2025, 1, 1), D(2025, 6, 30), "under_1"),
        (D(2025, 1, 1), D(2025, 12, 31), "one"),
        (D(2024, 2, 29), D(2025, 2, 27), "one"),
        (D(2025, 1, 1), D(2026, 1, 1), "to_3"),
        (D(2025, 1, 1), D(2027, 12, 31), "to_5"),
        (D(2025, 1, 1), D(2029, 12, 31), "over_5"),
    ],
)
def test_0601_duration_classes(start, end, kind):
    assert duration(start, end) == kind


# --------------------------------------------------------------------------- 0603.N


def test_0603_counts_ministry_and_province_awards_by_recipient_and_method(world):
    chair = EmploymentFactory(unit=world["province"], position="Phó Chủ tịch UBND tỉnh").person
    head = EmploymentFactory(unit=world["district"], position="Chủ tịch UBND huyện").person
    worker = EmploymentFactory(unit=world["firm"], position="Công nhân").person
    director = EmploymentFactory(unit=world["firm"], position="Giám đốc").person
    outsider = EmploymentFactory(unit=world["other"]).person

    def award(code, **kwargs):
        kwargs.setdefault("decision_date", D(2025, 5, 5))
        kwargs.setdefault("person", None)
        return AwardFactory(award_code=code, authority=world["province"], **kwargs)

    award("BK_TINH", person=chair)
    award("BK_TINH", person=head, commendation_type=CommendationType.DOT_XUAT)
    award("BK_TINH", person=worker)
    award("CSTD_TINH", person=director)
    award("CO_TD_TINH", unit=world["firm"])
    award("KNC", unit=world["district"], commendation_type=CommendationType.CONG_HIEN)
    award("BK_TINH", person=worker, status=AwardStatus.ANNULLED)  # annulled
    award("BK_TINH", person=outsider)  # another province
    award("BK_TTG", person=chair)  # a state-level award: form 0602
    award("LDTT", person=worker)  # a grassroots title: on no form
    award("BK_TINH", person=worker, decision_date=D(2024, 12, 31))  # the year before
    commune = UnitFactory(code="KB-X", kind=UnitKind.COMMUNE, parent=world["district"])
    award("BK_TINH", household=Household.objects.create(code="HO-1", name="Hộ A", commune=commune))
    elsewhere = UnitFactory(code="NB-X", kind=UnitKind.COMMUNE, parent=world["other"])
    award(
        "BK_TINH", household=Household.objects.create(code="HO-2", name="Hộ B", commune=elsewhere)
    )

    stats = build_statistics(SYSTEM, world["province"], *YEAR, form="0603")
    assert _counts(stats, "01") == {
        "total": 7, "merit": 4, "soldier": 1, "flag": 1, "badge": 1,
    }  # fmt: skip
    assert _counts(stats, "02") == {"total": 2, "merit": 0, "soldier": 0, "flag": 1, "badge": 1}
    assert _counts(stats, "03")["flag"] == 1  # the enterprise
    assert _counts(stats, "04") == {"total": 1, "merit": 1, "soldier": 0, "flag": 0, "badge": 0}
    assert _counts(stats, "05")["total"] == 4
    assert _counts(stats, "06")["merit"] == 1  # the province's vice-chairman
    assert _counts(stats, "07")["merit"] == 1  # the district's chairman
    assert _counts(stats, "08")["soldier"] == 1  # the company's director
    assert _counts(stats, "10")["merit"] == 1  # the worker
    assert _counts(stats, "11")["total"] == 5
    assert _counts(stats, "13")["merit"] == 1
    assert _counts(stats, "15")["badge"] == 1

    sheet = load_workbook(io.BytesIO(to_xlsx(stats))).active
    assert sheet["A1"].value == "Biểu số 0603.N/BNV-TĐKT"
    assert [sheet.cell(8, c).value for c in range(1, 5)] == ["A", "B", "C", 1]
    assert (sheet["A9"].value, sheet["B9"].value, sheet["D9"].value) == ("Total", "01", 7)
    assert [sheet.cell(9, c).value for c in range(5, 9)] == [4, 1, 1, 1]
    assert (sheet["B11"].value, sheet["C11"].value, sheet["G11"].value) == ("02", "Collective", 1)


def test_0603_xlsx_keeps_text_as_text(world):
    world["province"].name = "=1+2"
    stats = build_statistics(SYSTEM, world["province"], *YEAR, form="0603")
    sheet = load_workbook(io.BytesIO(to_xlsx(stats))).active
    assert sheet["A4"].data_type == "s" and "=1+2" in sheet["A4"].value


# --------------------------------------------------------------------------- 0604/0605


def test_0604_and_0605_read_the_emulation_units_and_their_people(world):
    vu = UnitFactory(
        code="BNV-VU", kind=UnitKind.DIVISION, name="Vụ Thi đua - Khen thưởng",
        parent=world["ministry"],
    )  # fmt: skip
    UnitFactory(code="BNV-VU-P1", kind=UnitKind.DIVISION, name="Phòng Tổng hợp", parent=vu)
    UnitFactory(
        code="BNV-VU-P2", kind=UnitKind.DIVISION, name="Phòng Thi đua", parent=vu
    )  # under the department: line 03
    UnitFactory(code="SNV-P", kind=UnitKind.DIVISION, name="Phòng Tổ chức", parent=world["home"])
    young = PersonFactory(birth_date=D(1998, 6, 1), gender=Gender.FEMALE)
    EmploymentFactory(person=young, unit=world["board"], start=D(2023, 1, 1))
    senior = PersonFactory(birth_date=D(1963, 1, 1), gender=Gender.MALE)
    EmploymentFactory(person=senior, unit=world["board"], start=D(2005, 1, 1), end=D(2015, 1, 1))
    EmploymentFactory(person=senior, unit=world["board"], start=D(2015, 1, 1))
    left = PersonFactory()
    EmploymentFactory(person=left, unit=world["board"], start=D(2010, 1, 1), end=D(2025, 6, 1))

    organisations = build_statistics(SYSTEM, world["province"], *YEAR, form="0604")
    assert [(r.number, r.counts and r.counts["number"]) for r in organisations.rows] == [
        ("01", 1), ("", None), ("02", 0), ("03", 0), ("04", 1), ("05", 0),
    ]  # fmt: skip
    ministry = build_statistics(SYSTEM, world["ministry"], *YEAR, form="0604")
    assert [_counts(ministry, n)["number"] for n in ("01", "02", "03")] == [2, 1, 1]

    staff = build_statistics(SYSTEM, world["province"], *YEAR, form="0605")
    assert _counts(staff, "01") == {"total": 2, "women": 1}
    assert _counts(staff, "02") == {"total": 1, "women": 1}  # 27 years old
    assert _counts(staff, "07") == {"total": 1, "women": 0}  # 62 years old
    assert _counts(staff, "08") == {"total": None, "women": None}  # training: not recorded
    assert _counts(staff, "13") == {"total": 1, "women": 1}  # under 5 years
    assert _counts(staff, "15") == {"total": 1, "women": 0}  # since 2005
    sheet = load_workbook(io.BytesIO(to_xlsx(staff))).active
    assert (sheet["A9"].value, sheet["B9"].value, sheet["C9"].value, sheet["D9"].value) == (
        "Total", "01", 2, 1,
    )  # fmt: skip
    assert sheet["C17"].value is None  # a training line is left empty


# --------------------------------------------------------------------------- page, command


@pytest.mark.parametrize("form", ["0601", "0603", "0604", "0605"])
def test_the_page_and_the_command_reach_every_form(world, client, tmp_path, form):
    client.force_login(user_with_role(Role.OFFICER, world["province"]))
    page = client.get(reverse("reports:statistics"), {"bieu": form, "don_vi": "HN", "nam": 2025})
    assert f"Biểu số {form}.N/BNV-TĐKT" in page.content.decode()
    # The download is a background job (run at once in the suite) named after the form.
    content = job_content(
        client, reverse("reports:statistics_download") + f"?bieu={form}&don_vi=HN&nam=2025"
    )
    assert load_workbook(io.BytesIO(content)).active["A1"].value.startswith(f"Biểu số {form}")
    out = tmp_path / "bieu.xlsx"
    call_command(
        "report", "statistics", "--form", form, "--unit", "HN", "--year", "2025",
        "--out", str(out), stderr=io.StringIO(),
    )  # fmt: skip
    assert load_workbook(out).active["A1"].value == f"Biểu số {form}.N/BNV-TĐKT"


@pytest.mark.parametrize("form", ["0601", "0603", "0604", "0605"])
@pytest.mark.parametrize("size", [1, 25])
def test_the_page_costs_the_same_queries_for_more_records(
    world, client, form, size, django_assert_max_num_queries
):
    for n in range(size):
        commune = UnitFactory(code=f"KB-X{n}", parent=world["district"])
        person = EmploymentFactory(unit=commune, position="Phó Chủ tịch").person
        AwardFactory(person=person, award_code="BK_TINH", decision_date=D(2025, 3, 1))
        EmploymentFactory(unit=world["board"], person=PersonFactory())
        make_movement(commune, year=2025, code=f"X{n}")
    client.force_login(user_with_role(Role.OFFICER, world["province"]))
    with django_assert_max_num_queries(14):
        page = client.get(
            reverse("reports:statistics"), {"bieu": form, "don_vi": "HN", "nam": 2025}
        )
    assert page.status_code == 200 and page.context["stats"].form == form

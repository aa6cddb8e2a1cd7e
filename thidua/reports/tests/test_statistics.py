"""Form 0602.N (state-level commendations): the numbers come from the award records of the
unit's subtree in the period, annulled awards left out; a unit outside the user's scope is
refused; the XLSX keeps text as text; the page's query count does not grow with the tree."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from thidua.accounts.choices import Role
from thidua.accounts.system import SYSTEM
from thidua.jobs.tests.download import job_file
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    UnitFactory,
    user_with_role,
)
from thidua.records.choices import AwardStatus, CommendationType
from thidua.reports.statistics import build_statistics, to_xlsx

D = datetime.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    centre = UnitFactory(code="CP", kind=UnitKind.CENTRAL, name="Chính phủ")
    province = UnitFactory(code="HN", kind=UnitKind.PROVINCE, name="Tỉnh Hà Nam")
    district = UnitFactory(
        code="KB", kind=UnitKind.DISTRICT, name="Huyện Kim Bảng", parent=province
    )
    commune = UnitFactory(code="KB-X1", name="Xã Ba Sao", parent=district)
    other = UnitFactory(code="NB", kind=UnitKind.PROVINCE, name="Tỉnh Ninh Bình")
    an = EmploymentFactory(unit=commune, start=D(2010, 1, 1)).person
    moved = EmploymentFactory(unit=commune, start=D(2010, 1, 1), end=D(2024, 6, 1)).person
    EmploymentFactory(person=moved, unit=other, start=D(2024, 6, 1))
    outsider = EmploymentFactory(unit=other, start=D(2010, 1, 1)).person

    def award(code, *, person=None, unit=None, **kwargs):
        kwargs.setdefault("decision_date", D(2025, 4, 28))
        return AwardFactory(person=person, unit=unit, award_code=code, authority=centre, **kwargs)

    award("HCLD_3", person=an)  # counted: an order, an individual
    award("HCLD_3", unit=district)  # counted: an order, a collective
    award("CO_TD_CP", unit=commune)  # counted
    award("BK_TTG", unit=commune, commendation_type=CommendationType.CHUYEN_DE)  # counted
    award("BK_TTG", person=an, status=AwardStatus.ANNULLED)  # annulled: not counted
    award("BK_TTG", person=outsider)  # another province
    award("BK_TTG", person=moved)  # left the commune before the decision
    award("CSTD_TQ", person=an, decision_date=D(2024, 12, 30))  # before the period
    award("BK_TINH", person=an)  # a provincial award: not on this form
    return {"province": province, "district": district, "commune": commune, "other": other}


def _row(stats, label):
    return next(row for row in stats.rows if row.label == label).counts


def test_the_form_counts_the_subtrees_valid_state_awards_of_the_period(world):
    stats = build_statistics(SYSTEM, world["province"], *YEAR)
    total = _row(stats, "Total")
    assert total["total"] == 4
    assert (total["orders:collective"], total["orders:individual"]) == (1, 1)
    assert total["CO_TD_CP:collective"] == 1
    assert "CO_TD_CP:individual" not in total  # a flag goes to collectives only
    assert (total["BK_TTG:collective"], total["BK_TTG:individual"]) == (1, 0)
    assert total["CSTD_TQ:individual"] == 0
    assert (_row(stats, "Collectives")["total"], _row(stats, "Individuals")["total"]) == (3, 1)
    assert _row(stats, "Individuals")["orders:individual"] == 1
    assert _row(stats, "Regular")["total"] == 3
    thematic = _row(stats, "Thematic")
    assert (thematic["total"], thematic["BK_TTG:collective"]) == (1, 1)
    # The official layout: the forms are the columns, each split collective / individual.
    heads = [label for label, _first, _last in stats.groups]
    assert heads[:4] == [
        "Orders (Huân chương)",
        "Medals (Huy chương)",
        "State honour titles",
        "Ho Chi Minh Prize, State Prize",
    ]
    assert {"National Emulation Soldier", "Government Emulation Flag"} <= set(heads)
    # The commune alone: the district's order is not beneath it.
    assert _row(build_statistics(SYSTEM, world["commune"], *YEAR), "Total")["total"] == 3


def test_a_unit_outside_the_users_scope_is_refused(world, client):
    neighbour = user_with_role(Role.OFFICER, world["other"])
    with pytest.raises(PermissionDenied):
        build_statistics(neighbour, world["province"], *YEAR)
    client.force_login(neighbour)
    query = {"don_vi": "HN", "nam": 2025}
    page = client.get(reverse("reports:statistics"), query)
    assert page.status_code == 200
    assert "don_vi" in page.context["form"].errors
    assert page.context["stats"] is None
    download = reverse("reports:statistics_download") + "?don_vi=HN&nam=2025"
    assert client.post(download).status_code == 404


def test_the_page_preselects_the_home_unit_and_shows_the_figures(world, client):
    officer = user_with_role(Role.OFFICER, world["district"])
    client.force_login(officer)
    blank = client.get(reverse("reports:statistics"))
    assert blank.context["form"].fields["don_vi"].initial == "KB"
    page = client.get(reverse("reports:statistics"), {"don_vi": "KB", "nam": 2025})
    text = page.content.decode()
    assert "Biểu số 0602.N/BNV-TĐKT" in text
    # The page speaks Vietnamese: the forms as columns, each split collective / individual.
    assert "Cờ thi đua của Chính phủ" in text and "Tập thể" in text and "Cá nhân" in text
    assert '<th scope="colgroup" colspan="2">Huân chương</th>' in text
    assert page.context["rows"][0][1][0] == "4"
    assert "01/01/2025" in text and "31/12/2025" in text


def test_the_download_is_a_job_whose_file_only_its_owner_gets(world, client):
    officer = user_with_role(Role.OFFICER, world["district"])
    client.force_login(officer)
    page = client.get(reverse("reports:statistics"), {"don_vi": "KB", "nam": 2025})
    url = reverse("reports:statistics_download") + "?don_vi=KB&nam=2025"
    assert f'action="{url.replace("&", "&amp;")}"' in page.content.decode()  # the button
    job, response = job_file(client, url)
    assert job.user == officer and job.kind == "reports.statistics"
    assert "bieu-0602-KB-2025.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "Biểu số 0602.N/BNV-TĐKT"
    client.force_login(user_with_role(Role.OFFICER, world["district"]))
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404


def test_the_xlsx_follows_the_layout_and_keeps_text_as_text(world):
    world["province"].name = '=HYPERLINK("http://x","y")'
    stats = build_statistics(SYSTEM, world["province"], *YEAR)
    sheet = load_workbook(io.BytesIO(to_xlsx(stats))).active
    assert sheet["A1"].value == "Biểu số 0602.N/BNV-TĐKT"
    assert sheet["A4"].data_type == "s"
    assert (sheet["A9"].value, sheet["B9"].value, sheet["D9"].value) == ("Total", "01", 4)
    assert sheet.cell(6, 5).value == "Orders (Huân chương)"
    assert [sheet.cell(7, c).value for c in (5, 6)] == ["Collectives", "Individuals"]
    assert [sheet.cell(9, c).value for c in (5, 6)] == [1, 1]


def test_the_command_writes_the_form(world, tmp_path):
    out = tmp_path / "bieu.xlsx"
    call_command(
        "report",
        "statistics",
        "--form",
        "0602",
        "--unit",
        "HN",
        "--year",
        "2025",
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    sheet = load_workbook(out).active
    assert sheet["D9"].value == 4


@pytest.mark.parametrize("communes", [1, 30])
def test_the_page_costs_the_same_queries_for_a_bigger_tree(
    world, client, communes, django_assert_max_num_queries
):
    for n in range(communes):
        commune = UnitFactory(code=f"KB-Y{n}", parent=world["district"])
        person = EmploymentFactory(unit=commune, start=D(2010, 1, 1)).person
        AwardFactory(person=person, award_code="BK_TTG", decision_date=D(2025, 3, 1))
    officer = user_with_role(Role.OFFICER, world["province"])
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:statistics"), {"don_vi": "HN", "nam": 2025})
    assert page.context["rows"][0][1][0] == str(4 + communes)

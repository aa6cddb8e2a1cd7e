"""The dashboard and the downloads: who may see them, what they show, and a query count
that does not grow with the number of units, people, tasks and awards."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.jobs.tests.download import job_content, job_file
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonRatingFactory,
    UnitFactory,
    UnitRatingFactory,
)
from thidua.plans import services as plans
from thidua.plans.choices import Measure, ReferenceKind, Version
from thidua.records.choices import RatingLevel

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _add_communes(tree, start: int, count: int):
    """`count` more communes under the district, each rated, with a rated and awarded
    member, and a task from the district to them."""
    district = tree["district"]
    communes = []
    for n in range(start, start + count):
        commune = UnitFactory(code=f"KB-X{n:03d}", name=f"Xã Mới {n}", parent=district)
        UnitRatingFactory(unit=commune, year=2020, level=RatingLevel.HTT)
        job = EmploymentFactory(unit=commune, start=D(2015, 1, 1))
        PersonRatingFactory(person=job.person, year=2020, level=RatingLevel.HTXS)
        AwardFactory(person=job.person, authority=district, decision_number="9/QĐ-UBND")
        AwardFactory(
            person=None,
            unit=commune,
            award_code="TTLDTT",
            authority=district,
            decision_number="10/QĐ-UBND",
        )
        communes.append(commune)
    plans.assign_task(
        assigned_by=district,
        year=2020,
        title=f"Nhiệm vụ của huyện {start}",
        source_number=f"{start + 1}/KH-UBND",
        source_date=D(2020, 2, 1),
        source_issuer="UBND huyện Kim Bảng",
        deadline=D(2020, 3, 1),
        units=communes,
        actor=SYSTEM,
    )


@pytest.fixture
def world(tree):
    task = plans.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Báo cáo kết quả thực hiện nhiệm vụ thu ngân sách",
        source_number="01/CT-UBND",
        source_date=D(2020, 1, 6),
        source_issuer="UBND tỉnh Hà Nam",
        deadline=D(2020, 12, 10),
        units=[tree["district"], tree["other"]],
        actor=SYSTEM,
    )
    plans.complete_task(task.assignments.get(unit=tree["district"]), D(2020, 12, 1), actor=SYSTEM)
    revenue = plans.define_indicator(
        code="THU_NSNN", name="Tổng thu ngân sách", measure=Measure.BILLION_VND, actor=SYSTEM
    )
    for year, value in ((2019, 1102), (2020, 1386)):
        plans.record_actual(
            revenue,
            tree["district"],
            year,
            value,
            version=Version.FINAL,
            reported_on=D(year + 1, 3, 1),
            actor=SYSTEM,
        )
    plans.set_reference(
        revenue, tree["district"], 2020, ReferenceKind.PROVINCE_ESTIMATE, 590, actor=SYSTEM
    )
    plans.set_goal(
        tree["district"],
        2021,
        "Hoàn thành các tiêu chí đô thị loại IV",
        before_year=2023,
        actor=SYSTEM,
    )
    _add_communes(tree, 0, 5)
    return tree


def _url(code="KB", year=2020):
    return reverse("reports:dashboard", args=[code, year])


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("no_role", 404), ("other_unit", 404), ("viewer", 200), ("officer", 200)],
)
def test_the_dashboard_is_scoped(client, world, users, who, status):
    if who != "anonymous":
        client.force_login(users[who])
    assert client.get(_url()).status_code == status
    # The download button starts a job and goes to its page; a GET starts nothing.
    download = reverse("reports:download", args=["KB", 2020, "md"])
    assert client.post(download).status_code == (302 if status == 200 else status)
    assert client.get(download).status_code == (405 if who != "anonymous" else 302)


def test_the_dashboard_shows_the_computed_figures_and_charts(client, world, users):
    client.force_login(users["viewer"])
    page = client.get(_url()).content.decode()
    assert "1/1" in page  # tasks from the province completed
    with translation.override("vi"):
        estimate = translation.gettext("Estimate assigned by the level above")
    assert f"{estimate} 590: 235%" in page
    assert "+26%" in page
    assert page.count('<svg role="img"') == 4
    with translation.override("vi"):
        before_2023 = translation.gettext("before %(year)s") % {"year": 2023}
    assert "Hoàn thành các tiêu chí đô thị loại IV" in page and before_2023 in page


def test_the_downloads_carry_the_report(client, world, users):
    """Each download is a background job: its page shows it done and offers the file, to
    the user who asked only."""
    client.force_login(users["viewer"])
    job, md = job_file(client, reverse("reports:download", args=["KB", 2020, "md"]))
    assert job.user == users["viewer"] and job.done == job.total == 2
    assert 'filename="bao-cao-tong-ket-KB-2020.md"' in md["Content-Disposition"]
    assert "235% dự toán tỉnh giao" in b"".join(md.streaming_content).decode()
    docx = job_content(client, reverse("reports:download", args=["KB", 2020, "docx"]))
    assert docx[:2] == b"PK"
    client.force_login(users["officer"])
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404
    client.force_login(users["viewer"])
    assert client.post(reverse("reports:download", args=["KB", 2020, "pdf"])).status_code == 404
    assert client.get(_url(year=1800)).status_code == 404


def test_the_picker_redirects_to_a_unit_in_scope_only(client, world, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("reports:index"), {"don_vi": "KB", "nam": 2020})
    assert response.status_code == 302 and response["Location"] == _url()
    response = client.get(reverse("reports:index"), {"don_vi": "TL", "nam": 2020})
    assert response.status_code == 200  # not a choice: the form says so
    assert "TL" not in [c for c, _n in response.context["form"].fields["don_vi"].choices]


def test_the_query_count_does_not_grow_with_the_district(client, world, users):
    client.force_login(users["viewer"])
    client.get(_url())  # warm the session and the catalog
    with CaptureQueriesContext(connection) as five:
        assert client.get(_url()).status_code == 200
    _add_communes(world, 5, 45)
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(_url()).content.decode()
    with translation.override("vi"):
        directly_under = translation.gettext("Units directly under it")
    assert f"{directly_under} (52)" in page  # the two of the fixture and fifty
    assert len(fifty.captured_queries) == len(five.captured_queries) <= 40


def test_a_lower_is_better_indicator_reads_the_same_everywhere(client, world, users):
    """The poverty rate fell from 2,10 % to 1,60 % against a ceiling of 1,80 %: met. The
    sentence says "đạt", and the Markdown table, the JSON and the dashboard show 113 %
    (1,80 ÷ 1,60: 100 % or more is met) and a fall of 0,5 points, not 89 % and -24 %."""
    poverty = plans.define_indicator(
        code="HO_NGHEO",
        name="Tỷ lệ hộ nghèo",
        measure=Measure.PERCENT,
        direction="lower",
        aggregation="none",
        decimals=2,
        actor=SYSTEM,
    )
    district = world["district"]
    for year, value in ((2019, "2.10"), (2020, "1.60")):
        plans.record_actual(
            poverty,
            district,
            year,
            value,
            version=Version.FINAL,
            reported_on=D(year + 1, 3, 1),
            actor=SYSTEM,
        )
    plans.set_reference(poverty, district, 2020, ReferenceKind.COUNCIL_TARGET, "1.80", actor=SYSTEM)
    client.force_login(users["viewer"])
    md = job_content(client, reverse("reports:download", args=["KB", 2020, "md"])).decode()
    line = next(x for x in md.splitlines() if x.startswith("- Tỷ lệ hộ nghèo"))
    assert "giảm 0,50 điểm phần trăm" in line
    assert "đạt chỉ tiêu Nghị quyết HĐND (không quá 1,80%)" in line
    row = next(x for x in md.splitlines() if x.startswith("| Tỷ lệ hộ nghèo"))
    assert "| -0,50 điểm |" in row and "1,80 (113%)" in row
    data = json.loads(job_content(client, reverse("reports:download", args=["KB", 2020, "json"])))
    (line,) = [i for i in data["indicators"] if i["code"] == "HO_NGHEO"]
    assert line["target_kind"] == "at_most" and line["better"] is True
    assert line["references"][0]["achievement"] == 112.5 and line["references"][0]["met"]
    client.cookies["django_language"] = "en"
    page = client.get(_url()).content.decode()
    assert "-0.50 points" in page
    assert "Council resolution target 1.80: 113%" in page

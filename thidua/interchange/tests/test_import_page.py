"""Spreadsheet import in the browser: the prefilled template, upload → preview → confirm, the
scope of an officer's import, and the permission matrix. Nothing is written by a preview or
by a refused file."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import EmploymentFactory, PersonFactory
from thidua.records.models import PersonRating, UnitRating

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.THIDUA_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def english(client, settings):
    """Pages in English (the language cookie), to match message text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff(tree):
    return {
        "an": EmploymentFactory(
            person=PersonFactory(code="KB-1", family_name="Lê", given_name="An"),
            unit=tree["commune"],
        ).person,
        "binh": EmploymentFactory(
            person=PersonFactory(code="KB-2", given_name="Bình"), unit=tree["commune2"]
        ).person,
        "cuong": EmploymentFactory(
            person=PersonFactory(code="TL-1", given_name="Cường"), unit=tree["other"]
        ).person,
    }


def template(client, unit="KB", year=2025):
    response = client.get(reverse("interchange:template"), {"unit": unit, "year": year})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def as_upload(workbook, name="xep-loai.xlsx"):
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def rows_of(sheet):
    return list(sheet.iter_rows(values_only=True))


def fill(sheet, code, level, score=None):
    """Type a level (and score) on the row of `code`."""
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            row[2].value, row[3].value = level, score
            return row[0].row
    raise AssertionError(code)


def upload(client, file):
    return client.post(reverse("interchange:upload"), {"file": file})


def test_the_prefilled_template_lists_the_units_people_and_units_to_rate(client, users, staff):
    client.force_login(users["officer"])

    workbook = template(client)

    people = rows_of(workbook["person_ratings"])
    assert people[0][:5] == ("person", "year", "level", "score", "regime")
    assert people[0][5].startswith("_")
    assert {(r[0], r[1], r[5]) for r in people[1:]} == {
        ("KB-1", 2025, "Lê Văn An"),
        ("KB-2", 2025, "Nguyễn Văn Bình"),
    }
    units = {r[0] for r in rows_of(workbook["unit_ratings"])[1:]}
    assert units == {"KB", "KB-TL", "KB-NK"}


def test_a_person_already_rated_is_not_in_the_template(client, users, staff):
    PersonRating.objects.create(person=staff["an"], year=2025, level="HTT")
    client.force_login(users["officer"])

    people = {r[0] for r in rows_of(template(client)["person_ratings"])[1:]}

    assert people == {"KB-2"}


def test_a_bad_row_is_shown_by_sheet_row_and_field_and_nothing_is_written(
    client, users, staff, english
):
    client.force_login(users["officer"])
    workbook = template(client)
    fill(workbook["person_ratings"], "KB-1", "HTT")
    bad_row = fill(workbook["person_ratings"], "KB-2", "TOT")

    response = upload(client, as_upload(workbook))
    assert response.status_code == 302
    page = client.get(response["Location"])

    text = page.content.decode()
    assert page.status_code == 200
    assert "person_ratings" in text and "level" in text and "TOT" in text
    assert f'<td class="num">{bad_row}</td>' in text
    assert reverse("interchange:confirm", args=[response["Location"].split("/")[-2]]) not in text
    assert not PersonRating.objects.exists()


def test_a_corrected_file_is_previewed_then_confirmed_as_the_officer(client, users, staff, english):
    client.force_login(users["officer"])
    workbook = template(client)
    fill(workbook["person_ratings"], "KB-1", "HTT")
    fill(workbook["person_ratings"], "KB-2", "HTXS", 95)
    fill(workbook["unit_ratings"], "KB", "HTT")

    location = upload(client, as_upload(workbook))["Location"]
    token = location.split("/")[-2]
    preview = client.get(location)
    assert reverse("interchange:confirm", args=[token]) in preview.content.decode()
    assert not PersonRating.objects.exists()  # the preview writes nothing

    response = client.post(reverse("interchange:confirm", args=[token]))

    # The import runs as a background job (at once in the suite); its page tells the end.
    assert response.status_code == 302 and response["Location"].startswith("/cong-viec/")
    job_page = client.get(response["Location"])
    assert job_page.context["job"].status == "succeeded"
    assert "3 rows written" in job_page.context["job"].message
    assert dict(PersonRating.objects.values_list("person__code", "level")) == {
        "KB-1": "HTT",
        "KB-2": "HTXS",
    }
    assert UnitRating.objects.count() == 1
    entry = AuditEntry.objects.get(action="interchange.dataset.load")
    assert entry.actor == users["officer"]
    # The kept file is gone: a second confirmation finds nothing.
    assert client.post(reverse("interchange:confirm", args=[token])).status_code == 404


def test_rows_outside_the_officers_units_are_refused_by_row_and_field(
    client, users, staff, english
):
    client.force_login(users["officer"])
    workbook = template(client)
    workbook["person_ratings"].append(["TL-1", 2025, "HTT"])
    workbook["unit_ratings"].append(["TL", 2025, "HTT"])
    workbook["units"].append(["NEW", "commune", "Xã Mới"])

    page = client.get(upload(client, as_upload(workbook))["Location"])

    text = page.content.decode()
    assert "TL-1" in text and "not employed in the units you may change" in text
    assert "TL" in text and "outside the units you may change" in text
    assert "only an administrator may change the unit tree" in text
    assert not PersonRating.objects.exists()


def test_a_new_person_must_be_employed_in_the_officers_units(client, users, staff, english):
    client.force_login(users["officer"])
    workbook = template(client)
    workbook["people"].append(["KB-9", "Trần", "Thị", "Hoa", None, "F"])
    workbook["employments"].append(["KB-9", "TL", None, "01/01/2025"])

    text = client.get(upload(client, as_upload(workbook))["Location"]).content.decode()

    assert "needs an employment in one of your units" in text


def test_a_file_that_is_no_workbook_is_refused_with_a_message(client, users, staff, english):
    client.force_login(users["officer"])

    response = upload(client, SimpleUploadedFile("a.xlsx", b"not a zip", content_type=XLSX))

    assert response.status_code == 400
    assert "only an Excel workbook (.xlsx) can be imported" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, users, staff, settings, english):
    settings.THIDUA_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(users["officer"])
    big = SimpleUploadedFile("a.xlsx", b"PK\x03\x04" + b"0" * (1024 * 1024 + 1))

    response = upload(client, big)

    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()


def test_a_workbook_missing_a_sheet_part_is_refused_naming_the_sheet(client, users, staff, english):
    client.force_login(users["officer"])
    workbook = template(client)
    workbook["person_ratings"]["C2"] = "HTT"
    data = as_upload(workbook).read()
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    index = workbook.sheetnames.index("person_ratings") + 1
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            if item.filename != f"xl/worksheets/sheet{index}.xml":
                damaged.writestr(item, source.read(item))

    location = upload(client, SimpleUploadedFile("d.xlsx", out.getvalue()))["Location"]
    text = client.get(location).content.decode()

    assert "person_ratings" in text and "part is missing" in text
    assert not PersonRating.objects.exists()


def test_a_viewer_sees_no_import_and_is_refused_on_the_urls(client, users, staff):
    client.force_login(users["officer"])
    location = upload(client, as_upload(template(client)))["Location"]
    client.force_login(users["viewer"])

    page = client.get(reverse("interchange:home"))
    refused = upload(client, as_upload(template(client)))

    assert reverse("interchange:upload") not in page.content.decode()
    assert refused.status_code == 403
    assert client.get(location).status_code == 403


def test_another_officers_upload_is_not_found(client, users, staff):
    client.force_login(users["officer"])
    location = upload(client, as_upload(template(client)))["Location"]
    client.force_login(users["other_unit"])

    assert client.get(location).status_code == 404


@pytest.mark.parametrize("size", [5, 50])
def test_the_data_page_keeps_a_constant_query_count(
    client, users, tree, size, django_assert_max_num_queries
):
    client.force_login(users["officer"])
    for n in range(size):
        EmploymentFactory(person=PersonFactory(code=f"KB-X{n}"), unit=tree["commune"])

    with django_assert_max_num_queries(12):
        assert client.get(reverse("interchange:home")).status_code == 200


def test_the_import_benchmark_runs_at_a_small_size(settings):
    from benchmarks.bench_import_page import build, run

    figures = run(build(people=60, communes=3))

    assert figures.written == 60 + 4
    assert figures.preview_s < 10 and figures.confirm_s < 15


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("no_role", 403), ("viewer", 403), ("other_unit", 404), ("officer", 200)],
)
def test_the_preview_and_confirmation_permission_matrix(client, users, staff, who, expected):
    client.force_login(users["officer"])
    workbook = template(client)
    fill(workbook["person_ratings"], "KB-1", "HTT")
    location = upload(client, as_upload(workbook))["Location"]
    client.logout()
    if who != "anonymous":
        client.force_login(users[who])

    preview = client.get(location)
    confirm = client.post(location + "xac-nhan/")

    assert preview.status_code == expected
    assert confirm.status_code == (302 if who in ("anonymous", "officer") else expected)
    written = PersonRating.objects.exists()
    assert written == (who == "officer")


def test_a_confirmation_after_the_database_changed_writes_nothing(client, users, staff, english):
    client.force_login(users["officer"])
    workbook = template(client)
    fill(workbook["person_ratings"], "KB-1", "HTT")
    fill(workbook["person_ratings"], "KB-2", "HT")
    location = upload(client, as_upload(workbook))["Location"]
    assert "xac-nhan" in client.get(location).content.decode()
    PersonRating.objects.create(person=staff["an"], year=2025, level="HTXS")  # meanwhile

    response = client.post(location + "xac-nhan/", follow=True)

    job = response.context["job"]  # the job's page says so and links back to the preview
    assert job.status == "failed" and "Nothing was imported" in job.message
    assert job.result_url == location
    assert "KB-1" in client.get(location).content.decode()
    assert list(PersonRating.objects.values_list("level", flat=True)) == ["HTXS"]
    assert not AuditEntry.objects.filter(action="interchange.dataset.load").exists()


def test_a_name_that_looks_like_a_formula_stays_text_in_the_template(client, users, tree):
    EmploymentFactory(
        person=PersonFactory(code="KB-F", family_name='=HYPERLINK("http://x")', given_name="A"),
        unit=tree["commune"],
    )
    client.force_login(users["officer"])
    response = client.get(reverse("interchange:template"), {"unit": "KB", "year": 2025})

    workbook = load_workbook(io.BytesIO(response.content))
    cell = next(
        r[5] for r in workbook["person_ratings"].iter_rows(min_row=2) if r[0].value == "KB-F"
    )
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

"""The data page, the template download and the export: the permission matrix, and that an
export holds the user's scope only."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.jobs.models import Job
from thidua.jobs.tests.download import job_file
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["interchange:home", "interchange:template", "interchange:export"]


def _open(client, page):
    """What the page's link (a GET) or button (the export, a POST) sends."""
    return (client.post if page == "interchange:export" else client.get)(reverse(page))


@pytest.fixture
def staff(tree):
    """Two people in the district's communes, one in the other district."""
    return {
        "an": EmploymentFactory(
            person=PersonFactory(code="KB-1", given_name="An"), unit=tree["commune"]
        ).person,
        "binh": EmploymentFactory(
            person=PersonFactory(code="KB-2", given_name="Bình"), unit=tree["commune2"]
        ).person,
        "cuong": EmploymentFactory(
            person=PersonFactory(code="TL-1", given_name="Cường"), unit=tree["other"]
        ).person,
    }


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, page):
    response = _open(client, page)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_a_user_without_a_role_is_refused(client, users, staff, page):
    client.force_login(users["no_role"])

    response = _open(client, page)

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="interchange.dataset.export").exists()


def test_the_page_offers_the_template_and_the_export(client, users, staff):
    client.force_login(users["viewer"])

    response = client.get(reverse("interchange:home"))

    assert response.status_code == 200
    assert reverse("interchange:template") in response.content.decode()
    assert reverse("interchange:export") in response.content.decode()
    assert response.context["unit_count"] == 3
    assert response.context["people_count"] == 2


def test_the_template_downloads(client, users):
    client.force_login(users["viewer"])

    response = client.get(reverse("interchange:template"))

    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(response.content))
    assert "people" in workbook.sheetnames


def _export(client, user, fmt="json"):
    """The export is a background job (run at once in the suite): its page offers the file."""
    client.force_login(user)
    job, response = job_file(client, reverse("interchange:export"), {"format": fmt})
    assert job.user == user and job.kind == "interchange.export"
    assert f".{fmt}" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_export_file_goes_only_to_who_asked(client, users, staff):
    _export(client, users["officer"])
    job = Job.objects.get(kind="interchange.export")
    client.force_login(users["viewer"])
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_the_district_officer_exports_the_district(client, users, staff):
    data = json.loads(_export(client, users["officer"]))

    assert [p["code"] for p in data["people"]] == ["KB-1", "KB-2"]
    assert {u["code"] for u in data["units"]} == {"HN", "KB", "KB-TL", "KB-NK"}
    entry = AuditEntry.objects.get(action="interchange.dataset.export")
    assert entry.actor == users["officer"]
    assert entry.after["counts"]["people"] == 2


def test_another_units_officer_does_not_get_the_districts_people(client, users, staff):
    data = json.loads(_export(client, users["other_unit"]))

    assert [p["code"] for p in data["people"]] == ["TL-1"]
    assert "KB" not in {u["code"] for u in data["units"]}


def test_the_export_as_xlsx(client, users, staff):
    workbook = load_workbook(io.BytesIO(_export(client, users["viewer"], "xlsx")))

    codes = [row[0] for row in workbook["people"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["KB-1", "KB-2"]


def test_a_superuser_exports_everything(client, staff):
    admin = UserFactory(username="root", is_superuser=True)

    data = json.loads(_export(client, admin))

    assert [p["code"] for p in data["people"]] == ["KB-1", "KB-2", "TL-1"]


def test_citizen_ids_are_masked_for_a_viewer_as_on_pages(client, users, staff):
    """A viewer's export shows what the person page shows; an officer's the full id."""
    staff["an"].citizen_id = "001088012345"
    staff["an"].save()

    viewed = json.loads(_export(client, users["viewer"]))
    (an,) = [p for p in viewed["people"] if p["code"] == "KB-1"]
    assert an["citizen_id"] == "••••••••2345"
    book = load_workbook(io.BytesIO(_export(client, users["viewer"], "xlsx")))
    ids = [row[-1] for row in book["people"].iter_rows(min_row=2, values_only=True)]
    assert "001088012345" not in ids and "••••••••2345" in ids

    changed = json.loads(_export(client, users["officer"]))
    (an,) = [p for p in changed["people"] if p["code"] == "KB-1"]
    assert an["citizen_id"] == "001088012345"

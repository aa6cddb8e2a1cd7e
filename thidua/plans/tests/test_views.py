"""The task page: who sees which assignments, who may record progress (denied cases
change nothing), clear messages for bad input, and a query count that does not grow
with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import UnitFactory
from thidua.plans import services
from thidua.plans.choices import TaskStatus
from thidua.plans.models import TaskAssignment

D = datetime.date
URL = reverse("plans:task_list")


def _post(client, assignment, **data):
    url = reverse("plans:change_status", args=[assignment.pk])
    return client.post(url, {"status": "completed", "evidence": "", **data})


@pytest.mark.parametrize(
    ("who", "units"),
    [("no_role", []), ("other_unit", ["TL"]), ("viewer", ["KB"]), ("officer", ["KB"])],
)
def test_the_list_shows_the_assignments_in_scope(client, task, users, who, units):
    client.force_login(users[who])
    page = client.get(URL)
    assert sorted(a.unit.code for a in page.context["page"].object_list) == units


def test_anonymous_users_are_sent_to_log_in(client, task):
    assert client.get(URL).status_code == 302


def test_the_assignee_records_completion(client, task, users):
    client.force_login(users["officer"])
    kb = task.assignments.get(unit__code="KB")
    response = _post(client, kb, completed_on="2020-06-20", evidence="Báo cáo 12/BC-UBND")
    assert response.status_code == 302
    kb.refresh_from_db()
    assert (kb.status, kb.completed_on, kb.evidence) == (
        TaskStatus.COMPLETED,
        D(2020, 6, 20),
        "Báo cáo 12/BC-UBND",
    )
    page = client.get(URL, {"unit": "KB"}).content.decode()
    assert "20/06/2020" in page and 'class="overdue"' not in page


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("other_unit", 404)])
def test_others_cannot_record_and_nothing_changes(client, task, users, who, status):
    client.force_login(users[who])
    kb = task.assignments.get(unit__code="KB")
    entries = AuditEntry.objects.count()
    assert _post(client, kb, completed_on="2020-06-20").status_code == status
    kb.refresh_from_db()
    assert kb.status == TaskStatus.ASSIGNED and AuditEntry.objects.count() == entries


def test_a_completion_without_a_date_is_refused_on_its_field(client, task, users):
    client.force_login(users["officer"])
    kb = task.assignments.get(unit__code="KB")
    response = _post(client, kb, completed_on="", next=URL)
    assert response.status_code == 400
    with translation.override("vi"):  # the page speaks the default language
        message = translation.gettext("Give the day the task was completed.")
    assert response.context["form"].errors == {"completed_on": [message]}
    assert message in response.content.decode()
    kb.refresh_from_db()
    assert kb.status == TaskStatus.ASSIGNED


def test_the_list_has_no_inline_forms_and_links_to_one_status_page(client, task, users):
    """Edit on demand: the list carries a link per row it may change, not a form; the
    status page holds the one form."""
    client.force_login(users["officer"])
    page = client.get(URL).content.decode()
    kb = task.assignments.get(unit__code="KB")
    assert '<form method="post"' not in page
    assert reverse("plans:change_status", args=[kb.pk]) in page
    form_page = client.get(reverse("plans:change_status", args=[kb.pk]))
    assert form_page.status_code == 200
    assert 'name="completed_on"' in form_page.content.decode()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("other_unit", 404)])
def test_the_status_page_refuses_those_who_may_not_change(client, task, users, who, status):
    client.force_login(users[who])
    kb = task.assignments.get(unit__code="KB")
    assert client.get(reverse("plans:change_status", args=[kb.pk])).status_code == status
    if who == "viewer":
        page = client.get(URL).content.decode()
        assert reverse("plans:change_status", args=[kb.pk]) not in page


def test_the_list_is_filtered_by_units_chosen_by_name(client, task, users, tree):
    """The assignee filter is a picker of the user's units by name (values are codes)."""
    client.force_login(users["viewer"])
    page = client.get(URL, {"unit": "KB"})
    html = page.content.decode()
    assert f'<option value="KB" selected>{tree["district"].name}</option>' in html
    assert 'class="unit-picker-search"' in html
    assert [a.unit.code for a in page.context["page"].object_list] == ["KB"]


def test_overdue_rows_are_flagged_and_filtered(client, task, users):
    client.force_login(users["officer"])
    page = client.get(URL, {"overdue": "true"})
    assert [a.unit.code for a in page.context["page"].object_list] == ["KB"]
    assert 'class="overdue"' in page.content.decode()


def test_the_page_takes_the_same_queries_for_5_and_50_rows(client, tree, users):
    client.force_login(users["officer"])
    counts = []
    made = 0
    for n in (5, 45):
        units = [
            UnitFactory(code=f"KB-Z{i:03d}", parent=tree["district"]) for i in range(made, made + n)
        ]
        made += n
        services.assign_task(
            assigned_by=tree["district"],
            year=2020,
            title="Báo cáo",
            source_number=f"{made}/KH-UBND",
            source_date=D(2020, 2, 1),
            source_issuer="UBND huyện",
            deadline=D(2020, 3, 1),
            units=units,
            actor=SYSTEM,
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(URL)
        counts.append(len(queries))
    assert len(page.context["page"].object_list) == TaskAssignment.objects.count() == 50
    assert counts[0] == counts[1]

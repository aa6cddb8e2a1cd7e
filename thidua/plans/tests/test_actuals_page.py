"""The indicator actuals page: an officer records an estimate, then the final figure, of
a unit in scope (through `services.record_actual`, audited); a bad value is refused on
its field and nothing is written; a viewer sees the figures, no form, and is refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.plans import services
from thidua.plans.choices import Version
from thidua.plans.models import IndicatorActual

URL = reverse("plans:actuals")


def _post(client, indicator, unit="KB", **data):
    return client.post(
        URL,
        {
            "indicator": indicator.code,
            "unit": unit,
            "year": 2020,
            "period": "year",
            "version": Version.ESTIMATE,
            "value": "1386,5",
            "reported_on": "15/11/2020",
            "source": "Báo cáo 120/BC-UBND",
            **data,
        },
    )


def test_an_officer_records_an_estimate_then_the_final_figure(client, users, revenue):
    client.force_login(users["officer"])
    assert 'name="value"' in client.get(URL).content.decode()
    response = _post(client, revenue)
    assert response.status_code == 302
    _post(client, revenue, version=Version.FINAL, value="1400", reported_on="2021-01-20")
    figures = dict(
        IndicatorActual.objects.filter(indicator=revenue, unit__code="KB", year=2020).values_list(
            "version", "value"
        )
    )
    assert figures == {Version.ESTIMATE: 1386.5, Version.FINAL: 1400}
    assert AuditEntry.objects.filter(action__startswith="plans.actual").count() == 2
    page = client.get(URL, {"don_vi": "KB", "nam": 2020}).content.decode()
    assert revenue.name in page and "20/01/2021" in page


def test_a_bad_value_is_refused_on_its_field_and_nothing_is_written(client, users, revenue):
    client.force_login(users["officer"])
    response = _post(client, revenue, value="nhiều")
    assert response.status_code == 400
    assert "value" in response.context["form"].errors
    assert not IndicatorActual.objects.exists()


def test_a_unit_outside_the_scope_cannot_be_chosen(client, users, revenue):
    client.force_login(users["officer"])
    response = _post(client, revenue, unit="TL")
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not IndicatorActual.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "no_role"])
def test_a_viewer_sees_no_form_and_is_refused(client, users, revenue, tree, who):
    services.record_actual(
        revenue,
        tree["district"],
        2020,
        "12",
        version="final",
        reported_on=datetime.date(2021, 1, 5),
        actor=SYSTEM,
    )
    client.force_login(users[who])
    page = client.get(URL, {"don_vi": "KB", "nam": 2020})
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()
    assert _post(client, revenue).status_code == 403
    assert IndicatorActual.objects.count() == 1


def test_the_page_reads_a_constant_number_of_queries(client, users, revenue, poverty, tree):
    client.force_login(users["officer"])
    counts = []
    for indicator in (revenue, poverty):
        services.record_actual(
            indicator,
            tree["district"],
            2020,
            "1",
            version="final",
            reported_on=datetime.date(2021, 1, 5),
            actor=SYSTEM,
        )
        with CaptureQueriesContext(connection) as queries:
            client.get(URL, {"don_vi": "KB", "nam": 2020})
        counts.append(len(queries))
    assert counts[0] == counts[1]

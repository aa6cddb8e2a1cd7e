"""The decisions demo: Kim Bảng's 2020 round ends in the province's decisions of January
2021, recorded with their own numbers, linking the awards the history holds (none twice),
with certificates to print and verify."""

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from thidua.decisions.models import Decision, Recipient
from thidua.interchange.demo import load_demo
from thidua.records.models import Award


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            hashers.disable()


def test_kim_bang_2020_ends_in_decisions(demo, db, client):
    decisions = list(Decision.objects.filter(authority__code="HNA", year=2021))
    assert decisions and all(d.recorded for d in decisions)
    codes = set(
        Recipient.objects.filter(decision__in=decisions).values_list("award_code", flat=True)
    )
    assert codes == {"CO_TD_TINH", "TTLDXS", "BK_TINH"}
    for d in decisions:
        for r in d.recipients.select_related("award"):
            assert r.award.decision_number == d.number and r.serial
    # No award written twice: one award per recipient, award and period.
    twice = (
        Award.objects.filter(period_end__year=2020, authority__code="HNA")
        .values("person_id", "unit_id", "award_code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    line = Recipient.objects.filter(decision__in=decisions).first()
    page = client.get(reverse("verify", args=[line.serial]))
    assert page.status_code == 200 and line.name in page.content.decode()

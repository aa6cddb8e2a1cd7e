"""The decisions demo: Kim Bảng's 2020 round ends in the province's decisions of January
2021, recorded with their own numbers, linking the awards the history holds (none twice),
with certificates to print and verify."""

from django.db.models import Count
from django.urls import reverse

from thidua.decisions.models import Decision, Recipient
from thidua.nominations.tests.test_demo import demo  # noqa: F401 (the demo, loaded once)
from thidua.records.models import Award


def test_kim_bang_2020_ends_in_decisions(
    demo,  # noqa: F811
    db,
    client,
):
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

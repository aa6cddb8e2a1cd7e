"""The council demo: Hà Nam's 2020 meeting over Kim Bảng's dossier is closed with its
results (hoidong recused from Kim Bảng's nominees), the 2026 meeting is in preparation;
and hoidong can open the pages."""

import pytest
from django.urls import reverse

from thidua.council.models import Meeting, Recusal
from thidua.nominations.models import Nominee


@pytest.fixture(scope="module")
def demo(demo_loaded):
    """The whole demo for this module, rolled back at its end (built once per process)."""
    return demo_loaded


def test_the_2020_meeting_is_closed_and_every_nominee_passed(demo, db):
    meeting = Meeting.objects.get(year=2020)
    assert meeting.state == "closed" and meeting.member_count == 9
    kb = Nominee.objects.filter(dossier__round__year=2020)
    assert kb.count() > 0 and set(kb.values_list("council_outcome", flat=True)) == {"passed"}
    hoidong = Recusal.objects.filter(item__meeting=meeting, member__user__username="hoidong")
    assert hoidong.count() == kb.count()


def test_the_2026_meeting_waits(demo, db):
    assert Meeting.objects.get(year=2026).state == "draft"


def test_hoidong_sees_the_meetings_and_the_minutes(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="hoidong"))
    closed, waiting = Meeting.objects.get(year=2020), Meeting.objects.get(year=2026)
    assert (
        "Hội đồng Thi đua - Khen thưởng tỉnh Hà Nam" in client.get(reverse("council:councils")).text
    )
    page = client.get(reverse("council:meeting", args=[closed.pk]))
    assert page.status_code == 200
    assert client.get(reverse("council:meeting", args=[waiting.pk])).status_code == 200
    docx = client.get(reverse("council:minutes", args=[closed.pk, "bien-ban"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(reverse("council:ballot", args=[waiting.pk])).status_code == 200

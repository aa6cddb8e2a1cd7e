"""The explanation page of one subject × award: readable by anyone with the subject in
scope, the council's judgement recorded from it by officers, leaders and council members
(never by a viewer), with the minutes it rests on; the engine then reads the judgement."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from thidua.audit.models import AuditEntry
from thidua.records.models import Attestation
from thidua.rules.messages import MESSAGES
from thidua.rules.tests.factories import make_person

pytestmark = pytest.mark.django_db


def vi(text) -> str:
    """A source string as the (default) Vietnamese page shows it, HTML-escaped."""
    with translation.override("vi"):
        return escape(translation.gettext(str(text)))


@pytest.fixture
def lan(tree):
    return make_person(tree["commune"], {"ratings": {2020: "HTT"}})


def url(person, award="LDTT", year=2020):
    return reverse("rules:explanation", args=["ca-nhan", person.code, award]) + f"?nam={year}"


MINUTES = {
    "prefix": "t0",
    "t0-award": "LDTT",
    "t0-criterion": "conduct",
    "t0-decision": "attested",
    "t0-body": "council",
    "t0-body_name": "Hội đồng Thi đua – Khen thưởng huyện Kim Bảng",
    "t0-decided_on": "20/12/2020",
    "t0-minutes_number": "12/BB-HĐTĐKT",
    "t0-minutes_date": "20/12/2020",
    "t0-minutes_text": "Nhất trí.",
}


def test_the_page_says_only_the_councils_judgement_remains(client, users, lan):
    client.force_login(users["viewer"])
    page = client.get(url(lan)).content.decode()
    assert "Lao động tiên tiến" in page and lan.full_name in page
    assert vi(MESSAGES["status_council"]) in page
    assert 'name="prefix"' not in page and "<summary>" + vi("Record the judgement") not in page
    assert vi("Technical details") not in page  # nor the technical details
    assert "rule set 2017" not in page and "[V2]" not in page  # technical details


def test_a_fact_missing_is_said_apart(client, users, tree):
    person = make_person(tree["commune"])
    client.force_login(users["officer"])
    page = client.get(url(person)).content.decode()
    assert vi(MESSAGES["status_facts"]) in page
    with translation.override("vi"):
        action = translation.gettext("Enter the rating for %(year)s.") % {"year": 2020}
    assert escape(action) in page


def test_a_viewer_cannot_record_a_judgement(client, users, lan):
    client.force_login(users["viewer"])
    assert client.post(url(lan), MINUTES).status_code == 403
    assert not Attestation.objects.exists()


def test_outsiders_get_404(client, users, lan):
    client.force_login(users["other_unit"])
    assert client.get(url(lan)).status_code == 404
    assert client.post(url(lan), MINUTES).status_code == 404


def test_the_officer_attests_and_the_verdict_changes(client, users, lan):
    client.force_login(users["officer"])
    assert "<summary>" + vi("Record the judgement") in client.get(url(lan)).content.decode()
    response = client.post(url(lan), MINUTES)
    assert response.status_code == 302
    (attestation,) = Attestation.objects.all()
    assert (attestation.person, attestation.outcome) == (lan, "attested")
    assert attestation.recorded_by == users["officer"]
    assert AuditEntry.objects.filter(action="records.attestation.attest").count() == 1
    page = client.get(url(lan)).content.decode()
    assert vi(MESSAGES["status_eligible"]) in page and "12/BB-HĐTĐKT" in page
    refused = {**MINUTES, "t0-decision": "refused"}
    client.post(url(lan), refused)
    (attestation,) = Attestation.objects.all()
    assert attestation.outcome == "refused"
    page = client.get(url(lan)).content.decode()
    assert vi(MESSAGES["status_not_eligible"]) in page


def test_bad_minutes_are_refused_on_their_field(client, users, lan):
    client.force_login(users["officer"])
    bad = {**MINUTES, "t0-minutes_number": "", "t0-minutes_date": "21/12/2020"}
    response = client.post(url(lan), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert not Attestation.objects.exists()


def test_the_administrator_sees_the_technical_details(client, tree, lan):
    from thidua.org.tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(url(lan)).content.decode()
    assert vi("Technical details") in page and "2017" in page and "conduct" in page


def test_a_units_judgement_is_recorded_by_its_leader(client, tree):
    from thidua.accounts.choices import Role
    from thidua.org.tests.factories import user_with_role

    unit = tree["commune"]
    leader = user_with_role(Role.LEADER, tree["district"], username="leader")
    client.force_login(leader)
    page_url = reverse("rules:explanation", args=["don-vi", unit.code, "TTLDTT"]) + "?nam=2020"
    page = client.get(page_url).content.decode()
    assert "Tập thể lao động tiên tiến" in page and unit.name in page
    assert "<summary>" + vi("Record the judgement") in page
    minutes = {**MINUTES, "t0-award": "TTLDTT", "t0-criterion": "movement"}
    assert client.post(page_url, minutes).status_code == 302
    assert Attestation.objects.get().unit == unit

"""Households as recipients: recorded in the organisation with their members and commune,
proposed from the commune's district, judged by the council (no fact decides them)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.accounts.scope import forget
from thidua.accounts.system import SYSTEM
from thidua.nominations import services
from thidua.nominations.models import Nominee
from thidua.nominations.tests.conftest import DAY, attach_minutes, spec
from thidua.org.models import Household
from thidua.org.services import add_household
from thidua.org.tests.factories import UnitFactory


@pytest.fixture
def commune(world, users):
    commune = UnitFactory(code="KB-NT", name="Xã Nhật Tân", parent=world["kb"])
    for user in users.values():
        forget(user)  # the tree changed after the users' scopes were read
    return commune


@pytest.fixture
def household(commune, world, users):
    return add_household(
        code="HO-001",
        name="Hộ ông Nguyễn Văn Bình",
        address="Thôn 3, xã Nhật Tân",
        commune=commune,
        head=world["binh"],
        actor=users["kb"],
    )


def test_a_household_is_recorded_in_scope(household, world, users):
    assert list(household.members.all()) == [world["binh"]]
    assert household.memberships.get().is_head
    with pytest.raises(PermissionDenied):
        add_household(code="HO-2", name="Hộ bà A", commune=world["kb"], actor=users["tl"])
    assert Household.objects.count() == 1


def test_household_nominee_frozen_as_a_judgement_of_the_council(dossier, household, users):
    nominee = services.add_nominee(dossier, spec(household=household), actor=users["kb"])
    assert nominee.subject_kind == "household" and nominee.recipient == household
    attach_minutes(dossier)
    services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    nominee.refresh_from_db()
    assert nominee.verdict == "needs_attestation" and nominee.frozen["attest_only"]
    assert nominee.frozen["subject"] == {
        "kind": "household",
        "code": "HO-001",
        "name": "Hộ ông Nguyễn Văn Bình",
    }
    outcomes = {c["id"]: c["outcome"] for c in nominee.frozen["criteria"]}
    # No review pending; the contribution to the locality is the council's to judge.
    assert outcomes == {"no_pending_review": "met", "contribution": "unknown"}
    assert services.compare(dossier) == []


def test_the_councils_judgement_on_a_household_decides_its_verdict(dossier, household, users):
    from thidua.nominations.services.eligibility import live_verdicts
    from thidua.rules import attestations

    nominee = services.add_nominee(dossier, spec(household=household), actor=users["kb"])
    assert live_verdicts(dossier, [nominee], DAY)[nominee.pk] == "needs_attestation"
    minutes = {
        "body_name": "Hội đồng Thi đua - Khen thưởng huyện",
        "decided_on": DAY,
        "minutes_number": "5/BB",
    }
    refused = attestations.refuse_attestation(
        household, 2020, "BK_TINH", "contribution", actor=users["kb"], **minutes
    )
    assert refused.household == household and refused.subject == household
    assert live_verdicts(dossier, [nominee], DAY)[nominee.pk] == "not_eligible"
    attestations.attest(household, 2020, "BK_TINH", "contribution", actor=users["kb"], **minutes)
    assert live_verdicts(dossier, [nominee], DAY)[nominee.pk] == "eligible"
    # Another district's officer may not judge it; a criterion of no household rule is refused.
    with pytest.raises(PermissionDenied):
        attestations.attest(
            household, 2020, "BK_TINH", "contribution", actor=users["tl"], **minutes
        )
    with pytest.raises(ValidationError, match="criterion"):
        attestations.attest(household, 2020, "BK_TINH", "bars", actor=users["kb"], **minutes)


def test_a_household_award_is_recorded_and_refused_for_a_wrong_title(household, users, world):
    import datetime

    from thidua.records.services import record_award

    fields = {
        "commendation_type": "cong_trang",
        "period_start": datetime.date(2019, 1, 1),
        "period_end": datetime.date(2019, 12, 31),
        "decision_number": "12/QĐ-UBND",
        "decision_date": datetime.date(2019, 12, 20),
        "authority": household.commune,
    }
    award = record_award(household=household, award_code="GD_VAN_HOA", actor=users["kb"], **fields)
    assert award.recipient == household and list(household.awards.all()) == [award]
    with pytest.raises(ValidationError, match="not conferred on households"):
        record_award(household=household, award_code="CSTDCS", actor=users["kb"], **fields)
    with pytest.raises(PermissionDenied):
        record_award(household=household, award_code="GK", actor=users["tl"], **fields)


def test_household_outside_the_subtree_or_award_not_for_households(dossier, world, users):
    elsewhere = UnitFactory(code="TL-X", name="Xã Khác", parent=world["tl"])
    forget(users["kb"])
    outside = add_household(code="HO-9", name="Hộ ông C", commune=elsewhere, actor=SYSTEM)
    with pytest.raises(ValidationError, match="does not live in Huyện Kim Bảng"):
        services.add_nominee(dossier, spec(household=outside), actor=users["kb"])
    inside = add_household(code="HO-8", name="Hộ ông D", commune=world["kb"], actor=SYSTEM)
    with pytest.raises(ValidationError, match="not given to this kind of recipient"):
        services.add_nominee(dossier, spec("TTLDXS", household=inside), actor=users["kb"])
    assert not Nominee.objects.exists()


def test_household_from_the_register_page(client, dossier, household, users, settings):
    from django.urls import reverse

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["kb"])
    path = reverse("nominations:pick", args=[dossier.pk])
    page = client.get(path, {"loai": "household", "q": "binh"}).content.decode()
    assert "Hộ ông Nguyễn Văn Bình" in page
    client.post(path, {"kind": "household", "subject": household.pk, "award": "BK_TINH"})
    assert Nominee.objects.get(dossier=dossier).household == household
    body = client.get(reverse("nominations:dossier", args=[dossier.pk])).content.decode()
    assert "Hộ ông Nguyễn Văn Bình" in body


def test_the_council_judges_a_household_through_its_explanation_page(
    client, dossier, household, users
):
    from django.urls import reverse

    nominee = services.add_nominee(dossier, spec(household=household), actor=users["kb"])
    client.force_login(users["kb"])
    page = client.get(reverse("nominations:dossier", args=[dossier.pk])).content.decode()
    link = reverse("rules:explanation", args=["ho-gia-dinh", household.code, "BK_TINH"])
    assert f"{link}?nam=2020" in page
    explained = client.get(f"{link}?nam=2020")
    assert explained.status_code == 200 and "Hộ ông Nguyễn Văn Bình" in explained.content.decode()
    response = client.post(
        f"{link}?nam=2020",
        {
            "prefix": "t0",
            "t0-award": "BK_TINH",
            "t0-criterion": "contribution",
            "t0-decision": "attested",
            "t0-body": "council",
            "t0-body_name": "Hội đồng Thi đua - Khen thưởng huyện",
            "t0-decided_on": "20/11/2020",
            "t0-minutes_number": "7/BB",
            "t0-minutes_date": "20/11/2020",
        },
    )
    assert response.status_code == 302
    assert household.attestations.get().minutes_number == "7/BB"
    page = client.get(reverse("nominations:dossier", args=[dossier.pk])).content.decode()
    assert "verdict-eligible" in page and nominee.pk
    # Outside the commune's scope the page does not exist.
    client.force_login(users["tl"])
    assert client.get(f"{link}?nam=2020").status_code == 404


def test_one_decision_confers_an_award_on_households(household, users, world):
    import datetime

    from thidua.records.services import record_award_decision

    fields = {
        "award_code": "GK",
        "commendation_type": "cong_trang",
        "period_start": datetime.date(2020, 1, 1),
        "period_end": datetime.date(2020, 12, 31),
        "decision_number": "40/QĐ-UBND",
        "decision_date": datetime.date(2020, 12, 28),
        "authority": world["kb"],
    }
    (award,) = record_award_decision(households=[household], actor=users["kb"], **fields)
    assert award.household == household and award.person_id is None
    with pytest.raises(ValidationError, match="already has this award"):
        record_award_decision(households=[household], actor=users["kb"], **fields)

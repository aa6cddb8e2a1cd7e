"""The home page's proposals card: dossiers waiting for the user's side of the path."""

from thidua.accounts import home
from thidua.nominations.cards import waiting_card
from thidua.nominations.tests.conftest import DAY


def test_a_draft_waits_for_the_proposer_not_for_the_receiver(dossier, world, users):
    proposer = waiting_card(users["kb"], world["kb"], 2020, DAY)
    receiver = waiting_card(users["province"], world["province"], 2020, DAY)
    assert proposer.count == 1
    assert receiver.count == 0


def test_another_year_and_another_district_have_nothing_waiting(dossier, world, users):
    assert waiting_card(users["kb"], world["kb"], 2021, DAY).count == 0
    assert waiting_card(users["tl"], world["tl"], 2020, DAY).count == 0


def test_a_viewer_gets_no_card(dossier, world, users):
    assert waiting_card(users["kb_viewer"], world["kb"], 2020, DAY) is None


def test_the_card_is_on_the_home_page(dossier, world, users, client):
    assert "nominations.waiting" in {
        c.key for c in home.cards_for(users["kb"], world["kb"], 2020, DAY)
    }
    client.force_login(users["kb"])
    page = client.get("/", {"don_vi": "KB", "nam": 2020})
    assert page.status_code == 200
    assert "/de-nghi/" in page.content.decode()


def test_a_submitted_dossier_waits_for_the_receiver(dossier, world, users):
    from thidua.nominations.choices import State

    dossier.state = State.SUBMITTED
    dossier.save(update_fields=["state"])
    assert waiting_card(users["province"], world["province"], 2020, DAY).count == 1
    assert waiting_card(users["kb"], world["kb"], 2020, DAY).count == 0

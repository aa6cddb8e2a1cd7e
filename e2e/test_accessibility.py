"""Accessibility (issue 12, numbers): axe finds no serious or critical violation on the
main pages of the Kim Bảng demo world — the home page of each role, the people list, a
unit's page, a person's page, eligibility, the ratings grid, the nominations, the council,
the decisions, the reports, the public news and a certificate's verification page — nor
on the API's documentation. Each page is checked as a user who may see it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django.urls import reverse

from thidua.interchange.demo.constants import DEMO_PASSWORD
from thidua.testing import restore_media, restore_snapshot

pytestmark = pytest.mark.browser

IMPACTS = ("serious", "critical")


def violations(page) -> list:
    found = Axe().run(page).response["violations"]
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in found
        if v["impact"] in IMPACTS
    ]


def login(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert reverse("login") not in page.url, f"{username} could not log in"


def main_pages():
    """(who, name, path) of every page checked, read from the demo world."""
    from thidua.council.models import Council
    from thidua.decisions.models import Recipient
    from thidua.nominations.models import Round
    from thidua.org.models import Employment

    person = Employment.objects.filter(unit__code__startswith="KB").order_by("pk").first().person
    council = Council.objects.order_by("pk").first()
    recipient = Recipient.objects.order_by("pk").first()
    nominations_round = Round.objects.order_by("pk").first()
    pages = [
        (who, f"home ({who})", reverse("home"))
        for who in ("admin", "canbo", "lanhdao", "hoidong", "xem")
    ]
    pages += [
        ("canbo", "people list", reverse("org:person_list")),
        ("canbo", "unit page", reverse("org:unit_detail", args=["KB"]) + "?nam=2020"),
        ("canbo", "person page", reverse("org:person_detail", args=[person.code])),
        ("canbo", "eligibility", reverse("rules:unit_results", args=["KB"]) + "?nam=2020"),
        ("canbo", "ratings grid", reverse("records:rating_grid", args=["KB-QUE", 2020])),
        ("canbo", "nominations", reverse("nominations:rounds")),
        ("canbo", "nomination round", reverse("nominations:round", args=[nominations_round.pk])),
        ("hoidong", "councils", reverse("council:councils")),
        ("hoidong", "council", reverse("council:council", args=[council.pk])),
        ("admin", "decisions", reverse("decisions:list")),
        ("admin", "decision", reverse("decisions:detail", args=[recipient.decision_id])),
        ("canbo", "reports", reverse("reports:dashboard", args=["KB", 2020])),
        ("canbo", "statistics", reverse("reports:statistics") + "?don_vi=KB&nam=2020"),
        ("canbo", "API documentation", "/api/docs"),
        (None, "public news", reverse("portal:news_list")),
        (None, "verification", reverse("verify", args=[recipient.serial])),
    ]
    return pages


@pytest.fixture
def demo(_demo_snapshot, transactional_db, settings):
    """The whole demo world (`load_demo()`), committed so that the live server's thread
    sees it also on PostgreSQL: the rows of the test process's demo snapshot (conftest.py,
    built once per run or per process and shared with the other modules) written again, which costs
    a fraction of loading it. The transactional test's flush removes them."""
    restore_media(_demo_snapshot["media"], settings.MEDIA_ROOT)
    with transaction.atomic():
        restore_snapshot(_demo_snapshot["tables"])


def test_the_main_pages_have_no_serious_violations(live_server, demo, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    found, current = {}, object()
    for who, name, path in main_pages():
        if who != current:
            if who is None:
                page.context.clear_cookies()
            else:
                login(page, live_server.url, who)
            current = who
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[name] = problems
    assert found == {}

"""The council's meeting through the pages: the officer records attendance, is refused
for want of a quorum, completes it and opens the poll (the member from Kim Bảng is recused
from Kim Bảng's nominees); a member votes in secret on the ballot page, the others too;
the officer closes the poll and sees the verdict."""

import re

import pytest
from django.urls import reverse

from e2e.test_nominations import assert_accessible_basics, log_in, vi, vi_p
from thidua.council import services
from thidua.council.tests import conftest as council_fixtures

# The council's fixtures (a province council of five over Kim Bảng's ready dossier).
world, users, round_, dossier = (
    council_fixtures.world, council_fixtures.users, council_fixtures.round_,
    council_fixtures.dossier,
)  # fmt: skip
ready, council, members, meeting = (
    council_fixtures.ready, council_fixtures.council, council_fixtures.members,
    council_fixtures.meeting,
)  # fmt: skip

pytestmark = pytest.mark.browser


def test_quorum_recusal_secret_votes_close_verdict(live_server, page, meeting, members, users):
    base = live_server.url
    url = base + reverse("council:meeting", args=[meeting.pk])
    log_in(page, base, "province")
    page.goto(url)
    assert_accessible_basics(page)
    for m in members[:3]:
        page.get_by_label(vi("%(name)s present") % {"name": m.full_name}).check()
    page.get_by_role("button", name=vi("Record attendance")).click()
    page.get_by_role("button", name=vi("Open voting")).click()
    assert "3/5" in page.locator(".messages, [role=alert], main").first.inner_text()
    for m in members[3:]:
        page.get_by_label(vi("%(name)s present") % {"name": m.full_name}).check()
    page.get_by_role("button", name=vi("Record attendance")).click()
    page.get_by_role("button", name=vi("Open voting")).click()
    assert page.locator("#meeting-state").inner_text() == vi_p("meeting state", "Voting open")
    assert members[4].full_name in page.locator("#agenda").inner_text()  # recused, with reason

    # A member votes in secret through the ballot page.
    context = page.context.browser.new_context(locale="vi-VN")
    member_page = context.new_page()
    log_in(member_page, base, members[0].user.username)
    member_page.goto(base + reverse("council:ballot", args=[meeting.pk]))
    assert_accessible_basics(member_page)
    for radio in member_page.locator("input[type=radio][value=yes]").all():
        radio.check()
    member_page.get_by_role("button", name=vi("Cast all my votes")).click()
    assert member_page.locator("#ballot").inner_text().count(vi("voted")) == 3
    context.close()
    items = list(meeting.items.order_by("position").values_list("pk", flat=True))
    for m in members[1:4]:
        services.cast_votes(meeting, dict.fromkeys(items, "yes"), actor=m.user)

    page.reload()
    text = page.locator("main").inner_text()
    assert vi("Yes over all members") not in text  # no running tally
    page.get_by_role("button", name=vi("Close voting and record the results")).click()
    agenda = page.locator("#agenda").inner_text()
    assert re.search(r"80[,.]0%", agenda)  # 4 yes of 5 members
    assert vi_p("council outcome", "Passed by the council") in agenda

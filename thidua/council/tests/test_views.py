"""Pages: the permission matrix (anonymous, no role, an officer of another unit, a member,
the officer of the council's unit), the ballot, results only after the close, query
budgets at two sizes."""

import pytest
from django.urls import reverse

from thidua.council.models import Voted


def vi(text, **values) -> str:
    """The page speaks Vietnamese whatever the test's language."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(text) % values if values else translation.gettext(text)


def pages(meeting):
    return {
        "councils": reverse("council:councils"),
        "council": reverse("council:council", args=[meeting.council_id]),
        "meeting": reverse("council:meeting", args=[meeting.pk]),
        "ballot": reverse("council:ballot", args=[meeting.pk]),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"councils": 302, "council": 302, "meeting": 302, "ballot": 302}),
        ("no_role", {"councils": 200, "council": 404, "meeting": 404, "ballot": 404}),
        ("tl", {"councils": 200, "council": 404, "meeting": 404, "ballot": 404}),
        ("member", {"councils": 200, "council": 200, "meeting": 200, "ballot": 200}),
        ("province", {"councils": 200, "council": 200, "meeting": 200, "ballot": 404}),
    ],
)
def test_permission_matrix(client, open_meeting, users, members, who, expected):
    if who == "member":
        client.force_login(members[0].user)
    elif who != "anonymous":
        client.force_login(users[who])
    got = {name: client.get(url).status_code for name, url in pages(open_meeting).items()}
    assert got == expected


def test_only_the_unit_officer_may_open_or_close(client, open_meeting, members):
    client.force_login(members[0].user)
    response = client.post(reverse("council:meeting", args=[open_meeting.pk]), {"action": "close"})
    assert response.status_code == 403
    open_meeting.refresh_from_db()
    assert open_meeting.state == "open"


def test_ballot_page_votes_in_secret_and_hides_the_tally(client, open_meeting, members, users):
    item = open_meeting.items.order_by("position").first()
    client.force_login(members[0].user)
    page = client.get(reverse("council:ballot", args=[open_meeting.pk]))
    assert item.nominee.person.full_name in page.text
    client.post(reverse("council:ballot", args=[open_meeting.pk]),
                {f"vote-{item.pk}": "yes", "only": item.pk})  # fmt: skip
    assert Voted.objects.filter(member=members[0]).count() == 1
    client.force_login(users["province"])
    meeting_page = client.get(reverse("council:meeting", args=[open_meeting.pk])).text
    assert vi("Yes over all members") not in meeting_page
    assert vi("voted (%(count)s nominee)", count=1) in meeting_page
    client.post(reverse("council:meeting", args=[open_meeting.pk]), {"action": "close"})
    closed = client.get(reverse("council:meeting", args=[open_meeting.pk])).text
    assert vi("Yes over all members") in closed


def test_recused_member_sees_no_ballot_line(client, open_meeting, members):
    client.force_login(members[4].user)
    page = client.get(reverse("council:ballot", args=[open_meeting.pk]))
    assert vi("There is no nominee you may vote on (absent, or recused).") in page.text


def test_meeting_page_query_budget(client, open_meeting, users, django_assert_max_num_queries):
    client.force_login(users["province"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("council:meeting", args=[open_meeting.pk])).status_code == 200

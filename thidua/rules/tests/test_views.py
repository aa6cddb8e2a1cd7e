"""The eligibility pages as a user meets them: the section on the person and unit pages,
the unit's results table, its XLSX download and suggestions — who may see what (anonymous,
no role, a role on another unit, a role on this unit), what they read, and query budgets
that do not grow with the population."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from thidua.jobs.tests.download import job_content
from thidua.rules.messages import VERDICT_LABELS
from thidua.rules.tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db


def block(page: str, award: str) -> str:
    """The result block of `award` in a person's or unit's eligibility section."""
    start = page.index(f'data-award="{award}"')
    return page[start : page.index("</div>", start)]


def vi(text) -> str:
    """A source string as the (default) Vietnamese page shows it, translated or not."""
    with translation.override("vi"):
        return translation.gettext(str(text))


def label(verdict: str) -> str:
    with translation.override("vi"):
        return str(VERDICT_LABELS[verdict])


@pytest.fixture
def world(tree):
    """The demo's shape, in small: in 2020 (the 2017 regime) a commune of Kim Bảng with
    Lan, rated HTT and awarded Lao động tiên tiến by decision, and Minh, rated KHT; one
    person in the other district."""
    authority = tree["district"]
    lan = make_person(
        tree["commune"],
        {
            "ratings": {2020: "HTT"},
            "awards": [("LDTT", 2020)],
            "attestations": [("LDTT", "conduct", 2020)],
        },
        authority=authority,
    )
    minh = make_person(tree["commune"], {"ratings": {2020: "KHT"}})
    outsider = make_person(tree["other"], {"ratings": {2020: "HTT"}})
    return {"lan": lan, "minh": minh, "outsider": outsider}


def person_url(person, year=2020):
    return reverse("org:person_detail", args=[person.code]) + f"?nam={year}"


def unit_url(unit, year=2020):
    return reverse("org:unit_detail", args=[unit.code]) + f"?nam={year}"


def results_url(unit, **query):
    params = "&".join(f"{k}={v}" for k, v in {"nam": 2020, **query}.items())
    return reverse("rules:unit_results", args=[unit.code]) + "?" + params


def downloaded(client, url) -> bytes:
    """The file of the background job that `url` starts (run at once in the suite)."""
    return job_content(client, url)


def visit(client, url, **kwargs):
    """What the page sends: a GET for a page, a POST for the XLSX button (it starts a job)."""
    return (client.post if "/xlsx/" in url else client.get)(url, **kwargs)


def rules_urls(tree):
    code = tree["commune"].code
    return [
        reverse("rules:unit_results", args=[code]) + "?nam=2020",
        reverse("rules:unit_results_xlsx", args=[code]) + "?nam=2020",
        reverse("rules:suggestions", args=[code]) + "?nam=2020",
    ]


# --------------------------------------------------------------------------- permissions


def test_anonymous_is_sent_to_login(client, tree, world):
    for url in [*rules_urls(tree), reverse("rules:catalog"), person_url(world["lan"])]:
        response = visit(client, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["no_role", "other_unit"])
def test_outsiders_get_404_and_nothing_leaks(client, users, tree, world, who):
    client.force_login(users[who])
    for url in [*rules_urls(tree), person_url(world["lan"]), unit_url(tree["commune"])]:
        assert visit(client, url).status_code == 404, url
    # The same answer as for a unit that does not exist.
    assert client.get(reverse("rules:unit_results", args=["NO-SUCH"])).status_code == 404


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_a_role_on_the_district_sees_its_units_eligibility(client, users, tree, world, who):
    client.force_login(users[who])
    for url in rules_urls(tree):
        assert visit(client, url, follow=True).status_code == 200, url
    page = client.get(results_url(tree["district"])).content.decode()
    assert world["lan"].full_name in page and world["minh"].full_name in page
    assert world["outsider"].full_name not in page  # the other district's
    # The other district's officer sees their own people, not ours.
    client.force_login(users["other_unit"])
    page = client.get(results_url(tree["other"])).content.decode()
    assert world["outsider"].full_name in page and world["lan"].full_name not in page


def test_the_catalog_is_open_to_any_user(client, users):
    client.force_login(users["no_role"])
    page = client.get(reverse("rules:catalog")).content.decode()
    assert "Lao động tiên tiến" in page and "98_2023" in page


# --------------------------------------------------------------------------- person page


def test_the_demo_2020_case_reads_eligible_with_its_article(client, users, world):
    client.force_login(users["officer"])
    page = client.get(person_url(world["lan"])).content.decode()
    assert vi("Eligibility in %(year)s") % {"year": 2020} in page
    ldtt = block(page, "LDTT")
    assert "Lao động tiên tiến" in ldtt and label("eligible") in ldtt
    assert "Luật TĐKT 2003, Điều 24" in ldtt  # the 2017 regime's article
    assert label("not_eligible") not in ldtt


def test_the_person_page_says_what_is_missing(client, users, world):
    client.force_login(users["officer"])
    page = client.get(person_url(world["minh"])).content.decode()
    ldtt = block(page, "LDTT")
    assert label("not_eligible") in ldtt and vi("What is missing:") in ldtt
    assert "KHT" in ldtt and "Luật TĐKT 2003, Điều 24" in ldtt
    # Up the ladder: LĐTT first, then CSTĐ cơ sở.
    assert page.index('data-award="LDTT"') < page.index('data-award="CSTDCS"')


def test_the_person_page_year_selector_falls_back_on_a_bad_year(client, users, world):
    client.force_login(users["officer"])
    response = client.get(reverse("org:person_detail", args=[world["lan"].code]) + "?nam=1800")
    assert response.status_code == 200
    assert 'id="eligibility"' in response.content.decode()


# --------------------------------------------------------------------------- unit page


def test_the_unit_page_shows_its_collective_titles_and_links(client, users, tree, world):
    client.force_login(users["officer"])
    page = client.get(unit_url(tree["commune"])).content.decode()
    section = page[page.index('id="eligibility"') :]
    assert "Tập thể lao động tiên tiến" in section  # TTLĐTT, a commune's annual title
    assert reverse("rules:unit_results_xlsx", args=[tree["commune"].code]) in section
    assert reverse("rules:suggestions", args=[tree["commune"].code]) in section


def test_suggestions_page_and_fragment(client, users, tree):
    unit = make_unit(
        {"kind": "department", "ratings": {2019: "HTXS", 2020: "HTXS"}}, parent=tree["district"]
    )
    client.force_login(users["officer"])
    url = reverse("rules:suggestions", args=[unit.code]) + "?nam=2020"
    page = client.get(url).content.decode()
    assert "<html" in page and "Bằng khen" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Bằng khen" in fragment


# --------------------------------------------------------------------------- results table


def test_filters_by_verdict_and_award(client, users, tree, world):
    client.force_login(users["officer"])
    page = client.get(results_url(tree["commune"], ket_qua="not_eligible", danh_hieu="LDTT"))
    html = page.content.decode()
    rows = html[html.index("<tbody>", html.index('class="list"')) :]
    assert world["minh"].full_name in rows and world["lan"].full_name not in rows
    page = client.get(results_url(tree["commune"], ket_qua="eligible", danh_hieu="LDTT"))
    rows = page.content.decode()
    rows = rows[rows.index("<tbody>", rows.index('class="list"')) :]
    assert world["lan"].full_name in rows and world["minh"].full_name not in rows


def test_the_xlsx_holds_the_units_results_only(client, users, tree, world):
    """Written by a background job (run at once in the suite): the link leads to the job's
    page, which offers the file."""
    client.force_login(users["officer"])
    url = reverse("rules:unit_results_xlsx", args=[tree["district"].code]) + "?nam=2020"
    assert client.get(url).status_code == 405  # a link followed starts nothing
    job_page = client.post(url, follow=True)
    assert job_page.status_code == 200
    job = job_page.context["job"]
    assert job.status == "succeeded" and job.user == users["officer"]
    response = client.get(reverse("jobs:result", args=[job.pk]))
    assert "attachment" in response["Content-Disposition"]
    assert f"xet-thi-dua-{tree['district'].code}-2020.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    codes = {row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert {world["lan"].code, world["minh"].code} <= codes
    assert world["outsider"].code not in codes
    criteria = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert any("Luật TĐKT 2003, Điều 24" in (row[5] or "") for row in criteria)
    # Another user neither sees the job nor gets its file.
    client.force_login(users["other_unit"])
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404


# --------------------------------------------------------------------------- query budgets


def _populate(unit, n, year=2020):
    for i in range(n):
        make_person(
            unit,
            {
                "ratings": {year - 1: "HTT", year: "HTXS" if i % 2 else "HTT"},
                "awards": [("LDTT", year - 1), ("LDTT", year)],
            },
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_unit_page_and_the_results_table_do_not_grow_with_the_population(
    client, users, tree, django_assert_max_num_queries
):
    small, large = tree["commune"], tree["commune2"]
    _populate(small, 5)
    _populate(large, 50)
    client.force_login(users["officer"])
    for url_of in (unit_url, results_url, lambda u: rules_urls_for(u)[2]):
        counts = [_count(client, url_of(unit)) for unit in (small, large)]
        assert counts[0] == counts[1], (url_of, counts)
    # the unit page: its own ~13 queries and one engine run of ~15
    with django_assert_max_num_queries(33):  # +1: the decisions panel, +1: official codes
        client.get(unit_url(large))
    with django_assert_max_num_queries(26):  # +3: the working year (one query per app)
        client.get(results_url(large))
    with django_assert_max_num_queries(
        43
    ):  # two runs (this year and the one before), the working year
        client.get(rules_urls_for(large)[2])


def rules_urls_for(unit):
    return [
        reverse(name, args=[unit.code]) + "?nam=2020"
        for name in ("rules:unit_results", "rules:unit_results_xlsx", "rules:suggestions")
    ]


def test_the_person_page_does_not_grow_with_the_record(
    client, users, tree, django_assert_max_num_queries
):
    # The same kinds of records (the timeline reads one query per kind), not as many.
    short = make_person(
        tree["commune"],
        {
            "employments": [("2001-01-01", "2010-01-01"), ("2010-01-01", None)],
            "ratings": {2020: "HTT"},
            "awards": [("LDTT", 2020)],
            "initiatives": [(2020, "co_so")],
            "disciplines": [("khien_trach", "2012-01-01", "2012-06-01")],
        },
    )
    long = make_person(
        tree["commune"],
        {
            "employments": [("2001-01-01", "2010-01-01"), ("2010-01-01", None)],
            "ratings": dict.fromkeys(range(2005, 2021), "HTXS"),
            "awards": [("LDTT", y) for y in range(2005, 2021)]
            + [("CSTDCS", y) for y in range(2015, 2021)],
            "initiatives": [(y, "co_so") for y in range(2015, 2021)],
            "disciplines": [("khien_trach", "2012-01-01", "2012-06-01")],
        },
    )
    client.force_login(users["officer"])
    counts = [_count(client, person_url(p)) for p in (short, long)]
    assert counts[0] == counts[1], counts
    # +1: may the user change this person; +1: the decisions panel; +1: the periods of the
    # person's history the user may see; +1: the engine's narrow run for one person reads
    # the block leads and memberships of their units (2) where the wide run it replaced
    # counted the units (1)
    with django_assert_max_num_queries(33):
        client.get(person_url(long))


def test_results_are_explained_in_the_active_language(client, users, tree, world):
    client.force_login(users["officer"])
    client.cookies["django_language"] = "en"
    page = client.get(
        results_url(tree["commune"], ket_qua="not_eligible", danh_hieu="LDTT"),
        headers={"Accept-Language": "en"},
    ).content.decode()
    assert "Rated KHT for 2020, below HTT." in page
    assert datetime.date(2020, 12, 10).strftime("%d/%m/%Y") in page  # the dossier date


def test_a_dossier_date_before_the_end_of_the_year_is_refused_on_its_field(
    client, users, tree, world
):
    client.force_login(users["officer"])
    response = client.get(results_url(tree["district"], ngay="30/06/2020"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "10/12/2020" in page
    assert "2017" in page  # the default dossier date's rule set is used instead


# --------------------------------------------------------------------------- readable explanations


def _outside_details(html: str) -> str:
    """The block without its collapsed parts."""
    import re

    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def test_reasons_are_visible_and_readable_when_not_eligible(client, users, world):
    client.force_login(users["officer"])
    page = client.get(person_url(world["minh"])).content.decode()
    ldtt = block(page, "LDTT")
    visible = _outside_details(ldtt)
    assert "Lao động tiên tiến" in visible and "(LDTT)" not in ldtt  # a name, not a code
    assert "KHT" in visible and "Luật TĐKT 2003, Điều 24" in visible  # reason with its basis
    assert ".;" not in page and "[UNVERIFIED]" not in page  # no technical tags for an officer
    assert vi("Technical details") not in page
    assert "Deployment parameter" not in page and vi("Deployment parameter") not in page


def test_what_is_missing_is_said_as_the_action_that_resolves_it(client, users, tree):
    nobody_rated = make_person(tree["commune"])
    client.force_login(users["officer"])
    page = client.get(person_url(nobody_rated, 2020)).content.decode()
    with translation.override("vi"):
        action = translation.gettext("Enter the rating for %(year)s.") % {"year": 2020}
    assert action in block(page, "LDTT")


def test_the_administrator_alone_sees_the_technical_details(client, tree, world):
    from thidua.org.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(person_url(world["minh"])).content.decode()
    ldtt = block(page, "LDTT")
    assert vi("Technical details") in page and "<code>conduct</code>" in page
    assert "2017" in page
    assert "(LDTT)" not in _outside_details(ldtt)


def test_the_xlsx_writes_a_name_starting_with_equals_as_text(client, users, tree, world):
    """Formula injection: a name typed as `=HYPERLINK(…)` stays text in the download."""
    lan = world["lan"]
    lan.family_name = '=HYPERLINK("http://evil.example","x")'
    lan.save()
    client.force_login(users["officer"])
    url = reverse("rules:unit_results_xlsx", args=[tree["district"].code]) + "?nam=2020"
    book = load_workbook(io.BytesIO(downloaded(client, url)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = [c.value for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPER")]
    assert names and names[0].startswith('=HYPERLINK("http://evil.example","x")')


def test_the_results_page_opens_on_the_working_year_not_on_an_empty_one(client, users, tree, world):
    """Without `?nam=`, the year is the one being rated (here the latest year with ratings,
    2020), not today's year, which holds no records."""
    client.force_login(users["officer"])
    page = client.get(reverse("rules:unit_results", args=[tree["commune"].code]))
    assert page.status_code == 200
    assert 'value="2020"' in page.content.decode()
    assert world["lan"].full_name in page.content.decode()

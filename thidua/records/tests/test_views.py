"""The entry pages of yearly records as a user meets them: who may use them (anonymous,
no role, a role on another unit, a viewer, the officer; a refusal changes nothing), the
ratings grid with and without htmx, its warnings and query budget, and a decision from
above written with all its recipients at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
)
from thidua.records.choices import AbsenceKind, RatingLevel
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    PendingReview,
    PersonRating,
    UnitRating,
)

pytestmark = pytest.mark.django_db
YEAR = 2025


def vi(text, **params) -> str:
    """A message as the (Vietnamese) page shows it."""
    with translation.override("vi"):
        return translation.gettext(text) % params if params else translation.gettext(text)


@pytest.fixture
def staff(tree):
    """Three people of the commune employed all of 2025."""
    people = []
    for n, given in enumerate(["An", "Bình", "Chi"]):
        person = PersonFactory(code=f"P-{n}", given_name=given)
        EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2020, 1, 1))
        people.append(person)
    return people


def grid_url(tree, year=YEAR):
    return reverse("records:rating_grid", args=[tree["commune"].code, year])


def cell_url(tree, year=YEAR):
    return reverse("records:rating_cell", args=[tree["commune"].code, year])


def login(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])


# --------------------------------------------------------------------------- permissions

DENIED = {"anonymous": 302, "no_role": 404, "other_unit": 404, "viewer": 403}


@pytest.mark.parametrize("who", list(DENIED))
def test_only_an_officer_of_the_unit_may_enter_ratings(client, tree, users, staff, who):
    login(client, users, who)
    person = staff[0]
    assert client.get(grid_url(tree)).status_code == DENIED[who]
    posted = {"row": person.code, f"level-{person.code}": "HTT"}
    assert client.post(cell_url(tree), posted).status_code == DENIED[who]
    grid = client.post(grid_url(tree), {f"level-{person.code}": "HTT", "level-u": "HTT"})
    assert grid.status_code == DENIED[who]
    everyone = reverse("records:rate_everyone", args=[tree["commune"].code, YEAR])
    assert client.post(everyone, {"level": "HTT"}).status_code == DENIED[who]
    assert not PersonRating.objects.exists() and not UnitRating.objects.exists()
    assert not AuditEntry.objects.exclude(action__startswith="accounts.log").exists()


@pytest.mark.parametrize("who", list(DENIED))
def test_only_an_officer_may_record_person_facts(client, tree, users, staff, who):
    login(client, users, who)
    code = staff[0].code
    pages = {
        "records:discipline": {
            "measure": "khien_trach",
            "effective_from": "01/03/2025",
            "duty_related": "on",
        },
        "records:absence": {"kind": "long_absence", "start": "01/03/2025", "end": "01/06/2025"},
        "records:person_review": {"kind": "complaint", "started_on": "01/03/2025"},
    }
    for name, data in pages.items():
        url = reverse(name, args=[code])
        assert client.get(url).status_code == DENIED[who], name
        assert client.post(url, data).status_code == DENIED[who], name
    assert not Discipline.objects.exists() and not Absence.objects.exists()
    assert not PendingReview.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "no_role", "viewer"])
def test_decision_and_initiative_pages_refuse_users_who_may_not_write(
    client, tree, users, staff, who
):
    login(client, users, who)
    expected = 302 if who == "anonymous" else 403
    for name in ("records:award_decision", "records:initiative"):
        assert client.get(reverse(name)).status_code == expected
        assert client.post(reverse(name), {"save": "1"}).status_code == expected
    assert not Award.objects.exists() and not Initiative.objects.exists()


def test_an_officer_of_another_unit_cannot_pick_people_outside_their_scope(
    client, tree, users, staff
):
    client.force_login(users["other_unit"])
    response = client.post(
        reverse("records:award_decision"),
        {**decision_data(tree), "person": [staff[0].code], "save": "1"},
    )
    assert response.status_code == 400
    assert not Award.objects.exists()


# --------------------------------------------------------------------------- ratings grid


def test_grid_lists_the_unit_and_everyone_employed_that_year(client, tree, users, staff):
    gone = PersonFactory(code="P-GONE", given_name="Dũng")
    EmploymentFactory(
        person=gone,
        unit=tree["commune"],
        start=datetime.date(2010, 1, 1),
        end=datetime.date(2024, 1, 1),
    )
    client.force_login(users["officer"])
    html = client.get(grid_url(tree)).content.decode()
    assert 'id="row-u"' in html and tree["commune"].name in html
    for person in staff:
        assert f'id="row-{person.code}"' in html
    assert "row-P-GONE" not in html  # left before the year


def test_a_cell_saves_through_htmx_and_answers_its_row(client, tree, users, staff):
    client.force_login(users["officer"])
    person = staff[0]
    response = client.post(
        cell_url(tree),
        {"row": person.code, f"level-{person.code}": "HTXS", f"score-{person.code}": "92,5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{person.code}"') and 'class="saved"' in html
    rating = PersonRating.objects.get(person=person, year=YEAR)
    assert (rating.level, str(rating.score)) == ("HTXS", "92.50")
    assert AuditEntry.objects.filter(action="records.person_rating.create").count() == 1


def test_a_score_outside_its_band_is_refused_with_its_reason_next_to_the_cell(
    client, tree, users, staff
):
    client.force_login(users["officer"])
    person = staff[0]
    response = client.post(
        cell_url(tree),
        {"row": person.code, f"level-{person.code}": "HTXS", f"score-{person.code}": "75"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    expected = vi(
        "Score %(score)s is in band %(band)s, not %(level)s.", score=75, band="HTT", level="HTXS"
    )
    assert expected in html
    assert 'aria-invalid="true"' in html and 'value="75"' in html
    assert not PersonRating.objects.exists()


def test_the_unit_row_rates_the_unit(client, tree, users, staff):
    client.force_login(users["officer"])
    client.post(cell_url(tree), {"row": "u", "level-u": "HTT"}, HTTP_HX_REQUEST="true")
    assert UnitRating.objects.get(unit=tree["commune"], year=YEAR).level == RatingLevel.HTT


def test_without_javascript_the_grid_saves_all_or_nothing(client, tree, users, staff):
    client.force_login(users["officer"])
    a, b, c = staff
    bad = client.post(
        grid_url(tree),
        {
            f"level-{a.code}": "HTT",
            f"level-{b.code}": "HT",
            f"score-{b.code}": "95",  # band HTXS: refused
            "level-u": "HTT",
        },
    )
    assert bad.status_code == 400
    assert 'class="field-error"' in bad.content.decode()
    assert not PersonRating.objects.exists() and not UnitRating.objects.exists()

    good = client.post(
        grid_url(tree),
        {
            f"level-{a.code}": "HTT",
            f"level-{b.code}": "",
            f"score-{b.code}": "95",  # no level: the band's
            f"level-{c.code}": "HT",
            "level-u": "HTT",
        },
    )
    assert good.status_code == 302
    levels = dict(PersonRating.objects.values_list("person__code", "level"))
    assert levels == {a.code: "HTT", b.code: "HTXS", c.code: "HT"}
    assert UnitRating.objects.get().level == "HTT"


def test_everyone_htt_rates_only_those_not_yet_rated_in_one_audited_step(
    client, tree, users, staff
):
    PersonRatingFactory(person=staff[0], year=YEAR, level=RatingLevel.HTXS)
    client.force_login(users["officer"])
    url = reverse("records:rate_everyone", args=[tree["commune"].code, YEAR])
    assert client.post(url, {"level": "HTT"}).status_code == 302
    levels = dict(PersonRating.objects.filter(year=YEAR).values_list("person__code", "level"))
    assert levels == {staff[0].code: "HTXS", staff[1].code: "HTT", staff[2].code: "HTT"}
    assert UnitRating.objects.get(unit=tree["commune"], year=YEAR).level == "HTT"
    entry = AuditEntry.objects.get(action="records.person_rating.rate_everyone")
    assert entry.after["people"] == [staff[1].code, staff[2].code]


def test_grid_warns_on_ratings_that_cannot_stand(client, tree, users, staff):
    short = PersonFactory(code="P-SHORT", given_name="Dung")
    EmploymentFactory(person=short, unit=tree["commune"], start=datetime.date(2025, 9, 1))
    mother = PersonFactory(code="P-MOM", given_name="Hoa")  # on maternity leave since March
    EmploymentFactory(person=mother, unit=tree["commune"], start=datetime.date(2024, 9, 1))
    Absence.objects.create(
        person=mother,
        kind=AbsenceKind.MATERNITY,
        start=datetime.date(2025, 3, 15),
        end=datetime.date(2025, 9, 15),
    )
    away = staff[0]
    Absence.objects.create(
        person=away,
        kind=AbsenceKind.LONG_ABSENCE,
        start=datetime.date(2025, 3, 1),
        end=datetime.date(2025, 7, 1),
    )
    for person in (short, mother, away, staff[1]):
        PersonRatingFactory(person=person, year=YEAR, level=RatingLevel.HTT)
    client.force_login(users["officer"])
    html = client.get(grid_url(tree)).content.decode()

    def row(code):
        start = html.index(f'id="row-{code}"')
        return html[start : html.index("</tr>", start)]

    worked = vi(
        "Worked %(worked)s months in %(year)s: fewer than 6 months, so not rated for that year.",
        worked="4",
        year=2025,
    )
    absent = vi(
        "Absent %(absent)s months in %(year)s (3 to under 6 months): cannot be rated "
        "“Completed tasks well” or better.",
        absent="4",
        year=2025,
    )
    assert worked in row("P-SHORT")
    assert "badge-warn" not in row("P-MOM")  # maternity counts as working time
    assert absent in row(away.code)
    assert "badge-warn" not in row(staff[1].code)


def make_staff(unit, count):
    for _n in range(count):
        person = PersonFactory()
        EmploymentFactory(person=person, unit=unit, start=datetime.date(2020, 1, 1))
        PersonRatingFactory(person=person, year=YEAR, level=RatingLevel.HTT, score=80)


@pytest.mark.parametrize("count", [5, 50])
def test_grid_query_count_does_not_grow_with_the_unit(
    client, tree, users, count, django_assert_max_num_queries
):
    make_staff(tree["commune"], count)
    client.force_login(users["officer"])
    client.get(grid_url(tree))  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(grid_url(tree))
    assert response.content.decode().count('<th scope="row">') == count + 1


@pytest.mark.parametrize("count", [5, 50])
def test_a_cell_save_costs_the_same_in_any_unit(
    client, tree, users, count, django_assert_max_num_queries
):
    make_staff(tree["commune"], count)
    person = PersonFactory(code="P-NEW")
    EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2020, 1, 1))
    client.force_login(users["officer"])
    data = {"row": "P-NEW", "level-P-NEW": "HT"}
    with django_assert_max_num_queries(25):
        assert client.post(cell_url(tree), data, HTTP_HX_REQUEST="true").status_code == 200


# --------------------------------------------------------------------------- person facts


def test_officer_records_discipline_with_dates_typed_dd_mm_yyyy(client, tree, users, staff):
    client.force_login(users["officer"])
    url = reverse("records:discipline", args=[staff[0].code])
    response = client.post(
        url,
        {
            "measure": "khien_trach",
            "duty_related": "on",
            "decision_number": "12/QĐ-UBND",
            "decision_date": "15/03/2025",
            "effective_from": "15/03/2025",
        },
    )
    assert response.status_code == 302
    d = Discipline.objects.get()
    assert d.effective_from == datetime.date(2025, 3, 15)
    assert AuditEntry.objects.filter(action="records.discipline.create").exists()


def test_a_bad_date_names_the_field(client, tree, users, staff):
    client.force_login(users["officer"])
    url = reverse("records:absence", args=[staff[0].code])
    response = client.post(url, {"kind": "maternity", "start": "31/02/2025", "end": "01/09/2025"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_start_error"' in html
    assert vi("Enter a date as dd/mm/yyyy, e.g. 31/12/2025.") in html
    assert not Absence.objects.exists()


def test_absence_end_before_start_is_refused_on_the_end(client, tree, users, staff):
    client.force_login(users["officer"])
    url = reverse("records:absence", args=[staff[0].code])
    response = client.post(url, {"kind": "maternity", "start": "01/09/2025", "end": "01/03/2025"})
    assert 'id="id_end_error"' in response.content.decode()
    assert not Absence.objects.exists()


def test_a_review_is_opened_and_closed(client, tree, users, staff):
    client.force_login(users["officer"])
    url = reverse("records:person_review", args=[staff[0].code])
    assert client.post(url, {"kind": "complaint", "started_on": "01/03/2025"}).status_code == 302
    review = PendingReview.objects.get()
    close = reverse("records:close_review", args=[review.pk])
    assert client.post(close, {"ended_on": "01/05/2025"}).status_code == 302
    review.refresh_from_db()
    assert review.ended_on == datetime.date(2025, 5, 1)


def test_unit_review(client, tree, users):
    client.force_login(users["officer"])
    url = reverse("records:unit_review", args=[tree["commune"].code])
    assert client.post(url, {"kind": "inspection", "started_on": "01/03/2025"}).status_code == 302
    assert PendingReview.objects.get().unit == tree["commune"]


# --------------------------------------------------------------------------- pickers


def decision_data(tree):
    return {
        "decision_number": "45/QĐ-UBND",
        "decision_date": "20/01/2026",
        "authority": str(tree["province"].pk),
        "signer": "Trần Văn Bình",
        "award_code": "LDTT",
        "commendation_type": "cong_trang",
        "period_start": "01/01/2025",
        "period_end": "31/12/2025",
    }


def test_search_finds_people_in_scope_without_accents(client, tree, users, staff):
    outsider = PersonFactory(code="P-OUT", given_name="Bình")
    EmploymentFactory(person=outsider, unit=tree["other"])
    client.force_login(users["officer"])
    response = client.post(
        reverse("records:award_decision"), {**decision_data(tree), "q": "binh", "search": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{staff[1].code}"' in html and "P-OUT" not in html
    assert 'class="field-error"' not in html  # a search shows no validation errors
    assert not Award.objects.exists()


def test_one_decision_with_three_recipients_is_written_at_once(client, tree, users, staff):
    client.force_login(users["officer"])
    data = {
        **decision_data(tree),
        "award_code": "BK_TINH",
        "person": [staff[0].code, staff[1].code],
        "unit": [tree["commune"].code],
        "save": "1",
    }
    response = client.post(reverse("records:award_decision"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    awards = Award.objects.order_by("id")
    assert [a.recipient for a in awards] == [staff[0], staff[1], tree["commune"]]
    assert {a.decision_number for a in awards} == {"45/QĐ-UBND"}
    assert AuditEntry.objects.filter(action="records.award.create").count() == 3

    again = client.post(reverse("records:award_decision"), data)
    assert again.status_code == 400 and Award.objects.count() == 3


def test_a_decision_without_recipients_says_so(client, tree, users):
    client.force_login(users["officer"])
    response = client.post(reverse("records:award_decision"), {**decision_data(tree), "save": "1"})
    assert response.status_code == 400
    assert vi("Choose at least one recipient.") in response.content.decode()


def test_an_individual_award_refuses_a_unit(client, tree, users, staff):
    client.force_login(users["officer"])
    data = {**decision_data(tree), "unit": [tree["commune"].code], "save": "1"}
    response = client.post(reverse("records:award_decision"), data)
    assert response.status_code == 400
    expected = vi("%(code)s is not conferred on collectives.", code="LDTT")
    assert expected in response.content.decode()
    assert not Award.objects.exists()


def test_initiative_with_two_authors(client, tree, users, staff):
    client.force_login(users["officer"])
    data = {
        "code": "SK-2025-01",
        "kind": "initiative",
        "title": "Số hoá hồ sơ thi đua",
        "scope": "co_so",
        "recognised_on": "10/12/2025",
        "person": [staff[0].code, staff[2].code],
        "save": "1",
    }
    assert client.post(reverse("records:initiative"), data).status_code == 302
    work = Initiative.objects.get()
    assert set(work.authors.all()) == {staff[0], staff[2]}


ENTRY_URLS = [
    ("records:rating_grid", lambda t, p: [t["commune"].code, YEAR]),
    ("records:rating_cell", lambda t, p: [t["commune"].code, YEAR]),
    ("records:rate_everyone", lambda t, p: [t["commune"].code, YEAR]),
    ("records:discipline", lambda t, p: [p.code]),
    ("records:absence", lambda t, p: [p.code]),
    ("records:person_review", lambda t, p: [p.code]),
    ("records:unit_review", lambda t, p: [t["commune"].code]),
    ("records:initiative", lambda t, p: []),
    ("records:award_decision", lambda t, p: []),
    ("org:add_person", lambda t, p: []),
    ("org:hire", lambda t, p: [p.code]),
    ("org:transfer", lambda t, p: [p.code]),
    ("org:end_employment", lambda t, p: [p.code]),
]


@pytest.mark.parametrize("name,args", ENTRY_URLS, ids=[n for n, _a in ENTRY_URLS])
def test_a_viewer_is_refused_on_every_entry_url(client, tree, users, staff, name, args):
    client.force_login(users["viewer"])
    url = reverse(name, args=args(tree, staff[0]))
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {"save": "1", "level": "HTT"}).status_code == 403
    assert not AuditEntry.objects.exclude(action__startswith="accounts.log").exists()


def test_the_person_page_link_preselects_the_recipient(client, tree, users, staff):
    client.force_login(users["officer"])
    person_page = client.get(reverse("org:person_detail", args=[staff[0].code])).content.decode()
    link = reverse("records:award_decision") + f"?person={staff[0].code}"
    assert link in person_page
    html = client.get(link).content.decode()
    assert f'name="person" value="{staff[0].code}" checked' in html

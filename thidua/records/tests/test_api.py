"""The records read API: who sees what (a permission matrix per endpoint), filters,
validation and the query budget."""

import datetime

import pytest

from thidua.accounts.choices import Role
from thidua.accounts.models import ApiToken
from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services as org_services
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UnitRatingFactory,
    user_with_role,
)
from thidua.records.choices import (
    AbsenceKind,
    AwardStatus,
    DisciplineMeasure,
    RatingLevel,
    ReviewKind,
    Scope,
    WorkKind,
)
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    PendingReview,
    PersonRating,
    UnitRating,
)

D = datetime.date


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(users):
    return {key: ApiToken.issue(user, "test")[1] for key, user in users.items()}


@pytest.fixture
def world(tree):
    """One record of each kind in the district (person P-KB of commune KB-TL, and the
    district itself), and one of each in the other district (P-TL, TL)."""
    made = {}
    for side, unit, code in (("ours", tree["commune"], "P-KB"), ("theirs", tree["other"], "P-TL")):
        person = PersonFactory(code=code)
        EmploymentFactory(person=person, unit=unit, start=D(2015, 1, 1))
        collective = tree["district"] if side == "ours" else tree["other"]
        initiative = Initiative.objects.create(
            code=f"SK-{code}",
            kind=WorkKind.INITIATIVE,
            title=f"Sáng kiến {code}",
            scope=Scope.CO_SO,
            recognised_on=D(2020, 11, 1),
        )
        initiative.authors.add(person)
        made[side] = {
            "person": person,
            "person_rating": PersonRatingFactory(person=person, year=2020),
            "unit_rating": UnitRatingFactory(unit=collective, year=2020),
            "award": AwardFactory(person=person, authority=tree["province"]),
            "unit_award": AwardFactory(
                person=None, unit=collective, award_code="TTLDXS", authority=tree["province"]
            ),
            "discipline": Discipline.objects.create(
                person=person, measure=DisciplineMeasure.KHIEN_TRACH, effective_from=D(2021, 3, 1)
            ),
            "initiative": initiative,
            "review": PendingReview.objects.create(
                person=person, kind=ReviewKind.COMPLAINT, started_on=D(2024, 5, 1)
            ),
            "absence": Absence.objects.create(
                person=person, kind=AbsenceKind.MATERNITY, start=D(2022, 1, 1), end=D(2022, 7, 1)
            ),
        }
    return made


# endpoint → how to name an item of it (for "present / absent" checks) and the value
# that identifies the district's item.
ENDPOINTS = {
    "/api/records/person-ratings": ("person_code", "P-KB"),
    "/api/records/unit-ratings": ("unit_code", "KB"),
    "/api/records/awards": ("decision_number", None),
    "/api/records/disciplines": ("person_code", "P-KB"),
    "/api/records/initiatives": ("code", "SK-P-KB"),
    "/api/records/pending-reviews": ("person_code", "P-KB"),
    "/api/records/absences": ("person_code", "P-KB"),
}
OTHER = {
    "/api/records/person-ratings": "P-TL",
    "/api/records/unit-ratings": "TL",
    "/api/records/disciplines": "P-TL",
    "/api/records/initiatives": "SK-P-TL",
    "/api/records/pending-reviews": "P-TL",
    "/api/records/absences": "P-TL",
}


def values(response, key):
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


# ----------------------------------------------------------------- permission matrix


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_token_is_401(client, world, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_invalid_token_is_401(client, tokens, world, url):
    assert client.get(url, headers=bearer("thd_forged")).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_user_without_role_sees_nothing(client, tokens, world, url):
    response = client.get(url, headers=bearer(tokens["no_role"]))
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("url", [u for u in ENDPOINTS if u in OTHER])
def test_officer_of_another_unit_sees_only_theirs(client, tokens, world, url):
    key, ours = ENDPOINTS[url]
    seen = values(client.get(url, headers=bearer(tokens["other_unit"])), key)
    assert seen == [OTHER[url]]
    assert ours not in seen


@pytest.mark.parametrize("who", ["officer", "viewer"])
@pytest.mark.parametrize("url", [u for u in ENDPOINTS if u in OTHER])
def test_district_users_see_the_district(client, tokens, world, url, who):
    key, ours = ENDPOINTS[url]
    assert values(client.get(url, headers=bearer(tokens[who])), key) == [ours]


def test_awards_matrix(client, tokens, world):
    def numbers(who):
        return set(values(client.get("/api/records/awards", headers=bearer(tokens[who])), "id"))

    ours = {world["ours"]["award"].pk, world["ours"]["unit_award"].pk}
    theirs = {world["theirs"]["award"].pk, world["theirs"]["unit_award"].pk}
    assert numbers("officer") == ours
    assert numbers("other_unit") == theirs
    assert numbers("no_role") == set()


def test_reads_change_nothing(client, tokens, world):
    def state():
        return (
            AuditEntry.objects.count(),
            list(PersonRating.objects.values_list("pk", "level", "score")),
            list(UnitRating.objects.values_list("pk", "level")),
            list(Award.objects.values_list("pk", "status", "annulled_reason")),
            Discipline.objects.count(),
        )

    before = state()
    for url in ENDPOINTS:
        client.get(url)
        client.get(url, headers=bearer("thd_forged"))
        for who in tokens:
            client.get(url, headers=bearer(tokens[who]))
    assert state() == before


def test_session_login_reads_records(client, users, world):
    client.force_login(users["viewer"])
    assert values(client.get("/api/records/person-ratings"), "person_code") == ["P-KB"]


# --------------------------------------------------------------------------- content


def test_person_rating_item(client, tokens, world):
    rating = world["ours"]["person_rating"]
    rating.score, rating.level, rating.regime = 92.5, RatingLevel.HTXS, "335/2025"
    rating.save()
    item = client.get("/api/records/person-ratings", headers=bearer(tokens["viewer"])).json()
    assert item["items"][0] == {
        "person_code": "P-KB",
        "person_name": world["ours"]["person"].full_name,
        "year": 2020,
        "level": "HTXS",
        "level_label": str(RatingLevel.HTXS.label),
        "score": "92.50",
        "regime": "335/2025",
    }


def test_award_item_names_the_award_and_the_authority(client, tokens, world):
    award = world["ours"]["award"]
    response = client.get(
        "/api/records/awards?person=P-KB",
        headers=bearer(tokens["viewer"]),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    (item,) = response.json()["items"]
    assert item["id"] == award.pk
    assert item["award_code"] == "LDTT"
    assert item["award_name"] == "Lao động tiên tiến"
    assert (item["recipient_type"], item["person_code"], item["unit_code"]) == (
        "person",
        "P-KB",
        None,
    )
    assert (item["authority_code"], item["period_start"], item["period_end"]) == (
        "HN",
        "2020-01-01",
        "2020-12-31",
    )
    (collective,) = client.get(
        "/api/records/awards?award_code=TTLDXS", headers=bearer(tokens["viewer"])
    ).json()["items"]
    assert (collective["recipient_type"], collective["unit_code"]) == ("unit", "KB")


def test_initiative_lists_its_authors_the_caller_may_see(client, tokens, world, tree):
    ours, theirs = world["ours"]["person"], world["theirs"]["person"]
    ours.given_name, theirs.given_name = "Yến", "Anh"  # Anh sorts first
    ours.save()
    theirs.save()
    world["ours"]["initiative"].authors.add(theirs)
    # The province sees both authors, in Vietnamese order of names.
    province = user_with_role(Role.OFFICER, tree["province"])
    response = client.get(
        "/api/records/initiatives", headers=bearer(ApiToken.issue(province, "test")[1])
    )
    item = next(i for i in response.json()["items"] if i["code"] == "SK-P-KB")
    assert item["authors"] == [
        {"code": "P-TL", "full_name": theirs.full_name},
        {"code": "P-KB", "full_name": ours.full_name},
    ]
    # The district names only its own author: the co-author from the other district is
    # outside its scope (privacy of history, as on the pages and in the export).
    response = client.get("/api/records/initiatives", headers=bearer(tokens["officer"]))
    (item,) = response.json()["items"]
    assert item["authors"] == [{"code": "P-KB", "full_name": ours.full_name}]
    assert (
        values(
            client.get("/api/records/initiatives?person=P-TL", headers=bearer(tokens["officer"])),
            "code",
        )
        == []
    )
    # A co-author from the other district makes the initiative visible there too, naming
    # only that district's author.
    other = client.get("/api/records/initiatives", headers=bearer(tokens["other_unit"]))
    assert sorted(values(other, "code")) == ["SK-P-KB", "SK-P-TL"]
    shared = next(i for i in other.json()["items"] if i["code"] == "SK-P-KB")
    assert shared["authors"] == [{"code": "P-TL", "full_name": theirs.full_name}]


# --------------------------------------------------------------------------- filters


def test_person_ratings_by_year_person_and_level(client, tokens, world):
    person = world["ours"]["person"]
    PersonRatingFactory(person=person, year=2021, level=RatingLevel.HT)
    headers = bearer(tokens["officer"])

    def years(query):
        return values(client.get(f"/api/records/person-ratings?{query}", headers=headers), "year")

    assert years("") == [2021, 2020]
    assert years("year=2020") == [2020]
    assert years("level=HT") == [2021]
    assert years("person=P-TL") == []


def test_person_ratings_by_unit_follow_the_year_worked_there(client, tree, tokens, world):
    """A person transferred on 1 Jan 2021 is rated for 2020 in the old unit and for 2021 in
    the new one."""
    person = world["ours"]["person"]
    PersonRatingFactory(person=person, year=2021)
    org_services.transfer_person(person, tree["commune2"], D(2021, 1, 1), actor=SYSTEM)
    headers = bearer(tokens["officer"])

    def years(unit):
        url = f"/api/records/person-ratings?unit={unit}"
        return values(client.get(url, headers=headers), "year")

    assert years("KB-TL") == [2020]
    assert years("KB-NK") == [2021]
    assert years("KB") == []


def test_unit_ratings_by_year_and_unit(client, tree, tokens, world):
    UnitRatingFactory(unit=tree["commune"], year=2021)
    headers = bearer(tokens["officer"])
    url = "/api/records/unit-ratings"
    assert values(client.get(f"{url}?year=2021", headers=headers), "unit_code") == ["KB-TL"]
    assert values(client.get(f"{url}?unit=KB", headers=headers), "year") == [2020]


def test_awards_by_achievement_year_code_unit_and_status(client, tree, tokens, world):
    person = world["ours"]["person"]
    two_years = AwardFactory(
        person=person,
        award_code="BK_TINH",
        period_start=D(2021, 1, 1),
        period_end=D(2022, 12, 31),
        decision_date=D(2020, 5, 1),  # the decision's date does not count for `year`
        authority=tree["province"],
    )
    annulled = AwardFactory(person=person, status=AwardStatus.ANNULLED, authority=tree["province"])
    headers = bearer(tokens["officer"])

    def ids(query):
        return set(values(client.get(f"/api/records/awards?{query}", headers=headers), "id"))

    ours = world["ours"]
    assert ids("year=2022") == {two_years.pk}
    assert ids("year=2021") == {two_years.pk}
    assert ids("year=2020") == {ours["award"].pk, ours["unit_award"].pk, annulled.pk}
    assert ids("award_code=BK_TINH") == {two_years.pk}
    assert ids("status=annulled") == {annulled.pk}
    # unit: awards to the unit, and to people who worked in it during the period.
    assert ids("unit=KB") == {ours["unit_award"].pk}
    assert ids("unit=KB-TL") == {ours["award"].pk, two_years.pk, annulled.pk}
    assert ids("person=P-KB&year=2020") == {ours["award"].pk, annulled.pk}


def test_awards_by_unit_exclude_people_who_came_after_the_period(client, tree, tokens, world):
    newcomer = PersonFactory(code="P-NEW")
    EmploymentFactory(person=newcomer, unit=tree["commune2"], start=D(2022, 1, 1))
    AwardFactory(person=newcomer, authority=tree["province"])  # for 2020, earned elsewhere
    response = client.get("/api/records/awards?unit=KB-NK", headers=bearer(tokens["officer"]))
    assert response.json()["count"] == 0


def test_disciplines_absences_and_reviews_filters(client, tokens, world):
    headers = bearer(tokens["officer"])
    person = world["ours"]["person"]
    Discipline.objects.create(
        person=person,
        measure=DisciplineMeasure.CANH_CAO,
        effective_from=D(2018, 1, 1),
        effective_to=D(2019, 1, 1),
    )

    def get(url):
        return client.get(url, headers=headers)

    assert values(get("/api/records/disciplines?year=2018"), "measure") == ["canh_cao"]
    assert values(get("/api/records/disciplines?year=2019"), "measure") == []
    assert values(get("/api/records/disciplines?year=2030"), "measure") == ["khien_trach"]
    assert values(get("/api/records/disciplines?unit=KB-TL"), "measure") == [
        "khien_trach",
        "canh_cao",
    ]
    assert values(get("/api/records/absences?year=2022"), "kind") == ["maternity"]
    assert values(get("/api/records/absences?year=2023"), "kind") == []
    assert values(get("/api/records/absences?unit=KB-NK"), "kind") == []
    assert values(get("/api/records/pending-reviews?open=true"), "person_code") == ["P-KB"]
    assert values(get("/api/records/pending-reviews?open=false"), "person_code") == []
    assert values(get("/api/records/initiatives?year=2019"), "code") == []
    assert values(get("/api/records/initiatives?person=P-KB"), "code") == ["SK-P-KB"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/records/person-ratings?year=abc", "year"),
        ("/api/records/person-ratings?level=XX", "level"),
        ("/api/records/awards?status=lost", "status"),
        ("/api/records/awards?year=3000", "year"),
        ("/api/records/pending-reviews?open=maybe", "open"),
        ("/api/records/absences?page_size=0", "page_size"),
    ],
)
def test_bad_query_parameters_are_422(client, tokens, query, field):
    response = client.get(query, headers=bearer(tokens["officer"]))
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


# ---------------------------------------------------------------------- query budget


def _rated_people(tree, n):
    for i in range(n):
        person = PersonFactory()
        EmploymentFactory(person=person, unit=tree["commune"] if i % 2 else tree["commune2"])
        PersonRatingFactory(person=person, year=2020)
        AwardFactory(person=person, authority=tree["district"])
        AwardFactory(
            person=None, unit=tree["commune"], award_code="TTLDTT", authority=tree["district"]
        )


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/records/person-ratings?page_size=200", lambda n: n),
        ("/api/records/awards?page_size=200", lambda n: 2 * n),
        # awards to KB-TL, and to the half of the people who work there
        ("/api/records/awards?page_size=200&unit=KB-TL&year=2020", lambda n: n + n // 2),
    ],
)
def test_query_count_is_constant(
    client, tree, tokens, django_assert_max_num_queries, rows, url, expected
):
    _rated_people(tree, rows)
    # token + its stamp, the scope (3), count, page.
    with django_assert_max_num_queries(7):
        response = client.get(url, headers=bearer(tokens["officer"]))
    assert len(response.json()["items"]) == expected(rows)


@pytest.mark.parametrize("rows", [5, 50])
def test_initiatives_query_count_is_constant(
    client, tree, tokens, django_assert_max_num_queries, rows
):
    people = []
    for _ in range(rows):
        person = PersonFactory()
        EmploymentFactory(person=person, unit=tree["commune"])
        people.append(person)
    for i in range(rows):
        initiative = Initiative.objects.create(
            code=f"SK{i}",
            kind=WorkKind.RESEARCH,
            title="x",
            scope=Scope.CO_SO,
            recognised_on=D(2020, 1, 1),
        )
        initiative.authors.add(people[i], people[(i + 1) % rows])
    # token + stamp, scope (3), count, page, authors.
    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/records/initiatives?page_size=200", headers=bearer(tokens["viewer"])
        )
    assert len(response.json()["items"]) == rows

"""API tokens (the `thidua token` command and bearer authentication), the OpenAPI document
and interactive docs served without any network, and the admin's guard rails."""

import re
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.utils import translation

from thidua.accounts.models import ApiToken, hash_token
from thidua.audit.models import AuditEntry
from thidua.org.models import Person
from thidua.org.tests.factories import (
    AwardFactory,
    EmploymentFactory,
    PersonFactory,
    PersonRatingFactory,
    UserFactory,
)
from thidua.records.models import Award, Discipline, PersonRating, UnitRating

pytestmark = pytest.mark.usefixtures("english")


def token_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# ------------------------------------------------------------------- thidua token


def test_create_prints_the_raw_token_once_and_stores_only_its_hash(client, users, tree):
    out, err = token_command("create", "officer", "--name", "báo cáo")
    raw = out.strip()
    assert re.fullmatch(r"thd_[\w-]{40,}", raw)
    assert "not be shown again" in err
    token = ApiToken.objects.get(user=users["officer"])
    assert token.name == "báo cáo"
    assert token.key_hash == hash_token(raw)
    assert raw not in token.key_hash
    assert AuditEntry.objects.filter(action="accounts.token.issue", target_id=token.pk).exists()

    assert client.get("/api/org/units", headers=bearer(raw)).status_code == 200
    listing, _ = token_command("list", "officer")
    assert raw not in listing
    assert token.key_hash not in listing


def test_list_shows_ids_names_and_last_use(client, users, tree):
    raw = token_command("create", "officer", "--name", "ci")[0].strip()
    token_command("create", "officer")
    client.get("/api/org/units", headers=bearer(raw))
    out, _ = token_command("list", "officer")
    header, first, second = out.strip().splitlines()
    assert header.split("\t")[0] == "ID" and len(header.split("\t")) == 4
    first_id, name, _created, used = first.split("\t")
    assert (name, used != "never") == ("ci", True)
    # Commands speak the default language (Vietnamese).
    with translation.override("vi"):
        never = translation.gettext("never")
    assert second.split("\t")[1:2] == ["-"] and second.endswith(never)
    assert int(first_id) == ApiToken.objects.get(name="ci").pk


def test_revoke_refuses_the_token_from_then_on(client, users, tree):
    raw = token_command("create", "viewer")[0].strip()
    token = ApiToken.objects.get(user=users["viewer"])
    out, _ = token_command("revoke", str(token.pk))
    assert str(token.pk) in out
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/org/units", headers=bearer(raw)).status_code == 401
    assert AuditEntry.objects.filter(action="accounts.token.revoke", target_id=token.pk).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "ghost"), "No user named ghost."),
        (("list", "ghost"), "No user named ghost."),
        (("revoke", "999"), "No API token with id 999."),
    ],
)
def test_command_errors_name_what_is_missing(db, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        token_command(*args)
    assert not ApiToken.objects.exists()


def test_no_token_for_an_inactive_user(db):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="not active"):
        token_command("create", "gone")


# ---------------------------------------------------------------- authentication


def test_bearer_scheme_is_case_insensitive_and_other_schemes_are_refused(client, users, tree):
    raw = ApiToken.issue(users["officer"])[1]
    assert (
        client.get("/api/org/units", headers={"Authorization": f"bearer {raw}"}).status_code == 200
    )
    assert (
        client.get("/api/org/units", headers={"Authorization": f"Token {raw}"}).status_code == 401
    )
    assert client.get(f"/api/org/units?token={raw}").status_code == 401


def test_a_token_acts_as_its_user_not_as_the_session(client, users, tree):
    """A request with a valid token uses the token's scope even with another user's
    session cookie; a bad token with a session falls back to the session."""
    raw = ApiToken.issue(users["other_unit"])[1]
    client.force_login(users["officer"])
    codes = [u["code"] for u in client.get("/api/org/units", headers=bearer(raw)).json()["items"]]
    assert codes == ["TL"]
    fallback = client.get("/api/org/units", headers=bearer("thd_bad")).json()["items"]
    assert "KB" in [u["code"] for u in fallback]


def test_session_of_a_logged_out_user_is_refused(client, users, tree):
    client.force_login(users["officer"])
    client.logout()
    assert client.get("/api/org/units").status_code == 401


# ------------------------------------------------------------- OpenAPI and docs

ENDPOINTS = {
    "/api/org/units",
    "/api/org/units/{code}",
    "/api/org/people",
    "/api/org/people/{code}",
    "/api/org/employments",
    "/api/records/person-ratings",
    "/api/records/unit-ratings",
    "/api/records/awards",
    "/api/records/disciplines",
    "/api/records/initiatives",
    "/api/records/pending-reviews",
    "/api/records/absences",
}


def test_openapi_document_lists_every_endpoint_read_only(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    read_api = {p for p in document["paths"] if p.startswith(("/api/org/", "/api/records/"))}
    assert read_api == ENDPOINTS
    for path in ENDPOINTS:
        operations = document["paths"][path]
        assert set(operations) == {"get"}, path
        assert {"TokenAuth": []} in operations["get"]["security"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    person = document["components"]["schemas"]["PersonOut"]["properties"]
    assert {"code", "full_name", "citizen_id", "birth_date"} <= set(person)


def test_docs_page_uses_only_local_static_files(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "cdn" not in html.lower()
    # No online validator badge (Swagger UI would fetch validator.swagger.io).
    assert '"validatorUrl": null' in html
    assert '"url": "/api/openapi.json"' in html
    # Session use from the docs page sends Django's CSRF token, as ninja requires.
    assert 'data-api-csrf="true"' in html
    assert re.search(r'data-csrf-token="\w+"', html)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        b"".join(served.streaming_content if served.streaming else [served.content])


# --------------------------------------------------------------------------- admin


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="root-pass-123")


@pytest.mark.parametrize("model", [PersonRating, UnitRating, Award, Discipline])
def test_records_are_read_only_in_the_admin(rf, superuser, model):
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_admin_pages_open_for_every_registered_model(client, superuser, tree, users):
    person = PersonFactory()
    EmploymentFactory(person=person, unit=tree["commune"])
    rating = PersonRatingFactory(person=person)
    AwardFactory(person=person, authority=tree["province"])
    ApiToken.issue(users["officer"])
    client.force_login(superuser)
    ours = [m for m in admin.site._registry if m._meta.app_label in {"accounts", "org", "records"}]
    assert {m.__name__ for m in ours} >= {"Unit", "Person", "PersonRating", "Award", "ApiToken"}
    for model in ours:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/admin/records/personrating/{rating.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # read-only: no save button
    assert client.get(f"/admin/auth/user/{users['officer'].pk}/change/").status_code == 200


def test_changing_a_person_in_the_admin_is_audited(client, superuser, tree):
    person = PersonFactory(code="P1", given_name="An")
    client.force_login(superuser)
    response = client.post(
        f"/admin/org/person/{person.pk}/change/",
        {
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "Ân",
            "gender": "M",
            "birth_date": "1985-05-01",
            "citizen_id": "",
            "employments-TOTAL_FORMS": "0",
            "employments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    person.refresh_from_db()
    assert person.given_name == "Ân"
    entry = AuditEntry.objects.get(action="org.person.update")
    assert (entry.before["given_name"], entry.after["given_name"]) == ("An", "Ân")
    assert entry.actor == superuser


def test_admin_staff_see_only_their_scope(client, tree, users):
    ours = PersonFactory(code="P-KB")
    EmploymentFactory(person=ours, unit=tree["commune"])
    theirs = PersonFactory(code="P-TL", citizen_id="001185099999")
    EmploymentFactory(person=theirs, unit=tree["other"])
    staff = users["viewer"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        Permission.objects.get(codename="view_person"),
        Permission.objects.get(codename="change_person"),
    )
    client.force_login(staff)
    page = client.get("/admin/org/person/").content.decode()
    assert "P-KB" in page and "P-TL" not in page
    assert client.get(f"/admin/org/person/{theirs.pk}/change/").status_code == 302  # not found
    # A viewer may not change the person, so no citizen id field and no save.
    detail = client.get(f"/admin/org/person/{ours.pk}/change/").content.decode()
    assert "citizen_id" not in detail
    before = Person.objects.values_list("given_name", flat=True).get(pk=ours.pk)
    client.post(f"/admin/org/person/{ours.pk}/change/", {"given_name": "X"})
    assert Person.objects.values_list("given_name", flat=True).get(pk=ours.pk) == before


def test_revoking_a_token_in_the_admin_is_audited(client, superuser, users, tree):
    token, raw = ApiToken.issue(users["officer"])
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.token.revoke")
    assert entry.actor == superuser
    client.logout()  # else the admin's session would answer
    assert client.get("/api/org/units", headers=bearer(raw)).status_code == 401


def test_admin_token_page_never_shows_the_hash(client, superuser, users, tree):
    token, _ = ApiToken.issue(users["officer"])
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert page.count(token.name or "") and token.key_hash not in page

"""The unit picker: a select of the user's units that works without JavaScript, and a
search by name without diacritics (htmx options, or JSON) that never leaves the scope."""

import datetime

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from thidua.accounts.choices import Action
from thidua.org.models import UnitOfficialCode
from thidua.org.widgets import UnitPickerField

URL = reverse("org:unit_search")


def test_the_search_finds_units_by_name_without_diacritics(client, users, tree):
    client.force_login(users["officer"])
    answer = client.get(URL, {"q": "thanh son", "format": "json"}).json()
    assert answer == {"units": [{"code": "KB-TL", "name": "Xã Thanh Sơn"}]}


def test_the_search_never_leaves_the_scope(client, users, tree):
    client.force_login(users["officer"])
    assert client.get(URL, {"q": "thanh liem", "format": "json"}).json() == {"units": []}


def test_htmx_gets_options_and_keeps_those_chosen(client, users, tree):
    client.force_login(users["officer"])
    html = client.get(
        URL, {"q": "nhat tan", "name": "members", "members": ["KB-TL"], "multiple": "1"}
    ).content.decode()
    assert '<option value="KB-TL" selected>Xã Thanh Sơn</option>' in html
    assert '<option value="KB-NK">Xã Nhật Tân</option>' in html
    assert "Huyện Thanh Liêm" not in html


def test_anonymous_users_are_sent_to_log_in(client, tree):
    assert client.get(URL, {"q": "kim"}).status_code == 302


class Members(forms.Form):
    members = UnitPickerField(label="Members", multiple=True, action=Action.CHANGE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].bind(user, self.data, "members")


@pytest.mark.django_db
def test_the_field_gives_units_and_refuses_codes_outside_the_scope(users, tree):
    form = Members(QueryDict("members=KB-TL&members=KB-NK"), user=users["officer"])
    assert form.is_valid(), form.errors
    assert [u.code for u in form.cleaned_data["members"]] == ["KB-TL", "KB-NK"]
    form = Members(QueryDict("members=KB-TL&members=TL"), user=users["officer"])
    assert not form.is_valid()
    assert "TL" in form.errors["members"][0]


@pytest.mark.django_db
def test_without_javascript_it_is_a_plain_select_of_the_users_units(users, tree):
    html = str(Members(user=users["officer"])["members"])
    assert '<select name="members"' in html and "multiple" in html
    assert "Xã Nhật Tân" in html and "Huyện Thanh Liêm" not in html
    assert 'class="unit-picker-search" hidden' in html


def test_the_search_finds_units_by_official_code_and_the_page_shows_it(client, users, tree):
    UnitOfficialCode.objects.create(
        unit=tree["commune"], code="13438", valid_from=datetime.date(2000, 1, 1)
    )
    UnitOfficialCode.objects.create(
        unit=tree["other"], code="351", valid_from=datetime.date(2000, 1, 1)
    )
    client.force_login(users["officer"])
    answer = client.get(URL, {"q": "13438", "format": "json"}).json()
    assert answer == {"units": [{"code": "KB-TL", "name": "Xã Thanh Sơn"}]}
    assert client.get(URL, {"q": "351", "format": "json"}).json() == {"units": []}  # scope
    page = client.get(reverse("org:unit_detail", args=["KB-TL"])).content.decode()
    assert "<code>13438</code>" in page

"""The unit picker: choose one or several units by name, never by typing a code.

Without JavaScript it is a plain `<select>` of the units the user may act for (the first
`UNIT_PICKER_LIMIT` by the tree's order, plus those already chosen). With htmx, a search
box above it asks `org:unit_search` (`unit_search.py`) for the units in the user's scope
whose name contains the words typed, diacritics or not ("kim bang" finds "Huyện Kim
Bảng"), and replaces the options, keeping those already chosen.

The submitted values are unit codes, so filters and APIs that take codes keep working.
Use `UnitPickerField` in a form (it gives `Unit` objects, checked against the scope), or
`UnitPicker` as the widget of a code field (a FilterSet's `CharFilter`).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.vietnamese import fold

UNIT_PICKER_LIMIT = 300  # options listed without a search


def scope_units(user, action: str = Action.VIEW, query: str = "", limit: int = UNIT_PICKER_LIMIT):
    """The units `user` may see (or change) whose name contains every word of `query`
    (or, for digits alone, that carry that official code at some time), in the tree's
    order, at most `limit` (one query)."""
    units = scope.units(user, action)
    words = fold(query).split()
    if len(words) == 1 and words[0].isdigit():
        # An official code (mã ĐVHC, ADR 0009): the units that carry or carried it.
        return list(
            units.filter(official_codes__code=words[0])
            .distinct()
            .order_by("sort_key", "code")[:limit]
        )
    for word in words:
        units = units.filter(search_name__contains=word)
    return list(units.order_by("sort_key", "code")[:limit])


class UnitPicker(forms.Select):
    """A select of units with a search box (htmx); `multiple` for several."""

    template_name = "org/widgets/unit_picker.html"

    def __init__(self, attrs=None, *, multiple=False, action=Action.VIEW):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.action = action

    def bind(self, user, selected_codes=()):
        """Fill the options for `user`: the first units of their scope and the chosen ones
        (codes and names only: a province's picker lists 300 units on every page that
        has one, issue 12)."""
        units = scope.units(user, self.action).order_by("sort_key", "code")
        choices = list(units.values_list("code", "name")[:UNIT_PICKER_LIMIT])
        listed = {code for code, _name in choices}
        missing = [c for c in selected_codes if c and c not in listed]
        if missing:
            choices += list(units.filter(code__in=missing).order_by().values_list("code", "name"))
        self.choices = ([] if self.allow_multiple_selected else [("", "—")]) + choices
        return self

    def options_html(self, selected) -> str:
        """The `<option>`s of the choices, the `selected` codes marked, as escaped HTML."""
        chosen = {str(v) for v in selected}
        return mark_safe(
            "\n".join(
                f'<option value="{escape(code)}"{" selected" if str(code) in chosen else ""}>'
                f"{escape(label)}</option>"
                for code, label in self.choices
            )
        )

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            try:
                return data.getlist(name)
            except AttributeError:
                return data.get(name)
        return data.get(name)

    def format_value(self, value):
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [str(getattr(v, "code", v)) for v in value]
        return [str(getattr(value, "code", value))]

    def get_context(self, name, value, attrs):
        # Not `Select.get_context`: its option dicts, each rendered through a template,
        # cost ~0.1 ms an option, and a province's picker lists hundreds (issue 12).
        context = forms.Widget.get_context(self, name, value, attrs)
        context["options"] = self.options_html(context["widget"]["value"])
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
            context["widget"]["attrs"].setdefault("size", 8)
        context["search_url"] = reverse("org:unit_search")
        context["action"] = self.action
        context["multiple"] = self.allow_multiple_selected
        return context


class UnitPickerField(forms.Field):
    """One unit (`multiple=False`) or a list of units, chosen with `UnitPicker` among
    those `user` may see (or change, `action`). Call `bind(user)` in the form's
    `__init__`. A code outside the scope is refused as an unknown unit."""

    default_error_messages = {
        "unknown": gettext_lazy("No unit you may choose has the code %(codes)s."),
    }

    def __init__(self, *, multiple=False, action=Action.VIEW, **kwargs):
        self.multiple = multiple
        self.action = action
        kwargs.setdefault("widget", UnitPicker(multiple=multiple, action=action))
        super().__init__(**kwargs)
        self.user = None

    def bind(self, user, data=None, name=""):
        self.user = user
        chosen = []
        if data is not None and name:
            chosen = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        self.widget.bind(user, chosen)

    def to_python(self, value):
        if value in self.empty_values:
            return [] if self.multiple else None
        values = value if isinstance(value, (list, tuple)) else [value]
        # Each value is a code; codes typed by hand may also be separated by commas.
        codes = [c for v in values for c in re.split(r"[\s,;]+", str(v)) if c]
        if not codes:
            return [] if self.multiple else None
        found = {u.code: u for u in scope.units(self.user, self.action).filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"codes": ", ".join(unknown)}
            )
        units = [found[c] for c in codes]  # repeats kept: the verb names them
        return units if self.multiple else units[0]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

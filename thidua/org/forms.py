"""Forms of the organisation pages. They only parse the query string; a bad value is
reported on its field and the page falls back to the default."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A native date picker; its value is ISO (the browser shows it in the user's locale)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    """`?ngay=YYYY-MM-DD` (or dd/mm/yyyy): the day the tree is shown as of (default:
    today)."""

    ngay = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
    )

    def __init__(self, data=None, *, default_day: datetime.date | None = None, **kwargs):
        # Bound even without a query string, so the inputs show the defaults in use.
        self.default_day = default_day or timezone.localdate()
        data = data.copy() if data is not None else {}
        if not data.get("ngay"):
            data["ngay"] = self.default_day.isoformat()
        super().__init__(data, **kwargs)

    def day(self) -> datetime.date:
        """The chosen day, or the default when none (or an invalid one) was given."""
        self.is_valid()  # cleaned_data keeps the valid fields even if another is bad
        return self.cleaned_data.get("ngay") or self.default_day


class UnitPageForm(AsOfForm):
    """The unit page's `?ngay=` (children and parents as of) and `?nam=` (members of)."""

    nam = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years: list[int], **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("nam"):
            data["nam"] = str(years[0])
        super().__init__(data, **kwargs)
        self.fields["nam"].choices = [(y, str(y)) for y in years]
        self.default_year = years[0]

    def year(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("nam") or self.default_year


class UnitTreeForm(AsOfForm):
    """The unit tree's `?ngay=` (as of), `?q=` (search by name, accents optional) and
    `?mo=` (the code of the unit to open, with the units above it)."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    mo = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def text(self, name: str) -> str:
        self.is_valid()
        return (self.cleaned_data.get(name) or "").strip()

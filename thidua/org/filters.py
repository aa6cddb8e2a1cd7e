"""One FilterSet per model, shared by the pages, the exports and the API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from thidua.accounts import scope
from thidua.org.forms import DateInput
from thidua.org.models import Person, Unit
from thidua.org.tree import coverage, time_graph
from thidua.org.widgets import UnitPicker
from thidua.vietnamese import fold


def search_by_name(queryset, text: str):
    """Diacritic- and case-insensitive search: every word of `text` must start a word of
    the name ('nguyen van an' and 'Nguyễn Văn An' both find 'Nguyễn Văn An'; 'đ' → 'd')."""
    for word in fold(text).split():
        queryset = queryset.filter(search_name__contains=" " + word)
    return queryset


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = django_filters.CharFilter(label=_("Unit"), method="filter_unit", widget=UnitPicker())
    ngay = django_filters.DateFilter(
        label=_("Working there on"),
        method="filter_day",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "ngay", "gender"]

    def __init__(self, *args, per_row: bool = False, **kwargs):
        # per_row: the rows are read a page at a time in name order (the people list), so
        # a unit holding many people is tested row by row (`scope.people_below_per_row`).
        self.per_row = per_row
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        return search_by_name(queryset, value)

    def filter_unit(self, queryset, name, value):
        """The people of the unit, its subtree and its lineage, bounded in time like scope
        (docs/adr/0010-scope-bounded-in-time.md): filtering by a province finds the people
        of its communes, and by a new ward those of the communes it continues, up to the
        act. With `ngay`, those working there on that day; else at any time."""
        unit = Unit.objects.filter(code=value).first()
        if unit is None:
            return queryset.none()
        user = getattr(self.request, "user", None) or getattr(self.request, "auth", None)
        if user is not None and getattr(user, "is_authenticated", False):
            below = scope.coverage_for_units(user, [unit])
        else:
            below = coverage(time_graph(), [unit.pk])
        day = self.form.cleaned_data.get("ngay")
        if self.per_row and user is not None and getattr(user, "is_authenticated", False):
            condition = scope.people_below_per_row(user, below, on=day)
            if condition is not None:
                self.walks_names = True
                return queryset.filter(condition)
        return queryset.filter(pk__in=scope.people_below(below, on=day))

    walks_names = False  # the unit's filter is a per-row test (see `per_row`)

    def filter_day(self, queryset, name, value):
        return queryset  # the day of the unit filter (`filter_unit`)


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        # Units' search_name has no leading space; match anywhere.
        for word in fold(value).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset

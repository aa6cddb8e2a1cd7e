"""One FilterSet per model, shared by the pages, the exports and the API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Person, Unit
from thidua.vietnamese import fold


def search_by_name(queryset, text: str):
    """Diacritic- and case-insensitive search: every word of `text` must start a word of
    the name ('nguyen van an' and 'Nguyễn Văn An' both find 'Nguyễn Văn An'; 'đ' → 'd')."""
    for word in fold(text).split():
        queryset = queryset.filter(search_name__contains=" " + word)
    return queryset


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = django_filters.CharFilter(label=_("Unit code"), method="filter_unit")

    class Meta:
        model = Person
        fields = ["q", "unit", "gender"]

    def filter_q(self, queryset, name, value):
        return search_by_name(queryset, value)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(employments__unit__code=value).distinct()


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

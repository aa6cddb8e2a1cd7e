"""Admin for the yearly records: read-only. Every rating, award, discipline and the other
facts change only through the verbs of `thidua.records.services`, which check permission,
validate and audit; the admin would skip all three. Rows are limited to the user's scope.
"""

from django.contrib import admin

from thidua.accounts import scope
from thidua.accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from thidua.records.models import (
    Absence,
    Attestation,
    Award,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)

PERSON_SEARCH = ["person__code", "person__family_name", "person__given_name"]


class RecordAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(PersonRating)
class PersonRatingAdmin(RecordAdmin):
    scope_unit = None
    list_display = ["person", "year", "level", "score", "regime"]
    list_filter = ["year", "level"]
    search_fields = PERSON_SEARCH
    list_select_related = ["person"]


@admin.register(UnitRating)
class UnitRatingAdmin(RecordAdmin):
    scope_person = None
    list_display = ["unit", "year", "level", "score", "regime"]
    list_filter = ["year", "level"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]


@admin.register(Award)
class AwardAdmin(RecordAdmin):
    list_display = [
        "award_code",
        "recipient",
        "period_start",
        "period_end",
        "decision_number",
        "decision_date",
        "authority",
        "status",
    ]
    list_filter = ["award_code", "commendation_type", "status"]
    search_fields = [*PERSON_SEARCH, "unit__code", "unit__name", "decision_number"]
    date_hierarchy = "decision_date"
    list_select_related = ["person", "unit", "authority"]


@admin.register(Discipline)
class DisciplineAdmin(RecordAdmin):
    scope_unit = None
    list_display = ["person", "measure", "effective_from", "effective_to", "decision_number"]
    list_filter = ["measure", "duty_related"]
    search_fields = [*PERSON_SEARCH, "decision_number"]
    list_select_related = ["person"]


@admin.register(PendingReview)
class PendingReviewAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "started_on", "ended_on"]
    list_filter = ["kind"]
    search_fields = [*PERSON_SEARCH, "unit__code", "unit__name"]
    list_select_related = ["person", "unit"]


@admin.register(Absence)
class AbsenceAdmin(RecordAdmin):
    scope_unit = None
    list_display = ["person", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = PERSON_SEARCH
    list_select_related = ["person"]


class InitiativeAuthorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InitiativeAuthor
    fields = ["person"]
    readonly_fields = fields
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "scope", "recognised_on", "applied"]
    list_filter = ["kind", "scope", "applied", "replicable"]
    search_fields = ["code", "title", "decision_number", "authors__code"]
    inlines = [InitiativeAuthorInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Initiative._meta.fields]

    def get_queryset(self, request):
        # Visible when one of its authors is, as in the API.
        authors = scope.restrict(InitiativeAuthor.objects.all(), request.user, unit=None)
        return super().get_queryset(request).filter(pk__in=authors.values("initiative_id"))


@admin.register(Attestation)
class AttestationAdmin(RecordAdmin):
    list_display = [
        "subject",
        "year",
        "award_code",
        "criterion",
        "outcome",
        "body_name",
        "decided_on",
        "minutes_number",
    ]
    list_filter = ["year", "outcome", "award_code"]
    search_fields = [*PERSON_SEARCH, "unit__code", "unit__name", "minutes_number"]
    list_select_related = ["person", "unit"]

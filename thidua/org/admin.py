"""Admin for the organisation.

The tree (units, their versions, lineage) and employments are read-only here: their
history is only ever extended by the verbs in `thidua.org.services` (`thidua reorganize`,
the pages), which keep versions consistent and audit. People may be corrected here by a
user who may change them; each save is audited like a verb's.
"""

from django import forms
from django.contrib import admin
from django.db import transaction

from thidua.accounts import scope
from thidua.accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from thidua.accounts.choices import Action
from thidua.audit.services import log, snapshot
from thidua.org.models import Employment, LineageEdge, LineageEvent, Person, Unit, UnitVersion
from thidua.text import normalize_name, validate_code


class UnitVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = UnitVersion
    fk_name = "unit"
    fields = ["name", "parent", "valid_from", "valid_to"]
    readonly_fields = fields
    ordering = ["-valid_from"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "established_on", "dissolved_on"]
    list_filter = ["kind", "dissolved_on"]
    search_fields = ["code", "name", "search_name"]
    ordering = ["sort_key", "code"]
    readonly_fields = ["code", "kind", "name", "established_on", "dissolved_on"]
    inlines = [UnitVersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=scope.units(request.user))


class LineageEdgeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LineageEdge
    fields = ["predecessor", "successor"]
    readonly_fields = fields
    extra = 0


@admin.register(LineageEvent)
class LineageEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "decision"]
    list_filter = ["kind"]
    search_fields = ["decision", "edges__predecessor__code", "edges__successor__code"]
    date_hierarchy = "date"
    readonly_fields = ["kind", "date", "decision", "note"]
    inlines = [LineageEdgeInline]

    def get_queryset(self, request):
        ids = scope.unit_ids_for(request.user)
        events = super().get_queryset(request)
        return events if ids is None else events.filter(edges__predecessor__in=ids).distinct()


class EmploymentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Employment
    fields = ["unit", "position", "start", "end"]
    readonly_fields = fields
    ordering = ["start"]
    extra = 0


class PersonAdminForm(forms.ModelForm):
    """The same rules as `org.services.add_person`: a safe code, normalised names."""

    def clean_code(self):
        code = self.cleaned_data["code"]
        validate_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        for field in ("family_name", "middle_name", "given_name"):
            if isinstance(cleaned.get(field), str):
                cleaned[field] = normalize_name(cleaned[field])
        return cleaned


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["code", "full_name", "gender", "birth_date"]
    list_filter = ["gender"]
    search_fields = ["code", "family_name", "middle_name", "given_name"]
    ordering = ["sort_key", "id"]
    fields = ["code", "family_name", "middle_name", "given_name", "gender", "birth_date"]
    readonly_fields = ["code"]
    inlines = [EmploymentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=scope.people(request.user))

    def get_fields(self, request, obj=None):
        # The citizen id only to those who may change the person, as in the API.
        if obj is None or self.has_change_permission(request, obj):
            return [*self.fields, "citizen_id"]
        return self.fields

    def has_add_permission(self, request):
        # A new person belongs to no unit yet, so only a user whose scope is everything
        # may add one here; officers add people through the pages, into their unit.
        return super().has_add_permission(request) and scope.unit_ids_for(request.user) is None

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return scope.people(request.user, Action.CHANGE).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        # Deleting a person would delete their ratings and awards without audit.
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = snapshot(Person.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = "org.person.update" if change else "org.person.create"
        log(action, obj, actor=request.user, before=before, after=snapshot(obj))


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "unit", "position", "start", "end"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__code", "person__family_name", "person__given_name", "unit__code"]
    date_hierarchy = "start"
    readonly_fields = ["person", "unit", "position", "start", "end"]

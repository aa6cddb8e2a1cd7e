"""Admin for users' roles and API tokens, and the two mixins the other apps' admins use:
rows limited to the user's scope, and read-only models.

The admin is the operator's back door: a change made here skips the domain verbs and their
audit, so records are read-only here and change only through the verbs. Roles are granted
and revoked here through `accounts.services` (scoped and audited like everywhere else).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scope, services
from thidua.accounts.api import revoke_token
from thidua.accounts.choices import Action
from thidua.accounts.models import ApiToken, UserRole


class ScopedAdminMixin:
    """List and open only the rows `thidua.accounts.scope` lets the user see (superusers:
    all). `scope_person` / `scope_unit` name the paths to the subject, as in `restrict`."""

    scope_person: str | None = "person"
    scope_unit: str | None = "unit"

    def get_queryset(self, request):
        return scope.restrict(
            super().get_queryset(request),
            request.user,
            person=self.scope_person,
            unit=self.scope_unit,
        )


class ReadOnlyAdminMixin:
    """Viewable, never added, changed or deleted here (use the audited verbs)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _refusal(role, unit) -> str:
    return _("You may not grant or revoke the role %(role)s on %(unit)s.") % {
        "role": role,
        "unit": unit.name,
    }


def _stored(form) -> UserRole | None:
    pk = form.instance.pk
    return UserRole.objects.select_related("unit", "user").get(pk=pk) if pk else None


def _check_role_form(form, actor) -> None:
    """Form errors for a role row the actor may not add, change or delete."""
    data = form.cleaned_data
    if not data:
        return
    # The row as stored (the form's instance may already hold the new values).
    old = _stored(form)
    touched = data.get("DELETE") or form.has_changed()
    if old is not None and touched and not services.may_grant(actor, old.role, old.unit):
        raise ValidationError(_refusal(old.get_role_display(), old.unit))
    if data.get("DELETE") or not form.has_changed():
        return
    role, unit = data.get("role"), data.get("unit")
    if role and unit and not services.may_grant(actor, role, unit):
        raise ValidationError(_refusal(dict(UserRole._meta.get_field("role").choices)[role], unit))


def save_role(actor, form) -> UserRole:
    """Apply one role row through the verbs: a change is a revocation and a grant."""
    old = _stored(form)
    if old is not None:
        services.revoke_role(actor=actor, user_role=old)
    data = form.cleaned_data
    return services.grant_role(actor=actor, user=data["user"], unit=data["unit"], role=data["role"])


class UserRoleInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.is_valid():
                try:
                    _check_role_form(form, self.actor)
                except ValidationError as error:
                    form.add_error(None, error)


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = UserRoleInlineFormSet
    extra = 0
    autocomplete_fields = ["unit"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, with the user's unit roles on the same page."""

    inlines = [*BaseUserAdmin.inlines, UserRoleInline]
    # What only a superuser may change: who is one, and Django's own permissions.
    ESCALATION_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.ESCALATION_FIELDS if f not in fields]
        return fields

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is not UserRole:
            return super().save_formset(request, form, formset, change)
        # What the admin's change message reads.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for role_form in formset.forms:
            if not role_form.is_valid() or not role_form.cleaned_data:
                continue
            if role_form.cleaned_data.get("DELETE"):
                stored = _stored(role_form)
                if stored is not None:
                    services.revoke_role(actor=request.user, user_role=stored)
                    formset.deleted_objects.append(stored)
            elif role_form.has_changed():
                role_form.cleaned_data["user"] = form.instance
                formset.new_objects.append(save_role(request.user, role_form))
        return None


class UserRoleForm(forms.ModelForm):
    class Meta:
        model = UserRole
        fields = ["user", "unit", "role"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _check_role_form(self, self.actor)
        return cleaned


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    form = UserRoleForm

    def get_queryset(self, request):
        # Roles on units the user may change; superusers see every role.
        return (
            super().get_queryset(request).filter(unit__in=scope.units(request.user, Action.CHANGE))
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        obj.pk = save_role(request.user, form).pk  # the verb's row, for the admin's log

    def delete_model(self, request, obj):
        services.revoke_role(actor=request.user, user_role=obj)

    def delete_queryset(self, request, queryset):
        for user_role in queryset.select_related("unit", "user"):
            services.revoke_role(actor=request.user, user_role=user_role)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by `thidua token create` (the raw value is shown only there);
    here they can be looked at and revoked."""

    list_display = ["id", "user", "name", "created_at", "last_used_at"]
    search_fields = ["user__username", "name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        revoke_token(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            revoke_token(token, actor=request.user)

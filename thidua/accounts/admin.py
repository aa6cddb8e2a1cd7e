"""Admin for users' roles and API tokens, and the two mixins the other apps' admins use:
rows limited to the user's scope, and read-only models.

The admin is the operator's back door: a change made here skips the domain verbs and their
audit, so records are read-only here and change only through the verbs.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from thidua.accounts import scope
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


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0
    autocomplete_fields = ["unit"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, with the user's unit roles on the same page."""

    inlines = [*BaseUserAdmin.inlines, UserRoleInline]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def get_queryset(self, request):
        # Roles on units the user may change; superusers see every role.
        return (
            super().get_queryset(request).filter(unit__in=scope.units(request.user, Action.CHANGE))
        )


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

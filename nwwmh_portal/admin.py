"""The portal's records in the admin, all read only: the security log (superusers only) and API tokens with their
use log (for support and audit: a token is made only by its owner, on /account/tokens/; superusers may revoke)."""

from django.contrib import admin

from nwwmh_portal import tokens
from nwwmh_portal.models import AccessToken, AccessTokenUse, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as they were written: the admin shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "username", "actor", "ip_address", "method", "path", "status_code", "detail"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "ip_address", "path", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = list_display
    exclude = ["digest"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            tokens.revoke_token(token=token)

    def has_revoke_permission(self, request):
        return request.user.is_superuser


@admin.register(AccessTokenUse)
class AccessTokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "token", "method", "path", "status"]
    list_filter = ["status", "method"]
    search_fields = ["path", "token__name", "token__prefix", "token__user__username"]
    list_select_related = ["token"]
    date_hierarchy = "at"

from django.contrib import admin

from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read, never written or removed, in the admin."""

    list_display = ["at", "action", "object_type", "object_id", "actor_name"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "action"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

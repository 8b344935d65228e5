"""Who has set up two-step verification. Never the seed or a recovery code (not even their
digests); an operator can only remove a device, for someone who lost their phone and codes."""

from django.contrib import admin

from agreements.twofactor.models import AuthenticatorDevice, RecoveryCode
from core.audit import audit_log


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "confirmed_at", "is_demo"]
    list_filter = ["confirmed", "is_demo"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "name", "confirmed", "created_at", "confirmed_at", "is_demo"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        RecoveryCode.objects.filter(user_id=obj.user_id).delete()
        audit_log(actor=request.user, action="two_factor_reset_by_admin", obj=obj.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            self.delete_model(request, device)

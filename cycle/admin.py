from django.contrib import admin

from agreements.admin import freeze_registered_admins
from cycle.models import (
    Bid,
    BidLine,
    BidUpload,
    Contribution,
    CyclePreference,
    CycleYear,
    Jaarschijf,
    JaarschijfChange,
    JaarschijfComment,
    Milestone,
    ReminderSent,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "deadline", "owner_party", "is_statutory", "done_at"]


@admin.register(CycleYear)
class CycleYearAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "framework"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle_year", "deadline", "owner_party", "is_statutory", "done_at"]
    list_filter = ["cycle_year", "kind", "is_statutory"]


class BidLineInline(admin.TabularInline):
    model = BidLine
    extra = 0


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["corporation", "plan_year", "version", "status", "submitted_at"]
    list_filter = ["status", "corporation", "cycle_year"]
    inlines = [BidLineInline]


admin.site.register(BidUpload)
admin.site.register(ReminderSent)
admin.site.register(CyclePreference)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Jaarschijf pieces change only through the portal's services, which keep their version
    and history and respect who may edit what; the admin shows them, nothing more."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Jaarschijf)
class JaarschijfAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan_year", "state", "signing_round", "version"]
    list_filter = ["state"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["jaarschijf", "agreement", "party", "quantity", "unit", "version"]
    list_filter = ["jaarschijf", "party"]
    list_select_related = ["jaarschijf__cycle_year__municipality", "agreement__theme", "party"]


@admin.register(JaarschijfChange)
class JaarschijfChangeAdmin(ReadOnlyAdmin):
    list_display = ["jaarschijf", "piece_type", "piece_id", "version", "action", "actor", "at"]
    list_filter = ["piece_type", "action"]


@admin.register(JaarschijfComment)
class JaarschijfCommentAdmin(ReadOnlyAdmin):
    list_display = ["jaarschijf", "piece_type", "piece_id", "author", "author_party"]


freeze_registered_admins(admin.site)

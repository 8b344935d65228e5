from django.contrib import admin

from .models import (
    AuditEntry,
    Bid,
    BidLine,
    BidUpload,
    CyclePreference,
    CycleYear,
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
admin.site.register(AuditEntry)

"""The cycle's admin. For everyone, the superuser included:

- bids are read-only: a submitted bid is the corporation's handed-in record (no change, no
  delete, its lines read-only), and a draft is the corporation's own work, not listed at all
  unless an operator opens it for support (core.support, written to the audit trail);
- uploads likewise: a rejected upload is opened only for support;
- a statutory deadline (a milestone from a statutory process step) is not moved or removed;
- the calendar-feed token is a secret: only its hash is stored, and the admin shows neither.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from agreements.admin import freeze_registered_admins
from core.support import SupportAccessAdmin
from cycle.models import (
    Bid,
    BidLine,
    BidThemeNote,
    BidUpload,
    Contribution,
    CyclePreference,
    CycleYear,
    Jaarschijf,
    Milestone,
    ReminderSent,
)

# A statutory milestone's deadline and what makes it statutory never move in the admin.
STATUTORY_MILESTONE_FIELDS = ("deadline", "is_statutory", "source_step", "cycle_year")


def is_statutory(milestone: Milestone | None) -> bool:
    """Stored as statutory, or derived from a statutory process step."""
    if milestone is None or milestone.pk is None:
        return False
    return Milestone.objects.filter(
        Q(is_statutory=True) | Q(source_step__is_statutory=True), pk=milestone.pk
    ).exists()


class StatutoryMilestoneFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if is_statutory(form.instance):
            for name in STATUTORY_MILESTONE_FIELDS:
                if name in form.fields:
                    form.fields[name].disabled = True

    def clean(self):
        super().clean()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and is_statutory(form.instance):
                raise ValidationError(_("Een wettelijke termijn kan niet worden verwijderd."))


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formset = StatutoryMilestoneFormSet
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_statutory(obj):
            fields += [name for name in STATUTORY_MILESTONE_FIELDS if name not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_statutory(obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BidLineInline(ReadOnlyInline):
    model = BidLine


class BidThemeNoteInline(ReadOnlyInline):
    model = BidThemeNote


class HandedInStatusFilter(admin.SimpleListFilter):
    """The statuses a listed bid can have (drafts are not listed)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in Bid.Status if s != Bid.Status.DRAFT]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Bid)
class BidAdmin(SupportAccessAdmin):
    list_display = ["corporation", "plan_year", "version", "status", "submitted_at"]
    list_filter = [HandedInStatusFilter, "corporation", "cycle_year"]
    inlines = [BidLineInline, BidThemeNoteInline]
    support_hidden = Q(status=Bid.Status.DRAFT)

    def support_label(self, obj):
        return f"{obj.corporation} – concept van het bod {obj.plan_year} (versie {obj.version})"


@admin.register(BidUpload)
class BidUploadAdmin(SupportAccessAdmin):
    list_display = ["corporation", "cycle_year", "status", "line_count", "created_at"]
    list_filter = ["status", "corporation"]
    exclude = ["file"]
    support_hidden = Q(status=BidUpload.Status.REJECTED)

    def support_label(self, obj):
        return f"{obj.corporation} – afgewezen upload van {obj.created_at:%d-%m-%Y %H:%M}"


admin.site.register(ReminderSent)


@admin.register(CyclePreference)
class CyclePreferenceAdmin(admin.ModelAdmin):
    """The feed token is a secret (stored hashed): not shown, not editable here."""

    list_display = ["user", "reminders_enabled", "has_feed"]
    fields = ["user", "reminders_enabled"]
    readonly_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("agenda-link gemaakt"), boolean=True)
    def has_feed(self, obj):
        return bool(obj.feed_token_hash)


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


freeze_registered_admins(admin.site)

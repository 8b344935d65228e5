from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Membership,
    Party,
    ProcessStep,
    Target,
    Theme,
)

User = get_user_model()


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "source_note"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name = _("partij en rol")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "get_full_name", "email", "party", "role", "is_active"]
    list_filter = ["membership__party", "membership__role", "is_active", "is_staff"]
    list_select_related = ["membership__party"]

    @admin.display(description=_("partij"), ordering="membership__party__name")
    def party(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.party if membership else "–"

    @admin.display(description=_("rol"), ordering="membership__role")
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["number", "title", "slug"]
    show_change_link = True


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = [
        "order",
        "period_label",
        "deliverable",
        "owner_kind",
        "deadline_month",
        "deadline_day",
        "applies_to_next_year",
        "is_statutory",
    ]


class FrameworkSignatoryInline(admin.TabularInline):
    model = FrameworkSignatory
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "period_start", "period_end", "status", "version"]
    list_filter = ["municipality", "status"]
    search_fields = ["title"]
    filter_horizontal = ["parties"]
    inlines = [ThemeInline, ProcessStepInline, FrameworkSignatoryInline]


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["number", "title"]
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "framework"]
    list_filter = ["framework"]
    inlines = [AgreementInline]


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0
    filter_horizontal = ["parties"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "theme"]
    list_filter = ["theme__framework", "theme"]
    search_fields = ["title", "text"]
    filter_horizontal = ["responsible_parties"]
    list_select_related = ["theme"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "kind", "direction", "value", "value_max", "unit", "agreement"]
    list_filter = ["kind", "agreement__theme__framework", "agreement__theme"]
    search_fields = ["label", "code"]
    list_select_related = ["agreement__theme"]
    filter_horizontal = ["parties"]


admin.site.site_header = _("Prestatieafspraken – beheer")
admin.site.site_title = _("Prestatieafspraken")
admin.site.index_title = _("Beheer")

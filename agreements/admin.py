from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Indicator,
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


class StatutoryStepFormSet(BaseInlineFormSet):
    """A statutory step keeps its deadline: its date fields are disabled (a posted value is
    ignored), and it cannot be removed here, for everyone (the superuser too)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        instance = form.instance
        if (
            instance.pk is not None
            and ProcessStep.objects.filter(pk=instance.pk, is_statutory=True).exists()
        ):
            for name in STATUTORY_STEP_FIELDS:
                if name in form.fields:
                    form.fields[name].disabled = True

    def clean(self):
        super().clean()
        for form in self.forms:
            if (
                form.instance.pk is not None
                and self.can_delete
                and self._should_delete_form(form)
                and ProcessStep.objects.filter(pk=form.instance.pk, is_statutory=True).exists()
            ):
                raise ValidationError(_("Een wettelijke termijn kan niet worden verwijderd."))


# The fields that make a statutory step's deadline; none of them moves in the admin.
STATUTORY_STEP_FIELDS = ("deadline_month", "deadline_day", "applies_to_next_year", "is_statutory")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = StatutoryStepFormSet
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
    list_display = [
        "label",
        "code",
        "indicator",
        "kind",
        "direction",
        "value",
        "value_max",
        "unit",
        "agreement",
    ]
    list_filter = ["kind", "indicator", "agreement__theme__framework", "agreement__theme"]
    search_fields = ["label", "code"]
    list_select_related = ["agreement__theme", "indicator"]
    filter_horizontal = ["parties"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The catalogue of standard measures (reference data): an administrator keeps it up to
    date. An indicator that targets point at cannot be deleted (PROTECT)."""

    list_display = [
        "name",
        "code",
        "measure",
        "direction",
        "unit",
        "national_norm",
        "national_date",
    ]
    list_filter = ["measure", "direction"]
    search_fields = ["name", "code", "description"]
    fieldsets = [
        (None, {"fields": ["code", "name", "unit", "direction", "measure", "description"]}),
        (
            _("Landelijke norm"),
            {"fields": ["national_norm", "national_value", "national_date", "national_source"]},
        ),
    ]


admin.site.site_header = _("Prestatieafspraken – beheer")
admin.site.site_title = _("Prestatieafspraken")
admin.site.index_title = _("Beheer")


# --- Signing and addenda: read-only records; frozen frameworks cannot be edited here ---------

from agreements.models import (  # noqa: E402
    Addendum,
    AddendumChange,
    FrameworkVersion,
    FreezeLift,
    Signature,
    SigningRequest,
)
from agreements.signing.freeze import FrozenModel, is_frozen_row  # noqa: E402


class FrozenAdminMixin:
    """No change or delete in the admin while the row's document is up for signing or signed."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_frozen_row(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_frozen_row(obj)


class FrozenInlineMixin:
    """No add, change or delete of inline rows while the parent row's document is frozen (the
    parent is what the admin passes as ``obj`` to an inline)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not is_frozen_row(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_frozen_row(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_frozen_row(obj)


def _frozen_inlines(inlines) -> list:
    wrapped = []
    for inline in inlines:
        if issubclass(inline.model, FrozenModel) and not issubclass(inline, FrozenInlineMixin):
            inline = type(inline.__name__, (FrozenInlineMixin, inline), {})
        wrapped.append(inline)
    return wrapped


def freeze_registered_admins(site: admin.AdminSite) -> None:
    """Give every registered admin of a frozen-document model the FrozenAdminMixin, and every
    inline of a frozen-document model the FrozenInlineMixin, for everyone including the
    superuser (each app's admin module calls this at its end, for the models it registered)."""
    for model, model_admin in list(site._registry.items()):
        base = type(model_admin)
        frozen = issubclass(model, FrozenModel) and not isinstance(model_admin, FrozenAdminMixin)
        inlines = _frozen_inlines(base.inlines)
        if not frozen and inlines == list(base.inlines):
            continue
        bases = (FrozenAdminMixin, base) if frozen else (base,)
        site.unregister(model)
        site.register(model, type(base.__name__, bases, {"inlines": inlines}))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    can_delete = False
    fields = ["party", "signer_name", "job_title", "signed_at", "ip_address", "content_hash"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SigningRequest)
class SigningRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "document_type", "round", "status", "put_up_at", "completed_at"]
    list_filter = ["document_type", "status"]
    readonly_fields = ["content_hash", "signed_pdf_sha256", "decline_reason"]
    exclude = ["content", "signed_pdf"]
    inlines = [SignatureInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["signer_name", "party", "round", "signed_at", "ip_address"]
    list_filter = ["party"]


class AddendumChangeInline(admin.TabularInline):
    model = AddendumChange
    extra = 0
    can_delete = False
    readonly_fields = ["agreement", "target", "field", "old_value", "new_value"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Addendum)
class AddendumAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "framework", "status", "proposed_at", "decided_at"]
    list_filter = ["status", "framework"]
    inlines = [AddendumChangeInline]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "version", "created_at", "content_hash"]
    exclude = ["content"]


@admin.register(FreezeLift)
class FreezeLiftAdmin(ReadOnlyAdmin):
    list_display = ["document", "object_id", "request", "created_at"]


freeze_registered_admins(admin.site)

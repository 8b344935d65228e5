from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from housing_stock.models import ReferenceYear, StockCount, StockImport, StockSnapshot

UNVERIFIED_MARK = "⚠"


@admin.register(ReferenceYear)
class ReferenceYearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "kwaliteitskortingsgrens",
        "aftoppingsgrens_1",
        "aftoppingsgrens_2",
        "liberalisatiegrens",
        "daeb_income_single",
        "daeb_income_multi",
        "unverified_display",
    ]
    readonly_fields = ["unverified_display"]

    @admin.display(description=_("niet geverifieerd"))
    def unverified_display(self, obj: ReferenceYear):
        if not obj.unverified_fields:
            return "–"
        names = [
            (UNVERIFIED_MARK, str(ReferenceYear._meta.get_field(name).verbose_name))
            for name in obj.unverified_fields
        ]
        return format_html_join(", ", "<strong>{} {}</strong>", names)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Flag every unverified value at its own field, so an administrator sees what to check.
        for name in obj.unverified_fields if obj else []:
            field = form.base_fields.get(name)
            if field is not None:
                field.label = f"{UNVERIFIED_MARK} {field.label}"
                field.help_text = _("Niet geverifieerd: controleer deze waarde in een bron.")
        return form


class StockCountInline(admin.TabularInline):
    model = StockCount
    extra = 0


@admin.register(StockSnapshot)
class StockSnapshotAdmin(admin.ModelAdmin):
    list_display = ["title", "party", "municipality", "peildatum", "superseded_at"]
    list_filter = ["municipality", "party", "peildatum"]
    search_fields = ["title", "source"]
    inlines = [StockCountInline]
    raw_id_fields = ["stock_import", "superseded_by"]


@admin.register(StockImport)
class StockImportAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "party",
        "peildatum",
        "kind",
        "status",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "party"]
    readonly_fields = ["error_report", "result", "created_at", "finished_at"]
    raw_id_fields = ["replaces"]

"""Stock snapshots, statutory reference years and stock imports.

A StockSnapshot is what one source says about one corporation's stock (or the total of all
corporations in a municipality) at one peildatum. Its figures are child rows (StockCount):
(table, row, column) -> value. Totals stated by the source are stored under the key "totaal",
never computed over, so that a disagreement between a source's total and its cells stays
visible. Different tables of the seed have different totals (7.452, 7.386, 7.824); each is its
own snapshot and nothing forces them equal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_NUMBER
from housing_stock.domain import StockTable


class StockSnapshot(models.Model):
    municipality = models.ForeignKey(
        "agreements.Party",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "gemeente"},
    )
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name=_("corporatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_snapshots",
        help_text=_("Leeg: alle corporaties in de gemeente samen."),
    )
    peildatum = models.DateField(_("peildatum"))
    title = models.CharField(_("titel"), max_length=200)
    source = models.TextField(_("bron"), help_text=_("Waar de cijfers vandaan komen."))
    key = models.SlugField(
        _("vaste sleutel"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Voor gegevens uit fixtures, zodat opnieuw laden niets verdubbelt."),
    )
    stock_import = models.OneToOneField(
        "StockImport",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshot",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("vervangen door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("momentopname woningvoorraad")
        verbose_name_plural = _("momentopnamen woningvoorraad")
        ordering = ["-peildatum", "party__name", "title"]
        indexes = [models.Index(fields=["municipality", "party", "peildatum"])]
        constraints = [
            # One current imported snapshot per corporation and peildatum; a re-upload
            # supersedes the earlier one, which stays in the history.
            models.UniqueConstraint(
                fields=["party", "peildatum"],
                condition=Q(superseded_at__isnull=True, stock_import__isnull=False),
                name="stock_snapshot_one_current_import",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.peildatum:%d-%m-%Y})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class StockCount(models.Model):
    """One figure of a snapshot: table, row key, column key -> value."""

    snapshot = models.ForeignKey(
        StockSnapshot,
        verbose_name=_("momentopname"),
        on_delete=models.CASCADE,
        related_name="counts",
    )
    table = models.CharField(_("tabel"), max_length=20, choices=StockTable.choices)
    row_key = models.CharField(_("rij"), max_length=40)
    col_key = models.CharField(_("kolom"), max_length=40)
    # Counts are whole numbers; shares (11,5%) and differences (-145) share the column.
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("cijfer")
        verbose_name_plural = _("cijfers")
        ordering = ["snapshot", "table", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "table", "row_key", "col_key"], name="stock_count_unique"
            ),
            # The last guard behind core.bounds: a figure the column cannot read back (SQLite
            # stores it, then every page that reads it fails) is never written.
            models.CheckConstraint(
                condition=Q(value__gte=-MAX_NUMBER, value__lte=MAX_NUMBER),
                name="stock_count_value_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table}[{self.row_key}, {self.col_key}] = {self.value}"


class ReferenceYear(models.Model):
    """Statutory limits of one year (prijspeil 1 januari); every value nullable and editable."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    kwaliteitskortingsgrens = models.DecimalField(
        _("kwaliteitskortingsgrens"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    aftoppingsgrens_1 = models.DecimalField(
        _("1e aftoppingsgrens"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    aftoppingsgrens_2 = models.DecimalField(
        _("2e aftoppingsgrens"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    liberalisatiegrens = models.DecimalField(
        _("liberalisatiegrens"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    middenhuur_upper = models.DecimalField(
        _("bovengrens middenhuur"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    daeb_income_single = models.PositiveIntegerField(
        _("DAEB-inkomensgrens eenpersoons (of enige grens)"), null=True, blank=True
    )
    daeb_income_multi = models.PositiveIntegerField(
        _("DAEB-inkomensgrens meerpersoons"), null=True, blank=True
    )
    daeb_income_second = models.PositiveIntegerField(
        _("tweede DAEB-inkomensgrens"), null=True, blank=True
    )
    passend_single = models.PositiveIntegerField(
        _("passend toewijzen eenpersoons"), null=True, blank=True
    )
    passend_multi = models.PositiveIntegerField(
        _("passend toewijzen meerpersoons"), null=True, blank=True
    )
    passend_single_aow = models.PositiveIntegerField(
        _("passend toewijzen eenpersoons AOW"), null=True, blank=True
    )
    passend_multi_aow = models.PositiveIntegerField(
        _("passend toewijzen meerpersoons AOW"), null=True, blank=True
    )
    unverified_fields = models.JSONField(
        _("niet geverifieerde velden"),
        default=list,
        blank=True,
        help_text=_("Namen van velden waarvan de waarde nog niet in een bron is bevestigd."),
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("referentiejaar")
        verbose_name_plural = _("referentiejaren")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_verified(self) -> bool:
        return not self.unverified_fields


def _upload_to(instance: StockImport, filename: str) -> str:
    return f"stock_imports/{instance.peildatum:%Y}/{filename}"


class StockImport(models.Model):
    """An upload of stock figures: the file, who sent it, its outcome and its error report."""

    class Kind(models.TextChoices):
        AGGREGATE = "aggregate", _("Totaaltabellen (sjabloon)")
        UNITS = "units", _("Lijst per woning")

    class Status(models.TextChoices):
        PENDING = "pending", _("In de wachtrij")
        PROCESSING = "processing", _("Wordt verwerkt")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Wacht op bevestiging")
        DONE = "done", _("Geïmporteerd")
        FAILED = "failed", _("Afgekeurd")
        CANCELLED = "cancelled", _("Geannuleerd")

    FINISHED = {Status.DONE, Status.FAILED, Status.CANCELLED}

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name=_("corporatie"),
        on_delete=models.PROTECT,
        related_name="stock_imports",
    )
    peildatum = models.DateField(_("peildatum"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to=_upload_to)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PENDING
    )
    run_in_background = models.BooleanField(_("op de achtergrond"), default=False)
    rows_total = models.PositiveIntegerField(_("rijen"), null=True, blank=True)
    rows_processed = models.PositiveIntegerField(_("verwerkte rijen"), default=0)
    error_count = models.PositiveIntegerField(_("aantal fouten"), default=0)
    error_report = models.JSONField(_("foutenrapport"), default=list, blank=True)
    result = models.JSONField(
        _("resultaat"),
        default=dict,
        blank=True,
        help_text=_("De geaggregeerde cijfers, bewaard tot de import is bevestigd."),
    )
    replaces = models.ForeignKey(
        StockSnapshot,
        verbose_name=_("vervangt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import woningvoorraad")
        verbose_name_plural = _("imports woningvoorraad")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.party}, {self.peildatum:%d-%m-%Y})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_processed / self.rows_total))

"""The corporations' bids (het bod): versions, lines per agreement, notes per theme, uploads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Party, Target, Theme
from core import jobs
from cycle.models.cycle_year import CycleYear

# Every generated text of load_demo starts with this mark (cycle/demo.py), so that a person
# never mistakes it for real content, and the bid services can tell a demo text left untouched.
DEMO_MARK = "Demogegevens:"


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SUBMITTED = "submitted", _("Ingediend")
        SUPERSEDED = "superseded", _("Vervangen")

    class Source(models.TextChoices):
        WEB = "web", _("Webformulier")
        XLSX = "xlsx", _("Excel-upload")

    corporation = models.ForeignKey(
        Party,
        verbose_name=_("corporatie"),
        on_delete=models.PROTECT,
        related_name="bids",
        limit_choices_to={"kind": Party.Kind.CORPORATION},
    )
    cycle_year = models.ForeignKey(
        CycleYear, verbose_name=_("cyclusjaar"), on_delete=models.PROTECT, related_name="bids"
    )
    plan_year = models.PositiveSmallIntegerField(_("voor het jaar"))
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("bron"), max_length=8, choices=Source.choices, default=Source.WEB)
    summary = models.TextField(_("samenvatting"), blank=True)
    is_demo = models.BooleanField(_("demogegevens"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bod")
        verbose_name_plural = _("biedingen")
        ordering = ["cycle_year", "corporation__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "cycle_year", "version"], name="bid_version_unique"
            ),
            # At most one draft and one current (submitted) version per corporation and year.
            models.UniqueConstraint(
                fields=["corporation", "cycle_year"],
                condition=Q(status="draft"),
                name="bid_one_draft",
            ),
            models.UniqueConstraint(
                fields=["corporation", "cycle_year"],
                condition=Q(status="submitted"),
                name="bid_one_submitted",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="bid_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporation} – bod {self.plan_year} v{self.version}"


class Figure(models.TextChoices):
    """The core figures of a bid (kerncijfers). Each value is the code of an indicator in the
    catalogue (fixtures/indicators.toml): a bid line links to the framework's target on that
    indicator, and the multi-year sums add the first five up per target."""

    DEMOLITION = "sloop", _("Sloop (woningen)")
    NEW_BUILD = "nieuwbouw", _("Nieuwbouw (woningen)")
    SALE = "verkoop", _("Verkoop (woningen)")
    PURCHASE = "aankoop", _("Aankoop (woningen)")
    RENOVATION = "renovatie", _("Renovatie (woningen)")
    LABEL_STEPS = "labelstappen", _("Labelstappen (aantal)")
    ACCESSIBLE = "nultreden", _("Woningen nultreden / toegankelijk gemaakt")
    PERMIT_HOLDERS = "vergunninghouders", _("Woningen voor vergunninghouders")
    LIVEABILITY = "leefbaarheid", _("Budget leefbaarheid (€)")
    RENT_INCREASE = "huurverhoging", _("Gemiddelde huurverhoging (%)")


FIGURE_UNITS = {
    Figure.LIVEABILITY: "€",
    Figure.RENT_INCREASE: "%",
}


SUM_FIGURES = [
    Figure.DEMOLITION,
    Figure.NEW_BUILD,
    Figure.SALE,
    Figure.PURCHASE,
    Figure.RENOVATION,
]


class BidLine(models.Model):
    bid = models.ForeignKey(
        Bid, verbose_name=_("bod"), on_delete=models.CASCADE, related_name="lines"
    )
    figure = models.CharField(_("kerncijfer"), max_length=32, choices=Figure.choices)
    quantity = models.DecimalField(
        _("aantal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("toelichting"), blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), on_delete=models.SET_NULL, null=True, blank=True
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("afspraak"), on_delete=models.SET_NULL, null=True, blank=True
    )
    target = models.ForeignKey(
        Target, verbose_name=_("doel"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("regel van het bod")
        verbose_name_plural = _("regels van het bod")
        constraints = [
            models.UniqueConstraint(fields=["bid", "figure"], name="bid_line_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()}: {self.quantity}"


class BidThemeNote(models.Model):
    """The bid's short explanation per theme of the framework."""

    bid = models.ForeignKey(
        Bid, verbose_name=_("bod"), on_delete=models.CASCADE, related_name="theme_notes"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("thema"), on_delete=models.CASCADE)
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("toelichting per thema")
        verbose_name_plural = _("toelichtingen per thema")
        ordering = ["theme__number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "theme"], name="bid_theme_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bid} – {self.theme}"


class BidReading(models.Model):
    """A reading party (municipality, tenant organisation) has opened a submitted bid version:
    from then on the bid no longer waits on its start page. Not an audit record: the first
    reader of the party is kept, later readers change nothing."""

    bid = models.ForeignKey(Bid, verbose_name=_("bod"), on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        Party, verbose_name=_("partij"), on_delete=models.CASCADE, related_name="+"
    )
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gelezen door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    read_at = models.DateTimeField(_("gelezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("gelezen bod")
        verbose_name_plural = _("gelezen biedingen")
        constraints = [
            models.UniqueConstraint(fields=["bid", "party"], name="bid_reading_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.bid} – {self.party}"


class BidUpload(models.Model):
    """An uploaded bid workbook: a record with its outcome, whether it was accepted or not."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wordt verwerkt")
        ACCEPTED = "accepted", _("Verwerkt")
        REJECTED = "rejected", _("Afgewezen")
        # The job failed (too slow, its worker lost too often), not the workbook: it can be retried.
        FAILED = "failed", _("Mislukt")

    corporation = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    cycle_year = models.ForeignKey(CycleYear, on_delete=models.CASCADE, related_name="uploads")
    bid = models.ForeignKey(Bid, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # Kept only while a worker has yet to read it (large uploads with a real broker).
    file = models.FileField(upload_to="cycle/uploads/%Y/", blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices)
    errors = models.JSONField(default=list, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the retention job (core.retention) deleted the uploaded file; the record and its
    # error report stay.
    source_deleted_at = models.DateTimeField(_("bronbestand verwijderd op"), null=True, blank=True)
    # The background job (core.jobs): when it was last queued or taken by a worker, and how
    # often a worker started it.
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("upload van een bod")
        verbose_name_plural = _("uploads van biedingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_stuck(self) -> bool:
        """Still pending past its limit: failed, whether a watchdog ran or not."""
        return self.status == self.Status.PENDING and jobs.is_stuck(
            jobs.BID_UPLOAD, self.started_at or self.created_at
        )

    @property
    def shown_status(self) -> str:
        return self.Status.FAILED if self.is_stuck else self.status

    @property
    def shown_errors(self) -> list[str]:
        return [str(jobs.STUCK_MESSAGE)] if self.is_stuck else list(self.errors)

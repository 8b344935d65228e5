"""The jaarschijf: the year's agreements, drafted together in versioned pieces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Party, Target
from agreements.signing.freeze import FrozenModel, FrozenQuerySet
from cycle.models.bids import Bid
from cycle.models.cycle_year import CycleYear


class Jaarschijf(FrozenModel):
    """The yearly slice of the framework: what each party will do in ``plan_year``.

    ``signing_round`` starts at 1 and goes up each time the working group takes a frozen
    jaarschijf back to concept: a signature refers to the round it was given in, so raising the
    round voids every signature of the previous round without deleting it.
    """

    class State(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        FINAL_DRAFT = "definitief_concept", _("Definitief concept")
        FOR_SIGNING = "ter_ondertekening", _("Ter ondertekening")
        SIGNED = "ondertekend", _("Ondertekend")

    cycle_year = models.OneToOneField(
        CycleYear, verbose_name=_("cyclusjaar"), on_delete=models.PROTECT, related_name="jaarschijf"
    )
    plan_year = models.PositiveSmallIntegerField(_("voor het jaar"))
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.CONCEPT
    )
    signing_round = models.PositiveIntegerField(_("ondertekenronde"), default=1)
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_demo = models.BooleanField(_("demogegevens"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("status gewijzigd op"), null=True, blank=True)

    # Ter ondertekening and ondertekend it is frozen (agreements.signing.freeze): only its state
    # moves on, with its bookkeeping; signed is final.
    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Jaarschijf"
    freeze_lifecycle = frozenset({"state", "version", "state_changed_at", "signing_round"})
    freeze_final = ("state", frozenset({State.SIGNED}))
    freeze_message = _(
        "De jaarschijf ligt ter ondertekening of is ondertekend en kan niet worden gewijzigd."
    )

    @classmethod
    def frozen_among(cls, ids: set[int]) -> set[int]:
        return set(
            cls._base_manager.filter(
                pk__in=ids, state__in=[cls.State.FOR_SIGNING, cls.State.SIGNED]
            ).values_list("pk", flat=True)
        )

    class Meta:
        verbose_name = _("jaarschijf")
        verbose_name_plural = _("jaarschijven")
        ordering = ["-plan_year"]

    def __str__(self) -> str:
        return f"Jaarschijf {self.plan_year} ({self.cycle_year.municipality})"

    @property
    def is_frozen(self) -> bool:
        return self.state in {self.State.FOR_SIGNING, self.State.SIGNED}


class JaarschijfText(FrozenModel):
    """A shared text of the jaarschijf (introduction, spearheads): a piece with a version."""

    class Key(models.TextChoices):
        INTRODUCTION = "inleiding", _("Inleiding")
        SPEARHEADS = "speerpunten", _("Speerpunten van het jaar")

    jaarschijf = models.ForeignKey(Jaarschijf, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(_("onderdeel"), max_length=20, choices=Key.choices)
    text = models.TextField(_("tekst"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Jaarschijf"
    freeze_path = "jaarschijf_id"

    class Meta:
        verbose_name = _("tekst van de jaarschijf")
        verbose_name_plural = _("teksten van de jaarschijf")
        ordering = ["jaarschijf", "key"]
        constraints = [
            models.UniqueConstraint(fields=["jaarschijf", "key"], name="jaarschijf_text_unique"),
        ]

    def __str__(self) -> str:
        return self.get_key_display()


class Contribution(FrozenModel):
    """What one party will do for one agreement in the plan year: a piece with a version."""

    class Quarter(models.TextChoices):
        NONE = "", _("niet gepland")
        Q1 = "q1", _("1e kwartaal")
        Q2 = "q2", _("2e kwartaal")
        Q3 = "q3", _("3e kwartaal")
        Q4 = "q4", _("4e kwartaal")
        YEAR = "jaar", _("hele jaar")

    class Source(models.TextChoices):
        FRAMEWORK = "kader", _("Uit het kader")
        BID = "bod", _("Uit het bod")
        PREVIOUS = "vorig_jaar", _("Open punt van vorig jaar")
        MANUAL = "handmatig", _("Toegevoegd")

    jaarschijf = models.ForeignKey(
        Jaarschijf, on_delete=models.CASCADE, related_name="contributions"
    )
    # Empty only for a bid line that its corporation linked to no agreement: shown apart, so
    # that nothing of the bid is dropped on the way into the jaarschijf.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("afspraak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("partij"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("wat de partij doet"), blank=True)
    quantity = models.DecimalField(
        _("aantal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("eenheid"), max_length=120, blank=True)
    planned_quarter = models.CharField(
        _("gepland"), max_length=8, choices=Quarter.choices, blank=True, default=""
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("doel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done = models.BooleanField(_("afgerond"), default=False)
    source = models.CharField(
        _("herkomst"), max_length=12, choices=Source.choices, default=Source.MANUAL
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The bid version and line (its figure) a contribution "uit het bod" was taken from: the
    # jaarschijf compares it with the corporation's current bid to offer later versions.
    bid = models.ForeignKey(
        Bid,
        verbose_name=_("uit bodversie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bid_figure = models.CharField(_("kerncijfer uit het bod"), max_length=32, blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Jaarschijf"
    freeze_path = "jaarschijf_id"

    class Meta:
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["jaarschijf", "agreement__theme__number", "agreement__number", "order", "id"]
        indexes = [models.Index(fields=["jaarschijf", "agreement"], name="contribution_agr_idx")]
        constraints = [
            # One contribution per line of a corporation's bid: a double "Bijwerken uit het
            # bod" cannot add the same line twice.
            models.UniqueConstraint(
                fields=["jaarschijf", "party", "bid_figure"],
                condition=~models.Q(bid_figure=""),
                name="contribution_one_per_bid_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.agreement_id}"


class PieceType(models.TextChoices):
    CONTRIBUTION = "bijdrage", _("Bijdrage")
    TEXT = "tekst", _("Tekst")
    JAARSCHIJF = "jaarschijf", _("Jaarschijf")

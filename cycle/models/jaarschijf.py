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


class JaarschijfChange(models.Model):
    """One recorded change of a piece (or of the jaarschijf's state): who, when, before, after.

    ``version`` is the piece's version *after* the change, so the row of version n holds the
    content of version n in ``after``; the first row of a piece (action "create") has no before.
    """

    jaarschijf = models.ForeignKey(Jaarschijf, on_delete=models.CASCADE, related_name="changes")
    piece_type = models.CharField(max_length=12, choices=PieceType.choices)
    piece_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wijziging van de jaarschijf")
        verbose_name_plural = _("wijzigingen van de jaarschijf")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["piece_type", "piece_id", "version"], name="jaarschijf_change_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["piece_type", "piece_id", "version"], name="jaarschijf_change_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.piece_type}#{self.piece_id} v{self.version}"


class JaarschijfComment(models.Model):
    jaarschijf = models.ForeignKey(Jaarschijf, on_delete=models.CASCADE, related_name="comments")
    piece_type = models.CharField(max_length=12, choices=PieceType.choices)
    piece_id = models.PositiveBigIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("reactie"))
    resolved = models.BooleanField(_("afgehandeld"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie op de jaarschijf")
        verbose_name_plural = _("reacties op de jaarschijf")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["piece_type", "piece_id"], name="jaarschijf_comment_idx")]

    def __str__(self) -> str:
        return f"{self.author} op {self.piece_type}#{self.piece_id}"


class JaarschijfPresence(models.Model):
    """Who has a piece open for editing: a heartbeat, never a lock (rows expire by time)."""

    jaarschijf = models.ForeignKey(Jaarschijf, on_delete=models.CASCADE, related_name="+")
    piece_type = models.CharField(max_length=12, choices=PieceType.choices)
    piece_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["piece_type", "piece_id", "user"], name="jaarschijf_presence_once"
            ),
        ]
        indexes = [models.Index(fields=["jaarschijf", "seen_at"], name="jaarschijf_presence_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} bij {self.piece_type}#{self.piece_id}"


class JaarschijfVisit(models.Model):
    """When a user last looked at a jaarschijf, for "gewijzigd sinds mijn laatste bezoek".

    A visit is a stretch of page loads without a long pause (see
    cycle.jaarschijf.services.VISIT_GAP). ``previous_visit_at`` is when the visit *before* the
    current one ended: the filter compares with that, so reloading the page or choosing another
    filter during this visit does not empty the list."""

    jaarschijf = models.ForeignKey(Jaarschijf, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField()
    previous_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bezoek aan de jaarschijf")
        verbose_name_plural = _("bezoeken aan de jaarschijf")
        constraints = [
            models.UniqueConstraint(fields=["jaarschijf", "user"], name="jaarschijf_visit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} bij jaarschijf {self.jaarschijf_id}"

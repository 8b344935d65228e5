"""The yearly cycle: cycle years with milestones, the corporations' bids, reminders.

A milestone's ``deadline`` is the exclusive "vóór" date, as in the process calendar: the bid
"vóór 1 juli" has deadline 1 July, and the last day to deliver is 30 June.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Framework, Party, ProcessStep, Target, Theme


class CycleYear(models.Model):
    municipality = models.ForeignKey(
        Party,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="cycle_years",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.PROTECT, related_name="cycle_years"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("cyclusjaar")
        verbose_name_plural = _("cyclusjaren")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="cycle_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("Algemeen")
        BID = "bid", _("Bod")

    cycle_year = models.ForeignKey(
        CycleYear, verbose_name=_("cyclusjaar"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    deadline = models.DateField(
        _("uiterste datum (vóór)"),
        help_text=_("De datum vóór welke het resultaat er moet zijn, zoals 1 juli voor het bod."),
    )
    owner_party = models.ForeignKey(
        Party,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text=_("Leeg: de werkgroep van alle partijen samen."),
    )
    owner_kind = models.CharField(
        _("eigenaar (soort partij)"), max_length=32, choices=Party.Kind.choices, blank=True
    )
    is_statutory = models.BooleanField(_("wettelijke termijn"), default=False)
    deliverable_year = models.PositiveSmallIntegerField(_("betreft jaar"))
    source_step = models.ForeignKey(
        ProcessStep,
        verbose_name=_("processtap"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    done_at = models.DateTimeField(_("gereed op"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True)
    # iCalendar SEQUENCE: raised by every service that changes what a calendar shows.
    sequence = models.PositiveIntegerField(_("volgnummer"), default=0)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["cycle_year", "deadline", "id"]
        indexes = [models.Index(fields=["deadline"], name="milestone_deadline_idx")]

    def __str__(self) -> str:
        return self.title


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
    """The core figures of a bid (kerncijfers). The first five share their code with the
    framework's period targets, so that the multi-year sums can add them up."""

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


class BidUpload(models.Model):
    """An uploaded bid workbook: a record with its outcome, whether it was accepted or not."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wordt verwerkt")
        ACCEPTED = "accepted", _("Verwerkt")
        REJECTED = "rejected", _("Afgewezen")

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

    class Meta:
        verbose_name = _("upload van een bod")
        verbose_name_plural = _("uploads van biedingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class ReminderSent(models.Model):
    """One reminder per party, milestone and step. The row is inserted *before* the e-mail is
    sent, in the same transaction, so the unique constraint stops a second worker."""

    class Step(models.TextChoices):
        DAYS_30 = "30", _("30 dagen vooraf")
        DAYS_14 = "14", _("14 dagen vooraf")
        DAYS_3 = "3", _("3 dagen vooraf")
        OVERDUE = "overdue", _("termijn verstreken")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=10, choices=Step.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "milestone", "step"], name="reminder_once_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.milestone} ({self.step})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CyclePreference(models.Model):
    """A user's own settings for the cycle: e-mail reminders and the calendar feed's token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycle_preference"
    )
    reminders_enabled = models.BooleanField(_("herinneringen per e-mail"), default=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("voorkeur jaarcyclus")
        verbose_name_plural = _("voorkeuren jaarcyclus")

    def __str__(self) -> str:
        return str(self.user)


class AuditEntry(models.Model):
    """Who did what in the cycle, written in the same transaction as the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("logregel jaarcyclus")
        verbose_name_plural = _("logregels jaarcyclus")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


# --- jaarschijf: the year's agreements, drafted together --------------------------------------


class Jaarschijf(models.Model):
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

    class Meta:
        verbose_name = _("jaarschijf")
        verbose_name_plural = _("jaarschijven")
        ordering = ["-plan_year"]

    def __str__(self) -> str:
        return f"Jaarschijf {self.plan_year} ({self.cycle_year.municipality})"

    @property
    def is_frozen(self) -> bool:
        return self.state in {self.State.FOR_SIGNING, self.State.SIGNED}


class JaarschijfText(models.Model):
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

    class Meta:
        verbose_name = _("tekst van de jaarschijf")
        verbose_name_plural = _("teksten van de jaarschijf")
        ordering = ["jaarschijf", "key"]
        constraints = [
            models.UniqueConstraint(fields=["jaarschijf", "key"], name="jaarschijf_text_unique"),
        ]

    def __str__(self) -> str:
        return self.get_key_display()


class Contribution(models.Model):
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
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["jaarschijf", "agreement__theme__number", "agreement__number", "order", "id"]
        indexes = [models.Index(fields=["jaarschijf", "agreement"], name="contribution_agr_idx")]

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


# --- evaluation: last year's jaarschijf, realised (issue 6, part 6) ---------------------------


class Evaluation(models.Model):
    """The evaluation, written in a cycle year, of the jaarschijf of the year before.

    ``version`` goes up with every change of the evaluation or of its realisations and year
    figures, so that a rendered PDF can be cached per version. Adopted (vastgesteld) freezes it;
    the signing code calls cycle.evaluation_services.evaluation_adopt / evaluation_reopen.
    """

    class State(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        ADOPTED = "vastgesteld", _("Vastgesteld")

    cycle_year = models.OneToOneField(
        CycleYear,
        verbose_name=_("cyclusjaar"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    jaarschijf = models.OneToOneField(
        Jaarschijf,
        verbose_name=_("geëvalueerde jaarschijf"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.CONCEPT
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    conclusion = models.TextField(_("conclusies van de werkgroep"), blank=True)
    permit_holder_task = models.PositiveIntegerField(
        _("taakstelling vergunninghouders (woningen)"),
        null=True,
        blank=True,
        help_text=_("De opgave van het jaar, te verdelen naar rato van het woningbezit."),
    )
    is_demo = models.BooleanField(_("demogegevens"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-cycle_year__year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="concept") | Q(adopted_at__isnull=False),
                name="evaluation_adopted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluatie {self.jaarschijf.plan_year} ({self.cycle_year.municipality})"

    @property
    def is_adopted(self) -> bool:
        return self.state == self.State.ADOPTED


class ContributionRealisation(models.Model):
    """What became of one contribution of the evaluated jaarschijf."""

    class Status(models.TextChoices):
        REALISED = "gerealiseerd", _("Gerealiseerd")
        PARTLY = "deels", _("Deels gerealiseerd")
        NOT = "niet", _("Niet gerealiseerd")
        POSTPONED = "doorgeschoven", _("Doorgeschoven")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluatie"),
        on_delete=models.CASCADE,
        related_name="realisations",
    )
    contribution = models.ForeignKey(
        Contribution, verbose_name=_("bijdrage"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("realisatie"), max_length=16, choices=Status.choices)
    realised_quantity = models.DecimalField(
        _("gerealiseerd aantal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("toelichting"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevuld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("realisatie van een bijdrage")
        verbose_name_plural = _("realisaties van bijdragen")
        ordering = ["evaluation", "contribution_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "contribution"], name="realisation_once_per_contribution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.status}"


class YearFigures(models.Model):
    """One corporation's yearly figures in one municipality (Thuis in Limburg and own records)."""

    municipality = models.ForeignKey(
        Party,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    corporation = models.ForeignKey(
        Party,
        verbose_name=_("corporatie"),
        on_delete=models.PROTECT,
        related_name="year_figures",
        limit_choices_to={"kind": Party.Kind.CORPORATION},
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    lettings = models.PositiveIntegerField(_("verhuringen"), null=True, blank=True)
    relets = models.PositiveIntegerField(
        _("opnieuw te verhuren woningen (mutaties)"), null=True, blank=True
    )
    vacancy_pct = models.DecimalField(
        _("leegstand (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passend_pct = models.DecimalField(
        _("passend toegewezen (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    daeb_pct = models.DecimalField(
        _("DAEB toegewezen binnen de inkomensgrens (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    permit_holder_lettings = models.PositiveIntegerField(
        _("verhuringen aan vergunninghouders"), null=True, blank=True
    )
    evictions = models.PositiveIntegerField(
        _("ontruimingen wegens huurachterstand"), null=True, blank=True
    )
    condition_score = models.DecimalField(
        _("gemiddelde conditiescore"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demogegevens"), default=False)
    version = models.PositiveIntegerField(_("versie"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("jaarcijfers van een corporatie")
        verbose_name_plural = _("jaarcijfers van corporaties")
        ordering = ["municipality", "year", "corporation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "corporation", "year"], name="year_figures_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporation} {self.year}"


class EvaluationComment(models.Model):
    """A reaction on the evaluation (tenant organisations comment critically; everyone may)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluatie"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("reactie"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie op de evaluatie")
        verbose_name_plural = _("reacties op de evaluatie")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_id} op evaluatie {self.evaluation_id}"

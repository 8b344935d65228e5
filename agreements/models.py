"""Parties, memberships and the multi-year framework (meerjarig kader).

Framework -> Theme -> Agreement -> Target. A municipality is a Party of kind gemeente: a second
municipality is new rows, never new code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Party(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("Gemeente")
        CORPORATION = "corporatie", _("Woningcorporatie")
        TENANT_ORGANISATION = "huurdersorganisatie", _("Huurdersorganisatie")
        OTHER = "overig", _("Overige organisatie")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam (URL)"), max_length=80, unique=True)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_parties",
        limit_choices_to={"kind": "gemeente"},
        help_text=_("De gemeente waar deze partij bij de prestatieafspraken hoort."),
    )
    source_note = models.CharField(
        _("bronopmerking"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: naam niet in het brondocument, voorlopige benaming."),
    )

    class Meta:
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user belongs to exactly one party, with one role in the cycle."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Lid")
        WORKING_GROUP = "working_group", _("Werkgroep")
        SIGNATORY = "signatory", _("Ondertekenaar")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("partij"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(
        _("functie"),
        max_length=120,
        blank=True,
        help_text=_("Bijvoorbeeld: wethouder, bestuurder."),
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["party__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} – {self.party} ({self.get_role_display()})"


class Framework(models.Model):
    """A multi-year framework of performance agreements for one municipality."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        ADOPTED = "vastgesteld", _("Vastgesteld")
        EXPIRED = "verlopen", _("Verlopen")

    municipality = models.ForeignKey(
        Party,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="frameworks",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("korte naam (URL)"), max_length=80, unique=True)
    period_start = models.PositiveSmallIntegerField(_("eerste jaar"))
    period_end = models.PositiveSmallIntegerField(_("laatste jaar"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    parties = models.ManyToManyField(Party, verbose_name=_("partijen"), related_name="+")
    introduction = models.TextField(_("inleiding"), blank=True)
    highlights = models.TextField(
        _("kernpunten"),
        blank=True,
        help_text=_("De samenvatting op één pagina, één punt per regel."),
    )
    appendix = models.TextField(_("bijlage"), blank=True)
    agreed_on = models.DateField(_("overeenstemming bereikt op"), null=True, blank=True)
    agreed_place = models.CharField(_("plaats"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("meerjarig kader")
        verbose_name_plural = _("meerjarige kaders")
        ordering = ["municipality__name", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="framework_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"


class Theme(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("korte naam (URL)"), max_length=80)
    introduction = models.TextField(_("inleiding"), blank=True)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="theme_number_unique"),
            models.UniqueConstraint(fields=["framework", "slug"], name="theme_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Agreement(models.Model):
    """A numbered agreement within a theme; its text uses a small plain-text format.

    Paragraphs are separated by a blank line, a line starting with "## " is a subheading and
    lines starting with "- " form a bulleted list (see agreements.templatetags.agreement_text).
    """

    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), on_delete=models.CASCADE, related_name="agreements"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"))
    responsible_parties = models.ManyToManyField(
        Party, verbose_name=_("verantwoordelijke partijen"), related_name="agreements", blank=True
    )

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["theme__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="agreement_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """The agreement's reference within its framework, e.g. "2.3"."""
        return f"{self.theme.number}.{self.number}"


class Target(models.Model):
    """A measurable target of an agreement."""

    class Kind(models.TextChoices):
        VALUE = "value", _("Waarde")
        RANGE = "range", _("Bandbreedte")
        MAX_SHARE = "max_share", _("Maximaal aandeel")
        MIN_SHARE = "min_share", _("Minimaal aandeel")
        PERIOD_COUNT = "period_count", _("Aantal over de periode")
        END_STATE = "end_state", _("Eindtoestand")

    class Scope(models.TextChoices):
        LOCAL = "lokaal", _("Lokaal")
        REGIONAL = "regionaal", _("Regionaal")
        NATIONAL = "landelijk", _("Landelijk")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("ten minste")
        AT_MOST = "at_most", _("ten hoogste")
        EXACTLY = "exactly", _("precies")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("afspraak"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.SlugField(
        _("code"), max_length=80, help_text=_("Vaste sleutel binnen het kader, bijv. 'sloop'.")
    )
    label = models.CharField(_("omschrijving"), max_length=300)
    kind = models.CharField(_("soort doel"), max_length=20, choices=Kind.choices)
    direction = models.CharField(
        _("richting"), max_length=20, choices=Direction.choices, default=Direction.EXACTLY
    )
    value = models.DecimalField(
        _("doelwaarde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("bovengrens"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Alleen bij een bandbreedte: de bovenkant."),
    )
    unit = models.CharField(_("eenheid"), max_length=120, blank=True)
    scope = models.CharField(
        _("schaal"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.LOCAL,
        help_text=_(
            "Landelijke en regionale doelen staan in het kader als context, niet als "
            "lokale toezegging."
        ),
    )
    per_year = models.BooleanField(_("per jaar"), default=False)
    baseline_value = models.DecimalField(
        _("nulmeting"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("peildatum nulmeting"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("vanaf jaar"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("doeljaar"), null=True, blank=True)
    parties = models.ManyToManyField(
        Party, verbose_name=_("partijen"), related_name="targets", blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["agreement__theme__number", "agreement__number", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="target_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="end_state") | Q(value__isnull=False),
                name="target_value_required_unless_end_state",
            ),
            models.CheckConstraint(
                condition=~Q(kind="range") | Q(value_max__gte=models.F("value")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ProcessStep(models.Model):
    """A step of the framework's yearly process calendar ("Procesafspraken").

    The cycle app turns these into the milestones of each cycle year.
    """

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("kader"),
        on_delete=models.CASCADE,
        related_name="process_steps",
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    period_label = models.CharField(_("wanneer"), max_length=80)
    description = models.TextField(_("wat"))
    deliverable = models.CharField(_("resultaat"), max_length=200, blank=True)
    owner_kind = models.CharField(
        _("eigenaar (soort partij)"),
        max_length=32,
        choices=Party.Kind.choices,
        blank=True,
        help_text=_("Leeg: de werkgroep van alle partijen samen."),
    )
    deadline_month = models.PositiveSmallIntegerField(_("uiterste maand"), null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(_("uiterste dag"), null=True, blank=True)
    applies_to_next_year = models.BooleanField(
        _("betreft het volgende jaar"),
        default=False,
        help_text=_("Bijvoorbeeld het bod: vóór 1 juli, voor het jaar daarna."),
    )
    is_statutory = models.BooleanField(_("wettelijke termijn"), default=False)

    class Meta:
        verbose_name = _("processtap")
        verbose_name_plural = _("processtappen")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "order"], name="process_step_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.deliverable or self.description[:40]}"


class FrameworkSignatory(models.Model):
    """Who signed the framework itself (on paper, before the portal existed)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.CASCADE, related_name="signatories"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    name = models.CharField(_("naam"), max_length=120)
    job_title = models.CharField(_("functie"), max_length=120)
    party = models.ForeignKey(
        Party,
        verbose_name=_("partij"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leeg als de bron niet zegt voor welke partij deze persoon tekende."),
    )

    class Meta:
        verbose_name = _("ondertekenaar van het kader")
        verbose_name_plural = _("ondertekenaars van het kader")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="signatory_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"

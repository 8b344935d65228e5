"""Parties, memberships and the multi-year framework (meerjarig kader).

Framework -> Theme -> Agreement -> Target. A municipality is a Party of kind gemeente: a second
municipality is new rows, never new code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.signing.freeze import (
    SIGNING_STATE_OPEN,
    SIGNING_STATE_SIGNED,
    SIGNING_STATE_UP,
    FrozenModel,
    FrozenQuerySet,
)
from agreements.signing.lifts import FreezeLift  # noqa: F401  (the ledger's model)


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


class Framework(FrozenModel):
    """A multi-year framework of performance agreements for one municipality."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        # The working group has finished the text; next it is put up for signing
        # (agreements.drafting.states).
        DEFINITIVE_CONCEPT = "definitief_concept", _("Definitief concept")
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
    # The draft's version of this piece while the framework is a concept (core.drafting: a stale
    # save is refused). Not the framework's content version ``Framework.version``.
    draft_version = models.PositiveIntegerField(_("conceptversie"), default=1, editable=False)
    # Who started it in the portal, and when (agreements.nextframework.services.framework_start);
    # empty for a framework transcribed from its document.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True, editable=False)
    started_from = models.ForeignKey(
        "self",
        verbose_name=_("gekopieerd van"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_demo = models.BooleanField(_("demogegevens"), default=False)

    class SigningState(models.TextChoices):
        OPEN = SIGNING_STATE_OPEN, _("Niet ter ondertekening")
        UP_FOR_SIGNING = SIGNING_STATE_UP, _("Ter ondertekening")
        SIGNED = SIGNING_STATE_SIGNED, _("Ondertekend")

    # Set only by the signing services (agreements.signing.services); while it is not empty the
    # framework, its themes, agreements and targets cannot change (agreements.signing.freeze).
    signing_state = models.CharField(
        _("ondertekening"),
        max_length=20,
        choices=SigningState.choices,
        default=SIGNING_STATE_OPEN,
        blank=True,
        editable=False,
    )

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_lifecycle = frozenset({"status", "updated_at", "signing_state"})
    freeze_final = ("signing_state", frozenset({SIGNING_STATE_SIGNED}))

    @classmethod
    def frozen_among(cls, ids: set[int]) -> set[int]:
        """Up for signing or signed."""
        return set(
            cls._base_manager.filter(pk__in=ids)
            .exclude(signing_state=SIGNING_STATE_OPEN)
            .values_list("pk", flat=True)
        )

    @classmethod
    def freeze_lift_rounds(cls, pk: int) -> models.QuerySet:
        """Only an addendum of this framework, signed by every party, changes it."""
        return SigningRequest.objects.filter(
            document_type="addendum",
            object_id__in=Addendum._base_manager.filter(framework_id=pk).values("pk"),
        )

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

    def _guard_new_framework_id(self) -> int | None:
        return self.pk

    @property
    def is_adopted(self) -> bool:
        """Vastgesteld or signed by every party, and not marked as ended."""
        return self.status != self.Status.EXPIRED and (
            self.status == self.Status.ADOPTED or self.signing_state == SIGNING_STATE_SIGNED
        )

    def is_in_force(self, year: int) -> bool:
        """Adopted and its period (extended by any accepted verlenging) covers the year; the
        same rule as agreements.selectors.framework_in_force, for a framework already loaded."""
        return self.is_adopted and self.period_start <= year <= self.period_end

    @classmethod
    def adopted_q(cls) -> Q:
        return ~Q(status=cls.Status.EXPIRED) & (
            Q(status=cls.Status.ADOPTED) | Q(signing_state=SIGNING_STATE_SIGNED)
        )


class Theme(FrozenModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("korte naam (URL)"), max_length=80)
    introduction = models.TextField(_("inleiding"), blank=True)
    # The draft's version of this piece while the framework is a concept (core.drafting: a stale
    # save is refused). Not the framework's content version ``Framework.version``.
    draft_version = models.PositiveIntegerField(_("conceptversie"), default=1, editable=False)

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "framework_id"

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

    def _guard_new_framework_id(self) -> int | None:
        return self.framework_id


class Agreement(FrozenModel):
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
    # The draft's version of this piece while the framework is a concept (core.drafting: a stale
    # save is refused). Not the framework's content version ``Framework.version``.
    draft_version = models.PositiveIntegerField(_("conceptversie"), default=1, editable=False)

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "theme__framework_id"

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

    def _guard_new_framework_id(self) -> int | None:
        return (
            Theme._base_manager.filter(pk=self.theme_id)
            .values_list("framework_id", flat=True)
            .first()
        )


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("ten minste")
    AT_MOST = "at_most", _("ten hoogste")
    EXACTLY = "exactly", _("precies")


class Indicator(models.Model):
    """A standard measure of the catalogue (reference data, fixtures/indicators.toml, editable
    by an administrator). A local target points at an indicator; the evaluation's compliance
    checks and multi-year progress run on the indicator's ``measure`` and direction, never on
    a target's code or a municipality's name."""

    class Measure(models.TextChoices):
        # A yearly figure of the corporations (cycle.YearFigures), per corporation and weighted.
        PASSEND_PCT = "passend_pct", _("Jaarcijfer: aandeel passend toegewezen")
        DAEB_PCT = "daeb_pct", _("Jaarcijfer: aandeel DAEB toegewezen")
        CONDITION_SCORE = "condition_score", _("Jaarcijfer: conditiescore (NEN 2767)")
        PERMIT_HOLDER_SHARE = (
            "permit_holder_share",
            _("Jaarcijfer: vergunninghouders (aandeel van de mutaties en taakstelling naar bezit)"),
        )
        # A count in the housing stock snapshots, plus the realised increase.
        STOCK_NULTREDEN = "stock_nultreden", _("Woningvoorraad: aantal nultredenwoningen")
        STOCK_LABELS_EFG = "stock_labels_efg", _("Woningvoorraad: woningen met label E, F of G")
        # Added up from the realisations of the contributions linked to the targets.
        CONTRIBUTIONS_SUM = "contributions_sum", _("Som van de gerealiseerde bijdragen")
        NONE = "none", _("Niet automatisch gemeten")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=120, blank=True)
    direction = models.CharField(
        _("richting"), max_length=20, choices=Direction.choices, default=Direction.EXACTLY
    )
    measure = models.CharField(
        _("meting"), max_length=40, choices=Measure.choices, default=Measure.NONE
    )
    description = models.TextField(_("hoe gemeten"), blank=True)
    national_value = models.DecimalField(
        _("landelijke norm (waarde)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    national_norm = models.CharField(
        _("landelijke norm"),
        max_length=200,
        blank=True,
        help_text=_("Zoals de evaluatie hem toont, bijv. '95% passend'."),
    )
    national_date = models.DateField(_("landelijke norm per"), null=True, blank=True)
    national_source = models.CharField(_("bron landelijke norm"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def national_text(self) -> str:
        """'landelijk: 95% passend', with its date when it has one; '' when not national."""
        if not self.national_norm:
            return ""
        text = _("landelijk: %(norm)s") % {"norm": self.national_norm}
        if self.national_date:
            text += " " + _("(per %(date)s)") % {"date": self.national_date.strftime("%d-%m-%Y")}
        return str(text)


class Target(FrozenModel):
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

    Direction = Direction

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
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_(
            "De standaardmaat uit de catalogus waarop de evaluatie dit doel toetst; zonder "
            "indicator telt de realisatie van de bijdragen."
        ),
    )
    # The draft's version of this piece while the framework is a concept (core.drafting: a stale
    # save is refused). Not the framework's content version ``Framework.version``.
    draft_version = models.PositiveIntegerField(_("conceptversie"), default=1, editable=False)
    # The target of the previous framework this one was copied from (agreements.nextframework), so
    # that the multi-year progress can follow a target across frameworks. Not content: the
    # lineage is not part of what is signed.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("gekopieerd van doel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
    )

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "agreement__theme__framework_id"

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

    def _guard_new_framework_id(self) -> int | None:
        return (
            Agreement._base_manager.filter(pk=self.agreement_id)
            .values_list("theme__framework_id", flat=True)
            .first()
        )


class ProcessStep(FrozenModel):
    """A step of the framework's yearly process calendar ("Procesafspraken").

    The cycle app turns these into the milestones of each cycle year. Part of the framework's
    content: frozen with it (agreements.signing.freeze).
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

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "framework_id"

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


class PolicyBasis(FrozenModel):
    """A policy document the framework rests on (woonvisie, volkshuisvestingsprogramma, a
    regional agreement). Shown on the framework's page and PDF: frozen with it."""

    class Kind(models.TextChoices):
        WOONVISIE = "woonvisie", _("Woonvisie")
        HOUSING_PROGRAMME = "volkshuisvestingsprogramma", _("Volkshuisvestingsprogramma")
        REGIONAL = "regionale_afspraak", _("Regionale afspraak")
        OTHER = "overig", _("Overig")

    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.CASCADE, related_name="policy_basis"
    )
    kind = models.CharField(_("soort"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=300)
    date = models.DateField(_("datum"), null=True, blank=True)
    source = models.CharField(
        _("bron"),
        max_length=500,
        blank=True,
        help_text=_("Een verwijzing (raadsbesluit, kenmerk) of een webadres."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # Raised by every edit: a save based on an older version is refused (no lost update).
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "framework_id"

    class Meta:
        verbose_name = _("beleidsbasis")
        verbose_name_plural = _("beleidsbasis")
        ordering = ["framework", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def source_is_url(self) -> bool:
        return self.source.startswith(("https://", "http://"))


class FrameworkSignatory(FrozenModel):
    """Who signed the framework itself (on paper, before the portal existed). Printed on the
    framework's page and PDF: frozen with it (agreements.signing.freeze)."""

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

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Framework"
    freeze_path = "framework_id"

    class Meta:
        verbose_name = _("ondertekenaar van het kader")
        verbose_name_plural = _("ondertekenaars van het kader")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="signatory_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"


# --- Signing (agreements.signing), addenda and versions --------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are written once and never changed or removed (signatures)."""

    def update(self, **kwargs):
        from agreements.signing.freeze import SignedDocumentError

        raise SignedDocumentError(str(_("Een handtekening kan niet worden gewijzigd.")))

    def delete(self):
        from agreements.signing.freeze import SignedDocumentError

        raise SignedDocumentError(str(_("Een handtekening kan niet worden verwijderd.")))


class SigningRequest(models.Model):
    """One signing round of one signable document (see agreements.signing).

    The canonical content and its SHA-256 are taken when the document is put up for signing;
    the signed PDF (and its SHA-256) when the last party signs. A signed round never changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Ter ondertekening")
        SIGNED = "ondertekend", _("Ondertekend")
        DECLINED = "geweigerd", _("Geweigerd")

    document_type = models.CharField(_("soort document"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("document-id"))
    round = models.PositiveIntegerField(_("ronde"))
    title = models.CharField(_("titel"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    content = models.TextField(_("canonieke inhoud"), editable=False)
    content_hash = models.CharField(_("SHA-256 van de inhoud"), max_length=64, db_index=True)
    # The snapshot (agreements.signing.snapshot): the document as printed and the document part
    # of its page, rendered when it was put up. Their SHA-256 are in ``content``, so the hash
    # covers what is shown; a signed page and the signed PDF render from these, never from live
    # data. Written once, at put-up.
    document_html = models.TextField(_("document (printweergave)"), blank=True, editable=False)
    page_html = models.TextField(_("document (paginaweergave)"), blank=True, editable=False)
    parties = models.ManyToManyField(
        Party, verbose_name=_("partijen die tekenen"), related_name="+"
    )
    put_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangeboden door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    put_up_at = models.DateTimeField(_("aangeboden op"))
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geweigerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    declined_party = models.ForeignKey(
        Party,
        verbose_name=_("geweigerd namens"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reden van weigering"), blank=True)
    signed_pdf = models.BinaryField(_("ondertekende PDF"), null=True, blank=True, editable=False)
    signed_pdf_sha256 = models.CharField(
        _("SHA-256 van de ondertekende PDF"), max_length=64, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("ondertekenronde")
        verbose_name_plural = _("ondertekenrondes")
        ordering = ["-put_up_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "object_id", "round"], name="signing_request_round_unique"
            ),
            models.UniqueConstraint(
                fields=["document_type", "object_id"],
                condition=Q(status="open"),
                name="signing_request_one_open",
            ),
        ]

    # What was put up for signing: never changed after the round was created.
    SNAPSHOT_FIELDS = ("content", "content_hash", "document_html", "page_html")

    def __str__(self) -> str:
        return f"{self.title} (ronde {self.round})"

    def save(self, *args, **kwargs):
        from agreements.signing.freeze import SignedDocumentError

        if self.pk is not None:
            old = (
                SigningRequest.objects.filter(pk=self.pk)
                .values_list("status", *self.SNAPSHOT_FIELDS)
                .first()
            )
            if old is not None and (
                old[0] == self.Status.SIGNED
                or tuple(old[1:]) != tuple(getattr(self, f) for f in self.SNAPSHOT_FIELDS)
            ):
                # A signed round never changes; the snapshot of an open one neither.
                raise SignedDocumentError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from agreements.signing.freeze import SignedDocumentError

        raise SignedDocumentError()


class Signature(models.Model):
    """A party's signature on one round of a document; written once, never changed."""

    class Method(models.TextChoices):
        # Signatures from before two-step verification.
        PASSWORD = "wachtwoord", _("in het portaal, bevestigd met het wachtwoord")
        PASSWORD_TOTP = (
            "wachtwoord+totp",
            _(
                "in het portaal, bevestigd met het wachtwoord en een code uit de authenticator-app "
                "(tweestapsverificatie)"
            ),
        )
        PASSWORD_RECOVERY = (
            "wachtwoord+herstelcode",
            _(
                "in het portaal, bevestigd met het wachtwoord en een herstelcode "
                "(tweestapsverificatie)"
            ),
        )

    request = models.ForeignKey(
        SigningRequest,
        verbose_name=_("ondertekenronde"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("partij"), on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ondertekenaar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("naam"), max_length=200)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    role = models.CharField(_("rol"), max_length=32)
    signed_at = models.DateTimeField(_("getekend op"))
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    method = models.CharField(
        _("methode"), max_length=30, choices=Method.choices, default=Method.PASSWORD
    )
    # The decision the signatory signs under (mandaat), as they recorded it; both optional.
    mandate = models.CharField(_("besluit (mandaat)"), max_length=300, blank=True)
    mandate_date = models.DateField(_("datum van het besluit"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 van de inhoud"), max_length=64)
    round = models.PositiveIntegerField(_("ronde"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("handtekening")
        verbose_name_plural = _("handtekeningen")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "party"], name="signature_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.party})"

    def save(self, *args, **kwargs):
        from agreements.signing.freeze import SignedDocumentError

        if not self._state.adding:
            raise SignedDocumentError(str(_("Een handtekening kan niet worden gewijzigd.")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from agreements.signing.freeze import SignedDocumentError

        raise SignedDocumentError(str(_("Een handtekening kan niet worden verwijderd.")))

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label) if self.role in Membership.Role else self.role

    @property
    def has_second_factor(self) -> bool:
        return self.method != self.Method.PASSWORD

    @property
    def method_short(self) -> str:
        """The method in a few words, for lists (get_method_display is the full sentence)."""
        return str(
            {
                self.Method.PASSWORD: _("wachtwoord"),
                self.Method.PASSWORD_TOTP: _("wachtwoord en code uit de app"),
                self.Method.PASSWORD_RECOVERY: _("wachtwoord en herstelcode"),
            }.get(self.method, self.method)
        )


class Addendum(FrozenModel):
    """A tussentijdse wijziging of a framework; applied only when every party has signed it."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Voorstel")
        UP_FOR_SIGNING = "ter_ondertekening", _("Ter instemming bij de partijen")
        ACCEPTED = "aangenomen", _("Aangenomen")
        REJECTED = "verworpen", _("Verworpen")

    class Kind(models.TextChoices):
        CHANGE = "wijziging", _("Wijziging van afspraken of doelen")
        EXTENSION = "verlenging", _("Verlenging van de looptijd")

    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.PROTECT, related_name="addenda"
    )
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    reason = models.TextField(_("motivering"))
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.CHANGE)
    # A verlenging only: the framework's new last year once every party has signed.
    new_period_end = models.PositiveSmallIntegerField(
        _("nieuw laatste jaar"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    base_version = models.PositiveIntegerField(_("gebaseerd op versie"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"))
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="addendum_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="wijziging", new_period_end__isnull=True)
                | Q(kind="verlenging", new_period_end__isnull=False),
                name="addendum_extension_has_new_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum {self.number}: {self.title}"

    @property
    def is_extension(self) -> bool:
        return self.kind == self.Kind.EXTENSION

    # Only a proposal changes; once put up for signing only its status moves on, and an
    # accepted or rejected addendum stays so (agreements.signing.freeze).
    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Addendum"
    freeze_lifecycle = frozenset({"status", "decided_at"})
    freeze_final = ("status", frozenset({Status.ACCEPTED, Status.REJECTED}))

    @classmethod
    def frozen_among(cls, ids: set[int]) -> set[int]:
        return set(
            cls._base_manager.filter(pk__in=ids)
            .exclude(status=cls.Status.CONCEPT)
            .values_list("pk", flat=True)
        )


class AddendumChange(FrozenModel):
    """One changed field of an agreement or target, with its old and proposed new value."""

    AGREEMENT_FIELDS = ("title", "text")
    TARGET_FIELDS = ("label", "value", "value_max", "target_year", "note")

    addendum = models.ForeignKey(
        Addendum, verbose_name=_("addendum"), on_delete=models.CASCADE, related_name="changes"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("afspraak"),
        on_delete=models.PROTECT,
        related_name="addendum_changes",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("doel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addendum_changes",
        help_text=_("Leeg als de wijziging de afspraak zelf betreft."),
    )
    field = models.CharField(_("veld"), max_length=40)
    old_value = models.TextField(_("oude waarde"), blank=True)
    new_value = models.TextField(_("nieuwe waarde"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = FrozenQuerySet.as_manager()
    freeze_document = "agreements.Addendum"
    freeze_path = "addendum_id"

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["addendum", "order", "id"]

    def __str__(self) -> str:
        return f"{self.agreement.code} {self.field}"


class FrameworkVersion(models.Model):
    """A former version of a framework, kept readable after an addendum changed it."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("kader"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("versie"))
    content = models.TextField(_("canonieke inhoud"))
    content_hash = models.CharField(_("SHA-256 van de inhoud"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("vastgelegd op"))
    replaced_by = models.ForeignKey(
        Addendum,
        verbose_name=_("vervangen door addendum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("eerdere versie van een kader")
        verbose_name_plural = _("eerdere versies van kaders")
        ordering = ["framework", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="framework_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.version}"

"""The yearly evaluation of last year's jaarschijf: realisations, year figures, comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Party, SigningRequest
from agreements.signing.freeze import FrozenModel, FrozenQuerySet, SignedInOwnRounds
from cycle.models.cycle_year import CycleYear
from cycle.models.jaarschijf import Contribution, Jaarschijf


class Evaluation(SignedInOwnRounds):
    """The evaluation, written in a cycle year, of the jaarschijf of the year before.

    ``version`` goes up with every change of the evaluation or of its realisations and year
    figures, so that a rendered PDF can be cached per version. Adopted (vastgesteld) freezes it;
    the signing code calls cycle.evaluation.services.evaluation_adopt / evaluation_reopen.
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
    # The rendered PDF (cycle.evaluation.pdf), its content digest in the file name; a rendering
    # of the content, not content itself. A signed evaluation is downloaded as its signed PDF.
    pdf = models.FileField(_("PDF"), upload_to="pdf/evaluatie/", blank=True, editable=False)

    # Frozen while a signing round of it is open and once it is signed (agreements.signing.freeze):
    # nothing changes, except its adoption by the last signature (cycle.evaluation.signing).
    signing_key = "evaluatie"  # SigningRequest.document_type (cycle.evaluation.signing)
    # The PDF of the (unchanging) content may still be rendered while frozen, never once signed.
    freeze_lifecycle = frozenset({"pdf"})
    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Evaluation"
    freeze_message = _(
        "De evaluatie ligt ter ondertekening of is ondertekend en kan niet worden gewijzigd."
    )

    @property
    def framework(self):
        """The framework of the evaluated jaarschijf: its agreements and targets are evaluated,
        its parties sign. The cycle year may belong to the next one (the year after a period)."""
        return self.jaarschijf.cycle_year.framework

    def freeze_allows(self, old: models.Model, changed: set[str]) -> bool:
        if (
            "pdf" in changed
            and SigningRequest.objects.filter(
                document_type=self.signing_key,
                object_id=self.pk,
                status=SigningRequest.Status.SIGNED,
            ).exists()
        ):
            return False
        return super().freeze_allows(old, changed)

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


class ContributionRealisation(FrozenModel):
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

    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Evaluation"
    freeze_path = "evaluation_id"

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


class YearFigures(FrozenModel):
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

    # The figures of a municipality and year are part of every evaluation of that year.
    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.Evaluation"

    @classmethod
    def freeze_document_ids(cls, rows: models.QuerySet) -> list[int]:
        keys = set(rows.values_list("municipality_id", "year"))
        return _evaluations_of(keys)

    def freeze_own_document_ids(self) -> list[int]:
        return _evaluations_of({(self.municipality_id, self.year)})

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


def _evaluations_of(keys: set[tuple[int, int]]) -> list[int]:
    """The evaluations that evaluate these (municipality, year) pairs."""
    query = Q()
    for municipality_id, year in keys:
        query |= Q(cycle_year__municipality_id=municipality_id, jaarschijf__plan_year=year)
    if not keys:
        return []
    return list(Evaluation._base_manager.filter(query).values_list("pk", flat=True))

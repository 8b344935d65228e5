"""The end-evaluation of a framework whose period has ended: per target what was planned and
what was realised over all its years, with the working group's conclusion per theme; signed by
every party like the yearly evaluation (cycle.endevaluation.signing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Framework, Theme
from agreements.signing.freeze import FrozenModel, FrozenQuerySet, SignedInOwnRounds


class EndEvaluation(SignedInOwnRounds):
    """One per framework. "Ter ondertekening" is not a state of its own: frozen means a signing
    round of it is open or signed (agreements.signing.freeze), as for the yearly evaluation."""

    class State(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        SIGNED = "ondertekend", _("Ondertekend")

    framework = models.OneToOneField(
        Framework,
        verbose_name=_("kader"),
        on_delete=models.PROTECT,
        related_name="end_evaluation",
    )
    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.CONCEPT
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_demo = models.BooleanField(_("demogegevens"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    signed_at = models.DateTimeField(_("ondertekend op"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="pdf/eindevaluatie/", blank=True, editable=False)

    signing_key = "eindevaluatie"  # SigningRequest.document_type (cycle.endevaluation.signing)
    freeze_lifecycle = frozenset({"pdf"})
    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.EndEvaluation"
    freeze_message = _(
        "De eindevaluatie ligt ter ondertekening of is ondertekend en kan niet worden gewijzigd."
    )

    class Meta:
        verbose_name = _("eindevaluatie")
        verbose_name_plural = _("eindevaluaties")

    def __str__(self) -> str:
        return f"Eindevaluatie {self.framework.period_label} ({self.framework.title})"

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED


class EndEvaluationConclusion(FrozenModel):
    """The working group's conclusion on one theme; ``version`` catches a stale edit."""

    end_evaluation = models.ForeignKey(
        EndEvaluation,
        verbose_name=_("eindevaluatie"),
        on_delete=models.CASCADE,
        related_name="conclusions",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("conclusie van de werkgroep"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    objects = FrozenQuerySet.as_manager()
    freeze_document = "cycle.EndEvaluation"
    freeze_path = "end_evaluation_id"

    class Meta:
        verbose_name = _("conclusie per thema")
        verbose_name_plural = _("conclusies per thema")
        constraints = [
            models.UniqueConstraint(
                fields=["end_evaluation", "theme"], name="end_evaluation_conclusion_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.end_evaluation_id}: {self.theme_id}"

"""The yearly evaluation as a signable document (agreements.signing): adopted by signing it.

- Put up: a working-group member of a party of the framework puts a *concept* evaluation up for
  signing. From then on the round's signing request is open and the evaluation is frozen: its
  conclusions, its realisations and the year figures it evaluates cannot change.
- Every party of the framework signs through one of its signatories; the last signature adopts
  it (evaluation_services.evaluation_adopt with ``actor=SIGNING``, which renders the PDF ahead).
  A signed evaluation never changes again, and is not reopened.
- A decline ends the round: the evaluation is a concept again (it never left that state) and
  can be edited and put up in a new round.

The evaluation model has no state of its own for "ter ondertekening": frozen means "a signing
request of this evaluation is open or signed" (``signing_state``). The guard has two layers:

1. the model layer: pre_save/pre_delete receivers on Evaluation, ContributionRealisation and
   YearFigures (connected below) refuse every change of a frozen evaluation with a
   ValidationError, so every service and view refuses it too;
2. PostgreSQL triggers (migration cycle 0005) for raw SQL and queryset updates.

The one sanctioned change of a frozen evaluation is its adoption when every party has signed:
``on_all_signed`` runs it inside ``_adopting(evaluation_id)``, which lifts the guard for that
one evaluation in this thread and, on PostgreSQL, for the current transaction only (the
transaction-local setting ``pa.adopting_evaluation``), and only for concept -> vastgesteld with
its bookkeeping (state, adopted_at, adopted_by, version).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.canonical import canonical_bytes
from agreements.models import Party, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.registry import Signable, register
from agreements.signing.selectors import (
    DocumentSigningStatus,
    document_signing_status,
)
from core.actors import SIGNING
from core.audit import audit_log
from cycle.evaluation import services
from cycle.models import (
    Contribution,
    ContributionRealisation,
    Evaluation,
    YearFigures,
)

KEY = "evaluatie"
# Not content: the adoption's bookkeeping. Only these change when every party has signed.
LIFECYCLE_FIELDS = frozenset({"state", "adopted_at", "adopted_by", "version"})
FROZEN_STATUSES = (SigningRequest.Status.OPEN, SigningRequest.Status.SIGNED)
FIGURE_FIELDS = (
    "lettings",
    "relets",
    "vacancy_pct",
    "passend_pct",
    "daeb_pct",
    "permit_holder_lettings",
    "evictions",
    "condition_score",
    "source",
)

_adopting_id: ContextVar[int | None] = ContextVar("pa_adopting_evaluation", default=None)


class EvaluationFrozenError(ValidationError):
    """A change of an evaluation that is up for signing or signed."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "De evaluatie ligt ter ondertekening of is ondertekend en kan niet worden "
                "gewijzigd."
            )
        )


# --- canonical content ----------------------------------------------------------------------


def _quantity(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _contribution_key(c: Contribution) -> tuple:
    return (
        c.agreement_id is None,
        c.agreement.theme.number if c.agreement_id else 0,
        c.agreement.number if c.agreement_id else 0,
        c.order,
        c.pk,
    )


def evaluation_content(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as data, read fresh from the database (four queries).

    Its conclusions, every realisation (with the contribution it realises) and the year figures
    of the framework's corporations for the evaluated year, in an order that does not depend on
    the database. Lifecycle fields (state, version, who adopted and when) are not content.
    """
    obj = Evaluation.objects.select_related(
        "cycle_year__framework", "cycle_year__municipality", "jaarschijf"
    ).get(pk=evaluation.pk)
    framework = obj.cycle_year.framework
    year = obj.jaarschijf.plan_year
    realisations = sorted(
        ContributionRealisation.objects.filter(evaluation=obj).select_related(
            "contribution__agreement__theme", "contribution__party", "contribution__target"
        ),
        key=lambda r: _contribution_key(r.contribution),
    )
    corporations = [p for p in framework_parties(framework) if p.kind == Party.Kind.CORPORATION]
    figures = sorted(
        YearFigures.objects.filter(
            municipality_id=obj.cycle_year.municipality_id,
            year=year,
            corporation__in=corporations,
        ).select_related("corporation"),
        key=lambda f: f.corporation.slug,
    )
    return {
        "document": KEY,
        "evaluation": {
            "evaluated_year": year,
            "cycle_year": obj.cycle_year.year,
            "municipality": obj.cycle_year.municipality.slug,
            "framework": framework.slug,
            "framework_version": framework.version,
            "conclusion": obj.conclusion,
            "permit_holder_task": obj.permit_holder_task,
            "is_demo": obj.is_demo,
        },
        "realisations": [
            {
                "contribution": {
                    "agreement": c.agreement.code if c.agreement_id else None,
                    "party": c.party.slug,
                    "text": c.text,
                    "quantity": _quantity(c.quantity),
                    "unit": c.unit,
                    "target": c.target.code if c.target_id else None,
                    "order": c.order,
                },
                "status": r.status,
                "realised_quantity": _quantity(r.realised_quantity),
                "explanation": r.explanation,
            }
            for r in realisations
            for c in [r.contribution]
        ],
        "year_figures": [
            {
                "corporation": f.corporation.slug,
                "year": f.year,
                **{
                    name: (
                        _quantity(getattr(f, name))
                        if name.endswith("_pct") or name == "condition_score"
                        else getattr(f, name)
                    )
                    for name in FIGURE_FIELDS
                },
            }
            for f in figures
        ],
    }


# --- the signable ---------------------------------------------------------------------------


@register
class EvaluationSignable(Signable):
    key = KEY
    model = Evaluation
    label = gettext_lazy("evaluatie")

    obj: Evaluation

    def title(self) -> str:
        return str(self.obj)

    def canonical_content(self) -> bytes:
        return canonical_bytes(evaluation_content(self.obj))

    def parties(self) -> list[Party]:
        return framework_parties(self.obj.cycle_year.framework)

    def pdf_template(self) -> str:
        from cycle.evaluation.pdf import TEMPLATE

        return TEMPLATE

    def pdf_context(self) -> dict[str, Any]:
        from cycle.evaluation.pdf import pdf_context

        evaluation = Evaluation.objects.select_related(
            "cycle_year__framework__municipality", "cycle_year__municipality", "jaarschijf"
        ).get(pk=self.obj.pk)
        return pdf_context(evaluation)

    def get_absolute_url(self) -> str:
        return reverse("cycle:evaluation-detail", args=[self.obj.pk])

    def can_put_up(self) -> bool:
        return _can_put_up(self.obj)

    def is_frozen(self) -> bool:
        return self.obj.is_adopted or signing_state(self.obj.pk) is not None

    def on_put_up(self, *, round: int) -> None:
        # The open signing request is the freeze; the evaluation stays "concept" until signed.
        audit_log(actor=SIGNING, action="evaluation_put_up", obj=self.obj, round=round)

    def on_all_signed(self, *, signing_request: Any) -> None:
        with _adopting(self.obj.pk):
            self.obj = services.evaluation_adopt(actor=SIGNING, evaluation=self.obj)

    def on_declined(self, *, signing_request: Any) -> None:
        # The round is declined (no longer open), so the evaluation is an editable concept again.
        reason = _("Niet getekend door %(party)s: %(reason)s") % {
            "party": signing_request.declined_party.name if signing_request.declined_party else "–",
            "reason": signing_request.decline_reason,
        }
        audit_log(
            actor=SIGNING,
            action="evaluation_declined",
            obj=self.obj,
            round=signing_request.round,
            reason=reason,
        )


def _can_put_up(evaluation: Evaluation) -> bool:
    return evaluation.state == Evaluation.State.CONCEPT and signing_state(evaluation.pk) is None


@contextmanager
def _adopting(evaluation_id: int) -> Iterator[None]:
    """Lift the guard for one evaluation while every party's signature adopts it."""
    token = _adopting_id.set(evaluation_id)
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pa.adopting_evaluation', %s, true)", [str(evaluation_id)]
            )
    try:
        yield
    finally:
        _adopting_id.reset(token)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pa.adopting_evaluation', '', true)")


# --- the freeze: model layer ----------------------------------------------------------------


def signing_state(evaluation_id: int | None) -> str | None:
    """ "ondertekend" when a round of the evaluation is signed, "open" when one is open, else
    None (not frozen by signing)."""
    if evaluation_id is None:
        return None
    statuses = set(
        SigningRequest.objects.filter(
            document_type=KEY, object_id=evaluation_id, status__in=FROZEN_STATUSES
        ).values_list("status", flat=True)
    )
    if SigningRequest.Status.SIGNED in statuses:
        return SigningRequest.Status.SIGNED
    if SigningRequest.Status.OPEN in statuses:
        return SigningRequest.Status.OPEN
    return None


def is_frozen_by_signing(evaluation: Evaluation) -> bool:
    return signing_state(evaluation.pk) is not None


def _frozen_evaluation_for_figures(municipality_id: int, year: int) -> bool:
    ids = list(
        Evaluation.objects.filter(
            cycle_year__municipality_id=municipality_id, jaarschijf__plan_year=year
        ).values_list("pk", flat=True)
    )
    return bool(ids) and (
        SigningRequest.objects.filter(
            document_type=KEY, object_id__in=ids, status__in=FROZEN_STATUSES
        ).exists()
    )


def _changed(instance: Any, update_fields: Any) -> set[str] | None:
    """The fields the save changes compared with the stored row; None for a new row."""
    model = type(instance)
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    if update_fields is not None:
        concrete = [f for f in concrete if f.name in update_fields or f.attname in update_fields]
    stored = model._base_manager.filter(pk=instance.pk).values(*[f.attname for f in concrete])
    row = stored.first()
    if row is None:
        return None
    return {f.name for f in concrete if getattr(instance, f.attname) != row[f.attname]}


@receiver(pre_save, sender=Evaluation, dispatch_uid="evaluation_signing_guard")
def _guard_evaluation(sender, instance: Evaluation, update_fields=None, **kwargs) -> None:
    if instance.pk is None:
        return
    state = signing_state(instance.pk)
    if state is None:
        return
    changed = _changed(instance, update_fields)
    if changed is None or not changed:
        return
    if (
        state == SigningRequest.Status.OPEN
        and _adopting_id.get() == instance.pk
        and changed <= LIFECYCLE_FIELDS
        and instance.state == Evaluation.State.ADOPTED
    ):
        return
    raise EvaluationFrozenError()


@receiver(pre_delete, sender=Evaluation, dispatch_uid="evaluation_signing_guard_delete")
def _guard_evaluation_delete(sender, instance: Evaluation, **kwargs) -> None:
    if signing_state(instance.pk) is not None:
        raise EvaluationFrozenError()


@receiver(pre_save, sender=ContributionRealisation, dispatch_uid="realisation_signing_guard")
def _guard_realisation(
    sender, instance: ContributionRealisation, update_fields=None, **kwargs
) -> None:
    evaluation_ids = {instance.evaluation_id}
    if instance.pk is not None:
        evaluation_ids |= set(
            ContributionRealisation.objects.filter(pk=instance.pk).values_list(
                "evaluation_id", flat=True
            )
        )
    if not any(signing_state(pk) for pk in evaluation_ids):
        return
    if instance.pk is not None and _changed(instance, update_fields) == set():
        return
    raise EvaluationFrozenError()


@receiver(pre_delete, sender=ContributionRealisation, dispatch_uid="realisation_signing_del")
def _guard_realisation_delete(sender, instance: ContributionRealisation, **kwargs) -> None:
    if signing_state(instance.evaluation_id) is not None:
        raise EvaluationFrozenError()


@receiver(pre_save, sender=YearFigures, dispatch_uid="year_figures_signing_guard")
def _guard_figures(sender, instance: YearFigures, update_fields=None, **kwargs) -> None:
    keys = {(instance.municipality_id, instance.year)}
    if instance.pk is not None:
        keys |= set(
            YearFigures.objects.filter(pk=instance.pk).values_list("municipality_id", "year")
        )
    if not any(_frozen_evaluation_for_figures(m, y) for m, y in keys):
        return
    if instance.pk is not None and _changed(instance, update_fields) == set():
        return
    raise EvaluationFrozenError()


@receiver(pre_delete, sender=YearFigures, dispatch_uid="year_figures_signing_guard_delete")
def _guard_figures_delete(sender, instance: YearFigures, **kwargs) -> None:
    if _frozen_evaluation_for_figures(instance.municipality_id, instance.year):
        raise EvaluationFrozenError()


# --- what the evaluation page shows -----------------------------------------------------------


def signing_status(evaluation: Evaluation, user: Any) -> DocumentSigningStatus:
    """The signing status of the evaluation for this user; rendered by
    ``templates/cycle/evaluation/_signing.html`` as the context variable ``signing``."""
    return document_signing_status(
        signable=EvaluationSignable(evaluation),
        framework=evaluation.cycle_year.framework,
        user=user,
        can_put_up=lambda request: (
            (request is None or request.status == SigningRequest.Status.DECLINED)
            and evaluation.state == Evaluation.State.CONCEPT
        ),
    )

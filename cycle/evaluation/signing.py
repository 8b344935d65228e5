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
request of this evaluation is open or signed" (``signing_state``, Evaluation.frozen_among).
The freeze is the one rule of agreements.signing.freeze, which Evaluation,
ContributionRealisation and YearFigures plug into. The one sanctioned change of a frozen
evaluation is its adoption when every party has signed: ``on_all_signed`` runs it inside
``lifting(evaluation, authorised_by=<its round>)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.canonical import canonical_bytes
from agreements.models import Party, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.freeze import lifting
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
from cycle.selectors import step_deadline

KEY = Evaluation.signing_key
# The process step of the calendar whose milestone is "the evaluation is adopted" (signed).
ADOPTED_DELIVERABLE = "Evaluatie vastgesteld"
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

    @classmethod
    def deadlines(cls, object_ids: Collection[int]) -> dict[int, dt.date]:
        """The deadline of the "Evaluatie vastgesteld" milestone of each one's cycle year."""
        rows = (
            Evaluation.objects.filter(pk__in=object_ids)
            .annotate(deadline=step_deadline(ADOPTED_DELIVERABLE))
            .values_list("pk", "deadline")
        )
        return {pk: deadline for pk, deadline in rows if deadline is not None}

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
        with lifting(self.obj, authorised_by=signing_request):
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


# --- is it frozen? --------------------------------------------------------------------------


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
    return bool(Evaluation.frozen_among({evaluation.pk}))


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

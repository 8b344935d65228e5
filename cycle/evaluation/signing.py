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
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.canonical import party_names
from agreements.models import Party, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.changes import Change
from agreements.signing.freeze import lifting
from agreements.signing.registry import Signable, register
from agreements.signing.selectors import (
    DocumentSigningStatus,
    document_signing_status,
)
from core.actors import SIGNING
from core.audit import audit_log
from cycle.evaluation import selectors, services
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


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _outcome(outcome: Any) -> dict[str, str] | None:
    if outcome is None:
        return None
    return {"light": str(outcome.light), "rule": _text(outcome.rule)}


def _check(row: selectors.CheckRow) -> dict[str, str]:
    return {
        "label": _text(row.label),
        "value": _text(row.value),
        "norm": _text(row.norm),
        "light": str(row.light),
        "rule": _text(row.rule),
        "note": _text(row.note),
    }


def _progress(row: selectors.ProgressRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "target": row.target.code,
        "per_year": {str(y): _quantity(v) for y, v in sorted(row.per_year.items())},
        "realised": _quantity(row.realised),
        "due": _quantity(row.due),
        **_outcome(row.outcome),
    }


def summary_content(summary: selectors.EvaluationSummary) -> dict[str, Any]:
    """What the evaluation's page and PDF compute (selectors.evaluation_summary), as data: the
    traffic lights with their rules and every check row, and the inputs from outside the
    evaluation they are computed from: the stock figures (housing_stock, not frozen: a new
    import must not flip a signed light), the year figures of every year of the framework so
    far, the realised quantities of earlier evaluations, and the framework's targets."""
    return {
        "stock": {
            "per_corporation": {
                row.corporation.slug: _quantity(row.stock) for row in summary.permit_rows
            },
            "source": summary.stock_source,
            "nultreden_count": _quantity(summary.nultreden_stock),
            "nultreden_source": summary.nultreden_source,
        },
        "lights": {
            "overall": str(summary.light),
            "themes": [
                {
                    "number": theme.theme.number,
                    "title": theme.theme.title,
                    "light": str(theme.light),
                    "rule": _text(theme.rule),
                    "realisation": _outcome(theme.realisation),
                    "counts": dict(sorted(theme.counts.items())),
                    "targets": [
                        {
                            "code": status.target.code,
                            "label": status.target.label,
                            "description": _text(status.description),
                            "value": _quantity(status.target.value),
                            "light": str(status.light),
                            "rule": _text(status.rule),
                            "checks": [_check(check) for check in status.checks],
                        }
                        for status in theme.targets
                    ],
                }
                for theme in summary.themes
            ],
        },
        "permit_holders": [
            {
                "corporation": row.corporation.slug,
                "stock": _quantity(row.stock),
                "due": row.due,
                "lettings": row.lettings,
                "relets": row.relets,
                "share": _quantity(row.share),
                "share_outcome": _outcome(row.share_outcome),
                "task_outcome": _outcome(row.task_outcome),
            }
            for row in summary.permit_rows
        ],
        "years": [
            {
                name: (_quantity(value) if isinstance(value, Decimal) else value)
                for name, value in vars(row).items()
            }
            for row in summary.years
        ],
        "progress": [_progress(row) for row in summary.progress],
        "nultreden_progress": _progress(summary.nultreden),
        "charts": [{"key": c.key, "title": _text(c.title), "desc": c.desc} for c in summary.charts],
    }


def evaluation_content(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as data, read fresh from the database.

    Its conclusions, every realisation (with the contribution it realises), the year figures
    of the framework's corporations for the evaluated year, and everything its page computes
    from them and from data outside the evaluation (summary_content: lights, stock, years), in
    an order that does not depend on the database. Lifecycle fields (state, version, who
    adopted and when) are not content.
    """
    obj = Evaluation.objects.select_related(
        "cycle_year__municipality", "jaarschijf__cycle_year__framework"
    ).get(pk=evaluation.pk)
    framework = obj.framework
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
    summary = selectors.evaluation_summary(obj)
    named = {obj.cycle_year.municipality, *summary.parties}
    named |= {r.contribution.party for r in realisations}
    return {
        "document": KEY,
        "party_names": party_names(sorted(named, key=lambda p: p.slug)),
        **summary_content(summary),
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

    def canonical_data(self) -> dict[str, Any]:
        return evaluation_content(self.obj)

    def parties(self) -> list[Party]:
        return framework_parties(self.obj.framework)

    def pdf_template(self) -> str:
        from cycle.evaluation.pdf import TEMPLATE

        return TEMPLATE

    def pdf_context(self) -> dict[str, Any]:
        from cycle.evaluation.pdf import pdf_context

        evaluation = Evaluation.objects.select_related(
            "cycle_year__framework__municipality",
            "cycle_year__municipality",
            "jaarschijf__cycle_year__framework__municipality",
        ).get(pk=self.obj.pk)
        return pdf_context(evaluation)

    def get_absolute_url(self) -> str:
        return reverse("cycle:evaluation-detail", args=[self.obj.pk])

    # The lights, checks and realisations of the page, as put up (snapshot.current_snapshot).
    page_template = "cycle/evaluation/_document.html"

    def page_context(self) -> dict[str, Any]:
        evaluation = Evaluation.objects.select_related(
            "cycle_year__framework__municipality",
            "cycle_year__municipality",
            "jaarschijf__cycle_year__framework__municipality",
        ).get(pk=self.obj.pk)
        summary = selectors.evaluation_summary(evaluation)
        return {"evaluation": evaluation, "summary": summary, "framework": summary.framework}

    def snapshot_changes(self, signed: dict[str, Any], live: dict[str, Any]) -> list[Change]:
        changes = super().snapshot_changes(signed, live)
        if signed.get("stock") != live.get("stock"):
            changes.append(
                Change(
                    _("De voorraadcijfers zijn sindsdien bijgewerkt."),
                    reverse("housing_stock:overview"),
                    _("Naar de woningvoorraad van nu"),
                )
            )
        if signed.get("years") != live.get("years") or signed.get("progress") != live.get(
            "progress"
        ):
            changes.append(
                Change(
                    _(
                        "De jaarcijfers of realisaties van de jaren van het kader zijn sindsdien "
                        "gewijzigd."
                    ),
                    reverse("cycle:evaluation-years", args=[self.obj.pk]),
                    _("Naar de cijfers van nu"),
                )
            )
        if signed.get("lights") != live.get("lights"):
            changes.append(
                Change(
                    _(
                        "Met de gegevens van nu zou de toetsing anders uitvallen; hier staat de "
                        "toetsing van de versie die ter ondertekening is aangeboden."
                    )
                )
            )
        return changes

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
    return Evaluation.own_round_state(evaluation_id)


def is_frozen_by_signing(evaluation: Evaluation) -> bool:
    return bool(Evaluation.frozen_among({evaluation.pk}))


# --- what the evaluation page shows -----------------------------------------------------------


def signing_status(evaluation: Evaluation, user: Any) -> DocumentSigningStatus:
    """The signing status of the evaluation for this user; rendered by
    ``templates/cycle/evaluation/_signing.html`` as the context variable ``signing``."""
    return document_signing_status(
        signable=EvaluationSignable(evaluation),
        framework=evaluation.framework,
        user=user,
        can_put_up=lambda request: (
            (request is None or request.status == SigningRequest.Status.DECLINED)
            and evaluation.state == Evaluation.State.CONCEPT
        ),
    )

"""Writes of the evaluation. Keyword-only, atomic, permission-checked (see
cycle.evaluation.access), with the audit trail written in the same transaction.

The demo loader and the signing code pass a core.actors.SystemActor, which has the working
group's standing; the state checks hold for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import user_party
from agreements.models import Party
from core.actors import person
from core.audit import audit_log
from core.bounds import Quantity, bound_problem, check_bound
from cycle.evaluation import access as rules
from cycle.models import (
    Contribution,
    ContributionRealisation,
    CycleYear,
    Evaluation,
    EvaluationComment,
    Jaarschijf,
    YearFigures,
)


def _lock(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle_year__framework", "jaarschijf__cycle_year__framework")
        .get(pk=evaluation.pk)
    )


def _bump(evaluation: Evaluation) -> None:
    """Any change of what the evaluation shows raises its version (the PDF cache key)."""
    Evaluation.objects.filter(pk=evaluation.pk).update(version=F("version") + 1)
    evaluation.version += 1


def _require_concept(evaluation: Evaluation) -> None:
    if evaluation.is_adopted:
        raise ValidationError(
            _("De evaluatie is vastgesteld; heropen haar eerst om iets te wijzigen.")
        )


def evaluated_jaarschijf(cycle_year: CycleYear) -> Jaarschijf | None:
    """Last year's jaarschijf: the municipality's one for plan year (cycle year - 1), signed.
    It may sit under another framework than the cycle year (the year after a period belongs to
    the next framework, while it evaluates the last jaarschijf of the old one); the cycle
    year's own framework goes first."""
    return (
        Jaarschijf.objects.filter(
            cycle_year__municipality_id=cycle_year.municipality_id,
            plan_year=cycle_year.year - 1,
            state=Jaarschijf.State.SIGNED,
        )
        .select_related("cycle_year__framework")
        .order_by(
            Case(When(cycle_year__framework_id=cycle_year.framework_id, then=0), default=1), "pk"
        )
        .first()
    )


@transaction.atomic
def evaluation_start(*, actor: Any, cycle_year: CycleYear, is_demo: bool = False) -> Evaluation:
    """Start the evaluation of last year's (signed) jaarschijf; starting again returns it."""
    if not rules.can_manage(actor, cycle_year):
        raise PermissionDenied(_("Alleen de werkgroep start de evaluatie."))
    list(CycleYear.objects.select_for_update().filter(pk=cycle_year.pk).values_list("pk"))
    existing = Evaluation.objects.filter(cycle_year=cycle_year).first()
    if existing is not None:
        return existing
    jaarschijf = evaluated_jaarschijf(cycle_year)
    if jaarschijf is None:
        raise ValidationError(
            _("Er is geen ondertekende jaarschijf %(year)s om te evalueren.")
            % {"year": cycle_year.year - 1}
        )
    if Evaluation.objects.filter(jaarschijf=jaarschijf).exists():
        raise ValidationError(_("Deze jaarschijf wordt al in een ander cyclusjaar geëvalueerd."))
    evaluation = Evaluation.objects.create(
        cycle_year=cycle_year, jaarschijf=jaarschijf, created_by=person(actor), is_demo=is_demo
    )
    audit_log(actor=actor, action="evaluation_start", obj=evaluation, jaarschijf=jaarschijf.pk)
    return evaluation


@transaction.atomic
def evaluation_update(
    *,
    actor: Any,
    evaluation: Evaluation,
    conclusion: str,
    permit_holder_task: int | None,
) -> Evaluation:
    evaluation = _lock(evaluation)
    if not rules.can_manage(actor, evaluation.cycle_year):
        raise PermissionDenied(_("Alleen de werkgroep schrijft de conclusies."))
    _require_concept(evaluation)
    if permit_holder_task is not None and permit_holder_task < 0:
        raise ValidationError({"permit_holder_task": _("Een taakstelling is niet negatief.")})
    evaluation.conclusion = conclusion.strip()
    evaluation.permit_holder_task = permit_holder_task
    evaluation.version += 1
    evaluation.save(update_fields=["conclusion", "permit_holder_task", "version"])
    audit_log(actor=actor, action="evaluation_update", obj=evaluation, version=evaluation.version)
    return evaluation


@dataclass
class RealisationInput:
    status: str
    realised_quantity: Decimal | None = None
    explanation: str = ""


@transaction.atomic
def realisation_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    contribution_id: int,
    data: RealisationInput,
    expected_version: int | None = None,
) -> ContributionRealisation:
    """Enter (or change) the realisation of one contribution of the evaluated jaarschijf.

    ``expected_version`` is the version the form was based on (0 for a new one): a stale form
    is refused instead of silently overwriting someone else's entry.
    """
    evaluation = _lock(evaluation)
    _require_concept(evaluation)
    try:
        contribution = Contribution.objects.select_related("party").get(
            pk=contribution_id, jaarschijf_id=evaluation.jaarschijf_id
        )
    except Contribution.DoesNotExist:
        raise ValidationError(
            _("Deze bijdrage hoort niet bij de geëvalueerde jaarschijf.")
        ) from None
    if not rules.can_enter_for(actor, evaluation, contribution.party_id):
        raise PermissionDenied(_("U vult alleen de realisatie van uw eigen partij in."))
    if data.status not in ContributionRealisation.Status.values:
        raise ValidationError({"status": _("Kies een realisatiestatus.")})
    if data.realised_quantity is not None and data.realised_quantity < 0:
        raise ValidationError({"realised_quantity": _("Een aantal is niet negatief.")})
    check_bound(data.realised_quantity, Quantity.NUMBER, field="realised_quantity")
    if data.status == ContributionRealisation.Status.NOT and data.realised_quantity:
        raise ValidationError(
            {"realised_quantity": _("Niet gerealiseerd gaat niet samen met een aantal.")}
        )
    if data.status != ContributionRealisation.Status.REALISED and not data.explanation.strip():
        raise ValidationError(
            {"explanation": _("Licht toe waarom de bijdrage niet (helemaal) is gerealiseerd.")}
        )
    realisation = (
        ContributionRealisation.objects.select_for_update()
        .filter(evaluation=evaluation, contribution=contribution)
        .first()
    )
    current = realisation.version if realisation else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Iemand anders heeft deze realisatie intussen gewijzigd; laad de pagina opnieuw.")
        )
    before = None
    if realisation is None:
        realisation = ContributionRealisation(evaluation=evaluation, contribution=contribution)
    else:
        before = realisation.status
        realisation.version += 1
    realisation.status = data.status
    realisation.realised_quantity = data.realised_quantity
    realisation.explanation = data.explanation.strip()
    realisation.entered_by = person(actor)
    realisation.save()
    _bump(evaluation)
    audit_log(
        actor=actor,
        action="realisation_save",
        obj=realisation,
        contribution=contribution.pk,
        before=before,
        after=data.status,
        quantity=data.realised_quantity,
    )
    return realisation


@dataclass
class FiguresInput:
    lettings: int | None = None
    relets: int | None = None
    vacancy_pct: Decimal | None = None
    passend_pct: Decimal | None = None
    daeb_pct: Decimal | None = None
    permit_holder_lettings: int | None = None
    evictions: int | None = None
    condition_score: Decimal | None = None
    source: str = ""


def _validate_figures(data: FiguresInput) -> None:
    errors: dict[str, str] = {}
    for name in ("vacancy_pct", "passend_pct", "daeb_pct"):
        value = getattr(data, name)
        if value is not None and value.is_finite() and not Decimal(0) <= value <= Decimal(100):
            errors[name] = _("Een percentage ligt tussen 0 en 100.")
        elif problem := bound_problem(value, Quantity.SHARE):
            errors[name] = problem
    for name in ("lettings", "relets", "permit_holder_lettings", "evictions"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = _("Een aantal is niet negatief.")
        elif problem := bound_problem(value, Quantity.DWELLINGS):
            errors[name] = problem
    if problem := bound_problem(data.condition_score, Quantity.NUMBER):
        errors["condition_score"] = problem
    elif data.condition_score is not None and not Decimal(1) <= data.condition_score <= 6:
        errors["condition_score"] = _("Een conditiescore (NEN 2767) ligt tussen 1 en 6.")
    if (
        data.permit_holder_lettings is not None
        and data.lettings is not None
        and data.permit_holder_lettings > data.lettings
    ):
        errors["permit_holder_lettings"] = _(
            "Er zijn niet meer verhuringen aan vergunninghouders dan verhuringen."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def year_figures_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    corporation: Party,
    data: FiguresInput,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> YearFigures:
    """Enter the corporation's figures of the evaluated year (the jaarschijf's plan year)."""
    evaluation = _lock(evaluation)
    _require_concept(evaluation)
    if (
        corporation.kind != Party.Kind.CORPORATION
        or not evaluation.framework.parties.filter(pk=corporation.pk).exists()
    ):
        raise ValidationError(_("Jaarcijfers horen bij een corporatie van het kader."))
    if not rules.can_enter_figures(actor, evaluation, corporation):
        raise PermissionDenied(_("U vult alleen de cijfers van uw eigen corporatie in."))
    _validate_figures(data)
    year = evaluation.jaarschijf.plan_year
    figures = (
        YearFigures.objects.select_for_update()
        .filter(municipality=evaluation.cycle_year.municipality, corporation=corporation, year=year)
        .first()
    )
    current = figures.version if figures else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Iemand anders heeft deze cijfers intussen gewijzigd; laad de pagina opnieuw.")
        )
    if figures is None:
        figures = YearFigures(
            municipality=evaluation.cycle_year.municipality, corporation=corporation, year=year
        )
    else:
        figures.version += 1
    for item in fields(FiguresInput):
        value = getattr(data, item.name)
        setattr(figures, item.name, value.strip() if isinstance(value, str) else value)
    figures.is_demo = is_demo
    figures.entered_by = person(actor)
    figures.save()
    _bump(evaluation)
    audit_log(
        actor=actor,
        action="year_figures_save",
        obj=figures,
        corporation=corporation.slug,
        year=year,
    )
    return figures


@transaction.atomic
def evaluation_comment_add(*, actor: Any, evaluation: Evaluation, text: str) -> EvaluationComment:
    if not rules.can_comment(actor, evaluation):
        raise PermissionDenied(_("Alleen partijen van het kader reageren op de evaluatie."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Schrijf een reactie.")})
    comment = EvaluationComment.objects.create(
        evaluation=evaluation, author=person(actor), author_party=user_party(actor), text=text
    )
    audit_log(actor=actor, action="evaluation_comment", obj=evaluation, comment=comment.pk)
    return comment


def _enqueue_render(evaluation: Evaluation) -> None:
    from cycle.evaluation.tasks import render_evaluation_pdf

    # Adopted by the last signature, the evaluation is downloaded as its signed PDF and the
    # task finds nothing to render; load_demo's adoption (no signing) is rendered into its file.
    transaction.on_commit(lambda: render_evaluation_pdf.delay(evaluation.pk))


@transaction.atomic
def evaluation_adopt(
    *, actor: Any, evaluation: Evaluation, at: Any = None, render_ahead: bool = True
) -> Evaluation:
    """Adopt (vaststellen) the evaluation: frozen from now on. Hook for the signing code, which
    calls it with ``actor=SIGNING`` when every party has signed. Renders the PDF ahead, after
    commit, so that downloads find it stored (cycle.evaluation.pdf)."""
    evaluation = _lock(evaluation)
    if not rules.can_manage(actor, evaluation.cycle_year):
        raise PermissionDenied(_("Alleen de werkgroep stelt de evaluatie vast."))
    _require_concept(evaluation)
    evaluation.state = Evaluation.State.ADOPTED
    evaluation.adopted_at = at or timezone.now()
    evaluation.adopted_by = person(actor)
    evaluation.version += 1
    evaluation.save(update_fields=["state", "adopted_at", "adopted_by", "version"])
    audit_log(actor=actor, action="evaluation_adopt", obj=evaluation, version=evaluation.version)
    if render_ahead:
        _enqueue_render(evaluation)
    return evaluation


@transaction.atomic
def evaluation_reopen(*, actor: Any, evaluation: Evaluation, reason: str = "") -> Evaluation:
    """Back to concept (the working group, or the signing code when a signatory declines)."""
    evaluation = _lock(evaluation)
    if not rules.can_manage(actor, evaluation.cycle_year):
        raise PermissionDenied(_("Alleen de werkgroep heropent de evaluatie."))
    if not evaluation.is_adopted:
        raise ValidationError(_("De evaluatie is nog niet vastgesteld."))
    evaluation.state = Evaluation.State.CONCEPT
    evaluation.adopted_at = None
    evaluation.adopted_by = None
    evaluation.version += 1
    evaluation.save(update_fields=["state", "adopted_at", "adopted_by", "version"])
    audit_log(actor=actor, action="evaluation_reopen", obj=evaluation, reason=reason.strip())
    return evaluation

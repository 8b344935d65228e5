"""Every write service of the evaluation refuses a user whose party or role may not do it,
and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from cycle.evaluation import services as es
from cycle.models import ContributionRealisation, Evaluation, EvaluationComment, YearFigures

from .conftest import figures, sloop_contribution

CASES: dict[str, tuple[str, Callable]] = {
    "evaluation_start by a corporation member": (
        "heemwonen",
        lambda world, e, user: lambda: es.evaluation_start(actor=user, cycle_year=world.cycle_year),
    ),
    "evaluation_update by a tenant member": (
        "huurders",
        lambda world, e, user: (
            lambda: es.evaluation_update(
                actor=user, evaluation=e, conclusion="Overschreven", permit_holder_task=None
            )
        ),
    ),
    "realisation_save by another corporation": (
        "wonenzuid",
        lambda world, e, user: (
            lambda: es.realisation_save(
                actor=user,
                evaluation=e,
                contribution_id=sloop_contribution(e, "heemwonen").pk,
                data=es.RealisationInput(status="gerealiseerd", realised_quantity=Decimal(1)),
            )
        ),
    ),
    "year_figures_save by another corporation": (
        "wonenzuid",
        lambda world, e, user: (
            lambda: es.year_figures_save(
                actor=user, evaluation=e, corporation=world.parties["heemwonen"], data=figures()
            )
        ),
    ),
    "evaluation_comment_add by a party outside the framework": (
        "meander",
        lambda world, e, user: (
            lambda: es.evaluation_comment_add(actor=user, evaluation=e, text="Van buiten")
        ),
    ),
    "evaluation_adopt by a signatory (adopting is signing, or the working group)": (
        "wethouder",
        lambda world, e, user: (
            lambda: es.evaluation_adopt(actor=user, evaluation=e, render_ahead=False)
        ),
    ),
}


def _snapshot(evaluation: Evaluation) -> tuple:
    return (
        Evaluation.objects.filter(pk=evaluation.pk).values_list("state", "conclusion").get(),
        Evaluation.objects.count(),
        sorted(ContributionRealisation.objects.values_list("id", "status", "realised_quantity")),
        YearFigures.objects.count(),
        EvaluationComment.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", CASES)
def test_an_evaluation_write_refuses_a_party_that_may_not_write(world, evaluation, name):
    username, prepare = CASES[name]
    refused = prepare(world, evaluation, world.users[username])
    before = _snapshot(evaluation)
    with pytest.raises(PermissionDenied):
        refused()
    assert _snapshot(evaluation) == before


def test_reopening_an_adopted_evaluation_is_refused_to_a_corporation_member(world, evaluation):
    adopted = es.evaluation_adopt(
        actor=world.users["werkgroep"], evaluation=evaluation, render_ahead=False
    )
    with pytest.raises(PermissionDenied):
        es.evaluation_reopen(actor=world.users["heemwonen"], evaluation=adopted, reason="Fout")
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.ADOPTED

"""The end-evaluation on the small world of tests/cycle/conftest.py: the framework 2021-2025
has ended (the portal's today is after 2025) and its 2025 jaarschijf is evaluated in 2026."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.actors import DEMO_LOADER
from cycle.endevaluation import services as end_services
from cycle.evaluation import services as es
from cycle.models import ContributionRealisation, EndEvaluation
from tests.cycle.evaluation.conftest import (  # noqa: F401  (fixtures)
    eval_year,
    evaluation,
    signed_jaarschijf,
    sloop_contribution,
)


@pytest.fixture
def realised(world, evaluation):  # noqa: F811
    """Sloop realised 40 (Heemwonen) + 30 (Wonen Zuid) in 2025."""
    for slug, quantity in [("heemwonen", 40), ("wonen-zuid", 30)]:
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=sloop_contribution(evaluation, slug).pk,
            data=es.RealisationInput(
                status=ContributionRealisation.Status.REALISED, realised_quantity=Decimal(quantity)
            ),
        )
    return evaluation


@pytest.fixture
def end_evaluation(world, realised) -> EndEvaluation:
    return end_services.end_evaluation_start(
        actor=world.users["werkgroep"], framework=world.framework
    )

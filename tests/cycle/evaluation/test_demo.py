from pathlib import Path

from django.conf import settings

from cycle import demo
from cycle.models import ContributionRealisation, Evaluation, YearFigures

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "kerkrade"


def snapshot():
    return (
        sorted(Evaluation.objects.values_list("cycle_year__year", "state", "version")),
        sorted(
            ContributionRealisation.objects.values_list(
                "contribution_id", "status", "realised_quantity", "explanation"
            )
        ),
        sorted(YearFigures.objects.values_list("corporation__slug", "year", "passend_pct")),
    )


def test_demo_adopts_the_evaluation_of_2025(world):
    demo.load(FIXTURES)
    evaluation = Evaluation.objects.get(jaarschijf__plan_year=2025)
    assert evaluation.cycle_year.year == 2026
    assert evaluation.is_adopted and evaluation.is_demo
    realisations = ContributionRealisation.objects.filter(evaluation=evaluation)
    assert realisations.count() == evaluation.jaarschijf.contributions.count() > 0
    assert all(r.explanation.startswith("Demogegevens:") for r in realisations)
    assert evaluation.conclusion.startswith("Demogegevens:")
    years = set(YearFigures.objects.values_list("year", flat=True))
    assert years == {2021, 2022, 2023, 2024, 2025}
    assert YearFigures.objects.filter(year=2025).count() == 3
    assert all(
        f.is_demo and f.source.startswith("Demogegevens:") for f in YearFigures.objects.all()
    )


def test_demo_evaluations_are_idempotent(world):
    demo.load(FIXTURES)
    first = snapshot()
    demo.load(FIXTURES)
    assert snapshot() == first

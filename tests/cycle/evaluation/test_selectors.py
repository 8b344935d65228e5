from decimal import Decimal

import pytest

from core.actors import DEMO_LOADER
from cycle.evaluation import selectors as sel
from cycle.evaluation import services as es
from cycle.evaluation.compliance import Light
from cycle.models import ContributionRealisation, YearFigures

from .conftest import figures, sloop_contribution

pytestmark = pytest.mark.django_db


def _fill(world, evaluation, *, passend=Decimal(97)):
    for slug, permit in [("heemwonen", 40), ("wonen-zuid", 20), ("wonen-limburg", 12)]:
        es.year_figures_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            corporation=world.parties[slug],
            data=figures(passend_pct=passend, permit_holder_lettings=permit, relets=320),
        )
    for slug, quantity in [("heemwonen", 40), ("wonen-zuid", 30)]:
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=sloop_contribution(evaluation, slug).pk,
            data=es.RealisationInput(
                status=ContributionRealisation.Status.REALISED,
                realised_quantity=Decimal(quantity),
            ),
        )


def _target(summary, code):
    return next(t for t in summary.target_statuses if t.target.code == code)


def test_passend_per_corporation_and_together(world, evaluation):
    _fill(world, evaluation, passend=Decimal(94))
    status = _target(sel.evaluation_summary(evaluation), "passend-toewijzen")
    assert [c.light for c in status.checks] == [Light.ORANGE] * 4
    assert status.checks[-1].value == "94%"
    assert status.light == Light.ORANGE
    assert "95%" in status.checks[0].rule


def test_missing_figures_give_no_data_not_green(world, evaluation):
    status = _target(sel.evaluation_summary(evaluation), "passend-toewijzen")
    assert status.light == Light.NONE


def test_permit_holder_task_divided_by_stock(world, evaluation):
    _fill(world, evaluation)
    evaluation = es.evaluation_update(
        actor=DEMO_LOADER, evaluation=evaluation, conclusion="", permit_holder_task=75
    )
    summary = sel.evaluation_summary(evaluation)
    rows = {row.corporation.slug: row for row in summary.permit_rows}
    # Stock 4.000 / 2.500 / 1.000 (see conftest): 40 / 25 / 10 of 75.
    assert {slug: row.due for slug, row in rows.items()} == {
        "heemwonen": 40,
        "wonen-zuid": 25,
        "wonen-limburg": 10,
    }
    assert rows["heemwonen"].share == Decimal(12.5)
    assert rows["heemwonen"].share_outcome.light == Light.ORANGE  # 12,5% of the re-lets
    assert rows["wonen-zuid"].task_outcome.light == Light.ORANGE  # 20 of 25: 80%
    assert rows["wonen-limburg"].task_outcome.light == Light.GREEN


def test_demolition_progress_from_linked_realisations(world, evaluation):
    _fill(world, evaluation)
    summary = sel.evaluation_summary(evaluation)
    row = next(r for r in summary.progress if r.target.code == "sloop")
    assert row.realised == 70
    assert row.per_year == {2025: Decimal(70)}
    assert row.due == Decimal(478)  # 2025 is the framework's last year
    assert row.outcome.light == Light.RED
    assert _target(summary, "sloop").checks[0].value == "70"


def test_nultreden_from_stock_snapshot_plus_realised(world, evaluation):
    summary = sel.evaluation_summary(evaluation)
    assert summary.nultreden_stock == 3700
    assert summary.nultreden.realised == 3700
    assert summary.nultreden.due == Decimal(3590) + Decimal(410) * 5 / 10
    # 110 of the 205 due increase: behind schedule.
    assert _target(summary, "nultreden").light == Light.RED


def test_theme_light_is_the_worst_of_targets_and_realisation(world, evaluation):
    _fill(world, evaluation)
    summary = sel.evaluation_summary(evaluation)
    theme1 = summary.themes[0]
    assert theme1.realisation.light == Light.NONE or theme1.counts.get("gerealiseerd") == 2
    assert theme1.light == Light.RED  # demolition behind schedule
    assert theme1.light_label == "Rood"
    assert "80%" in theme1.rule


def test_figures_across_the_framework_years(world, evaluation):
    YearFigures.objects.create(
        municipality=world.parties["gemeente-kerkrade"],
        corporation=world.parties["heemwonen"],
        year=2022,
        lettings=100,
        relets=110,
        passend_pct=Decimal(96),
    )
    _fill(world, evaluation)
    summary = sel.evaluation_summary(evaluation)
    assert [r.year for r in summary.years] == [2021, 2022, 2023, 2024, 2025]
    assert summary.years[1].lettings == 100
    assert summary.years[4].lettings == 900
    assert summary.years[4].permit_holder_share == Decimal(72) * 100 / 960
    keys = [c.key for c in summary.charts]
    assert {"passend", "daeb", "permit-holders", "doel-sloop"} <= set(keys)
    passend = next(c for c in summary.charts if c.key == "passend")
    assert "2022: 96%" in passend.desc and "doel 95%" in passend.desc


def test_summary_query_count_does_not_grow_with_the_data(
    world, evaluation, django_assert_max_num_queries
):
    _fill(world, evaluation)
    with django_assert_max_num_queries(20) as captured:
        sel.evaluation_summary(evaluation)
    few = len(captured.captured_queries)
    for year in range(2021, 2025):
        for slug in ["heemwonen", "wonen-zuid", "wonen-limburg"]:
            YearFigures.objects.create(
                municipality=world.parties["gemeente-kerkrade"],
                corporation=world.parties[slug],
                year=year,
                lettings=10,
            )
    with django_assert_max_num_queries(few):
        sel.evaluation_summary(evaluation)

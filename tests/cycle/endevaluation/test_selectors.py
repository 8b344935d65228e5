"""framework_end_evaluation and framework_end_values: planned against realised over all the
framework's years, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cycle.endevaluation.selectors import framework_end_evaluation, framework_end_values
from cycle.evaluation.compliance import Light
from cycle.models import YearFigures

pytestmark = pytest.mark.django_db

AFTER = dt.date(2026, 6, 1)


def test_a_running_framework_is_not_evaluated_at_its_end(world, realised):
    end = framework_end_evaluation(world.framework, today=dt.date(2025, 6, 1))
    assert not end.ended and end.evaluation is None
    assert all(row.realised is None and row.light == Light.NONE for row in end.rows)


def test_a_period_count_adds_every_year_and_is_judged_on_the_whole_goal(world, realised):
    end = framework_end_evaluation(world.framework, today=AFTER)
    sloop = next(row for row in end.rows if row.target.code == "sloop")
    assert sloop.realised == Decimal(70) and sloop.per_year == {2025: Decimal(70)}
    assert sloop.light == Light.RED and "478" in sloop.rule
    assert end.last_year == 2025


def test_end_values_give_the_realised_value_and_its_date_for_the_next_baselines(world, realised):
    values = {v.target.code: v for v in framework_end_values(world.framework, today=AFTER)}
    assert values["sloop"].value == Decimal(70)
    assert values["sloop"].date == dt.date(2025, 12, 31)
    # The stock reached: the nultreden count of housing_stock plus the realised increase.
    assert values["nultreden"].value == Decimal(3700)


def test_the_selector_keeps_its_query_count_whatever_the_years(
    world, realised, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25) as captured:
        framework_end_evaluation(world.framework, today=AFTER)
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
        framework_end_evaluation(world.framework, today=AFTER)

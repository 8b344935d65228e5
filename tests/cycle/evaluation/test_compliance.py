"""The compliance checks are pure functions: numbers in, a light and its rule out."""

from decimal import Decimal

import pytest

from cycle.evaluation import compliance as cc
from cycle.evaluation.compliance import Light

D = Decimal


@pytest.mark.parametrize(
    ("value", "light"),
    [(D(95), Light.GREEN), (D("96.1"), Light.GREEN), (D("93"), Light.ORANGE), (D(92), Light.RED)],
)
def test_passend_at_least_95(value, light):
    assert cc.min_share(value, D(95)).light == light


def test_missing_figure_gives_no_light_but_still_a_rule():
    outcome = cc.min_share(None, D(95))
    assert outcome.light == Light.NONE
    assert "95%" in outcome.rule


@pytest.mark.parametrize(
    ("value", "light"),
    [(D("92.5"), Light.GREEN), (D(88), Light.ORANGE), (D(85), Light.ORANGE), (D(84), Light.RED)],
)
def test_daeb_between_norm_and_local_figure_is_orange(value, light):
    assert cc.daeb_share(value, D("92.5"), D(85)).light == light


def test_daeb_without_local_figure_uses_the_margin():
    assert cc.daeb_share(D(88), D("92.5"), None).light == Light.RED


def test_rule_is_written_the_dutch_way():
    assert "92,5%" in cc.daeb_share(D(90), D("92.5"), D(85)).rule


@pytest.mark.parametrize(
    ("value", "light"), [(D(10), Light.GREEN), (D(12), Light.ORANGE), (D(13), Light.RED)]
)
def test_permit_holders_at_most_ten_percent_of_relets(value, light):
    assert cc.max_share(value, D(10)).light == light


def test_share_of_zero_relets_is_unknown():
    assert cc.share(3, 0) is None
    assert cc.share(32, 320) == D(10)


def test_task_divided_in_proportion_to_stock_adds_up():
    parts = cc.divide_by_stock(75, {"a": 4000, "b": 2500, "c": 1000})
    assert parts == {"a": 40, "b": 25, "c": 10}
    odd = cc.divide_by_stock(10, {"a": 1, "b": 1, "c": 1})
    assert sum(odd.values()) == 10
    assert odd == {"a": 4, "b": 3, "c": 3}


def test_task_without_stock_gives_nobody_a_part():
    assert cc.divide_by_stock(10, {"a": 0}) == {"a": 0}


@pytest.mark.parametrize(
    ("lettings", "light"), [(40, Light.GREEN), (32, Light.ORANGE), (31, Light.RED), (None, "geen")]
)
def test_task_share(lettings, light):
    assert cc.task_share(lettings, 40).light == light


def test_due_by_runs_straight_to_the_goal():
    assert cc.due_by(D(478), start=2021, end=2025, year=2023) == D("286.8")
    assert cc.due_by(D(478), start=2021, end=2025, year=2030) == D(478)
    assert (
        cc.due_by(D(4000), start=2020, end=2030, year=2025, baseline=D(3590))
        == D(3590) + D(410) * 6 / 11
    )


def test_demolition_progress_against_478():
    due = cc.due_by(D(478), start=2021, end=2025, year=2025)
    assert cc.progress(D(478), due, D(478)).light == Light.GREEN
    assert cc.progress(D(400), due, D(478)).light == Light.ORANGE
    assert cc.progress(D(300), due, D(478)).light == Light.RED


def test_nultreden_progress_counts_the_increase_from_the_baseline():
    due = cc.due_by(D(4000), start=2021, end=2030, year=2025, baseline=D(3590))
    assert due == D(3795)
    assert cc.progress(D(3800), due, D(4000), baseline=D(3590)).light == Light.GREEN
    # 80% of the 205 due increase is 164: 3754 and up is orange.
    assert cc.progress(D(3760), due, D(4000), baseline=D(3590)).light == Light.ORANGE
    assert cc.progress(D(3700), due, D(4000), baseline=D(3590)).light == Light.RED


def test_condition_score():
    assert cc.condition(D("3.1"), D(3)).light == Light.GREEN
    assert cc.condition(D("2.9"), D(3)).light == Light.ORANGE
    assert cc.condition(D("2.5"), D(3)).light == Light.RED


def test_realisation_counts_partly_as_half():
    assert cc.realisation_score(["gerealiseerd", "deels"]) == D("0.75")
    assert cc.realisation(["gerealiseerd", "deels"]).light == Light.ORANGE
    assert cc.realisation(["gerealiseerd"] * 4 + ["deels"] * 2).light == Light.GREEN
    assert cc.realisation(["niet", "doorgeschoven"]).light == Light.RED
    assert cc.realisation([]).light == Light.NONE


def test_worst_light_wins_and_no_data_never_hides_a_colour():
    assert cc.worst([Light.GREEN, Light.NONE, Light.ORANGE]) == Light.ORANGE
    assert cc.worst([Light.NONE]) == Light.NONE
    assert cc.worst([Light.GREEN, Light.RED]) == Light.RED

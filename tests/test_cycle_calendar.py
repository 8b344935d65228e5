"""Where the yearly cycle stands (cycle.calendar.current_step), on chosen dates."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cycle.calendar import current_step, step_deadline


def step(name: str, month: int | None, day: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(name=name, deadline_month=month, deadline_day=day)


# The framework's calendar: evaluation before 1 April, bid before 1 July, concept jaarschijf
# before 1 December, signing before 15 December; an addendum can come at any time.
CALENDAR = [
    step("evaluatie", 4, 1),
    step("bestuurlijk overleg", 4),  # "april": no day means the first of the month
    step("bod", 7, 1),
    step("addendum", None),
    step("concept jaarschijf", 12, 1),
    step("ondertekening", 12, 15),
]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2024, 1, 1), "evaluatie"),
        (dt.date(2024, 3, 31), "evaluatie"),
        (dt.date(2024, 4, 1), "bod"),  # "vóór 1 april": on 1 April that step is over
        (dt.date(2024, 6, 30), "bod"),
        (dt.date(2024, 7, 1), "concept jaarschijf"),
        (dt.date(2024, 11, 30), "concept jaarschijf"),
        (dt.date(2024, 12, 1), "ondertekening"),
        (dt.date(2024, 12, 14), "ondertekening"),
        (dt.date(2024, 2, 29), "evaluatie"),
    ],
)
def test_current_step_is_the_first_step_whose_deadline_has_not_passed(today, expected):
    assert current_step(CALENDAR, today).name == expected


@pytest.mark.parametrize("today", [dt.date(2024, 12, 15), dt.date(2024, 12, 31)])
def test_after_the_last_deadline_there_is_no_current_step(today):
    assert current_step(CALENDAR, today) is None


def test_steps_without_a_deadline_are_never_current():
    assert current_step([step("addendum", None)], dt.date(2024, 1, 1)) is None


def test_no_steps_no_current_step():
    assert current_step([], dt.date(2024, 6, 1)) is None


def test_step_deadline_defaults_to_the_first_of_the_month():
    assert step_deadline(step("april", 4), 2025) == dt.date(2025, 4, 1)


def test_step_deadline_is_in_the_year_asked_for():
    assert step_deadline(step("bod", 7, 1), 2030) == dt.date(2030, 7, 1)


def test_step_deadline_of_a_step_without_month_is_none():
    assert step_deadline(step("addendum", None), 2025) is None


@pytest.mark.django_db
def test_demo_calendar_always_points_at_the_nearest_deadline(demo):
    """On every day of a year, the current step of the Kerkrade calendar is the step with the
    nearest deadline still ahead: the process steps are in deadline order."""
    steps = list(demo.process_steps.order_by("order"))
    assert any(s.deadline_month for s in steps), "the demo calendar has no deadlines"
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        ahead = [step_deadline(s, 2024) for s in steps if s.deadline_month]
        ahead = [d for d in ahead if d > day]
        found = current_step(steps, day)
        if ahead:
            assert found is not None, day
            assert step_deadline(found, 2024) == min(ahead), day
        else:
            assert found is None, day
        day += dt.timedelta(days=1)

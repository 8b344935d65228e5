"""Where the yearly cycle stands, from the framework's process calendar (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Step(Protocol):
    deadline_month: int | None
    deadline_day: int | None


def step_deadline(step: _Step, year: int) -> dt.date | None:
    """The step's deadline in a calendar year; "vóór 1 juli" is stored as 1 July (exclusive)."""
    if not step.deadline_month:
        return None
    return dt.date(year, step.deadline_month, step.deadline_day or 1)


S = TypeVar("S", bound=_Step)


def current_step(steps: Sequence[S], today: dt.date) -> S | None:
    """The first step of the calendar whose deadline has not yet passed this year."""
    for step in steps:
        deadline = step_deadline(step, today.year)
        if deadline is not None and today < deadline:
            return step
    return None

"""Where the yearly cycle stands, from the framework's process calendar (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _


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


# --- milestone status ---------------------------------------------------------------------

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DUE_SOON_DAYS = 14


class Status(StrEnum):
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"


STATUS_LABELS = {
    Status.OPEN: _("open"),
    Status.DUE_SOON: _("binnenkort"),
    Status.OVERDUE: _("te laat"),
    Status.DONE_ON_TIME: _("op tijd gereed"),
    Status.DONE_LATE: _("te laat gereed"),
}
# A bid milestone is done by submitting the bid: its status says so, in the same words as the
# bid's own page ("te laat ingediend"), so that one thing has one wording.
BID_STATUS_LABELS = {
    **STATUS_LABELS,
    Status.DONE_ON_TIME: _("op tijd ingediend"),
    Status.DONE_LATE: _("te laat ingediend"),
}


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day in Amsterdam of an aware moment (naive moments are refused)."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(AMSTERDAM).date()


def is_late(deadline: dt.date, moment: dt.datetime) -> bool:
    """A delivery is late when it happens on or after the (exclusive) "vóór" date, Amsterdam."""
    return local_date(moment) >= deadline


def milestone_status(*, deadline: dt.date, done_at: dt.datetime | None, today: dt.date) -> Status:
    """The status of a milestone on a given Amsterdam calendar day.

    ``deadline`` is exclusive ("vóór 1 juli" = 1 July): on the deadline day itself an open
    milestone is overdue. Due soon means at most 14 days before the deadline.
    """
    if done_at is not None:
        return Status.DONE_LATE if is_late(deadline, done_at) else Status.DONE_ON_TIME
    days_left = (deadline - today).days
    if days_left <= 0:
        return Status.OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.OPEN


def last_day(deadline: dt.date) -> dt.date:
    """The last day on which a "vóór" deadline is still met."""
    return deadline - dt.timedelta(days=1)


class _Dated(Protocol):
    deadline: dt.date
    done_at: dt.datetime | None


M = TypeVar("M", bound=_Dated)


def with_status(milestones: Iterable[M], today: dt.date) -> list[M]:
    """The milestones with ``status`` and ``status_label`` set for this Amsterdam day."""
    result = []
    for milestone in milestones:
        milestone.status = milestone_status(
            deadline=milestone.deadline, done_at=milestone.done_at, today=today
        )
        labels = BID_STATUS_LABELS if getattr(milestone, "kind", None) == "bid" else STATUS_LABELS
        milestone.status_label = labels[milestone.status]
        result.append(milestone)
    return result

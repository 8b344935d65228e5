import datetime as dt

import pytest

from cycle.calendar import AMSTERDAM, Status, current_step, is_late, local_date, milestone_status

UTC = dt.UTC


def at_utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


BID_DEADLINE = dt.date(2025, 7, 1)  # "vóór 1 juli"


def status(deadline, today, done_at=None):
    return milestone_status(deadline=deadline, done_at=done_at, today=today)


def test_open_more_than_fourteen_days_before():
    assert status(BID_DEADLINE, dt.date(2025, 6, 16)) == Status.OPEN


def test_due_soon_at_fourteen_days():
    assert status(BID_DEADLINE, dt.date(2025, 6, 17)) == Status.DUE_SOON


def test_due_soon_on_last_day():
    assert status(BID_DEADLINE, dt.date(2025, 6, 30)) == Status.DUE_SOON


def test_overdue_on_the_exclusive_deadline_day():
    assert status(BID_DEADLINE, dt.date(2025, 7, 1)) == Status.OVERDUE


def test_done_on_time_one_second_before_midnight_amsterdam():
    # 30 June 23:59:59 CEST is 21:59:59 UTC
    done = at_utc(2025, 6, 30, 21, 59, 59)
    assert status(BID_DEADLINE, dt.date(2025, 7, 5), done) == Status.DONE_ON_TIME


def test_done_late_just_after_midnight_amsterdam_while_utc_is_still_30_june():
    done = at_utc(2025, 6, 30, 22, 0, 1)  # 1 July 00:00:01 in Amsterdam
    assert status(BID_DEADLINE, dt.date(2025, 7, 5), done) == Status.DONE_LATE


def test_local_date_turns_at_amsterdam_midnight_not_utc():
    assert local_date(at_utc(2025, 6, 30, 21, 59)) == dt.date(2025, 6, 30)
    assert local_date(at_utc(2025, 6, 30, 22, 0)) == dt.date(2025, 7, 1)


def test_winter_midnight_is_23_utc():
    deadline = dt.date(2025, 12, 15)
    assert not is_late(deadline, at_utc(2025, 12, 14, 22, 59, 59))
    assert is_late(deadline, at_utc(2025, 12, 14, 23, 0, 0))


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        # Spring forward: 30 March 2025 02:00 CET -> 03:00 CEST.
        # Midnight into 31 March is 22:00 UTC.
        (at_utc(2025, 3, 30, 21, 59, 59), False),
        (at_utc(2025, 3, 30, 22, 0, 0), True),
    ],
)
def test_deadline_after_spring_dst_change(moment, late):
    assert is_late(dt.date(2025, 3, 31), moment) is late


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        # Fall back: 26 October 2025 03:00 CEST -> 02:00 CET. Midnight into 27 October is 23:00 UTC.
        (at_utc(2025, 10, 26, 22, 59, 59), False),
        (at_utc(2025, 10, 26, 23, 0, 0), True),
    ],
)
def test_deadline_after_autumn_dst_change(moment, late):
    assert is_late(dt.date(2025, 10, 27), moment) is late


def test_deadline_on_dst_day_itself():
    # Deadline 30 March (the spring DST day): 29 March 23:30 CET is still on time.
    assert not is_late(dt.date(2025, 3, 30), at_utc(2025, 3, 29, 22, 30))
    assert is_late(dt.date(2025, 3, 30), at_utc(2025, 3, 29, 23, 30))


def test_due_soon_window_counts_calendar_days_across_dst():
    # 14 calendar days before 8 April crosses the spring change; still due soon, not open.
    assert status(dt.date(2025, 4, 8), dt.date(2025, 3, 25)) == Status.DUE_SOON
    assert status(dt.date(2025, 4, 8), dt.date(2025, 3, 24)) == Status.OPEN


def test_naive_datetime_refused():
    with pytest.raises(ValueError, match="aware"):
        local_date(dt.datetime(2025, 1, 1))  # noqa: DTZ001


def test_done_overrides_overdue():
    done = dt.datetime(2025, 6, 1, 12, tzinfo=AMSTERDAM)
    assert status(BID_DEADLINE, dt.date(2026, 1, 1), done) == Status.DONE_ON_TIME


class _Step:
    def __init__(self, month, day):
        self.deadline_month, self.deadline_day = month, day


def test_current_step_still_works():
    steps = [_Step(4, 1), _Step(7, 1), _Step(None, None), _Step(12, 15)]
    assert current_step(steps, dt.date(2025, 5, 1)) is steps[1]
    assert current_step(steps, dt.date(2025, 12, 15)) is None

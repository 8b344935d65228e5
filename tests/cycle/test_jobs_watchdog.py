"""The watchdog (kerkrade_pa.tasks.fail_stuck_jobs) fails every database-held job past its limit.

It lives with the cycle tests for their `world` (a corporation and a cycle year).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from core import jobs
from cycle.models import BidUpload
from housing_stock.models import StockImport
from kerkrade_pa.tasks import fail_stuck_jobs

pytestmark = pytest.mark.django_db

STUCK = "De verwerking duurde te lang of is onderbroken; probeer het opnieuw."


def _ago(kind: str, extra: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=jobs.stuck_after(kind) + extra)


def _import(world, status, started_at) -> StockImport:
    return StockImport.objects.create(
        party=world.parties["heemwonen"],
        peildatum=dt.date(2021, 1, 1),
        kind="units",
        file="x.xlsx",
        original_name="x.xlsx",
        status=status,
        started_at=started_at,
    )


def _upload(world, status, started_at) -> BidUpload:
    return BidUpload.objects.create(
        corporation=world.parties["heemwonen"],
        cycle_year=world.cycle_year,
        filename="bod.xlsx",
        file="cycle/uploads/bod.xlsx",
        size=1,
        sha256="0" * 64,
        status=status,
        started_at=started_at,
    )


def test_the_watchdog_runs_every_minute():
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "kerkrade_pa.fail_stuck_jobs"
    ]
    assert [e["schedule"] for e in entries] == [60.0]


def test_the_watchdog_fails_only_jobs_past_their_limit(world):
    SI, U = StockImport.Status, BidUpload.Status
    stuck_pending = _import(world, SI.PENDING, _ago(jobs.STOCK_IMPORT, 5))
    stuck_processing = _import(world, SI.PROCESSING, _ago(jobs.STOCK_IMPORT, 5))
    fresh = _import(world, SI.PROCESSING, _ago(jobs.STOCK_IMPORT, -30))
    waiting = _import(world, SI.AWAITING_CONFIRMATION, _ago(jobs.STOCK_IMPORT, 5))
    stuck_upload = _upload(world, U.PENDING, _ago(jobs.BID_UPLOAD, 5))
    fresh_upload = _upload(world, U.PENDING, _ago(jobs.BID_UPLOAD, -30))

    assert fail_stuck_jobs() == {"stock_imports": 2, "bid_uploads": 1}

    for stock_import in (stuck_pending, stuck_processing):
        stock_import.refresh_from_db()
        assert stock_import.status == SI.FAILED and stock_import.failure == STUCK
        assert stock_import.finished_at is not None
    for stock_import, status in ((fresh, SI.PROCESSING), (waiting, SI.AWAITING_CONFIRMATION)):
        stock_import.refresh_from_db()
        assert stock_import.status == status
    stuck_upload.refresh_from_db()
    assert stuck_upload.status == U.FAILED and stuck_upload.errors == [STUCK]
    fresh_upload.refresh_from_db()
    assert fresh_upload.status == U.PENDING

    assert fail_stuck_jobs() == {"stock_imports": 0, "bid_uploads": 0}  # nothing left


def test_a_job_from_before_started_at_counts_from_its_creation(world):
    old = _import(world, StockImport.Status.PENDING, None)
    StockImport.objects.filter(pk=old.pk).update(created_at=_ago(jobs.STOCK_IMPORT, 5))
    assert fail_stuck_jobs()["stock_imports"] == 1


def test_the_margin_lies_beyond_the_hard_time_limit():
    # A job shown as stuck can no longer be running in a worker.
    for kind, limit in jobs.LIMITS.items():
        assert jobs.task_options(kind)["time_limit"] < jobs.stuck_after(kind), kind
        assert jobs.task_options(kind)["soft_time_limit"] == limit

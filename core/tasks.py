"""Portal-wide periodic tasks of core."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="core.fail_stuck_jobs")
def fail_stuck_jobs() -> dict[str, int]:
    """The watchdog (every minute, CELERY_BEAT_SCHEDULE): fail every job past its limit.

    Database-held jobs (stock imports, bid uploads) are failed here with "De verwerking duurde
    te lang of is onderbroken; probeer het opnieuw."; the evaluation PDF's job lives in the
    cache, which cannot be scanned cheaply, and is failed when it is read (cycle.evaluation.pdf).
    """
    from cycle.bids.services import bid_uploads_fail_stuck
    from housing_stock.services import stock_imports_fail_stuck

    failed = {
        "stock_imports": stock_imports_fail_stuck(),
        "bid_uploads": bid_uploads_fail_stuck(),
    }
    if any(failed.values()):
        logger.warning("Watchdog failed stuck jobs: %s", failed)
    return failed

"""Portal-wide Celery tasks.

`ping` is the health check of the task pipeline: it does no work and touches no database, so
its round trip proves only what it should — that a message reached a worker through the broker
and that the answer came back through the result backend. Operations can call it from a shell
(`celery -A kerkrade_pa call kerkrade_pa.ping`), and tests/test_celery_redis.py uses it to prove
the Redis path in CI.
"""

from __future__ import annotations

import logging
import os
import socket

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="kerkrade_pa.ping", ignore_result=False)
def ping(self) -> dict[str, object]:
    """Answer with who ran the task and when.

    `worker` is the Celery node name (e.g. `celery@web-1`), or None when the task ran eagerly
    in-process; `pid` tells a separate worker process apart from the caller.
    """
    return {
        "pong": True,
        "worker": self.request.hostname,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "eager": bool(self.request.is_eager),
        "time": timezone.now().isoformat(),
    }


@shared_task(name="kerkrade_pa.fail_stuck_jobs")
def fail_stuck_jobs() -> dict[str, int]:
    """The watchdog (every minute, CELERY_BEAT_SCHEDULE): fail every job past its limit.

    Database-held jobs (stock imports, bid uploads) are failed here with "De verwerking duurde
    te lang of is onderbroken; probeer het opnieuw." (core.jobs). The evaluation PDF's job lives
    in the cache, which cannot be scanned cheaply, and is failed when it is read
    (cycle.pdf_jobs). It lives here and not in core because it calls the apps.
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

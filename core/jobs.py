"""Every background job ends: one limit per kind of job, and what follows from it.

A job (a stock import, a bid upload, a PDF render) is started by a request and finished by a
worker. Whatever happens to that worker, the job reaches done or failed:

- Time limits. Each task gets Celery's soft limit (``LIMITS[kind]``, the task then raises
  SoftTimeLimitExceeded and records the failure) and a hard limit a little later (the worker
  kills the process running it).
- A worker that dies. ``acks_late`` + ``reject_on_worker_lost`` put the message back on the
  queue, so the job is redelivered; each start counts an attempt, and after ``MAX_ATTEMPTS`` the
  job fails with a Dutch message instead of looping. The writes of each job are all-or-nothing
  and check the job's state under its row lock, so a redelivered job never writes twice.
- A job that is never heard of again (the whole worker machine gone, the message lost): the
  watchdog (kerkrade_pa.tasks.fail_stuck_jobs, every minute in CELERY_BEAT_SCHEDULE) fails every job
  past ``LIMITS[kind] + MARGIN_SECONDS``, and the pages compute the same from the job's start
  at read time, so no page shows a spinner beyond that even when no watchdog runs.

The margin lies beyond the hard limit: a job shown as stuck can no longer be running.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STOCK_IMPORT = "stock_import"
BID_UPLOAD = "bid_upload"
EVALUATION_PDF = "evaluation_pdf"

# Seconds a job of each kind may run before its task is stopped (Celery's soft time limit).
LIMITS: dict[str, int] = {
    STOCK_IMPORT: 10 * 60,
    BID_UPLOAD: 5 * 60,
    EVALUATION_PDF: 5 * 60,
}
# The hard limit follows the soft one by this much (time to record the failure).
HARD_LIMIT_EXTRA_SECONDS = 30
# A job is stuck once it is older than its limit plus this margin (beyond the hard limit).
MARGIN_SECONDS = 60
# Starts of one job (the first delivery and redeliveries after a lost worker).
MAX_ATTEMPTS = 2

STUCK_MESSAGE = _("De verwerking duurde te lang of is onderbroken; probeer het opnieuw.")
FAILED_MESSAGE = _("De verwerking is mislukt; probeer het opnieuw.")
TOO_MANY_ATTEMPTS_MESSAGE = _(
    "De verwerking is %(attempts)s keer onderbroken en daarom gestopt; probeer het opnieuw."
)


def task_options(kind: str) -> dict:
    """The options of the Celery task that runs a job of this kind (for @shared_task)."""
    return {
        "soft_time_limit": LIMITS[kind],
        "time_limit": LIMITS[kind] + HARD_LIMIT_EXTRA_SECONDS,
        "acks_late": True,
        "reject_on_worker_lost": True,
    }


def stuck_after(kind: str) -> int:
    """Seconds after its (re)start at which a job not finished counts as stuck."""
    return LIMITS[kind] + MARGIN_SECONDS


def stuck_before(kind: str, now: dt.datetime | None = None) -> dt.datetime:
    """Jobs (re)started before this moment and not finished are stuck."""
    return (now or timezone.now()) - dt.timedelta(seconds=stuck_after(kind))


def is_stuck(kind: str, started_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    return started_at is not None and started_at < stuck_before(kind, now)


def too_many_attempts(attempts: int) -> bool:
    return attempts > MAX_ATTEMPTS


def too_many_attempts_message() -> str:
    return str(TOO_MANY_ATTEMPTS_MESSAGE % {"attempts": MAX_ATTEMPTS})


def pause_for_tests() -> None:
    """Let a test hold a job in the worker (settings_test: PA_TEST_JOB_PAUSE_SECONDS).

    Production settings do not define the setting, so this does nothing there.
    """
    seconds = getattr(settings, "PA_TEST_JOB_PAUSE_SECONDS", 0)
    if seconds:
        time.sleep(seconds)

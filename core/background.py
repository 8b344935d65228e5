"""Start a Celery task in the background, with or without a worker.

With a worker (REDIS_URL set) the task is sent to the broker. With eager tasks (no REDIS_URL,
``make run``) Celery would run it inside the request that sends it, and a PDF render would
freeze that page for many seconds; instead the task runs in a thread of this process once the
transaction has committed, so the request returns at once and the page follows the task's
progress exactly as it does with a worker.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import current_app
from django.db import connections, transaction

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> None:
    """Send ``task(*args)`` to the worker, or (eager) run it in a thread after commit."""
    if not current_app.conf.task_always_eager:
        task.delay(*args)
        return
    transaction.on_commit(lambda: start_thread(task, args))


def start_thread(task: Any, args: tuple) -> None:
    # Not a daemon: a management command or a reloading server waits for the render to end
    # instead of cutting it off half-way.
    threading.Thread(target=_run, args=(task, args), name=f"eager-{task.name}").start()


def _run(task: Any, args: tuple) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:
        # The task records its own failure (and logs it); nothing is left to tell here.
        logger.debug("Background task %s failed", task.name, exc_info=True)
    finally:
        connections.close_all()  # this thread's connections only

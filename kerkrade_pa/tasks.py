"""Portal-wide Celery tasks.

`ping` is the health check of the task pipeline: it does no work and touches no database, so
its round trip proves only what it should — that a message reached a worker through the broker
and that the answer came back through the result backend. Operations can call it from a shell
(`celery -A kerkrade_pa call kerkrade_pa.ping`), and tests/test_celery_redis.py uses it to prove
the Redis path in CI.
"""

from __future__ import annotations

import os
import socket

from celery import shared_task
from django.utils import timezone


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

"""A real Celery worker for the tests that kill one mid-job (tests/*/test_jobs_redis.py).

``prefork_worker`` starts `celery worker --pool=prefork --concurrency=1` on a queue of its
own, on the same Redis and the same PostgreSQL test database as the test (and the test's media
folder), and stops only the process it started. ``pool_children`` names that worker's pool
process, the one running the job, for the test to SIGKILL. Skipped without REDIS_URL or
PostgreSQL; under CI=true failed instead (like tests/test_celery_redis.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.db import connection

from tests.test_celery_redis import _cleanup_redis, _in_ci, _redis_client

BASE_DIR = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 90  # a cold worker imports Django in a few seconds; the machine is shared


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def pool_children(self) -> list[int]:
        """The pool processes of the worker we started (its direct children)."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except FileNotFoundError:
            return []
        return [int(child) for child in text.split()]

    def wait_for(self, what: str, check: Callable[[], Any]) -> Any:
        """Poll check() until it is truthy; fail with the worker's log if it never is."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            if self.process.poll() is not None:
                pytest.fail(
                    f"the worker exited ({self.process.returncode}) before {what}:\n"
                    + self.log_path.read_text()
                )
            time.sleep(0.2)
        pytest.fail(
            f"not within {WAIT_SECONDS} s: {what}; worker log:\n" + self.log_path.read_text()
        )


def _needs_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    if _in_ci():
        pytest.fail("CI=true but the tests run on SQLite: a worker needs the PostgreSQL test db")
    pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...) for a worker to share its db")


def _test_database_url() -> str:
    """DATABASE_URL with the test database's name, for the worker."""
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path="/" + connection.settings_dict["NAME"]))


@contextmanager
def prefork_worker(tmp_path: Path, **env: str) -> Iterator[Worker]:
    client = _redis_client()
    _needs_postgres()
    queue = f"pa-jobs-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@{socket.gethostname()}"
    log_path = tmp_path / "worker.log"
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kerkrade_pa.settings_test",
        "DATABASE_URL": _test_database_url(),
        "PA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env,
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kerkrade_pa",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                f"--queues={queue}",
                f"--hostname={nodename}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Worker(process, queue, log_path)
    finally:
        process.terminate()  # only the PID we started (it stops its own pool)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        _cleanup_redis(client, queue, nodename)


@contextmanager
def not_eager() -> Iterator[None]:
    """settings_test makes tasks eager; a test with a worker sends them to it."""
    from kerkrade_pa.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous

"""Real Celery workers for the tests that need one: the Redis round trip
(tests/test_celery_redis.py) and the tests that kill one mid-job (tests/*/test_jobs_redis.py).

``celery_worker`` starts `celery -A kerkrade_pa worker` on a queue of its own and stops only
the process it started. ``prefork_worker`` is such a worker with `--pool=prefork
--concurrency=1` on the same PostgreSQL test database as the test (and the test's media
folder); ``Worker.pool_children`` names its pool process, the one running the job, for the test
to SIGKILL. Skipped without REDIS_URL or PostgreSQL; under CI=true failed instead, because CI
must prove the Redis path.
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

BASE_DIR = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 90  # a cold worker imports Django in a few seconds; the machine is shared


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def redis_client():
    """A client for REDIS_URL, or skip (laptop) / fail (CI, or Redis set but not answering)."""
    if not settings.REDIS_URL:
        if in_ci():
            pytest.fail(
                "CI=true but REDIS_URL is unset: CI must prove that tasks go through Redis "
                "(.ci/run sets REDIS_URL=redis://127.0.0.1:6379/0)."
            )
        pytest.skip(
            "REDIS_URL is unset, so tasks run eagerly in-process; "
            "set REDIS_URL=redis://127.0.0.1:6379/0 to test the Redis round trip."
        )
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"REDIS_URL={settings.REDIS_URL} is set but Redis does not answer: {exc}")
    return client


def _cleanup_redis(client, queue: str, nodename: str) -> None:
    """Remove the test queue and its routing entries, so repeated runs leave nothing behind."""
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for key in client.scan_iter(match="_kombu.binding.*", count=500):
        if client.type(key) != b"set":
            continue
        for member in client.smembers(key):
            text = member.decode(errors="replace")
            if queue in text or nodename in text:
                client.srem(key, member)


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    nodename: str
    log_path: Path
    client: Any  # the Redis client of REDIS_URL

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
    if in_ci():
        pytest.fail("CI=true but the tests run on SQLite: a worker needs the PostgreSQL test db")
    pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...) for a worker to share its db")


def _test_database_url() -> str:
    """DATABASE_URL with the test database's name, for the worker."""
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path="/" + connection.settings_dict["NAME"]))


@contextmanager
def celery_worker(tmp_path: Path, *, pool: str, **env: str) -> Iterator[Worker]:
    """A worker process consuming a queue that only this test uses."""
    client = redis_client()
    queue = f"pa-test-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@{socket.gethostname()}"
    log_path = tmp_path / "worker.log"
    worker_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kerkrade_pa.settings_test", **env}
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kerkrade_pa",
                "worker",
                f"--pool={pool}",
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
        yield Worker(process, queue, nodename, log_path, client)
    finally:
        process.terminate()  # only the PID we started (it stops its own pool)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        _cleanup_redis(client, queue, nodename)


@contextmanager
def prefork_worker(tmp_path: Path, **env: str) -> Iterator[Worker]:
    """A prefork worker on the test's own PostgreSQL database and media folder."""
    redis_client()
    _needs_postgres()
    with celery_worker(
        tmp_path,
        pool="prefork",
        DATABASE_URL=_test_database_url(),
        PA_TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **env,
    ) as worker:
        yield worker


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

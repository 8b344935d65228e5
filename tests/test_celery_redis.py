"""A Celery task really travels through Redis to a separate worker process and back.

The rest of the suite runs tasks eagerly (settings_test). This test starts a real
`celery -A kerkrade_pa worker` on a queue of its own, sends `kerkrade_pa.ping` with
`apply_async`, and checks that the answer came from that worker process and that the result is
stored in Redis. On a laptop without REDIS_URL it is skipped; under CI=true it fails instead,
because CI must prove the Redis path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from kerkrade_pa.tasks import ping

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_START_AND_ANSWER_TIMEOUT = 90  # seconds; a cold worker imports Django in a few seconds


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _redis_client():
    """A client for REDIS_URL, or skip (laptop) / fail (CI, or Redis set but not answering)."""
    if not settings.REDIS_URL:
        if _in_ci():
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


@pytest.fixture
def redis_worker(tmp_path):
    """A real Celery worker process consuming a queue that only this test uses."""
    client = _redis_client()
    queue = f"pa-test-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@{socket.gethostname()}"
    log_path = tmp_path / "worker.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kerkrade_pa.settings_test"}
    with log_path.open("w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kerkrade_pa",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                f"--queues={queue}",
                f"--hostname={nodename}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker, queue, nodename, log_path, client
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        _cleanup_redis(client, queue, nodename)


@pytest.mark.redis
def test_ping_goes_through_redis_to_a_worker_process_and_back(redis_worker):
    from kerkrade_pa.celery import app

    worker, queue, nodename, log_path, client = redis_worker
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.result_backend == settings.REDIS_URL

    # settings_test makes tasks eager; this one test must not run in-process.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(queue=queue)
        deadline = time.monotonic() + WORKER_START_AND_ANSWER_TIMEOUT
        while not result.ready():
            if worker.poll() is not None:
                pytest.fail(
                    f"the worker exited with code {worker.returncode} before answering:\n"
                    + log_path.read_text()
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no answer within {WORKER_START_AND_ANSWER_TIMEOUT} s; worker log:\n"
                    + log_path.read_text()
                )
            time.sleep(0.2)
        answer = result.get(timeout=10)
    finally:
        app.conf.task_always_eager = previous

    assert answer["pong"] is True
    assert answer["eager"] is False
    # It ran in the worker we started, which is another process than this test.
    assert answer["worker"] == nodename
    assert answer["pid"] == worker.pid != os.getpid()
    # And the result came back through Redis, where the backend stored it under the task id.
    assert client.exists(f"celery-task-meta-{result.id}") == 1
    result.forget()


def test_ping_runs_in_process_when_tasks_are_eager():
    # The test settings (and a laptop without REDIS_URL) run tasks eagerly: no worker needed.
    answer = ping.delay().get(timeout=5)
    assert answer["pong"] is True
    assert answer["eager"] is True
    assert answer["pid"] == os.getpid()


def test_every_periodic_task_in_the_beat_schedule_exists():
    # A renamed task would otherwise only show up as "unregistered task" in a worker's log.
    from kerkrade_pa.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled <= set(app.tasks), f"unknown tasks: {sorted(scheduled - set(app.tasks))}"

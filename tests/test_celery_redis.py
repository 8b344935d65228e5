"""A Celery task really travels through Redis to a separate worker process and back.

The rest of the suite runs tasks eagerly (settings_test). This test starts a real
`celery -A kerkrade_pa worker` on a queue of its own, sends `kerkrade_pa.ping` with
`apply_async`, and checks that the answer came from that worker process and that the result is
stored in Redis. On a laptop without REDIS_URL it is skipped; under CI=true it fails instead,
because CI must prove the Redis path.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from kerkrade_pa.tasks import ping
from tests.workers import celery_worker, not_eager


@pytest.fixture
def redis_worker(tmp_path):
    """A real Celery worker process consuming a queue that only this test uses."""
    with celery_worker(tmp_path, pool="solo") as worker:
        yield worker


@pytest.mark.redis
def test_ping_goes_through_redis_to_a_worker_process_and_back(redis_worker):
    from kerkrade_pa.celery import app

    worker = redis_worker
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.result_backend == settings.REDIS_URL

    # settings_test makes tasks eager; this one test must not run in-process.
    with not_eager():
        result = ping.apply_async(queue=worker.queue)
        worker.wait_for("the worker answered the ping", result.ready)
        answer = result.get(timeout=10)

    assert answer["pong"] is True
    assert answer["eager"] is False
    # It ran in the worker we started, which is another process than this test.
    assert answer["worker"] == worker.nodename
    assert answer["pid"] == worker.process.pid != os.getpid()
    # And the result came back through Redis, where the backend stored it under the task id.
    assert worker.client.exists(f"celery-task-meta-{result.id}") == 1
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

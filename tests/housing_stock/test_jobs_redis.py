"""A real worker dies mid-job: the job is redelivered, then fails with a Dutch error (not a
spinner), and 'Probeer opnieuw' has it redone by the worker.

A real `celery worker --pool=prefork --concurrency=1` is started on a queue of its own, on the
same Redis and the same PostgreSQL test database as this test. A stock import is uploaded
through the page; the worker holds it (PA_TEST_JOB_PAUSE_SECONDS) and the test SIGKILLs the
worker's pool process that runs it, twice: acks_late + reject_on_worker_lost put the message back
each time, the third delivery finds the attempts used up and fails the import. Skipped without
REDIS_URL or PostgreSQL; under CI=true it fails instead (like tests/test_celery_redis.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from core import jobs
from housing_stock import services
from housing_stock.models import StockImport, StockSnapshot
from housing_stock.tasks import stock_import_run
from tests.test_celery_redis import _cleanup_redis, _in_ci, _redis_client

from .files import unit_row, units_xlsx, upload

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WAIT_SECONDS = 90  # a cold worker imports Django in a few seconds; the machine is shared
PAUSE_SECONDS = 3  # how long the worker holds each delivery before it reads the file
S = StockImport.Status


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


def _pool_children(pid: int) -> list[int]:
    """The pool processes of the worker we started (its direct children)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


@pytest.fixture
def prefork_worker(tmp_path):
    client = _redis_client()
    _needs_postgres()
    queue = f"pa-jobs-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@{socket.gethostname()}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kerkrade_pa.settings_test",
        "DATABASE_URL": _test_database_url(),
        "PA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PA_TEST_JOB_PAUSE_SECONDS": str(PAUSE_SECONDS),
    }
    with log_path.open("w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
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
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker, queue, log_path
    finally:
        worker.terminate()  # only the PID we started (it stops its own pool)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        _cleanup_redis(client, queue, nodename)


def _wait_for(worker, log_path, what: str, check):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if worker.poll() is not None:
            pytest.fail(
                f"the worker exited ({worker.returncode}) before {what}:\n" + log_path.read_text()
            )
        time.sleep(0.2)
    pytest.fail(f"not within {WAIT_SECONDS} s: {what}; worker log:\n" + log_path.read_text())


def _running_attempt(pk: int, attempt: int):
    def check():
        stock_import = StockImport.objects.get(pk=pk)
        return stock_import.status == S.PROCESSING and stock_import.attempts == attempt

    return check


@pytest.fixture
def not_eager():
    """settings_test makes tasks eager; this test sends them to the worker."""
    from kerkrade_pa.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_dutch_error_and_probeer_opnieuw_redoes_the_job(
    prefork_worker, not_eager, client, heem_user, parties, stock_demo, monkeypatch
):
    worker, queue, log_path = prefork_worker
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 0)  # this small file goes to the worker
    sent = []
    monkeypatch.setattr(
        stock_import_run,
        "delay",
        lambda pk: sent.append(stock_import_run.apply_async((pk,), queue=queue)),
    )
    client.force_login(heem_user)

    response = client.post(
        reverse("housing_stock:import"),
        {
            "party": parties["heemwonen"].pk,
            "peildatum": "2021-01-01",
            "kind": "units",
            "file": upload(units_xlsx([unit_row(1), unit_row(2), unit_row(3)])),
        },
    )
    stock_import = StockImport.objects.get()
    assert response["Location"] == reverse("housing_stock:import-detail", args=[stock_import.pk])
    url = response["Location"]

    # Each delivery: the worker's pool process takes the job (an attempt), and dies.
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        _wait_for(
            worker, log_path, f"attempt {attempt} runs", _running_attempt(stock_import.pk, attempt)
        )
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "Wordt verwerkt" in page and 'hx-trigger="every 1s"' in page
        children = _pool_children(worker.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)  # the pool process of the worker we started

    # The next delivery finds the attempts used up: failed, in Dutch, not a spinner.
    def failed():
        return StockImport.objects.filter(pk=stock_import.pk, status=S.FAILED).first()

    stock_import = _wait_for(worker, log_path, "the import fails", failed)
    assert stock_import.failure == jobs.too_many_attempts_message()
    assert not StockSnapshot.objects.filter(stock_import=stock_import).exists()
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f"De verwerking is {jobs.MAX_ATTEMPTS} keer onderbroken" in page
    assert "probeer het opnieuw" in page and "Probeer opnieuw" in page
    assert "hx-trigger" not in page and "<progress" not in page

    # "Probeer opnieuw": the (new) pool process of the same worker redoes it, once.
    assert (
        client.post(reverse("housing_stock:import-retry", args=[stock_import.pk])).status_code
        == 302
    )

    def done():
        return StockImport.objects.filter(pk=stock_import.pk, status=S.DONE).first()

    stock_import = _wait_for(worker, log_path, "the retried import is done", done)
    assert stock_import.attempts == 1 and stock_import.failure == ""
    assert StockSnapshot.objects.filter(stock_import=stock_import).count() == 1
    page = client.get(url).content.decode()
    assert "Geïmporteerd (3 rijen)." in page and "hx-trigger" not in page
    assert len(sent) == 2  # the upload and the retry; the redeliveries were the broker's
    for result in sent:
        result.forget()

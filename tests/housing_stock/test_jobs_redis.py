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

import pytest
from django.urls import reverse

from core import jobs
from housing_stock import services
from housing_stock.models import StockImport, StockSnapshot
from housing_stock.tasks import stock_import_run
from tests.workers import not_eager, prefork_worker

from .files import unit_row, units_xlsx, upload

PAUSE_SECONDS = 3  # how long the worker holds each delivery before it reads the file
S = StockImport.Status


@pytest.fixture
def worker(tmp_path):
    pause = str(PAUSE_SECONDS)
    with prefork_worker(tmp_path, PA_TEST_JOB_PAUSE_SECONDS=pause) as started, not_eager():
        yield started


def _running_attempt(pk: int, attempt: int):
    def check():
        stock_import = StockImport.objects.get(pk=pk)
        return stock_import.status == S.PROCESSING and stock_import.attempts == attempt

    return check


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_dutch_error_and_probeer_opnieuw_redoes_the_job(
    worker, client, heem_user, parties, stock_demo, monkeypatch
):
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 0)  # this small file goes to the worker
    sent = []
    monkeypatch.setattr(
        stock_import_run,
        "delay",
        lambda pk: sent.append(stock_import_run.apply_async((pk,), queue=worker.queue)),
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
        worker.wait_for(f"attempt {attempt} runs", _running_attempt(stock_import.pk, attempt))
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "Wordt verwerkt" in page and 'hx-trigger="every 1s"' in page
        children = worker.pool_children()
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)  # the pool process of the worker we started

    # The next delivery finds the attempts used up: failed, in Dutch, not a spinner.
    def failed():
        return StockImport.objects.filter(pk=stock_import.pk, status=S.FAILED).first()

    stock_import = worker.wait_for("the import fails", failed)
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

    stock_import = worker.wait_for("the retried import is done", done)
    assert stock_import.attempts == 1 and stock_import.failure == ""
    assert StockSnapshot.objects.filter(stock_import=stock_import).count() == 1
    page = client.get(url).content.decode()
    assert "Geïmporteerd (3 rijen)." in page and "hx-trigger" not in page
    assert len(sent) == 2  # the upload and the retry; the redeliveries were the broker's
    for result in sent:
        result.forget()

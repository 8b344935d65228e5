"""A real worker dies while it renders the evaluation PDF: the render is redelivered, then the
page shows the Dutch error with 'Probeer opnieuw' (never "De PDF wordt opgemaakt" for good),
and the retry is rendered by the worker into a PDF that downloads.

The job's state lives in the cache, so the worker (tests/workers.py) and this test share a
Redis cache under a prefix of their own (PA_TEST_CACHE_URL, settings_test). Skipped without
REDIS_URL or PostgreSQL; under CI=true it fails instead.
"""

from __future__ import annotations

import os
import signal
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from core import jobs
from cycle.evaluation import pdf as evaluation_pdf
from cycle.evaluation.tasks import render_evaluation_pdf
from tests.workers import not_eager, prefork_worker

PAUSE_SECONDS = 3  # how long the worker holds each render before WeasyPrint starts


@pytest.fixture
def worker(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    prefix = f"pa-jobs-test-{uuid.uuid4().hex[:8]}"
    url = django_settings.REDIS_URL or ""
    with (
        prefork_worker(
            tmp_path,
            PA_TEST_JOB_PAUSE_SECONDS=str(PAUSE_SECONDS),
            PA_TEST_CACHE_URL=url,
            PA_TEST_CACHE_PREFIX=prefix,
        ) as started,
        not_eager(),
    ):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
        yield started


def _job(evaluation) -> dict:
    return cache.get(evaluation_pdf.job_key(evaluation.pk, evaluation.version)) or {}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_killed_render_ends_in_a_dutch_error_and_the_retry_renders_the_pdf(
    worker, client, world, evaluation, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        render_evaluation_pdf,
        "delay",
        lambda *args: sent.append(render_evaluation_pdf.apply_async(args, queue=worker.queue)),
    )
    client.force_login(world.users["huurders"])
    status_url = reverse("cycle:evaluation-pdf-status", args=[evaluation.pk])
    pdf_url = reverse("cycle:evaluation-pdf", args=[evaluation.pk])
    assert client.get(pdf_url)["Location"] == status_url

    for run in range(1, jobs.MAX_ATTEMPTS + 1):
        worker.wait_for(
            f"render {run} runs",
            lambda run=run: (
                _job(evaluation).get("state") == "rendering" and _job(evaluation).get("runs") == run
            ),
        )
        page = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
        assert "De PDF wordt opgemaakt" in page and "hx-get" in page
        children = worker.pool_children()
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)  # the pool process of the worker we started

    worker.wait_for("the render fails", lambda: _job(evaluation).get("state") == "failed")
    page = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert f"De verwerking is {jobs.MAX_ATTEMPTS} keer onderbroken" in page
    assert "probeer het opnieuw" in page and "Probeer opnieuw" in page
    assert "hx-get" not in page and "De PDF wordt opgemaakt" not in page

    retry = client.post(reverse("cycle:evaluation-pdf-retry", args=[evaluation.pk]))
    assert retry["Location"] == status_url
    worker.wait_for("the retried render is done", lambda: _job(evaluation).get("state") == "done")
    assert "De PDF is klaar." in client.get(status_url).content.decode()
    download = client.get(pdf_url)
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert len(sent) == 2  # the click and the retry; the redeliveries were the broker's
    for result in sent:
        result.forget()
    key = evaluation_pdf.job_key(evaluation.pk, evaluation.version)
    cache.delete_many([key, f"{key}:retry:1"])  # not clear(): that would empty the Redis db

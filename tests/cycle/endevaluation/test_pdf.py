"""The end-evaluation's PDF through its download: rendered in the background, never in the
request, while the page shows its progress, a failure past the limit and "Probeer opnieuw" as
the yearly evaluation's does (cycle.pdf_jobs); cover, contents with page numbers, the table per
theme and the signature page."""

from __future__ import annotations

import io
import os
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.urls import reverse

from core import background, jobs
from core import pdf as pdf_helper
from cycle.endevaluation import pdf as end_pdf
from cycle.endevaluation.tasks import render_end_evaluation_pdf

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 end"


@pytest.fixture(autouse=True)
def _fast_pdf(settings, tmp_path):
    settings.PDF_TAGGED = False
    settings.MEDIA_ROOT = tmp_path  # every test starts without stored PDFs and without jobs
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_worker(settings):
    """A real broker (tasks not eager) whose delay is recorded instead of sent."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(render_end_evaluation_pdf, "delay") as delay:
        yield delay


def urls(world) -> tuple[str, str, str]:
    slug = world.framework.slug
    return tuple(
        reverse(f"cycle:end-evaluation-{name}", args=[slug])
        for name in ("pdf", "pdf-status", "pdf-retry")
    )


def status_fragment(client, world) -> str:
    _pdf, status, _retry = urls(world)
    return client.get(status, headers={"HX-Request": "true"}).content.decode()


@pytest.fixture
def in_thread_now(monkeypatch):
    """What the eager thread does (core.background), run synchronously when asked to."""
    started = []
    monkeypatch.setattr(background, "start_thread", lambda task, args: started.append((task, args)))

    def run() -> None:
        for task, args in started:
            task.apply(args=args, throw=True)
        started.clear()

    return run


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_download_renders_in_the_background_then_serves_the_pdf(
    client, world, end_evaluation, in_thread_now, django_capture_on_commit_callbacks
):
    client.force_login(world.users["huurders"])
    url = reverse("cycle:end-evaluation-pdf", args=[world.framework.slug])
    with (
        mock.patch.object(pdf_helper, "html_to_pdf") as convert,
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.get(url, follow=True)
        convert.assert_not_called()
    assert page.redirect_chain == [(urls(world)[1], 302)]
    assert "In de wachtrij" in page.content.decode()
    in_thread_now()
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "Eindevaluatie 2021-2025" in text
    assert "Inhoud" in text
    assert "478 woningen" in text
    assert "Ondertekening" in text
    if os.environ.get("END_EVALUATION_PDF_OUT"):  # to look at it (pdftoppm -png)
        with open(os.environ["END_EVALUATION_PDF_OUT"], "wb") as handle:
            handle.write(download.content)


def test_outsiders_get_no_pdf(client, world, end_evaluation):
    client.force_login(world.users["nobody"])
    url = reverse("cycle:end-evaluation-pdf", args=[world.framework.slug])
    assert client.get(url).status_code == 404


def test_not_stored_shows_the_progress_page_and_enqueues_once(
    client, world, end_evaluation, no_worker
):
    pdf, status, _retry = urls(world)
    client.force_login(world.users["huurders"])
    assert client.get(pdf)["Location"] == status
    client.get(pdf)  # a second click
    client.force_login(world.users["werkgroep"])
    client.get(pdf)  # a second user
    no_worker.assert_called_once_with(end_evaluation.pk, end_evaluation.version)

    page = client.get(status).content.decode()
    assert "<html" in page and "PDF van de eindevaluatie" in page
    assert "De PDF van de eindevaluatie 2021-2025" in page  # the period in the title
    assert 'hx-trigger="every 1s"' in page and "In de wachtrij" in page
    assert f'href="{status}">Vernieuwen<' in page
    assert f'href="{reverse("cycle:end-evaluation", args=[world.framework.slug])}"' in page

    fragment = status_fragment(client, world)
    assert fragment.strip().startswith('<div id="pdf-status"')
    assert "<html" not in fragment and "PDF van de eindevaluatie" not in fragment
    assert f'hx-get="{status}"' in fragment


def test_progress_follows_the_worker_to_done_and_the_download(
    client, world, end_evaluation, no_worker
):
    pdf, _status, _retry = urls(world)
    client.force_login(world.users["huurders"])
    client.get(pdf)
    end_pdf.DOCUMENT.set_job(end_evaluation.pk, end_evaluation.version, "rendering", 1, runs=1)
    fragment = status_fragment(client, world)
    assert 'aria-current="step"><strong>De PDF wordt opgemaakt' in fragment

    (pk, version), _ = no_worker.call_args
    with mock.patch.object(pdf_helper, "html_to_pdf", return_value=FAKE_PDF):
        assert render_end_evaluation_pdf(pk, version) == len(FAKE_PDF)
    fragment = status_fragment(client, world)
    assert "De PDF is klaar." in fragment and f'href="{pdf}"' in fragment
    assert "hx-get" not in fragment  # polling stops
    download = client.get(pdf)
    assert download.content == FAKE_PDF
    assert "eindevaluatie-2021-2025-" in download["Content-Disposition"]
    no_worker.assert_called_once()


def _age_job(end_evaluation, seconds: float) -> None:
    key = end_pdf.DOCUMENT.job_key(end_evaluation.pk, end_evaluation.version)
    job = cache.get(key)
    cache.set(key, {**job, "at": job["at"] - seconds}, 3600)


@pytest.mark.parametrize("state", ["queued", "rendering"])
def test_a_job_past_its_limit_shows_the_error_and_the_retry_starts_it_once(
    client, world, end_evaluation, no_worker, state
):
    pdf, _status, retry = urls(world)
    client.force_login(world.users["huurders"])
    client.get(pdf)
    end_pdf.DOCUMENT.set_job(end_evaluation.pk, end_evaluation.version, state, 1, runs=1)
    _age_job(end_evaluation, jobs.stuck_after(jobs.EVALUATION_PDF) - 5)
    assert "hx-get" in status_fragment(client, world)  # within the limit: still waiting

    _age_job(end_evaluation, 10)
    fragment = status_fragment(client, world)
    assert "De verwerking duurde te lang of is onderbroken; probeer het opnieuw." in fragment
    assert "hx-get" not in fragment and "De PDF wordt opgemaakt" not in fragment
    assert f'method="post" action="{retry}"' in fragment and "Probeer opnieuw" in fragment

    assert client.post(retry)["Location"] == urls(world)[1]
    client.post(retry)  # a double click
    assert no_worker.call_count == 2
    fragment = status_fragment(client, world)
    assert "In de wachtrij" in fragment and "hx-get" in fragment  # polling again


def test_a_failed_render_shows_the_reason_and_the_retry_renders(
    client, world, end_evaluation, no_worker
):
    pdf, _status, retry = urls(world)
    client.force_login(world.users["werkgroep"])
    client.get(pdf)
    with (
        mock.patch.object(pdf_helper, "html_to_pdf", side_effect=SoftTimeLimitExceeded),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        render_end_evaluation_pdf(end_evaluation.pk, end_evaluation.version)
    fragment = status_fragment(client, world)
    assert "Het maken van de PDF is mislukt." in fragment
    assert "De verwerking duurde te lang of is onderbroken; probeer het opnieuw." in fragment
    assert "Probeer opnieuw" in fragment and "hx-get" not in fragment
    assert client.get(pdf).status_code == 302  # nothing stored to download

    client.post(retry)
    assert no_worker.call_count == 2
    with mock.patch.object(pdf_helper, "html_to_pdf", return_value=FAKE_PDF):
        render_end_evaluation_pdf(end_evaluation.pk, end_evaluation.version)
    assert "De PDF is klaar." in status_fragment(client, world)
    assert client.get(pdf).content == FAKE_PDF


def test_retry_is_refused_to_outsiders_and_to_get(client, world, end_evaluation, no_worker):
    _pdf, status, retry = urls(world)
    client.force_login(world.users["nobody"])
    assert client.post(retry).status_code == 404
    assert client.get(status).status_code == 404
    client.force_login(world.users["huurders"])
    assert client.get(retry).status_code == 405
    no_worker.assert_not_called()


def test_no_job_offers_to_make_the_pdf(client, world, end_evaluation, no_worker):
    pdf, status, _retry = urls(world)
    client.force_login(world.users["huurders"])
    page = client.get(status).content.decode()
    assert "Maak de PDF" in page and f'href="{pdf}"' in page and "hx-get" not in page

"""The evaluation PDF download: a stored, current file is served at once; otherwise it is
rendered by a Celery task (or, with eager tasks, a thread after the response) while the page
shows its progress (cycle.pdf_jobs)."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse

from core import background, jobs, stored_pdf
from core import pdf as pdf_helper
from core.actors import DEMO_LOADER
from cycle.evaluation import pdf as evaluation_pdf
from cycle.evaluation import services as es
from cycle.evaluation.tasks import render_evaluation_pdf

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 cached"


@pytest.fixture(autouse=True)
def _clear_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # every test starts without stored PDFs
    cache.clear()
    yield
    cache.clear()


def login(client, world, username="huurders"):
    client.force_login(world.users[username])
    return client


def pdf_url(evaluation):
    return reverse("cycle:evaluation-pdf", args=[evaluation.pk])


def status_url(evaluation):
    return reverse("cycle:evaluation-pdf-status", args=[evaluation.pk])


@pytest.fixture
def no_worker(settings):
    """A real broker (tasks not eager) whose delay is recorded instead of sent."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(render_evaluation_pdf, "delay") as delay:
        yield delay


def store(evaluation, data: bytes = FAKE_PDF) -> None:
    """Put a PDF into the evaluation's file under the digest of its current content."""
    html = pdf_helper.render_html(evaluation_pdf.TEMPLATE, evaluation_pdf.pdf_context(evaluation))
    stored_pdf.store(
        evaluation,
        "pdf",
        folder=evaluation_pdf.FOLDER,
        stem="evaluatie-test",
        digest=pdf_helper.content_digest(html),
        data=data,
    )


@pytest.fixture
def in_thread_now(monkeypatch):
    """What the eager thread does (core.background), run synchronously when asked to."""
    started = []
    monkeypatch.setattr(background, "start_thread", lambda task, args: started.append((task, args)))

    def run() -> None:
        for task, args in started:
            task.apply(args=args, throw=True)
        started.clear()

    run.started = started
    return run


def test_stored_concept_is_served_at_once(client, world, evaluation, no_worker):
    store(evaluation)
    response = login(client, world).get(pdf_url(evaluation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == FAKE_PDF
    no_worker.assert_not_called()


def test_stored_adopted_is_served_at_once(client, world, evaluation, no_worker):
    evaluation = es.evaluation_adopt(actor=DEMO_LOADER, evaluation=evaluation, render_ahead=False)
    store(evaluation)
    response = login(client, world, "wethouder").get(pdf_url(evaluation))
    assert response.content == FAKE_PDF
    no_worker.assert_not_called()


def test_the_stored_pdf_is_a_file_that_outlives_the_cache(client, world, evaluation, no_worker):
    # Another process (make run after load_demo, a gunicorn worker) has no cache entries.
    store(evaluation)
    cache.clear()
    evaluation.refresh_from_db()
    assert evaluation.pdf.name.startswith("pdf/evaluatie/evaluatie-test-")
    assert default_storage.exists(evaluation.pdf.name)
    assert login(client, world).get(pdf_url(evaluation)).content == FAKE_PDF


def test_a_stale_file_is_never_served(client, world, evaluation, no_worker):
    store(evaluation)
    evaluation = es.evaluation_update(
        actor=world.users["werkgroep"],
        evaluation=evaluation,
        conclusion="Een nieuwe conclusie",
        permit_holder_task=evaluation.permit_holder_task,
    )
    response = login(client, world).get(pdf_url(evaluation))
    assert response.status_code == 302
    assert response["Location"] == status_url(evaluation)
    no_worker.assert_called_once_with(evaluation.pk, evaluation.version)


def test_eager_first_click_shows_progress_and_renders_after_the_response(
    client, world, evaluation, in_thread_now, django_capture_on_commit_callbacks
):
    c = login(client, world)
    with (
        mock.patch.object(pdf_helper, "html_to_pdf") as convert,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = c.get(pdf_url(evaluation))
        # The click returns the progress page; nothing was rendered in that request.
        assert response.status_code == 302
        assert response["Location"] == status_url(evaluation)
        convert.assert_not_called()
    page = c.get(status_url(evaluation)).content.decode()
    assert "In de wachtrij" in page and 'hx-trigger="every 1s"' in page

    # The thread (here: now) renders the PDF into the evaluation's file.
    in_thread_now()
    evaluation.refresh_from_db()
    assert evaluation.pdf and default_storage.exists(evaluation.pdf.name)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "De PDF is klaar." in fragment

    download = c.get(pdf_url(evaluation))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    # The repeat download is the stored file: WeasyPrint does not run again.
    with mock.patch.object(pdf_helper, "html_to_pdf") as convert:
        again = c.get(pdf_url(evaluation))
    convert.assert_not_called()
    assert again.content == download.content


def test_background_runs_the_task_in_a_thread_after_commit(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ran = []
    monkeypatch.setattr(background, "_run", lambda task, args: ran.append(args))
    task = mock.Mock()
    task.name = "t"
    with django_capture_on_commit_callbacks(execute=True):
        background.enqueue(task, 1, 2)
        assert not ran  # not before the commit
    for thread in threading.enumerate():
        if thread.name == "eager-t":
            thread.join(5)
    assert ran == [(1, 2)]
    task.delay.assert_not_called()


def test_not_cached_shows_progress_and_enqueues_once(client, world, evaluation, no_worker):
    c = login(client, world)
    response = c.get(pdf_url(evaluation))
    assert response.status_code == 302
    assert response["Location"] == status_url(evaluation)
    no_worker.assert_called_once_with(evaluation.pk, evaluation.version)

    # A second click (or a second user) does not enqueue the render again.
    assert c.get(pdf_url(evaluation)).status_code == 302
    login(client, world, "werkgroep").get(pdf_url(evaluation))
    no_worker.assert_called_once()

    # The full page: heading, the polling partial and a plain link for without JavaScript.
    page = c.get(status_url(evaluation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "PDF van de evaluatie" in html and "<html" in html
    assert 'id="pdf-status"' in html and 'hx-trigger="every 1s"' in html
    assert "In de wachtrij" in html
    assert f'href="{status_url(evaluation)}">Vernieuwen<' in html
    assert "http-equiv" not in html

    # The partial alone for htmx.
    partial = c.get(status_url(evaluation), headers={"HX-Request": "true"})
    fragment = partial.content.decode()
    assert partial.status_code == 200
    assert fragment.strip().startswith('<div id="pdf-status"')
    assert "<html" not in fragment and "PDF van de evaluatie" not in fragment
    assert 'hx-get="' + status_url(evaluation) + '"' in fragment


def test_progress_follows_the_worker_to_done(client, world, evaluation, no_worker):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    (evaluation_id, version), _ = no_worker.call_args
    document = evaluation_pdf.DOCUMENT

    # What the worker does: rendering, then the PDF in its file and the job done.
    with (
        mock.patch.object(pdf_helper, "html_to_pdf", return_value=FAKE_PDF),
        mock.patch.object(document, "set_job", wraps=document.set_job) as s,
    ):
        assert render_evaluation_pdf(evaluation_id, version) == len(FAKE_PDF)
    assert [call.args[2] for call in s.call_args_list] == ["rendering", "done"]

    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "De PDF is klaar." in fragment
    assert f'href="{pdf_url(evaluation)}"' in fragment
    assert "hx-get" not in fragment  # polling stops
    download = c.get(pdf_url(evaluation))
    assert download.content == FAKE_PDF
    no_worker.assert_called_once()


def test_rendering_state_is_shown(client, world, evaluation, no_worker):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    evaluation_pdf.DOCUMENT.set_job(evaluation.pk, evaluation.version, "rendering", 1)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert 'aria-current="step"><strong>De PDF wordt opgemaakt' in fragment
    assert "hx-get" in fragment


def test_failure_shows_a_retry_that_enqueues_once_more(client, world, evaluation, no_worker):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    with (
        mock.patch.object(pdf_helper, "html_to_pdf", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        render_evaluation_pdf(evaluation.pk, evaluation.version)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "De verwerking is mislukt; probeer het opnieuw." in fragment
    assert "Probeer opnieuw" in fragment
    assert "hx-get" not in fragment
    assert f'method="post" action="{retry_url(evaluation)}"' in fragment

    assert c.post(retry_url(evaluation))["Location"] == status_url(evaluation)  # the button
    c.post(retry_url(evaluation))  # and a double click
    assert no_worker.call_count == 2
    assert evaluation_pdf.job_status(evaluation)["attempt"] == 2
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "In de wachtrij" in fragment and "hx-get" in fragment  # polling again


def retry_url(evaluation):
    return reverse("cycle:evaluation-pdf-retry", args=[evaluation.pk])


def _age_job(evaluation, seconds: float) -> None:
    key = evaluation_pdf.job_key(evaluation.pk, evaluation.version)
    job = cache.get(key)
    cache.set(key, {**job, "at": job["at"] - seconds}, evaluation_pdf.JOB_SECONDS)


@pytest.mark.parametrize("state", ["queued", "rendering"])
def test_a_job_past_its_limit_shows_the_error_and_stops_polling_without_a_watchdog(
    client, world, evaluation, no_worker, state
):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    evaluation_pdf.DOCUMENT.set_job(evaluation.pk, evaluation.version, state, 1, runs=1)
    limit = jobs.stuck_after(jobs.EVALUATION_PDF)
    _age_job(evaluation, limit - 5)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" in fragment  # within the limit: still waiting

    _age_job(evaluation, 10)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "De verwerking duurde te lang of is onderbroken; probeer het opnieuw." in fragment
    assert "Probeer opnieuw" in fragment
    assert "hx-get" not in fragment and "De PDF wordt opgemaakt" not in fragment

    c.post(retry_url(evaluation))
    assert no_worker.call_count == 2
    assert evaluation_pdf.job_status(evaluation)["state"] == "queued"


def test_a_redelivered_render_runs_again_then_fails_after_the_last_attempt(
    client, world, evaluation, no_worker
):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    # A worker took the job and died (runs counted, never finished): each redelivery counts.
    for run in range(1, jobs.MAX_ATTEMPTS + 1):
        evaluation_pdf.DOCUMENT.set_job(evaluation.pk, evaluation.version, "rendering", 1, runs=run)
    with mock.patch.object(pdf_helper, "html_to_pdf") as convert:
        assert render_evaluation_pdf(evaluation.pk, evaluation.version) == 0
    convert.assert_not_called()
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert f"De verwerking is {jobs.MAX_ATTEMPTS} keer onderbroken" in fragment
    assert "Probeer opnieuw" in fragment and "hx-get" not in fragment


def test_a_redelivered_render_within_its_attempts_renders(client, world, evaluation, no_worker):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    evaluation_pdf.DOCUMENT.set_job(evaluation.pk, evaluation.version, "rendering", 1, runs=1)
    with mock.patch.object(pdf_helper, "html_to_pdf", return_value=FAKE_PDF):
        assert render_evaluation_pdf(evaluation.pk, evaluation.version) == len(FAKE_PDF)
    assert evaluation_pdf.job_status(evaluation)["runs"] == 2
    assert c.get(pdf_url(evaluation)).content == FAKE_PDF


def test_the_time_limit_fails_the_render_with_the_dutch_reason(
    client, world, evaluation, no_worker
):
    c = login(client, world)
    c.get(pdf_url(evaluation))
    with (
        mock.patch.object(pdf_helper, "html_to_pdf", side_effect=SoftTimeLimitExceeded),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        render_evaluation_pdf(evaluation.pk, evaluation.version)
    fragment = c.get(status_url(evaluation), headers={"HX-Request": "true"}).content.decode()
    assert "De verwerking duurde te lang of is onderbroken; probeer het opnieuw." in fragment


def test_the_render_task_has_its_time_limits_and_is_redelivered_when_its_worker_dies():
    assert render_evaluation_pdf.soft_time_limit == jobs.LIMITS[jobs.EVALUATION_PDF]
    assert render_evaluation_pdf.time_limit > render_evaluation_pdf.soft_time_limit
    assert render_evaluation_pdf.acks_late and render_evaluation_pdf.reject_on_worker_lost


@pytest.mark.parametrize("username", ["buitenstaander", None])
def test_retry_is_refused_to_outsiders_and_get(
    client, world, evaluation, no_worker, django_user_model, username
):
    if username:
        client.force_login(django_user_model.objects.create_user(username, password="x" * 12))
        assert client.post(retry_url(evaluation)).status_code == 404
    else:
        login(client, world)
        assert client.get(retry_url(evaluation)).status_code == 405
    no_worker.assert_not_called()


def test_a_new_version_is_a_new_job(client, world, evaluation, no_worker):
    c = login(client, world, "werkgroep")
    c.get(pdf_url(evaluation))
    evaluation = es.evaluation_update(
        actor=world.users["werkgroep"],
        evaluation=evaluation,
        conclusion="Nieuwe conclusie",
        permit_holder_task=evaluation.permit_holder_task,
    )
    c.get(pdf_url(evaluation))
    assert [call.args for call in no_worker.call_args_list] == [
        (evaluation.pk, evaluation.version - 1),
        (evaluation.pk, evaluation.version),
    ]


def test_no_job_offers_to_make_the_pdf(client, world, evaluation, no_worker):
    html = login(client, world).get(status_url(evaluation)).content.decode()
    assert "Maak de PDF" in html and "hx-get" not in html


@pytest.mark.parametrize("name", ["cycle:evaluation-pdf", "cycle:evaluation-pdf-status"])
def test_outsider_gets_404(client, world, evaluation, no_worker, django_user_model, name):
    outsider = django_user_model.objects.create_user("buitenstaander", password="x" * 12)
    client.force_login(outsider)
    assert client.get(reverse(name, args=[evaluation.pk])).status_code == 404
    assert client.get(reverse(name, args=[99999])).status_code == 404
    no_worker.assert_not_called()


def test_anonymous_is_sent_to_login(client, evaluation):
    response = client.get(status_url(evaluation))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_cover_shows_state_date_and_signing_not_the_internal_version(evaluation):
    evaluation.version = 194
    html = pdf_helper.render_html(evaluation_pdf.TEMPLATE, evaluation_pdf.pdf_context(evaluation))
    cover = html[html.index('class="pdf-cover"') : html.index("</section>")]
    assert "194" not in cover and "versie" not in cover.lower()
    assert "Concept" in cover and "gestart op" in cover
    assert "Ondertekening" in cover and "nog niet ter ondertekening aangeboden" in cover

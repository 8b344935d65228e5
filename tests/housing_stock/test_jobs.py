"""A background stock import always ends: time limit, lost worker, watchdog, 'Probeer opnieuw'."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone

from core import jobs
from housing_stock import services
from housing_stock.models import StockImport, StockSnapshot
from housing_stock.tasks import stock_import_run

from .files import unit_row, units_xlsx, upload

S = StockImport.Status
STUCK = "De verwerking duurde te lang of is onderbroken; probeer het opnieuw."


@pytest.fixture
def background(monkeypatch, stock_demo):
    """Every upload goes to the background (the task runs only when the test says so)."""
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 0)


@pytest.fixture
def client_heem(client, heem_user):
    client.force_login(heem_user)
    return client


def queued_import(user, party, django_capture_on_commit_callbacks) -> StockImport:
    """An import whose task was sent but has not run (the callback is dropped)."""
    with django_capture_on_commit_callbacks(execute=False):
        stock_import = services.stock_import_create(
            user=user,
            party=party,
            peildatum=dt.date(2021, 1, 1),
            kind="units",
            upload=upload(units_xlsx([unit_row(1), unit_row(2)])),
        )
    assert stock_import.run_in_background and stock_import.status == S.PENDING
    return stock_import


def age(stock_import: StockImport, seconds: float) -> None:
    StockImport.objects.filter(pk=stock_import.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def status_partial(client, stock_import) -> str:
    url = reverse("housing_stock:import-detail", args=[stock_import.pk])
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def retry_url(stock_import) -> str:
    return reverse("housing_stock:import-retry", args=[stock_import.pk])


def test_the_task_has_its_limits_and_is_redelivered_when_its_worker_dies():
    assert stock_import_run.soft_time_limit == jobs.LIMITS[jobs.STOCK_IMPORT]
    assert stock_import_run.time_limit > stock_import_run.soft_time_limit
    assert stock_import_run.acks_late and stock_import_run.reject_on_worker_lost


@pytest.mark.parametrize("status", [S.PENDING, S.PROCESSING])
def test_past_its_limit_the_page_shows_the_error_and_stops_polling_without_a_watchdog(
    client_heem, heem_user, parties, background, django_capture_on_commit_callbacks, status
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    StockImport.objects.filter(pk=stock_import.pk).update(status=status)
    age(stock_import, jobs.stuck_after(jobs.STOCK_IMPORT) - 5)
    assert 'hx-trigger="every 1s"' in status_partial(client_heem, stock_import)

    age(stock_import, jobs.stuck_after(jobs.STOCK_IMPORT) + 5)
    partial = status_partial(client_heem, stock_import)
    assert STUCK in partial and "Probeer opnieuw" in partial
    assert "hx-trigger" not in partial and "<progress" not in partial
    assert f'method="post" action="{retry_url(stock_import)}"' in partial
    history = client_heem.get(reverse("housing_stock:import-history")).content.decode()
    assert "Mislukt" in history and "Wordt verwerkt" not in history


def test_probeer_opnieuw_restarts_the_job_and_it_ends_done(
    client_heem, heem_user, parties, background, django_capture_on_commit_callbacks
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    age(stock_import, jobs.stuck_after(jobs.STOCK_IMPORT) + 5)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = client_heem.post(retry_url(stock_import))
    assert response.status_code == 302
    assert len(sent) == 1
    stock_import.refresh_from_db()
    assert stock_import.status == S.PENDING and stock_import.attempts == 0
    assert 'hx-trigger="every 1s"' in status_partial(client_heem, stock_import)

    # A second click while it waits restarts nothing and says so.
    with django_capture_on_commit_callbacks(execute=False) as again:
        page = client_heem.post(retry_url(stock_import), follow=True).content.decode()
    assert not again
    assert "Deze import wordt al verwerkt." in page

    sent[0]()  # the worker
    stock_import.refresh_from_db()
    assert stock_import.status == S.DONE
    assert StockSnapshot.objects.filter(stock_import=stock_import).count() == 1
    assert "Geïmporteerd (2 rijen)." in status_partial(client_heem, stock_import)


def test_a_job_redelivered_after_its_worker_died_runs_again_and_writes_once(
    heem_user, parties, background, django_capture_on_commit_callbacks
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    # The first worker took it and died before writing anything.
    StockImport.objects.filter(pk=stock_import.pk).update(status=S.PROCESSING, attempts=1)
    stock_import_run(stock_import.pk)  # the redelivery
    stock_import.refresh_from_db()
    assert stock_import.status == S.DONE and stock_import.attempts == 2
    stock_import_run(stock_import.pk)  # a late duplicate
    assert StockSnapshot.objects.filter(stock_import=stock_import).count() == 1


def test_after_its_last_attempt_the_job_fails_instead_of_looping(
    client_heem, heem_user, parties, background, django_capture_on_commit_callbacks
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    StockImport.objects.filter(pk=stock_import.pk).update(
        status=S.PROCESSING, attempts=jobs.MAX_ATTEMPTS
    )
    with mock.patch.object(services, "import_file") as read:
        stock_import_run(stock_import.pk)
    read.assert_not_called()
    stock_import.refresh_from_db()
    assert stock_import.status == S.FAILED
    assert not StockSnapshot.objects.filter(stock_import=stock_import).exists()
    partial = status_partial(client_heem, stock_import)
    assert f"De verwerking is {jobs.MAX_ATTEMPTS} keer onderbroken" in partial
    assert "Probeer opnieuw" in partial and "hx-trigger" not in partial


def test_the_time_limit_fails_the_job_with_the_dutch_reason(
    client_heem, heem_user, parties, background, django_capture_on_commit_callbacks
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    with (
        mock.patch.object(services, "import_file", side_effect=SoftTimeLimitExceeded),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        stock_import_run(stock_import.pk)
    stock_import.refresh_from_db()
    assert stock_import.status == S.FAILED and stock_import.failure == STUCK
    assert STUCK in status_partial(client_heem, stock_import)


def test_a_crash_outside_the_file_fails_the_job_and_can_be_retried(
    client_heem, heem_user, parties, background, django_capture_on_commit_callbacks
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    with (
        mock.patch.object(services, "_snapshot_write", side_effect=RuntimeError("db")),
        pytest.raises(RuntimeError),
    ):
        stock_import_run(stock_import.pk)
    partial = status_partial(client_heem, stock_import)
    assert "De verwerking is mislukt; probeer het opnieuw." in partial
    with django_capture_on_commit_callbacks(execute=True):
        client_heem.post(retry_url(stock_import))
    stock_import.refresh_from_db()
    assert stock_import.status == S.DONE and stock_import.failure == ""


def test_a_worker_finishing_after_the_watchdog_failed_its_job_writes_nothing(
    heem_user, parties, background, django_capture_on_commit_callbacks, monkeypatch
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    later = timezone.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(
        jobs, "pause_for_tests", lambda: services.stock_imports_fail_stuck(now=later)
    )
    stock_import_run(stock_import.pk)
    stock_import.refresh_from_db()
    assert stock_import.status == S.FAILED and stock_import.failure == STUCK
    assert not StockSnapshot.objects.filter(stock_import=stock_import).exists()


def test_a_file_with_errors_is_not_offered_a_retry(client_heem, heem_user, parties, stock_demo):
    stock_import = services.stock_import_create(
        user=heem_user,
        party=parties["heemwonen"],
        peildatum=dt.date(2021, 1, 1),
        kind="units",
        upload=upload(units_xlsx([unit_row(1, rent="abc")])),
    )
    assert stock_import.status == S.FAILED
    assert "Probeer opnieuw" not in status_partial(client_heem, stock_import)
    page = client_heem.post(retry_url(stock_import), follow=True).content.decode()
    assert "Deze import kan niet opnieuw worden gestart." in page
    stock_import.refresh_from_db()
    assert stock_import.status == S.FAILED


def test_retry_is_checked_like_the_import(
    client,
    zuid_user,
    tenant_user,
    heem_user,
    parties,
    background,
    django_capture_on_commit_callbacks,
):
    stock_import = queued_import(
        heem_user, parties["heemwonen"], django_capture_on_commit_callbacks
    )
    age(stock_import, jobs.stuck_after(jobs.STOCK_IMPORT) + 5)
    for user in (zuid_user, tenant_user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=False) as sent:
            response = client.post(retry_url(stock_import))
        assert response.status_code == 404
        assert not sent
    client.force_login(heem_user)
    assert client.get(retry_url(stock_import)).status_code == 405
    stock_import.refresh_from_db()
    assert stock_import.status == S.PENDING and stock_import.is_stuck

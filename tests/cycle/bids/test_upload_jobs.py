"""A large bid upload always ends: time limit, lost worker, watchdog, 'Probeer opnieuw'."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone

from core import jobs
from cycle.bids import services as bids_services
from cycle.bids import tasks as bids_tasks
from cycle.models import Bid, BidUpload
from tests.cycle.test_uploads_async import receive
from tests.cycle.test_xlsx import filled

pytestmark = pytest.mark.django_db

S = BidUpload.Status
STUCK = "De verwerking duurde te lang of is onderbroken; probeer het opnieuw."


@pytest.fixture
def queued(settings, tmp_path, monkeypatch):
    """Uploads go to a (recorded, not sent) worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.BID_UPLOAD_ASYNC_BYTES = 0
    settings.MEDIA_ROOT = tmp_path
    sent = []
    monkeypatch.setattr(bids_tasks.process_bid_upload, "delay", sent.append)
    return sent


def status_partial(client, record) -> str:
    url = reverse("cycle:upload-status", args=[record.pk])
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def retry_url(record) -> str:
    return reverse("cycle:upload-retry", args=[record.pk])


def age(record, seconds: float) -> None:
    BidUpload.objects.filter(pk=record.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_the_task_has_its_limits_and_is_redelivered_when_its_worker_dies():
    task = bids_tasks.process_bid_upload
    assert task.soft_time_limit == jobs.LIMITS[jobs.BID_UPLOAD]
    assert task.time_limit > task.soft_time_limit
    assert task.acks_late and task.reject_on_worker_lost


def test_past_its_limit_the_page_shows_the_error_and_stops_polling_without_a_watchdog(
    client, world, queued
):
    record = receive(world, filled(world))
    client.force_login(world.users["heemwonen"])
    age(record, jobs.stuck_after(jobs.BID_UPLOAD) - 5)
    assert 'hx-trigger="every 2s"' in status_partial(client, record)

    age(record, jobs.stuck_after(jobs.BID_UPLOAD) + 5)
    partial = status_partial(client, record)
    assert STUCK in partial and "Probeer opnieuw" in partial
    assert "hx-trigger" not in partial
    assert f'method="post" action="{retry_url(record)}"' in partial


def test_probeer_opnieuw_queues_the_upload_again_and_it_is_read(
    client, world, queued, django_capture_on_commit_callbacks
):
    record = receive(world, filled(world))
    age(record, jobs.stuck_after(jobs.BID_UPLOAD) + 5)
    client.force_login(world.users["heemwonen"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(record))
        page = client.post(retry_url(record), follow=True).content.decode()  # double click
    assert response["Location"] == reverse("cycle:upload-status", args=[record.pk])
    assert queued == [record.pk]
    assert "Dit bestand wordt al verwerkt." in page
    assert 'hx-trigger="every 2s"' in status_partial(client, record)

    assert bids_tasks.process_bid_upload(record.pk) == S.ACCEPTED
    assert "is verwerkt in uw concept" in status_partial(client, record)


def test_a_redelivered_upload_is_read_once(world, queued):
    record = receive(world, filled(world))
    BidUpload.objects.filter(pk=record.pk).update(attempts=1)  # its first worker died
    assert bids_tasks.process_bid_upload(record.pk) == S.ACCEPTED
    assert bids_tasks.process_bid_upload(record.pk) == S.ACCEPTED
    record.refresh_from_db()
    assert record.attempts == 2
    assert Bid.objects.get().version == record.bid.version


def test_after_its_last_attempt_the_upload_fails_keeps_its_file_and_can_be_retried(
    client, world, queued, django_capture_on_commit_callbacks
):
    record = receive(world, filled(world))
    BidUpload.objects.filter(pk=record.pk).update(attempts=jobs.MAX_ATTEMPTS)
    assert bids_tasks.process_bid_upload(record.pk) == S.FAILED
    record.refresh_from_db()
    assert record.file and not Bid.objects.exists()
    client.force_login(world.users["heemwonen"])
    partial = status_partial(client, record)
    assert f"De verwerking is {jobs.MAX_ATTEMPTS} keer onderbroken" in partial
    assert "Probeer opnieuw" in partial and "hx-trigger" not in partial

    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry_url(record))
    assert bids_tasks.process_bid_upload(record.pk) == S.ACCEPTED


def test_the_time_limit_fails_the_upload_with_the_dutch_reason(client, world, queued):
    record = receive(world, filled(world))
    with (
        mock.patch.object(bids_services, "_bid_upload_apply", side_effect=SoftTimeLimitExceeded),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        bids_tasks.process_bid_upload(record.pk)
    record.refresh_from_db()
    assert record.status == S.FAILED and record.errors == [STUCK] and record.file
    client.force_login(world.users["heemwonen"])
    assert STUCK in status_partial(client, record)


def test_a_workbook_with_errors_is_not_offered_a_retry(client, world, queued):
    record = receive(world, b"not a workbook")
    assert record.status == S.REJECTED
    client.force_login(world.users["heemwonen"])
    assert "Probeer opnieuw" not in status_partial(client, record)
    page = client.post(retry_url(record), follow=True).content.decode()
    assert "Deze upload kan niet opnieuw worden gestart." in page
    assert queued == []


@pytest.mark.parametrize("username", ["wonenzuid", "huurders", "werkgroep"])
def test_retry_of_another_corporations_upload_is_404(
    client, world, queued, username, django_capture_on_commit_callbacks
):
    record = receive(world, filled(world))
    age(record, jobs.stuck_after(jobs.BID_UPLOAD) + 5)
    client.force_login(world.users[username])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry_url(record)).status_code == 404
        client.force_login(world.users["heemwonen"])
        assert client.get(retry_url(record)).status_code == 405
    assert queued == []
    record.refresh_from_db()
    assert record.status == S.PENDING and record.attempts == 0

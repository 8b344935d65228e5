"""Large uploads with a real broker: stored, read by a worker, status page polled by htmx."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cycle.bids import services as bids_services
from cycle.bids import tasks as bids_tasks
from cycle.models import Bid, BidUpload

from .test_xlsx import filled


@pytest.fixture
def async_uploads(settings, tmp_path, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.BID_UPLOAD_ASYNC_BYTES = 0
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(bids_tasks.process_bid_upload, "delay", queued.append)
    return queued


def receive(world, data, user="heemwonen"):
    return bids_services.bid_upload(
        actor=world.users[user],
        cycle_year=world.cycle_year,
        corporation=world.users[user].membership.party,
        upload=SimpleUploadedFile("bod.xlsx", data),
    )


def test_large_upload_is_stored_and_queued_after_commit(
    world, async_uploads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = receive(world, filled(world))
    assert record.status == BidUpload.Status.PENDING
    assert record.file.name.startswith("cycle/uploads/")
    assert async_uploads == [record.pk]
    assert not Bid.objects.exists()


def test_worker_applies_the_upload_and_forgets_the_file(world, async_uploads):
    record = receive(world, filled(world))
    path = record.file.path
    assert bids_tasks.process_bid_upload(record.pk) == BidUpload.Status.ACCEPTED
    record.refresh_from_db()
    assert record.bid.lines.get(figure="sloop").quantity == 9
    assert not record.file
    assert not os.path.exists(path)


def test_worker_is_idempotent(world, async_uploads):
    record = receive(world, filled(world))
    bids_tasks.process_bid_upload(record.pk)
    assert bids_tasks.process_bid_upload(record.pk) == BidUpload.Status.ACCEPTED
    assert Bid.objects.count() == 1


def test_worker_rejects_an_invalid_workbook_and_changes_nothing(world, async_uploads, draft_bid):
    record = receive(world, filled(world, edit=lambda s: s.__setitem__("F10", "veel")))
    assert bids_tasks.process_bid_upload(record.pk) == BidUpload.Status.REJECTED
    record.refresh_from_db()
    assert "rij 10, kolom F" in record.errors[0]
    assert draft_bid.lines.get(figure="nieuwbouw").quantity == 21


def test_container_checks_still_run_in_the_request(world, async_uploads):
    record = receive(world, b"not a zip")
    assert record.status == BidUpload.Status.REJECTED and not async_uploads


def test_upload_view_redirects_to_status_page(client, world, async_uploads):
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile("bod.xlsx", filled(world))},
    )
    record = BidUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cycle:upload-status", args=[record.pk])


def test_status_page_full_and_polled_partial(client, world, async_uploads):
    record = receive(world, filled(world))
    client.force_login(world.users["heemwonen"])
    url = reverse("cycle:upload-status", args=[record.pk])
    full = client.get(url).content.decode()
    assert "<html" in full and 'hx-trigger="every 2s"' in full
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="upload-status"') and "<html" not in partial
    bids_tasks.process_bid_upload(record.pk)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "is verwerkt in uw concept" in done


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("heemwonen", True),
        ("heemwonen-bestuur", True),
        ("wonenzuid", False),
        ("huurders", False),
        ("werkgroep", False),
        ("admin", False),
    ],
)
def test_status_page_only_for_the_own_corporation(client, world, async_uploads, username, allowed):
    record = receive(world, filled(world))
    client.force_login(world.users[username])
    response = client.get(reverse("cycle:upload-status", args=[record.pk]))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_large_upload_read_by_a_real_worker_through_redis(world, settings, tmp_path):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs a Redis server: set REDIS_URL (redis://127.0.0.1:6379/7)")
    from celery.contrib.testing.worker import start_worker

    from kerkrade_pa.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.BID_UPLOAD_ASYNC_BYTES = 0
    settings.MEDIA_ROOT = tmp_path
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            record = receive(world, filled(world))
            assert record.status == BidUpload.Status.PENDING
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                record.refresh_from_db()
                if record.status != BidUpload.Status.PENDING:
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(saved)
    assert record.status == BidUpload.Status.ACCEPTED, record.errors
    assert record.bid.source == Bid.Source.XLSX

"""Retention of uploaded source files: past UPLOAD_RETENTION_DAYS the file is gone from
storage, the record and its error report stay and say when the file went; newer uploads,
imports under way and generated documents (an evaluation's PDF) are untouched."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from cycle.models import BidUpload, Evaluation
from cycle.tasks import delete_old_uploads
from housing_stock.models import StockImport
from tests.cycle.evaluation.conftest import (  # noqa: F401 - fixtures
    eval_year,
    evaluation,
    signed_jaarschijf,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the file goes after commit


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_RETENTION_DAYS = 90


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def stock_import(world, *, age: int, status=StockImport.Status.FAILED) -> StockImport:
    record = StockImport(
        party=world.parties["heemwonen"],
        peildatum=dt.date(2025, 1, 1),
        kind=StockImport.Kind.UNITS,
        original_name="woningen.xlsx",
        status=status,
        error_count=1,
        error_report=[{"row": 3, "message": "Huur ontbreekt"}],
        created_by=world.users["heemwonen"],
    )
    record.file.save("woningen.xlsx", ContentFile(b"per woning"), save=False)
    record.save()
    StockImport.objects.filter(pk=record.pk).update(created_at=days_ago(age))
    return record


def bid_upload(world, *, age: int) -> BidUpload:
    record = BidUpload(
        corporation=world.parties["heemwonen"],
        cycle_year=world.cycle_year,
        uploaded_by=world.users["heemwonen"],
        filename="bod.xlsx",
        size=3,
        sha256="0" * 64,
        status=BidUpload.Status.REJECTED,
        errors=["Blad ‘Bod’ ontbreekt."],
    )
    record.file.save("bod.xlsx", ContentFile(b"bod"), save=False)
    record.save()
    BidUpload.objects.filter(pk=record.pk).update(created_at=days_ago(age))
    return record


def test_old_source_files_are_deleted_and_the_records_and_error_reports_stay(world):
    old_import, old_upload = stock_import(world, age=91), bid_upload(world, age=120)
    names = [old_import.file.name, old_upload.file.name]
    assert all(default_storage.exists(name) for name in names)

    assert delete_old_uploads.delay().get() == {"stock_imports": 1, "bid_uploads": 1}

    assert not any(default_storage.exists(name) for name in names)
    old_import.refresh_from_db()
    old_upload.refresh_from_db()
    assert not old_import.file and old_import.source_deleted_at is not None
    assert old_import.error_report == [{"row": 3, "message": "Huur ontbreekt"}]
    assert not old_upload.file and old_upload.errors == ["Blad ‘Bod’ ontbreekt."]
    event = AuditEvent.objects.get(
        action="upload_source_delete", object_type="stockimport", object_id=old_import.pk
    )
    assert "90 dagen" in str(event.details)


def test_newer_uploads_and_imports_under_way_are_untouched(world):
    new = stock_import(world, age=89)
    waiting = stock_import(world, age=200, status=StockImport.Status.AWAITING_CONFIRMATION)
    upload = bid_upload(world, age=10)
    call_command("delete_old_uploads", stdout=StringIO())
    for record in (new, waiting, upload):
        record.refresh_from_db()
        assert record.file and default_storage.exists(record.file.name)
        assert record.source_deleted_at is None


def test_a_generated_document_is_never_touched(world, evaluation):  # noqa: F811
    name = default_storage.save("pdf/evaluatie/abc.pdf", ContentFile(b"%PDF-1.7"))
    Evaluation.objects.filter(pk=evaluation.pk).update(pdf=name)
    stock_import(world, age=365)
    out = StringIO()
    call_command("delete_old_uploads", "--days", "0", stdout=out)
    assert "1 woningvoorraad-imports" in out.getvalue()
    assert default_storage.exists(name)
    assert Evaluation.objects.get(pk=evaluation.pk).pdf.name == name


def test_a_second_run_deletes_nothing_twice(world):
    stock_import(world, age=100)
    call_command("delete_old_uploads", stdout=StringIO())
    out = StringIO()
    call_command("delete_old_uploads", stdout=out)
    assert "0 woningvoorraad-imports, 0 uploads" in out.getvalue()
    assert AuditEvent.objects.filter(action="upload_source_delete").count() == 1


def test_the_import_pages_say_when_the_source_file_was_deleted(client, world):
    record = stock_import(world, age=100)
    call_command("delete_old_uploads", stdout=StringIO())
    client.force_login(world.users["heemwonen"])
    date = timezone.localdate().strftime("%-d-%-m-%Y")
    history = client.get(reverse("housing_stock:import-history")).content.decode()
    assert f"bronbestand verwijderd op {date}" in history
    detail = client.get(reverse("housing_stock:import-detail", args=[record.pk]))
    assert f"bronbestand verwijderd op {date}" in detail.content.decode()

"""A bid workbook or form with a number outside what its figure measures (core.bounds) is
refused with a Dutch message naming the cell or field; nothing is written and the pages keep
answering."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cycle.models import Bid, BidLine, BidUpload
from tests.cycle.test_xlsx import filled

PLACEHOLDER = 987654


def with_raw_number(content: bytes, raw: str) -> bytes:
    """The workbook with the cell holding PLACEHOLDER made to hold ``raw`` ("NaN", "INF"), as
    other programs than Excel write it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, data.replace(b"<v>987654</v>", f"<v>{raw}</v>".encode()))
    return buffer.getvalue()


def post_upload(client, world, content: bytes) -> str:
    client.force_login(world.users["heemwonen"])
    lines = BidLine.objects.count()
    response = client.post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile("bod.xlsx", content)},
    )
    assert response.status_code == 422
    assert BidUpload.objects.get().status == BidUpload.Status.REJECTED
    assert BidLine.objects.count() == lines and not Bid.objects.exists()
    assert client.get(reverse("cycle:my-bid", args=[world.cycle_year.pk])).status_code == 200
    return html.unescape(response.content.decode())


def set_cell(cell, value):
    return lambda sheet: sheet.__setitem__(cell, value)


@pytest.mark.parametrize("raw", ["NaN", "INF", "-inf"])
def test_a_nan_or_infinity_cell_is_refused(client, world, raw):
    content = with_raw_number(filled(world, edit=set_cell("F10", PLACEHOLDER)), raw)
    page = post_upload(client, world, content)
    assert "Blad 'Bod', rij 10, kolom F: '" in page
    assert "is geen getal (niet eindig: NaN of oneindig); vul een gewoon getal in." in page


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        (
            "F10",
            1e308,
            "Blad 'Bod', rij 10, kolom F (Aantal): 1e+308 woningen kan niet: heel Nederland "
            "heeft er nog geen 10.000.000.",
        ),
        (
            "F17",
            5e12,
            "Blad 'Bod', rij 17, kolom F (Aantal): € 5.000.000.000.000 kan niet: een bedrag is "
            "hoogstens € 1.000.000.000.",
        ),
        ("F18", 1.5, "Blad 'Bod', rij 18, kolom F (Aantal): 150 % kan niet: een percentage"),
        ("F9", 3.5, "Blad 'Bod', rij 9, kolom F (Aantal): '3,5' is geen geheel aantal."),
    ],
)
def test_an_impossible_figure_is_refused(client, world, cell, value, message):
    assert message in post_upload(client, world, filled(world, edit=set_cell(cell, value)))


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("quantity_sloop", "1e308", "‘1e308’ is geen getal dat we kunnen lezen."),
        ("quantity_sloop", "NaN", "‘NaN’ is geen getal dat we kunnen lezen."),
        ("quantity_sloop", "Infinity", "‘Infinity’ is geen getal dat we kunnen lezen."),
        (
            "quantity_nieuwbouw",
            "99.000.000.000",
            "99.000.000.000 is te groot: hoogstens 1.000.000.000.",
        ),
        (
            "quantity_leefbaarheid",
            "750.000.000,50",
            None,  # within the bounds: accepted
        ),
    ],
)
def test_the_bid_form_refuses_what_no_figure_can_be(
    client, world, draft_bid, field, typed, message
):
    client.force_login(world.users["heemwonen"])
    before = sorted(draft_bid.lines.values_list("figure", "quantity"))
    response = client.post(
        reverse("cycle:bid-edit", args=[draft_bid.pk]), {field: typed}, HTTP_HX_REQUEST="true"
    )
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert sorted(draft_bid.lines.values_list("figure", "quantity")) == before
    assert client.get(reverse("cycle:bid-detail", args=[draft_bid.pk])).status_code == 200


@pytest.fixture
def async_uploads(settings, tmp_path, monkeypatch):
    from cycle.bids import tasks as bids_tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.BID_UPLOAD_ASYNC_BYTES = 0
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(bids_tasks.process_bid_upload, "delay", lambda pk: None)


def test_a_nan_workbook_read_by_the_worker_ends_rejected_not_pending(client, world, async_uploads):
    from cycle.bids import tasks as bids_tasks

    client.force_login(world.users["heemwonen"])
    content = with_raw_number(filled(world, edit=set_cell("F10", PLACEHOLDER)), "NaN")
    response = client.post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile("bod.xlsx", content)},
    )
    record = BidUpload.objects.get()
    assert response.status_code == 302 and record.status == BidUpload.Status.PENDING
    assert bids_tasks.process_bid_upload(record.pk) == BidUpload.Status.REJECTED
    assert not BidLine.objects.exists()
    page = client.get(reverse("cycle:upload-status", args=[record.pk]))
    assert page.status_code == 200
    assert "Blad 'Bod', rij 10, kolom F: 'NaN' is geen getal" in html.unescape(
        page.content.decode()
    )


def test_a_workbook_the_worker_cannot_read_ends_rejected(world, async_uploads, monkeypatch):
    from cycle.bids import services as bids_services
    from cycle.bids import tasks as bids_tasks
    from cycle.bids import xlsx as bid_xlsx

    record = bids_services.bid_upload(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
        upload=SimpleUploadedFile("bod.xlsx", filled(world)),
    )

    def unforeseen(*args, **kwargs):
        raise ValueError("a cell the reader did not foresee")

    monkeypatch.setattr(bid_xlsx, "read_bid_workbook", unforeseen)
    assert bids_tasks.process_bid_upload(record.pk) == BidUpload.Status.REJECTED
    record.refresh_from_db()
    assert record.errors == ["Het bestand kon niet worden gelezen."]
    assert not BidLine.objects.exists()


def test_a_cell_beyond_what_a_float_holds_is_refused(client, world):
    content = with_raw_number(filled(world, edit=set_cell("F10", PLACEHOLDER)), "1e309")
    page = post_upload(client, world, content)
    assert "Blad 'Bod', rij 10, kolom F: 1e+309 is te groot: hoogstens 1.000.000.000." in page

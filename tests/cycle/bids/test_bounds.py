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


@pytest.mark.parametrize("raw", ["NaN", "INF", "-inf", "1e309"])
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

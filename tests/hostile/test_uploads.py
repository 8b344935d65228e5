"""Every hostile file goes through the real upload views, logged in as a corporation's user:
the stock import (a per-dwelling list or the aggregate template) and the bid upload.

Each must be answered without a 500: accepted with the expected number of rows, or refused
with a Dutch message that names the problem (shown on the page), the import record in its
final state, and not one row written."""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cycle.models import Bid, BidLine, BidUpload
from housing_stock.importing.parsing import describe_error
from housing_stock.models import StockCount, StockImport, StockSnapshot
from tests.cycle.test_xlsx import filled
from tests.housing_stock.files import unit_row, units_xlsx

from .conftest import RESULTS
from .files import CASES, Case, aggregate_base, cases_for

# What the views say when something unexpected went wrong: never the answer to a hostile file.
CRASH_ANSWERS = ("Het bestand kon niet worden gelezen.", "Traceback", "Error", "Exception")


def test_the_catalogue_holds_at_least_forty_files_of_every_kind():
    assert len(CASES) >= 40
    assert {case.kind for case in CASES} == {"structural", "numeric", "textual", "size"}


def _check_refusal_text(message: str, page: str) -> None:
    assert message, "a refusal without a message"
    assert not any(crash in message for crash in CRASH_ANSWERS), message
    assert html.escape(message, quote=False) in page or html.escape(message) in page


def _apply(settings, case: Case) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)


STOCK_BASES = {
    "voorraad": lambda: units_xlsx([unit_row(n) for n in (1, 2, 3)]),
    "totalen": aggregate_base,
}
KINDS = {"voorraad": "units", "totalen": "aggregate"}
STOCK_CASES = [(target, case) for target in ("voorraad", "totalen") for case in cases_for(target)]


@pytest.mark.parametrize(
    ("target", "case"), STOCK_CASES, ids=[f"{t}-{c.name}" for t, c in STOCK_CASES]
)
def test_stock_import_answers_each_hostile_file(
    client,
    settings,
    parties,
    stock_demo,
    heem_user,
    django_capture_on_commit_callbacks,
    target,
    case,
):
    expect = case.expect[target]
    content, name = case.build(STOCK_BASES[target]())
    _apply(settings, case)
    client.force_login(heem_user)
    imports, counts = StockImport.objects.count(), StockCount.objects.count()
    snapshots = StockSnapshot.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("housing_stock:import"),
            {
                "party": parties["heemwonen"].pk,
                "peildatum": "2021-01-01",
                "kind": KINDS[target],
                "file": SimpleUploadedFile(name, content),
            },
        )
    assert response.status_code in (200, 302)
    written = StockCount.objects.count() - counts
    if response.status_code == 200:  # refused at the gate: the form says why, no record
        errors = response.context["form"].errors
        message = " ".join(errors.get("file", [])) or str(errors)
        page = response.content.decode()
        assert StockImport.objects.count() == imports
        status = "geweigerd bij de poort"
    else:
        record = StockImport.objects.latest("pk")
        assert StockImport.objects.count() == imports + 1
        page = client.get(response["Location"]).content.decode()
        status = record.status
        message = describe_error(record.error_report[0]) if record.error_report else ""
    RESULTS.append((case.name, case.kind, target, message or "aanvaard", written))
    if expect.accepted:
        assert status == StockImport.Status.DONE, message
        assert record.rows_processed == expect.rows
        assert written > 0 and StockSnapshot.objects.count() == snapshots + 1
    else:
        assert status != StockImport.Status.DONE
        if response.status_code == 302:
            assert status == StockImport.Status.FAILED
        assert expect.message in message
        _check_refusal_text(message, page)
        assert written == 0 and StockSnapshot.objects.count() == snapshots


BID_CASES = cases_for("bod")


@pytest.mark.parametrize("case", BID_CASES, ids=[c.name for c in BID_CASES])
def test_bid_upload_answers_each_hostile_file(client, settings, world, case):
    expect = case.expect["bod"]
    content, name = case.build(filled(world))
    _apply(settings, case)
    client.force_login(world.users["heemwonen"])
    bids, lines = Bid.objects.count(), BidLine.objects.count()
    uploads = BidUpload.objects.count()
    response = client.post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code in (302, 422)
    written = BidLine.objects.count() - lines
    if BidUpload.objects.count() == uploads:  # the form refused it: no file to record
        assert response.status_code == 302 and not expect.accepted
        message = " ".join(str(m) for m in get_messages(response.wsgi_request))
        RESULTS.append((case.name, case.kind, "bod", message, written))
        assert expect.message in message
        _check_refusal_text(message, client.get(response["Location"]).content.decode())
        assert written == 0 and Bid.objects.count() == bids
        return
    record = BidUpload.objects.latest("pk")
    message = record.errors[0] if record.errors else ""
    RESULTS.append((case.name, case.kind, "bod", message or "aanvaard", written))
    if expect.accepted:
        assert response.status_code == 302, message
        assert record.status == BidUpload.Status.ACCEPTED
        assert record.line_count == expect.rows == written
    else:
        assert response.status_code == 422
        assert record.status == BidUpload.Status.REJECTED
        assert expect.message in message
        _check_refusal_text(message, response.content.decode())
        assert written == 0 and Bid.objects.count() == bids


def test_script_in_an_uploaded_explanation_is_shown_as_text_on_the_bid_page(client, world):
    case = next(c for c in BID_CASES if c.name == "bod-html-script.xlsx")
    content, name = case.build(filled(world))
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page

"""Absurd numbers and a broken-off job, met the way a corporation's staff member meets them in a
real browser: a stock table with 100.000.000.000 and 1e308 dwellings, a bid workbook with 'NaN'
and 1e308 typed into it, and an import whose worker died. Each answer is a Dutch message on the
page that names the sheet, row and column (or says what to do), no error page, nothing written,
and the pages everyone reads keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from agreements.models import Party
from cycle.models import Bid, BidUpload
from housing_stock.models import StockCount, StockImport, StockSnapshot
from tests.e2e.test_bid_journey import open_my_bid, upload
from tests.e2e.test_stock_journey import (
    FIGURES,
    download_template,
    fill_aggregate,
    open_import_page,
    submit_import,
)

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or, under CI=true, fails them)
    expect = None


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_absurd_stock_figures_are_refused_with_their_cell_and_the_pages_keep_working(
    page, log_in, accessible, tmp_path
):
    heading = page.get_by_role("heading", level=1)
    heem = Party.objects.get(slug="heemwonen")
    snapshots = StockSnapshot.objects.filter(party=heem).count()
    counts = StockCount.objects.count()
    log_in(page, "heemwonen")
    open_import_page(page)
    template = download_template(page, "Sjabloon totaaltabellen (.xlsx)", tmp_path)
    absurd = {
        "Voorraad": {
            **FIGURES["Voorraad"],
            "Grondgebonden 1 kamer": {**FIGURES["Voorraad"]["Grondgebonden 1 kamer"]},
            "Anders": {**FIGURES["Voorraad"]["Anders"]},
        }
    }
    absurd["Voorraad"]["Grondgebonden 1 kamer"]["Goedkoop"] = 100_000_000_000
    absurd["Voorraad"]["Anders"]["Duur"] = 1e308
    filled = tmp_path / "voorraad-absurd.xlsx"
    fill_aggregate(template, filled, absurd)

    submit_import(page, peildatum="2025-01-01", kind="Totaaltabellen (sjabloon)", file=filled)
    expect(heading).to_have_text(f"Import {filled.name}")
    status = page.locator("#import-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Afgekeurd")
    expect(status.get_by_role("alert")).to_contain_text("er is niets geïmporteerd")
    errors = status.locator(".pa-error-list li")
    expect(errors.filter(has_text="rij 2, kolom Goedkoop")).to_contain_text(
        "100.000.000.000 woningen kan niet"
    )
    expect(errors.filter(has_text="rij 6, kolom Duur")).to_contain_text("woningen kan niet")
    accessible(page, "the refused import")
    assert StockSnapshot.objects.filter(party=heem).count() == snapshots
    assert StockCount.objects.count() == counts

    # Everyone's stock overview still answers, with the figures it had.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Woningvoorraad"
    ).click()
    expect(heading).to_contain_text("Woningvoorraad")
    expect(page.get_by_text("Er is iets misgegaan")).to_have_count(0)


def test_a_bid_workbook_with_nan_and_1e308_is_refused_at_its_cells(
    page, log_in, accessible, tmp_path
):
    log_in(page, "heemwonen")
    open_my_bid(page)
    draft = Bid.objects.get(corporation__slug="heemwonen", status=Bid.Status.DRAFT)
    lines_before = sorted(draft.lines.values_list("figure", "quantity"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download het bod-sjabloon (.xlsx)", exact=True).click()
    template = tmp_path / "bod.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook["Bod"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 6).value == "Aantal")
    rows = [r for r in range(header + 1, header + 20) if sheet.cell(r, 1).value]
    sheet.cell(rows[0], 6).value = "NaN"  # typed as a word, the way Excel keeps it
    sheet.cell(rows[1], 6).value = 1e308
    filled = tmp_path / "bod-absurd.xlsx"
    workbook.save(filled)

    upload(page, filled)
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload niet verwerkt")
    main = page.get_by_role("main")
    expect(main).to_contain_text("uw bod is niet gewijzigd")
    where = "Blad 'Bod', rij {}, kolom F (Aantal): "
    expect(main).to_contain_text(where.format(rows[0]) + "'NaN' is geen getal")
    expect(main).to_contain_text(where.format(rows[1]) + "1e+308 woningen kan niet")
    accessible(page, "the refused bid upload")
    assert BidUpload.objects.filter(status=BidUpload.Status.REJECTED).count() == 1
    assert sorted(draft.lines.values_list("figure", "quantity")) == lines_before


def test_an_import_whose_worker_died_says_so_and_probeer_opnieuw_runs_it_again(
    page, log_in, accessible, tmp_path
):
    heading = page.get_by_role("heading", level=1)
    log_in(page, "heemwonen")
    open_import_page(page)
    template = download_template(page, "Sjabloon totaaltabellen (.xlsx)", tmp_path)
    filled = tmp_path / "voorraad-2025.xlsx"
    fill_aggregate(template, filled, FIGURES)
    # The upload is taken by a worker that then dies: the record stays "processing" since long
    # before the job's limit (what a SIGKILLed worker leaves; tests/*/test_jobs_redis.py kill a
    # real one).
    heem = Party.objects.get(slug="heemwonen")
    submit_import(page, peildatum="2025-01-01", kind="Totaaltabellen (sjabloon)", file=filled)
    expect(heading).to_have_text(f"Import {filled.name}")
    record = StockImport.objects.filter(party=heem).latest("pk")
    snapshots = StockSnapshot.objects.filter(party=heem).count()
    StockSnapshot.objects.filter(stock_import=record).delete()
    StockImport.objects.filter(pk=record.pk).update(
        status=StockImport.Status.PROCESSING,
        started_at=timezone.now() - dt.timedelta(hours=2),
        finished_at=None,
    )

    page.reload()
    status = page.locator("#import-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Mislukt")
    expect(status.get_by_role("alert")).to_contain_text(
        "De verwerking duurde te lang of is onderbroken; probeer het opnieuw."
    )
    expect(page.locator("[hx-trigger*='every']")).to_have_count(0)  # no spinner polling on
    accessible(page, "the failed import")

    status.get_by_role("button", name="Probeer opnieuw").click()
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Geïmporteerd")
    assert StockSnapshot.objects.filter(party=heem).count() == snapshots
    assert StockImport.objects.get(pk=record.pk).status == StockImport.Status.DONE

"""The bid template and upload with real .xlsx files built by openpyxl: percentages as Excel
stores them (a "0.0%" cell holding 0,032) and as text ("3,2%"), explained in the template, and
figures that make no sense for their line refused with sheet, row and column, changing nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cycle.bids import services as bids_services
from cycle.bids import xlsx as bid_xlsx
from cycle.bids.types import LineInput
from cycle.models import Bid, BidUpload
from housing_stock.models import StockCount, StockSnapshot

RENT_ROW = 18  # huurverhoging
SALE_ROW = 11  # verkoop


def workbook_for(world):
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year, corporation=world.parties["heemwonen"], plan_year=2026
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Bod"]
    for row in range(bid_xlsx.FIRST_ROW, bid_xlsx.FIRST_ROW + 10):
        sheet[f"F{row}"] = 2
    sheet[f"F{RENT_ROW}"] = 0.021
    return workbook


def upload(world, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return bids_services.bid_upload(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
        upload=SimpleUploadedFile("bod.xlsx", buffer.getvalue()),
    )


def rent_increase(record):
    assert record.status == BidUpload.Status.ACCEPTED, record.errors
    return record.bid.lines.get(figure="huurverhoging").quantity


def test_a_percentage_cell_is_read_as_the_percentage_it_shows(world):
    workbook = workbook_for(world)
    cell = workbook["Bod"][f"F{RENT_ROW}"]
    cell.value = 0.032  # what Excel stores when "3,2%" is typed
    cell.number_format = "0.0%"
    assert rent_increase(upload(world, workbook)) == Decimal("3.2")


def test_a_percentage_cell_of_a_user_workbook_with_its_own_format(world):
    workbook = workbook_for(world)
    cell = workbook["Bod"][f"F{RENT_ROW}"]
    cell.value = 0.0325
    cell.number_format = "0.00%"
    assert rent_increase(upload(world, workbook)) == Decimal("3.25")


@pytest.mark.parametrize("text", ["3,2%", "3,2 %", "3,2"])
def test_percentage_text_is_read_in_per_cent(world, text):
    workbook = workbook_for(world)
    cell = workbook["Bod"][f"F{RENT_ROW}"]
    cell.value = text
    cell.number_format = "General"
    assert rent_increase(upload(world, workbook)) == Decimal("3.2")


def test_the_template_holds_the_rent_increase_as_a_percentage_cell(world, draft_bid):
    bids_services.bid_lines_save(
        actor=world.users["heemwonen"],
        bid=draft_bid,
        lines={"huurverhoging": LineInput(quantity=Decimal("2.9"))},
    )
    lines = {line.figure: line for line in draft_bid.lines.all()}
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
        plan_year=2026,
        lines=lines,
    )
    cell = load_workbook(io.BytesIO(data))["Bod"][f"F{RENT_ROW}"]
    assert "%" in cell.number_format and cell.value == pytest.approx(0.029)
    # ... and reads back as it went out.
    assert rent_increase(upload(world, load_workbook(io.BytesIO(data)))) == Decimal("2.9")


def test_the_template_explains_percentages_and_amounts(world):
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year, corporation=world.parties["heemwonen"], plan_year=2026
    )
    workbook = load_workbook(io.BytesIO(data))
    text = " ".join(str(c.value) for row in workbook["Uitleg"].iter_rows() for c in row if c.value)
    assert "Typ 3,2 of 3,2% en Excel toont 3,2 %" in text
    assert "75000 of 75.000" in text and "1.250,50" in text
    assert "Zie blad Uitleg" in str(workbook["Bod"]["F7"].value)


def _refused(world, draft_bid, edit):
    before = list(draft_bid.lines.order_by("figure").values_list("figure", "quantity"))
    workbook = workbook_for(world)
    edit(workbook["Bod"])
    record = upload(world, workbook)
    assert record.status == BidUpload.Status.REJECTED
    assert list(draft_bid.lines.order_by("figure").values_list("figure", "quantity")) == before
    assert Bid.objects.count() == 1
    return record.errors


def test_a_share_over_100_percent_is_refused_with_its_place(world, draft_bid):
    def edit(sheet):
        sheet[f"F{RENT_ROW}"] = 1.2
        sheet[f"F{RENT_ROW}"].number_format = "0%"

    (error,) = _refused(world, draft_bid, edit)
    assert error.startswith("Blad 'Bod', rij 18, kolom F (Aantal): 120 % kan niet")


def test_percentage_text_over_100_is_refused(world, draft_bid):
    (error,) = _refused(world, draft_bid, lambda s: s.__setitem__(f"F{RENT_ROW}", "120%"))
    assert "rij 18, kolom F" in error and "tussen -100 en 100" in error


def test_a_negative_count_is_refused_with_its_place(world, draft_bid):
    (error,) = _refused(world, draft_bid, lambda s: s.__setitem__(f"F{SALE_ROW}", -3))
    assert error == "Blad 'Bod', rij 11, kolom F (Aantal): Een aantal kan niet negatief zijn."


def test_a_percentage_in_a_count_line_is_refused(world, draft_bid):
    (error,) = _refused(world, draft_bid, lambda s: s.__setitem__(f"F{SALE_ROW}", "5%"))
    assert error.startswith("Blad 'Bod', rij 11, kolom F (Aantal): '5%' is een percentage")


def test_a_count_over_the_corporations_stock_is_refused(world, draft_bid):
    snapshot = StockSnapshot.objects.create(
        municipality=world.parties["gemeente-kerkrade"],
        party=world.parties["heemwonen"],
        peildatum=dt.date(2024, 1, 1),
        title="Toegankelijkheid HEEMwonen",
        source="test",
    )
    StockCount.objects.create(
        snapshot=snapshot, table="bat", row_key="totaal", col_key="aantal", value=4908
    )
    (error,) = _refused(world, draft_bid, lambda s: s.__setitem__(f"F{SALE_ROW}", 5000))
    assert error == (
        "Blad 'Bod', rij 11, kolom F (Aantal): 5.000 is meer dan de 4.908 woningen die de "
        "corporatie volgens de woningvoorraad heeft."
    )


def test_a_literal_per_cent_sign_in_the_format_is_no_percentage_cell(world):
    workbook = workbook_for(world)
    cell = workbook["Bod"][f"F{RENT_ROW}"]
    cell.value = 3.2  # shown as "3,2 %" by a format with a quoted sign: Excel does not scale
    cell.number_format = '0.0" %"'
    assert rent_increase(upload(world, workbook)) == Decimal("3.2")


def test_a_percentage_cell_in_a_count_line_is_named_as_shown(world, draft_bid):
    def edit(sheet):
        sheet[f"F{SALE_ROW}"] = 10
        sheet[f"F{SALE_ROW}"].number_format = "0%"

    (error,) = _refused(world, draft_bid, edit)
    assert "'1.000%' is een percentage" in error


def test_excel_checks_the_percentage_cell_as_a_share(world):
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year, corporation=world.parties["heemwonen"], plan_year=2026
    )
    sheet = load_workbook(io.BytesIO(data))["Bod"]
    rules = {
        str(cell): (v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
        if v.type == "decimal"
        for cell in v.sqref.ranges
    }
    assert rules[f"F{RENT_ROW}"] == ("-1", "1")
    assert rules[f"F{SALE_ROW}"] == ("0", "999999999")

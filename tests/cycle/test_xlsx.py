import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cycle.bids import services as bids_services
from cycle.bids import xlsx as bid_xlsx
from cycle.bids.types import LineInput
from cycle.models import Bid, BidUpload


def template(world, corporation="heemwonen"):
    return bid_xlsx.build_template(
        cycle_year=world.cycle_year, corporation=world.parties[corporation], plan_year=2026
    )


def filled(world, *, edit=None) -> bytes:
    workbook = load_workbook(io.BytesIO(template(world)))
    sheet = workbook["Bod"]
    for row in range(bid_xlsx.FIRST_ROW, bid_xlsx.FIRST_ROW + 10):
        # The rent increase (row 18) is a percentage cell: Excel holds 1,8 % as 0,018.
        sheet[f"F{row}"] = row / 1000 if sheet[f"A{row}"].value == "huurverhoging" else row
        sheet[f"G{row}"] = f"toelichting {row}"
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(world, data, name="bod.xlsx", user="heemwonen"):
    return bids_services.bid_upload(
        actor=world.users[user],
        cycle_year=world.cycle_year,
        corporation=world.users[user].membership.party,
        upload=SimpleUploadedFile(name, data),
    )


def test_template_is_prefilled(world):
    sheet = load_workbook(io.BytesIO(template(world)))["Bod"]
    assert sheet["B3"].value == "HEEMwonen"
    assert sheet["B4"].value == 2026
    assert sheet["B6"].value == "kerkrade-2021-2025|2025|heemwonen"
    assert sheet["A9"].value == "sloop" and sheet["D9"].value == "1.2"
    assert sheet["E9"].value == "Beschikbaarheid"
    agreements = load_workbook(io.BytesIO(template(world)))["Afspraken"]
    assert [agreements.cell(row=r, column=1).value for r in (2, 3)] == ["1.2", "2.1"]


def test_filled_template_becomes_the_draft(world):
    record = upload(world, filled(world))
    assert record.status == BidUpload.Status.ACCEPTED, record.errors
    bid = record.bid
    assert bid.status == Bid.Status.DRAFT and bid.source == Bid.Source.XLSX
    assert bid.lines.get(figure="sloop").quantity == Decimal(9)
    assert bid.lines.get(figure="sloop").agreement == world.agreement
    assert bid.lines.get(figure="huurverhoging").explanation == "toelichting 18"


def test_dutch_number_text_is_read(world):
    record = upload(world, filled(world, edit=lambda s: s.__setitem__("F17", "1.250,50")))
    assert record.status == BidUpload.Status.ACCEPTED, record.errors
    assert record.bid.lines.get(figure="leefbaarheid").quantity == Decimal("1250.50")


def test_errors_name_sheet_row_and_column_and_change_nothing(world, draft_bid):
    before = list(draft_bid.lines.order_by("figure").values_list("figure", "quantity"))

    def broken(sheet):
        sheet["F10"] = "veel"
        sheet["D11"] = "9.9"
        sheet["F12"] = -3

    record = upload(world, filled(world, edit=broken))
    assert record.status == BidUpload.Status.REJECTED
    assert any(
        e.startswith("Blad 'Bod', rij 10, kolom F (Aantal): 'veel' is geen getal.")
        for e in record.errors
    )
    assert any("rij 11, kolom D" in e and "9.9" in e for e in record.errors)
    assert any("rij 12, kolom F" in e and "negatief" in e for e in record.errors)
    after = list(draft_bid.lines.order_by("figure").values_list("figure", "quantity"))
    assert after == before
    assert Bid.objects.count() == 1


def test_missing_row_is_reported(world):
    record = upload(world, filled(world, edit=lambda s: s.__setitem__("A13", None)))
    assert any("ontbreekt" in e and "renovatie" in e for e in record.errors)


def test_template_of_another_corporation_is_refused(world):
    data = filled(world)
    record = upload(world, data, user="wonenzuid")
    assert record.status == BidUpload.Status.REJECTED
    assert "rij 6, kolom B" in record.errors[0]
    assert not Bid.objects.exists()


def test_non_xlsx_refused(world):
    record = upload(world, b"a,b,c\n", name="bod.csv")
    assert record.errors == ["Alleen Excel-bestanden (.xlsx) worden aanvaard."]


def test_xlsm_refused_by_name(world):
    record = upload(world, filled(world), name="bod.xlsm")
    assert "macro" in record.errors[0]


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_macro_inside_an_xlsx_named_file_refused(world):
    source = zipfile.ZipFile(io.BytesIO(filled(world)))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/vbaProject.bin"] = b"\x00" * 100
    record = upload(world, _zip(entries))
    assert "macro" in record.errors[0]


def test_zip_bomb_refused_before_parsing(world):
    data = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\x00" * (60 * 1024 * 1024),
        }
    )
    assert len(data) < 1024 * 1024
    record = upload(world, data)
    assert record.errors == [
        "Het bestand pakt uit tot een verdacht grote omvang (een onderdeel wordt meer dan 150 "
        "keer zo groot) en wordt geweigerd."
    ]


def test_oversized_file_refused(world, settings):
    settings.MAX_UPLOAD_MB = 1
    record = upload(world, b"PK" + b"\x00" * (1536 * 1024))
    assert record.errors == ["Het bestand is te groot (1,5 MB); het maximum is 1 MB."]


def test_garbage_with_xlsx_name_refused(world):
    record = upload(world, b"not a zip at all")
    assert record.errors == ["Dit is geen geldig Excel-bestand (.xlsx)."]


def test_zip_without_workbook_refused(world):
    record = upload(world, _zip({"hello.txt": b"hi"}))
    assert record.errors == ["Dit is geen geldig Excel-bestand (.xlsx): het werkboek ontbreekt."]


# F9 counts demolished dwellings (whole ones); F17 is the liveability budget in euro.
@pytest.mark.parametrize(("cell", "value"), [("F9", 0), ("F9", 12), ("F17", 1250.5)])
def test_quantities_accepted(world, cell, value):
    record = upload(world, filled(world, edit=lambda s: s.__setitem__(cell, value)))
    assert record.status == BidUpload.Status.ACCEPTED


def test_theme_notes_round_trip(world, draft_bid):
    bids_services.bid_lines_save(
        actor=world.users["heemwonen"], bid=draft_bid, lines={}, theme_notes={1: "oud", 2: "twee"}
    )
    lines = {line.figure: line for line in draft_bid.lines.all()}
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
        plan_year=2026,
        lines=lines,
        notes={1: "oud", 2: "twee"},
    )
    workbook = load_workbook(io.BytesIO(data))
    assert workbook["Thema's"]["C2"].value == "oud"
    assert workbook["Bod"]["F9"].value == 20
    workbook["Thema's"]["C2"] = "nieuw"
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = upload(world, buffer.getvalue())
    assert record.status == BidUpload.Status.ACCEPTED, record.errors
    notes = dict(record.bid.theme_notes.values_list("theme__number", "text"))
    assert notes == {1: "nieuw", 2: "twee"}


def test_unknown_theme_number_reported_with_place(world):
    record = upload(world, filled(world, edit=lambda s: None))
    assert record.status == BidUpload.Status.ACCEPTED
    workbook = load_workbook(io.BytesIO(filled(world)))
    workbook["Thema's"]["A3"] = 7
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = upload(world, buffer.getvalue())
    assert record.errors == [
        "Blad 'Thema's', rij 3, kolom A (Nummer): thema 7 bestaat niet in het kader."
    ]


def test_text_from_the_database_never_becomes_a_formula(world, draft_bid):
    bids_services.bid_lines_save(
        actor=world.users["heemwonen"],
        bid=draft_bid,
        lines={"sloop": LineInput(quantity=1, explanation='=HYPERLINK("x","y")')},
    )
    lines = {line.figure: line for line in draft_bid.lines.all()}
    data = bid_xlsx.build_template(
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
        plan_year=2026,
        lines=lines,
    )
    cell = load_workbook(io.BytesIO(data))["Bod"]["G9"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x","y")'
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")

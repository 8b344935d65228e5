from __future__ import annotations

import io
import time
import zipfile

import openpyxl.xml
import pytest
from django.core.exceptions import ValidationError

from housing_stock.importing.safety import UploadRejected, inspect_upload

from .files import rewrite_zip, unit_row, units_csv, units_xlsx, upload, zip_bomb

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"""


def reject(content: bytes, name: str = "voorraad.xlsx", kind: str = "units") -> str:
    with pytest.raises(UploadRejected) as error:
        inspect_upload(upload(content, name), kind=kind)
    return error.value.messages[0]


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_valid_xlsx_passes_and_reports_its_rows():
    info = inspect_upload(upload(units_xlsx([unit_row(i) for i in range(7)])), kind="units")
    assert info.rows_estimate == 7


def test_a_valid_csv_passes():
    info = inspect_upload(upload(units_csv([unit_row(1)]), "lijst.csv"), kind="units")
    assert info.rows_estimate == 1


def test_rejection_is_a_validation_error():
    assert issubclass(UploadRejected, ValidationError)


@pytest.mark.parametrize("name", ["voorraad.pdf", "voorraad.ods", "voorraad", "voorraad.xlsx.exe"])
def test_other_file_types_are_rejected(name):
    assert "Alleen Excel-bestanden (.xlsx) en CSV-bestanden" in reject(b"data", name)


@pytest.mark.parametrize("name", ["voorraad.xlsm", "voorraad.xls", "voorraad.xlsb"])
def test_macro_and_old_formats_are_rejected_by_name(name):
    assert "macro's" in reject(units_xlsx([]), name)


def test_a_vba_project_inside_an_xlsx_is_rejected():
    content = rewrite_zip(units_xlsx([unit_row(1)]), add={"xl/vbaProject.bin": b"\x00" * 64})
    assert "macro's" in reject(content)


def test_macro_enabled_content_type_is_rejected():
    base = units_xlsx([unit_row(1)])
    types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml")
    macro = (
        b'<Override PartName="/x" '
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    types = types.replace(b"</Types>", macro)
    assert "macro's" in reject(rewrite_zip(base, replace={"[Content_Types].xml": types}))


def test_aggregate_must_be_xlsx():
    assert "als .xlsx" in reject(units_csv([]), "voorraad.csv", kind="aggregate")


def test_too_large_is_rejected(settings):
    settings.MAX_UPLOAD_MB = 1
    assert "te groot" in reject(b"x" * (1024 * 1024 + 1), "lijst.csv")


def test_empty_file_is_rejected():
    assert "leeg" in reject(b"", "lijst.csv")


def test_not_a_zip_is_rejected():
    assert "geen geldig Excel-bestand" in reject(b"PK but not really a zip file at all")


def test_zip_bomb_is_rejected_in_milliseconds():
    bomb = zip_bomb(60)
    start = time.perf_counter()
    message = reject(bomb)
    elapsed = time.perf_counter() - start
    assert "verdacht grote omvang" in message
    assert elapsed < 0.1


def test_too_many_parts_is_rejected():
    extra = {f"xl/extra/{i}.txt": b"x" for i in range(600)}
    assert "te veel onderdelen" in reject(rewrite_zip(units_xlsx([]), add=extra))


def test_xml_entities_are_rejected_before_parsing():
    content = rewrite_zip(
        units_xlsx([unit_row(1)]), replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}
    )
    assert "DTD/entiteiten" in reject(content)


def test_binary_csv_is_rejected():
    assert "geen tekst" in reject(b"\x00\x01\x02", "lijst.csv")

"""Builders of upload files for the import tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from housing_stock import workbooks
from housing_stock.importing.parsing import UNIT_COLUMNS

HEADER = [c.header for c in UNIT_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def unit_row(n: int, **overrides) -> list:
    row = {
        "complex": "C1",
        "dwelling_id": f"W{n}",
        "dwelling_type": "Gestapeld met lift",
        "rent": 500.0,
        "energy_label": "B",
        "bat_class": 1,
        "nultreden": "ja",
        "condition": 2,
    } | overrides
    return [row[c.key] for c in UNIT_COLUMNS]


def units_xlsx(
    rows: Iterable[Sequence], header: Sequence = HEADER, sheet: str = "Woningen"
) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def units_csv(rows: Iterable[Sequence], delimiter: str = ";") -> bytes:
    lines = [delimiter.join(HEADER)]
    lines += [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def aggregate_xlsx(fill: dict[str, list[list]]) -> bytes:
    """The downloadable template with the given sheets filled: {sheet: rows of values}."""
    workbook = load_workbook(io.BytesIO(workbooks.aggregate_template()))
    for title, rows in fill.items():
        ws = workbook[title]
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=2):
                ws.cell(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "voorraad.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def rewrite_zip(
    content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(uncompressed_mb: int = 60) -> bytes:
    """A valid-looking xlsx whose sheet part inflates enormously (ratio ~1000:1)."""
    base = units_xlsx([unit_row(1)])
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/padding.xml", b"\0" * uncompressed_mb * 1024 * 1024)
    return buffer.getvalue()


def with_raw_number(content: bytes, placeholder: int, raw: str) -> bytes:
    """The workbook with the number cell holding ``placeholder`` made to hold ``raw`` as its
    value ("NaN", "INF", "1e309"): what other programs write and openpyxl itself never does."""
    source = zipfile.ZipFile(io.BytesIO(content))
    needle = f"<v>{placeholder}</v>".encode()
    replace = {
        info.filename: source.read(info.filename).replace(needle, f"<v>{raw}</v>".encode())
        for info in source.infolist()
        if info.filename.startswith("xl/worksheets/") and needle in source.read(info.filename)
    }
    assert replace, "placeholder not found"
    return rewrite_zip(content, replace=replace)

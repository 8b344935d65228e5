"""Shared checks for formula injection in the portal's .xlsx exports (core/spreadsheets.py)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

# One text per dangerous first character: =, +, -, @, tab, CR.
DANGEROUS_TEXTS = [
    '=HYPERLINK("https://example.org/x","klik hier")',
    "+31 45 567 89 00",
    "-2+3 woningen",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def assert_literal_text(data: bytes, text: str) -> None:
    """The text is in the workbook as a plain string (not a formula), exactly as typed."""
    workbook = load_workbook(io.BytesIO(data))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]
    assert cells, f"{text!r} is not in the workbook"
    for cell in cells:
        assert cell.data_type != "f"
        assert cell.data_type == "s"
        assert cell.quotePrefix  # stays text when edited in Excel
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name

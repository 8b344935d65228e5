"""The one way the portal writes a spreadsheet: ``workbook_bytes`` saves an openpyxl workbook
with every text cell made formula-proof.

Formula injection: openpyxl stores any text starting with "=" as a formula, and Excel and
LibreOffice evaluate text starting with "+", "-", "@" (and, in CSV, tab or CR) when it is
typed or re-entered. A contribution text "=HYPERLINK(...)" would become a live link.

The cell is written as a plain string (``data_type = "s"``) with Excel's quote prefix set,
rather than with an apostrophe put into the text: the value read back, shown and copied is
exactly the user's text (an apostrophe in the text would show up in LibreOffice and in every
program that reads the file), and the quote prefix keeps it text when someone edits the cell
and presses Enter. Numbers stay numbers: a negative amount is a number, not text, and is
never touched.
"""

from __future__ import annotations

import io
from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: Any) -> bool:
    """Text that a spreadsheet program could read as a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def escape_cell(cell: Any) -> None:
    """Make one cell a literal string when its text could be read as a formula."""
    if is_dangerous(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(workbook: Any) -> bytes:
    """The workbook as .xlsx bytes, every text cell on every sheet escaped first."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                escape_cell(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

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
import math
import re
import zipfile
from collections.abc import Iterable
from typing import IO, Any

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


# --- reading: what openpyxl itself cannot read ----------------------------------------------

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part, from workbook.xml and its relationships."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)
    }
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = path
    return parts


# A cell without a t= attribute or with t="n" holds a number in <v>; an Excel-written number
# is digits with an optional point and exponent. Anything else there ("NaN", "INF", "abc",
# written by hand or by another program) makes openpyxl raise while it iterates the rows.
_NUMBER_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)\br="([A-Z]{1,3})([0-9]+)"([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>', re.S
)
_TYPE = re.compile(rb'\bt="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_PLAIN_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")


def nonnumeric_number_cells(
    handle: IO[bytes], sheets: Iterable[str] | None = None
) -> list[tuple[str, int, str, str]]:
    """(sheet, row, column letter, raw text) of every number cell that holds no finite number:
    NaN, Infinity, 1e309 (which overflows to Infinity) or text. Read from the sheet XML before
    openpyxl opens the workbook, so that the reader can name the cell instead of failing."""
    found: list[tuple[str, int, str, str]] = []
    wanted = set(sheets) if sheets is not None else None
    with zipfile.ZipFile(handle) as archive:
        for name, path in sheet_parts(archive).items():
            if wanted is not None and name not in wanted:
                continue
            try:
                xml = archive.read(path)
            except KeyError:
                continue
            for match in _NUMBER_CELL.finditer(xml):
                attributes = match.group(1) + match.group(4)
                kind = _TYPE.search(attributes)
                if kind and kind.group(1) not in (b"n", b""):
                    continue
                value = _VALUE.search(match.group(5))
                if value is None or not value.group(1).strip():
                    continue
                raw = value.group(1).decode("utf-8", "replace")
                if _PLAIN_NUMBER.fullmatch(raw) and math.isfinite(float(raw)):
                    continue
                found.append((name, int(match.group(3)), match.group(2).decode(), raw.strip()))
    handle.seek(0)
    return found


def raw_float(raw: str) -> float | str:
    """A number cell's raw text as Python reads it ("NaN", "INF", "1e309" become floats), so
    that core.bounds words the refusal; other text stays text."""
    try:
        return float(raw)
    except ValueError:
        return raw

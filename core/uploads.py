"""The one gate every spreadsheet upload passes before any parsing: type, size, zip bombs,
macros, encryption and XML tricks (used by the stock import and by the bid upload).

Everything here reads only the zip central directory and at most a few kilobytes of each XML
part, so a hostile file is turned away in milliseconds and nothing is written. The limits on
the unpacked size and on rows and cells per sheet come from settings (MAX_UNCOMPRESSED_MB,
MAX_SHEET_ROWS, MAX_SHEET_CELLS); a sheet's <dimension> can lie or be missing, so the stock
readers count again while they read and refuse with the same words (``sheet_rows_message``,
``sheet_cells_message``).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_ENTRIES = 500
MAX_RATIO = 150  # declared uncompressed / compressed, for parts above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
PROLOG_BYTES = 2048
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension ref="\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?"'
)


class UploadRejected(ValidationError):
    pass


@dataclass(frozen=True)
class UploadInfo:
    extension: str
    size: int
    rows_estimate: int | None  # from the sheets' <dimension> (xlsx) or line count (csv)


def _reject(message: str) -> UploadRejected:
    return UploadRejected(message, code="rejected")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _sheet(sheet: str | None) -> str:
    # None when the sheet's own name could not be read from workbook.xml.
    return f"Het blad '{sheet}'" if sheet else "Een werkblad"


def sheet_rows_message(rows: int, *, sheet: str | None, counted: bool = True) -> str | None:
    """The Dutch refusal when a sheet has more data rows than MAX_SHEET_ROWS, else None.

    ``counted=False`` when a parser stops at the limit and does not know the real count."""
    limit = settings.MAX_SHEET_ROWS
    if rows <= limit:
        return None
    amount = _thousands(rows) if counted else f"meer dan {_thousands(limit)}"
    return f"{_sheet(sheet)} heeft {amount} rijen; het maximum is {_thousands(limit)} rijen."


def sheet_cells_message(cells: int, *, sheet: str | None) -> str | None:
    """The Dutch refusal when a sheet spans more cells than MAX_SHEET_CELLS, else None."""
    limit = settings.MAX_SHEET_CELLS
    if cells <= limit:
        return None
    return (
        f"{_sheet(sheet)} beslaat {_thousands(cells)} cellen; "
        f"het maximum is {_thousands(limit)} cellen."
    )


def check_sheet_rows(rows: int, *, sheet: str | None) -> None:
    if message := sheet_rows_message(rows, sheet=sheet):
        raise _reject(message)


def _too_large(rows: int, cells: int, sheet: str | None) -> str | None:
    return sheet_rows_message(rows, sheet=sheet) or sheet_cells_message(cells, sheet=sheet)


def _sheet_name(archive: zipfile.ZipFile, part: str) -> str | None:
    """The name the user gave the sheet stored in ``part``; None when it cannot be told."""
    from core.spreadsheets import sheet_parts

    try:
        names = {path: name for name, path in sheet_parts(archive).items()}
    except Exception:  # noqa: BLE001 - only for the message: "Een werkblad" then
        return None
    return names.get(part)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


SPREADSHEETS = frozenset({".xlsx", ".csv"})
XLSX_ONLY = frozenset({".xlsx"})


def inspect_upload(
    upload: IO[bytes], *, extensions: frozenset[str] = SPREADSHEETS, name: str | None = None
) -> UploadInfo:
    """Raise UploadRejected (a ValidationError with a Dutch message) for a file to refuse."""
    name = name or getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower()
    if extension in {".xlsm", ".xltm", ".xlsb", ".xls"}:
        raise _reject(
            "Bestanden met macro's of in het oude Excel-formaat worden niet aanvaard; "
            "sla het bestand op als .xlsx."
        )
    if extension not in extensions:
        if ".csv" in extensions:
            raise _reject("Alleen Excel-bestanden (.xlsx) en CSV-bestanden (.csv) worden aanvaard.")
        raise _reject("Alleen Excel-bestanden (.xlsx) worden aanvaard.")
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if size > limit:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise _reject(
            f"Het bestand is te groot ({megabytes} MB); het maximum is {settings.MAX_UPLOAD_MB} MB."
        )
    if size == 0:
        raise _reject("Het bestand is leeg.")
    if extension == ".csv":
        return UploadInfo(extension, size, _inspect_csv(upload))
    return UploadInfo(extension, size, _inspect_xlsx(upload))


def _inspect_csv(upload: IO[bytes]) -> int:
    head = upload.read(64 * 1024)
    if b"\x00" in head:
        raise _reject("Dit CSV-bestand bevat geen tekst.")
    upload.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: upload.read(1024 * 1024), b""))
    upload.seek(0)
    # Lines, not rows: a quoted cell may span lines. The reader counts real rows again.
    check_sheet_rows(max(lines - 1, 0), sheet="CSV")
    return max(lines - 1, 0)


def _inspect_xlsx(upload: IO[bytes]) -> int | None:
    if not zipfile.is_zipfile(upload):
        raise _reject("Dit is geen geldig Excel-bestand (.xlsx).")
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError):
        raise _reject("Dit is geen geldig Excel-bestand (.xlsx).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _reject(
                f"Het bestand bevat te veel onderdelen ({len(infos)}); "
                f"het maximum is {MAX_ENTRIES}."
            )
        total = sum(info.file_size for info in infos)
        limit = settings.MAX_UNCOMPRESSED_MB
        if total > limit * 1024 * 1024:
            megabytes = _thousands(round(total / 1024 / 1024))
            raise _reject(
                f"Het bestand pakt uit tot {megabytes} MB; het maximum is {limit} MB uitgepakt."
            )
        names = {info.filename.lower() for info in infos}
        if "xl/workbook.xml" not in names:
            raise _reject("Dit is geen geldig Excel-bestand (.xlsx): het werkboek ontbreekt.")
        for info in infos:
            lowered = info.filename.lower()
            if info.flag_bits & 0x1:
                raise _reject("Versleutelde bestanden worden niet aanvaard.")
            if lowered.endswith("vbaproject.bin") or lowered.endswith(".bin") and "vba" in lowered:
                raise _reject("Bestanden met macro's worden niet aanvaard.")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _reject(
                    "Het bestand pakt uit tot een verdacht grote omvang (een onderdeel wordt "
                    f"meer dan {MAX_RATIO} keer zo groot) en wordt geweigerd."
                )
        rows = None
        for info in infos:
            lowered = info.filename.lower()
            if not (lowered.endswith(".xml") or lowered.endswith(".rels")):
                continue
            try:
                with archive.open(info) as part:
                    prolog = part.read(PROLOG_BYTES)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError):
                raise _reject("Dit is geen geldig Excel-bestand (.xlsx).") from None
            upper = prolog.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise _reject(
                    "Het bestand bevat XML-constructies (DTD/entiteiten) die niet zijn toegestaan."
                )
            if lowered == "[content_types].xml" and b"macroenabled" in prolog.lower():
                raise _reject("Bestanden met macro's worden niet aanvaard.")
            if lowered.startswith("xl/worksheets/"):
                match = _DIMENSION.search(prolog)
                if match:
                    first_col, first_row, last_col, last_row = match.groups()
                    last_col, last_row = last_col or first_col, int(last_row or first_row)
                    width = abs(_column_number(last_col) - _column_number(first_col)) + 1
                    height = abs(last_row - int(first_row)) + 1
                    if _too_large(last_row - 1, width * height, None):
                        name = _sheet_name(archive, info.filename)
                        raise _reject(_too_large(last_row - 1, width * height, name) or "")
                    rows = max(rows or 0, last_row - 1)
        if "[content_types].xml" in names:
            content_types = archive.getinfo(
                next(i.filename for i in infos if i.filename.lower() == "[content_types].xml")
            )
            small = content_types.file_size < 1024 * 1024
            if small and b"macroenabled" in archive.read(content_types).lower():
                raise _reject("Bestanden met macro's worden niet aanvaard.")
    upload.seek(0)
    return rows

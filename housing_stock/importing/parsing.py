"""Reading stock uploads into typed rows. The one module that knows the file layouts.

Unit-level lists (one row per dwelling) are read with python-calamine (fast, Rust); the small
aggregate template is read with openpyxl (which parses through defusedxml) because it must see
formulas. Calamine returns only cached values, so formulas in a unit list are found by a
streaming scan of the worksheet XML. Every problem becomes a CellError with sheet, row and
column, in Dutch; the caller decides that any error means nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings

from core.bounds import Quantity, bound_problem, is_finite
from core.numbers import parse_dutch_decimal
from core.spreadsheets import nonnumeric_number_cells, sheet_parts
from core.uploads import sheet_cells_message, sheet_rows_message
from housing_stock.domain import (
    TABLE_SHAPES,
    BatClass,
    ConditionScore,
    DwellingType,
    StockTable,
    normalise_label,
)

# --- errors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        return describe_error(self.as_dict())


def describe_error(error: dict[str, Any]) -> str:
    """'Blad Voorraad, rij 14, kolom Huurprijs: 'abc' is geen bedrag'."""
    parts = []
    if error.get("sheet"):
        parts.append(f"Blad {error['sheet']}")
    if error.get("row"):
        parts.append(f"rij {error['row']}")
    if error.get("column"):
        parts.append(f"kolom {error['column']}")
    where = ", ".join(parts)
    return f"{where}: {error['message']}" if where else error["message"]


# --- unit-level lists ----------------------------------------------------------------------

UNITS_SHEET = "Woningen"


@dataclass(frozen=True)
class UnitColumn:
    key: str
    header: str
    required: bool


UNIT_COLUMNS = [
    UnitColumn("complex", "Complex", False),
    UnitColumn("dwelling_id", "Woning-ID of adres", True),
    UnitColumn("dwelling_type", "Woningtype", True),
    UnitColumn("rent", "Netto huur", True),
    UnitColumn("energy_label", "Energielabel", False),
    UnitColumn("bat_class", "BAT-klasse", False),
    UnitColumn("nultreden", "Nultreden", False),
    UnitColumn("condition", "Conditiescore", False),
]
_HEADER_ALIASES = {
    "woning-id": "dwelling_id",
    "woningid": "dwelling_id",
    "adres": "dwelling_id",
    "id": "dwelling_id",
    "huur": "rent",
    "netto huur": "rent",
    "nettohuur": "rent",
    "huurprijs": "rent",
    "label": "energy_label",
    "bat": "bat_class",
    "bat klasse": "bat_class",
    "conditie": "condition",
}


@dataclass(frozen=True, slots=True)
class UnitRow:
    row: int
    complex: str
    dwelling_id: str
    dwelling_type: str
    rent: Decimal
    energy_label: str | None
    bat_class: str | None
    nultreden: bool | None
    condition: str | None


def _norm(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


_DWELLING_TYPES = {_norm(label): key for key, label in DwellingType.choices} | {
    _norm(key): key for key in DwellingType.values
}
_DWELLING_TYPES |= {
    "grondgebonden =1": DwellingType.GRONDGEBONDEN_1,
    "grondgebonden >1": DwellingType.GRONDGEBONDEN_MEER,
    "grondgebonden >1 kamer": DwellingType.GRONDGEBONDEN_MEER,
}
_BAT_VALUES = frozenset(BatClass.values)
_CONDITION_VALUES = frozenset(ConditionScore.values)
_YES = {"ja", "j", "yes", "y", "1", "true", "waar"}
_NO = {"nee", "n", "no", "0", "false", "onwaar"}
_MONEY = re.compile(
    r"^(?:€\s*)?-?\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?$|^(?:€\s*)?-?\d+(?:[.,]\d{1,2})?$"
)


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_CENT = Decimal("0.01")
_HUGE = Decimal("1e15")


def parse_money(value: Any) -> Decimal | None:
    """A monthly rent from a cell: 612.5, '612,50', '€ 1.012,50'; None if it is no amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        # An absurd amount stays as it is, for core.bounds to refuse with a message.
        return number.quantize(_CENT) if number.is_finite() and abs(number) < _HUGE else number
    text = str(value).strip().replace("\u00a0", " ")
    if not _MONEY.match(text):
        return None
    return parse_dutch_decimal(text).quantize(Decimal("0.01"))


def _whole(value: Any) -> int | None:
    """A whole number from a cell (3, 3.0, '3'); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else None


class UnitRowReader:
    """Turns raw cell rows into UnitRows and CellErrors; remembers dwellings already seen."""

    def __init__(self, sheet: str, header: list[Any], first_row: int = 1):
        self.sheet = sheet
        self.errors: list[CellError] = []
        self.positions: dict[str, int] = {}
        by_header = {_norm(c.header): c.key for c in UNIT_COLUMNS} | _HEADER_ALIASES
        for index, cell in enumerate(header):
            label = _norm(_text(cell))
            if not label:
                continue
            key = by_header.get(label)
            if key is None:
                self.errors.append(
                    CellError(
                        sheet, first_row, _text(cell), "onbekende kolom; gebruik het sjabloon"
                    )
                )
            elif key in self.positions:
                self.errors.append(
                    CellError(sheet, first_row, _text(cell), "kolom komt twee keer voor")
                )
            else:
                self.positions[key] = index
        for column in UNIT_COLUMNS:
            if column.required and column.key not in self.positions:
                self.errors.append(
                    CellError(sheet, first_row, column.header, "verplichte kolom ontbreekt")
                )
        self.headers = {c.key: c.header for c in UNIT_COLUMNS}
        self.seen: dict[str, int] = {}
        # A list repeats the same few spellings: normalise each spelling once.
        self._types: dict[str, str | None] = {}
        self._labels: dict[str, str | None] = {}

    def _cell(self, cells: list[Any], key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return "" if value is None else value

    def read(self, row_number: int, cells: list[Any]) -> UnitRow | list[CellError] | None:
        if not any(c is not None and c != "" for c in cells) and all(_text(c) == "" for c in cells):
            return None
        problems: list[CellError] = []

        def problem(key: str, message: str) -> None:
            problems.append(CellError(self.sheet, row_number, self.headers[key], message))

        dwelling_id = _text(self._cell(cells, "dwelling_id"))
        if not dwelling_id:
            problem("dwelling_id", "leeg; elke woning heeft een eigen ID of adres")
        elif dwelling_id in self.seen:
            problem(
                "dwelling_id",
                f"woning '{dwelling_id}' komt dubbel voor (ook in rij {self.seen[dwelling_id]})",
            )
        else:
            self.seen[dwelling_id] = row_number

        raw_type = _text(self._cell(cells, "dwelling_type"))
        if raw_type in self._types:
            dwelling_type = self._types[raw_type]
        else:
            dwelling_type = self._types[raw_type] = _DWELLING_TYPES.get(_norm(raw_type))
        if dwelling_type is None:
            problem(
                "dwelling_type", f"'{raw_type}' is geen bekend woningtype" if raw_type else "leeg"
            )

        raw_rent = self._cell(cells, "rent")
        rent = parse_money(raw_rent) if _text(raw_rent) != "" else None
        if rent is None:
            problem("rent", f"'{_text(raw_rent)}' is geen bedrag" if _text(raw_rent) else "leeg")
        elif rent.is_finite() and rent < 0:
            problem("rent", f"'{_text(raw_rent)}' is negatief")
        elif rent_problem := bound_problem(rent, Quantity.RENT):
            problem("rent", rent_problem)

        label = None
        raw_label = _text(self._cell(cells, "energy_label"))
        if raw_label:
            if raw_label not in self._labels:
                try:
                    self._labels[raw_label] = normalise_label(raw_label)
                except ValueError:
                    self._labels[raw_label] = None
            label = self._labels[raw_label]
            if label is None:
                problem("energy_label", f"'{raw_label}' is geen bekend energielabel")

        bat_class = None
        raw_bat = self._cell(cells, "bat_class")
        if _text(raw_bat):
            text = _text(raw_bat)
            number = _whole(text.upper().removeprefix("BAT").strip())
            if number is None or str(number) not in _BAT_VALUES:
                problem("bat_class", f"'{text}' is geen BAT-klasse (0 tot en met 4)")
            else:
                bat_class = str(number)

        nultreden = None
        raw_nultreden = self._cell(cells, "nultreden")
        if isinstance(raw_nultreden, bool):
            nultreden = raw_nultreden
        elif _text(raw_nultreden):
            text = _norm(_text(raw_nultreden))
            if text in _YES:
                nultreden = True
            elif text in _NO:
                nultreden = False
            else:
                problem("nultreden", f"'{_text(raw_nultreden)}' is geen ja of nee")

        condition = None
        raw_condition = self._cell(cells, "condition")
        if _text(raw_condition):
            number = _whole(raw_condition)
            if number is None or str(number) not in _CONDITION_VALUES:
                problem(
                    "condition", f"'{_text(raw_condition)}' is geen conditiescore (1 tot en met 6)"
                )
            else:
                condition = str(number)

        if problems:
            return problems
        return UnitRow(
            row=row_number,
            complex=_text(self._cell(cells, "complex")),
            dwelling_id=dwelling_id,
            dwelling_type=str(dwelling_type),
            rent=rent,  # type: ignore[arg-type]
            energy_label=label,
            bat_class=bat_class,
            nultreden=nultreden,
            condition=condition,
        )


Progress = Callable[[int, int | None], None]


def read_units(
    handle: IO[bytes], *, extension: str, formula_cells: set[tuple[int, int]] | None = None
) -> Iterator[UnitRow | CellError]:
    """Yield a UnitRow per dwelling, or CellErrors; a header problem stops after the header."""
    row_offset = col_offset = 0
    if extension == ".csv":
        sheet, rows = "CSV", _csv_rows(handle)
    else:
        sheet, rows, (row_offset, col_offset), cells = _calamine_rows(handle)
        # The gate checked the sheet's <dimension>; this is the range calamine really read.
        if too_many := sheet_cells_message(cells, sheet=sheet):
            yield CellError("", None, None, too_many)
            return
    try:
        header = next(rows)
    except StopIteration:
        yield CellError(sheet, None, None, "het blad is leeg")
        return
    reader = UnitRowReader(sheet, list(header), first_row=row_offset + 1)
    if reader.errors:
        yield from reader.errors
        return
    column_names = {index: UNIT_COLUMNS_BY_KEY[key] for key, index in reader.positions.items()}
    formulas_by_row: dict[int, list[str]] = {}
    for row_number, column_index in sorted(formula_cells or ()):
        name = column_names.get(column_index - col_offset, _column_letter(column_index))
        formulas_by_row.setdefault(row_number, []).append(name)
    row_limit = settings.MAX_SHEET_ROWS
    for offset, cells in enumerate(rows):
        if offset >= row_limit:
            # Also when the <dimension> lied or was missing: stop reading, import nothing.
            message = sheet_rows_message(offset + 1, sheet=sheet, counted=False)
            yield CellError("", None, None, message or "")
            return
        row_number = offset + 2 + row_offset
        result = reader.read(row_number, list(cells))
        formula_columns = formulas_by_row.pop(row_number, None)
        if formula_columns:
            # A formula cell is reported as such, not as whatever its cached value looks like.
            for name in formula_columns:
                yield CellError(
                    sheet, row_number, name, "bevat een formule; vul hier de waarde zelf in"
                )
            if isinstance(result, list):
                result = [e for e in result if e.column not in formula_columns]
        if result is None:
            continue
        if isinstance(result, list):
            yield from result
        else:
            yield result
    # Calamine leaves out trailing rows whose formulas have no cached value.
    for row_number, names in formulas_by_row.items():
        for name in names:
            yield CellError(
                sheet, row_number, name, "bevat een formule; vul hier de waarde zelf in"
            )


UNIT_COLUMNS_BY_KEY = {c.key: c.header for c in UNIT_COLUMNS}


def _csv_rows(handle: IO[bytes]) -> Iterator[list[str]]:
    raw = handle.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _calamine_rows(
    handle: IO[bytes],
) -> tuple[str, Iterator[list[Any]], tuple[int, int], int]:
    """Rows of the units sheet, the (row, column) where calamine's used range starts, and the
    number of cells in that range.

    Calamine skips leading empty rows and columns, so row numbers shown to the user and
    formula positions are shifted by that start.
    """
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(handle)
    names = workbook.sheet_names
    name = next((n for n in names if _norm(n) == _norm(UNITS_SHEET)), names[0])
    sheet = workbook.get_sheet_by_name(name)
    start = sheet.start or (0, 0)
    return name, iter(sheet.iter_rows()), (start[0], start[1]), sheet.height * sheet.width


# --- formulas (calamine sees only cached values) -------------------------------------------

_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def formula_cells(handle: IO[bytes], sheet: str | None = None) -> set[tuple[int, int]]:
    """(row, column index) of every formula cell in the sheet, by streaming its XML."""
    found: set[tuple[int, int]] = set()
    with zipfile.ZipFile(handle) as archive:
        parts = sheet_parts(archive)
        name = next((n for n in parts if sheet and _norm(n) == _norm(sheet)), next(iter(parts)))
        with archive.open(parts[name]) as part:
            tail = b""
            while chunk := part.read(1024 * 1024):
                buffer = tail + chunk
                if b"<f" in buffer or b":f" in buffer:
                    for match in _FORMULA.finditer(buffer):
                        found.add((int(match.group(2)), _column_index(match.group(1).decode())))
                # A match split over two chunks is found in the overlap; the set dedupes.
                tail = buffer[-4096:]
    handle.seek(0)
    return found


# --- the aggregate template ----------------------------------------------------------------


@dataclass(frozen=True)
class AggregateSheet:
    table: str
    title: str
    row_header: str
    # (row key, label) in template order; columns come from TABLE_SHAPES
    rows: list[tuple[str, str]]
    cols: list[tuple[str, str]]


def aggregate_sheets() -> list[AggregateSheet]:
    def rows(table: str) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in TABLE_SHAPES[table].rows.items()]

    def cols(table: str) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in TABLE_SHAPES[table].cols.items()]

    return [
        AggregateSheet(
            StockTable.TYPE_RENT,
            "Voorraad",
            "Woningtype",
            rows(StockTable.TYPE_RENT),
            cols(StockTable.TYPE_RENT),
        ),
        AggregateSheet(
            StockTable.ENERGY_LABEL,
            "Energielabels",
            "Energielabel",
            rows(StockTable.ENERGY_LABEL),
            cols(StockTable.ENERGY_LABEL),
        ),
        AggregateSheet(
            StockTable.BAT,
            "Toegankelijkheid",
            "BAT-klasse",
            rows(StockTable.BAT),
            cols(StockTable.BAT),
        ),
        AggregateSheet(
            StockTable.NULTREDEN,
            "Nultreden",
            "Omschrijving",
            rows(StockTable.NULTREDEN),
            cols(StockTable.NULTREDEN),
        ),
        AggregateSheet(
            StockTable.CONDITION,
            "Conditie",
            "Conditiescore (NEN 2767)",
            rows(StockTable.CONDITION),
            cols(StockTable.CONDITION),
        ),
    ]


INSTRUCTIONS_SHEET = "Toelichting"


def read_aggregate(
    handle: IO[bytes],
) -> tuple[dict[str, dict[str, dict[str, int]]], list[CellError]]:
    """Tables from the aggregate template; a sheet left completely empty is not imported."""
    from openpyxl import load_workbook

    # A number cell holding NaN, Infinity or text stops openpyxl mid-sheet: name it first.
    sheets = {s.title: s for s in aggregate_sheets()}

    def column_name(sheet: str, letters: str) -> str:
        # The template's columns: B is the first count column; a label says more than "B".
        spec, index = sheets.get(sheet), _column_index(letters)
        if spec is not None and 1 <= index <= len(spec.cols):
            return spec.cols[index - 1][1]
        return letters

    unreadable = [
        CellError(
            sheet,
            row,
            column_name(sheet, column),
            bound_problem(raw, Quantity.DWELLINGS) or f"'{raw}' is geen getal",
        )
        for sheet, row, column, raw in nonnumeric_number_cells(handle)
    ]
    if unreadable:
        return {}, unreadable
    workbook = load_workbook(handle, read_only=True, data_only=False)
    tables: dict[str, dict[str, dict[str, int]]] = {}
    errors: list[CellError] = []
    try:
        for name in workbook.sheetnames:
            if name == INSTRUCTIONS_SHEET:
                continue
            spec = sheets.get(name)
            if spec is None:
                errors.append(CellError(name, None, None, "onbekend blad; gebruik het sjabloon"))
                continue
            table, sheet_errors = _read_aggregate_sheet(workbook[name], spec)
            errors.extend(sheet_errors)
            if table:
                tables[spec.table] = table
    finally:
        workbook.close()
    if not tables and not errors:
        errors.append(CellError("", None, None, "het bestand bevat geen ingevulde tabellen"))
    return tables, errors


def _read_aggregate_sheet(worksheet, spec: AggregateSheet) -> tuple[dict, list[CellError]]:
    errors: list[CellError] = []
    rows = []
    # read_only openpyxl trusts the sheet's <dimension> and silently stops where it says;
    # forget it, so every row is read (and the row limit below decides).
    worksheet.reset_dimensions()
    for row in worksheet.iter_rows():
        if len(rows) > settings.MAX_SHEET_ROWS:
            # openpyxl streams the sheet: stop at the limit, whatever <dimension> claimed.
            message = sheet_rows_message(len(rows), sheet=worksheet.title, counted=False)
            return {}, [CellError("", None, None, message or "")]
        rows.append(row)
    if not rows:
        return {}, []
    header = [c.value for c in rows[0]]
    col_by_label = {_norm(label): key for key, label in spec.cols}
    positions: dict[int, tuple[str, str]] = {}
    for index, value in enumerate(header[1:], start=1):
        if value is None or _text(value) == "":
            continue
        key = col_by_label.get(_norm(_text(value)))
        if key is None:
            errors.append(CellError(spec.title, 1, _text(value), "onbekende kolom"))
        else:
            positions[index] = (key, _text(value))
    row_by_label = {_norm(label): key for key, label in spec.rows}
    row_by_label |= {_norm(key): key for key, _label in spec.rows}
    table: dict[str, dict[str, int]] = {}
    empties: list[CellError] = []
    filled = False
    for row_number, cells in enumerate(rows[1:], start=2):
        label_cell = cells[0].value if cells else None
        values = cells[1:]
        if _text(label_cell) == "" and all(c.value in (None, "") for c in values):
            continue
        row_key = row_by_label.get(_norm(_text(label_cell)))
        if row_key is None:
            errors.append(
                CellError(
                    spec.title,
                    row_number,
                    spec.row_header,
                    f"'{_text(label_cell)}' is geen bekende rij",
                )
            )
            continue
        if row_key in table:
            errors.append(
                CellError(spec.title, row_number, spec.row_header, "rij komt twee keer voor")
            )
            continue
        table[row_key] = {}
        for index, (col_key, col_label) in positions.items():
            cell = cells[index] if index < len(cells) else None
            value = cell.value if cell is not None else None
            if cell is not None and cell.data_type == "f":
                errors.append(
                    CellError(
                        spec.title,
                        row_number,
                        col_label,
                        "bevat een formule; vul het aantal zelf in",
                    )
                )
                filled = True
                continue
            if value is None or value == "":
                empties.append(
                    CellError(
                        spec.title,
                        row_number,
                        col_label,
                        "leeg; vul 0 in als er geen woningen zijn",
                    )
                )
                continue
            filled = True
            number = _whole(value) if is_finite(value) else None
            if not is_finite(value):
                problem = bound_problem(value, Quantity.DWELLINGS)
                errors.append(CellError(spec.title, row_number, col_label, problem))
            elif number is None:
                errors.append(
                    CellError(
                        spec.title, row_number, col_label, f"'{_text(value)}' is geen geheel aantal"
                    )
                )
            elif number < 0:
                errors.append(
                    CellError(spec.title, row_number, col_label, f"'{_text(value)}' is negatief")
                )
            elif problem := bound_problem(number, Quantity.DWELLINGS):
                errors.append(CellError(spec.title, row_number, col_label, problem))
            else:
                table[row_key][col_key] = number
    if not filled and not errors:
        return {}, []
    return table, errors + empties


__all__ = [
    "CellError",
    "UnitRow",
    "describe_error",
    "formula_cells",
    "parse_money",
    "read_aggregate",
    "read_units",
]

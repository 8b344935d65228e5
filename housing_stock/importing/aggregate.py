"""From an uploaded file to snapshot tables: parse, validate, classify rents, count.

No database writes happen here; services.py writes the outcome in one transaction.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any

from core.bounds import Quantity, bound_problem
from housing_stock.domain import (
    NULTREDEN_NO,
    NULTREDEN_YES,
    TABLE_SHAPES,
    MissingBoundaryError,
    RentBoundaries,
    StockTable,
    classify_rent,
)
from housing_stock.importing.parsing import (
    UNITS_SHEET,
    CellError,
    UnitRow,
    aggregate_sheets,
    formula_cells,
    read_aggregate,
    read_units,
)

PROGRESS_EVERY = 5000
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportOutcome:
    tables: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0

    @classmethod
    def failure(cls, message: str, sheet: str = "") -> ImportOutcome:
        return cls(errors=[CellError(sheet, None, None, message).as_dict()])


def _empty(table: str) -> dict[str, dict[str, int]]:
    shape = TABLE_SHAPES[table]
    return {row: dict.fromkeys(shape.cols, 0) for row in shape.rows}


class UnitCounter:
    """Counts dwellings into the snapshot tables."""

    def __init__(self, reference: RentBoundaries):
        self.reference = reference
        self.type_rent: Counter[tuple[str, str]] = Counter()
        self.labels: Counter[str] = Counter()
        self.bat: Counter[str] = Counter()
        self.nultreden: Counter[bool] = Counter()
        self.condition: Counter[str] = Counter()

    def add(self, unit: UnitRow) -> None:
        rent_class = classify_rent(unit.rent, self.reference)
        self.type_rent[(unit.dwelling_type, rent_class)] += 1
        if unit.energy_label is not None:
            self.labels[unit.energy_label] += 1
        if unit.bat_class is not None:
            self.bat[unit.bat_class] += 1
        if unit.nultreden is not None:
            self.nultreden[unit.nultreden] += 1
        if unit.condition is not None:
            self.condition[unit.condition] += 1

    def tables(self) -> dict[str, dict[str, dict[str, int]]]:
        tables = {StockTable.TYPE_RENT.value: _empty(StockTable.TYPE_RENT)}
        for (dwelling_type, rent_class), n in self.type_rent.items():
            tables[StockTable.TYPE_RENT][dwelling_type][rent_class] = n
        # A table is only part of the snapshot when the list said something about it.
        for table, counter in [
            (StockTable.ENERGY_LABEL, self.labels),
            (StockTable.BAT, self.bat),
            (StockTable.CONDITION, self.condition),
        ]:
            if counter:
                tables[table.value] = {
                    row: {"aantal": counter.get(row, 0)} for row in TABLE_SHAPES[table].rows
                }
        if self.nultreden:
            tables[StockTable.NULTREDEN.value] = {
                NULTREDEN_YES: {"aantal": self.nultreden.get(True, 0)},
                NULTREDEN_NO: {"aantal": self.nultreden.get(False, 0)},
            }
        return tables


def import_units(
    handle: IO[bytes],
    *,
    extension: str,
    reference: RentBoundaries | None,
    peildatum_year: int,
    progress: Callable[[int, int | None], None] | None = None,
    rows_estimate: int | None = None,
) -> ImportOutcome:
    if reference is None:
        return ImportOutcome.failure(
            f"Voor {peildatum_year} zijn geen huurgrenzen vastgelegd; de huren kunnen niet "
            f"worden ingedeeld. Vraag de beheerder het referentiejaar aan te vullen."
        )
    try:
        classify_rent(Decimal(0), reference)
    except MissingBoundaryError as error:
        return ImportOutcome.failure(str(error))
    formulas: set[tuple[int, int]] = set()
    if extension == ".xlsx":
        try:
            formulas = formula_cells(handle, UNITS_SHEET)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError):
            return ImportOutcome.failure("Dit is geen geldig Excel-bestand (.xlsx).")
    counter = UnitCounter(reference)
    errors: list[dict[str, Any]] = []
    error_total = rows = 0
    for item in read_units(handle, extension=extension, formula_cells=formulas):
        if isinstance(item, CellError):
            error_total += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append(item.as_dict())
            continue
        rows += 1
        if not errors:
            counter.add(item)
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows, rows_estimate)
    if error_total > len(errors):
        errors.append(
            CellError("", None, None, f"en nog {error_total - len(errors)} fouten meer").as_dict()
        )
    if not errors and rows == 0:
        errors.append(CellError(UNITS_SHEET, None, None, "de lijst bevat geen woningen").as_dict())
    return ImportOutcome(tables={} if errors else counter.tables(), errors=errors, rows=rows)


def stock_problems(
    tables: dict[str, dict[str, dict[str, int]]], *, sheet: str | None, known_stock: Any
) -> list[dict[str, Any]]:
    """A table's dwellings together, against the national ceiling and the corporation's known
    stock (core.bounds): each cell can be plausible while the table is not."""
    titles = {s.table: s.title for s in aggregate_sheets()}
    problems = []
    for table, rows in tables.items():
        total = sum(sum(cols.values()) for cols in rows.values())
        problem = bound_problem(total, Quantity.DWELLINGS, stock=known_stock)
        if problem:
            where = sheet or titles.get(table, table)
            problems.append(CellError(where, None, None, f"samen {problem}").as_dict())
    return problems


def import_file(
    handle: IO[bytes],
    *,
    kind: str,
    name: str,
    reference: RentBoundaries | None,
    peildatum_year: int,
    progress: Callable[[int, int | None], None] | None = None,
    rows_estimate: int | None = None,
    known_stock: Decimal | None = None,
) -> ImportOutcome:
    """``known_stock``: the corporation's dwellings as the housing stock knew them before."""
    outcome = _import_file(
        handle,
        kind=kind,
        name=name,
        reference=reference,
        peildatum_year=peildatum_year,
        progress=progress,
        rows_estimate=rows_estimate,
    )
    if not outcome.errors:
        sheet = None if kind == "aggregate" else UNITS_SHEET
        outcome.errors = stock_problems(outcome.tables, sheet=sheet, known_stock=known_stock)
        if outcome.errors:
            outcome.tables = {}
    return outcome


def _import_file(
    handle: IO[bytes],
    *,
    kind: str,
    name: str,
    reference: RentBoundaries | None,
    peildatum_year: int,
    progress: Callable[[int, int | None], None] | None = None,
    rows_estimate: int | None = None,
) -> ImportOutcome:
    extension = PurePath(name).suffix.lower()
    if kind == "aggregate":
        try:
            tables, errors = read_aggregate(handle)
        except (zipfile.BadZipFile, KeyError, OSError):
            return ImportOutcome.failure("Dit is geen geldig Excel-bestand (.xlsx).")
        rows = sum(len(t) for t in tables.values())
        return ImportOutcome(
            tables={} if errors else tables, errors=[e.as_dict() for e in errors], rows=rows
        )
    return import_units(
        handle,
        extension=extension,
        reference=reference,
        peildatum_year=peildatum_year,
        progress=progress,
        rows_estimate=rows_estimate,
    )

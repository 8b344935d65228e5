"""Excel files the portal hands out: the two import templates and the exports."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import workbook_bytes
from housing_stock.domain import BatClass, ConditionScore, DwellingType, EnergyLabel
from housing_stock.importing.parsing import (
    INSTRUCTIONS_SHEET,
    UNIT_COLUMNS,
    UNITS_SHEET,
    aggregate_sheets,
)
from housing_stock.selectors import ComparisonTable, SnapshotTable

BOLD = Font(bold=True)


def _save(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def _header(sheet, values: Sequence[str]) -> None:
    sheet.append(list(values))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for index, value in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(str(value)) + 4)


def aggregate_template() -> bytes:
    """One sheet per table, Dutch labels, whole numbers >= 0 enforced by data validation."""
    workbook = Workbook()
    intro = workbook.active
    intro.title = INSTRUCTIONS_SHEET
    for line in [
        "Sjabloon woningvoorraad (totaaltabellen)",
        "Vul per blad het aantal woningen in: hele getallen van 0 of meer, geen formules.",
        "Een blad dat u helemaal leeg laat, wordt niet geïmporteerd; in een ingevuld blad "
        "moet elke cel een getal hebben (0 als er geen woningen zijn).",
        "Verander de namen van bladen, rijen en kolommen niet.",
    ]:
        intro.append([line])
    intro["A1"].font = BOLD
    intro.column_dimensions["A"].width = 100
    for spec in aggregate_sheets():
        sheet = workbook.create_sheet(spec.title)
        _header(sheet, [spec.row_header, *(label for _k, label in spec.cols)])
        sheet.column_dimensions["A"].width = 36
        for _key, label in spec.rows:
            sheet.append([label])
        last_col = get_column_letter(len(spec.cols) + 1)
        validation = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Geen geldig aantal",
            error="Vul een geheel getal van 0 of meer in.",
        )
        validation.add(f"B2:{last_col}{len(spec.rows) + 1}")
        sheet.add_data_validation(validation)
    return _save(workbook)


def _list_validation(values: Sequence[str], cells: str) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Onbekende waarde",
        error="Kies een waarde uit de lijst.",
    )
    validation.add(cells)
    return validation


def units_template() -> bytes:
    """A unit-level list: one row per dwelling; the portal classifies rents by the year's limits."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = UNITS_SHEET
    _header(sheet, [c.header for c in UNIT_COLUMNS])
    rows = "2:100000"
    first, last = rows.split(":")
    col = {c.key: get_column_letter(i) for i, c in enumerate(UNIT_COLUMNS, start=1)}

    def cells(key: str) -> str:
        return f"{col[key]}{first}:{col[key]}{last}"

    sheet.add_data_validation(
        _list_validation([str(label) for label in DwellingType.labels], cells("dwelling_type"))
    )
    sheet.add_data_validation(
        _list_validation(["A", *EnergyLabel.values[1:]], cells("energy_label"))
    )
    sheet.add_data_validation(_list_validation(BatClass.values, cells("bat_class")))
    sheet.add_data_validation(_list_validation(["ja", "nee"], cells("nultreden")))
    sheet.add_data_validation(_list_validation(ConditionScore.values, cells("condition")))
    money = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error="Vul de netto maandhuur in euro's in.",
    )
    money.add(cells("rent"))
    sheet.add_data_validation(money)
    sheet.append(
        [
            "Voorbeeldcomplex",
            "Voorbeeldstraat 1",
            str(DwellingType.GESTAPELD_MET_LIFT.label),
            612.50,
            "B",
            2,
            "ja",
            3,
        ]
    )
    return _save(workbook)


def snapshot_export(snapshot, tables: Sequence[SnapshotTable]) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = "Momentopname"
    for label, value in [
        ("Titel", snapshot.title),
        ("Corporatie", snapshot.party.name if snapshot.party else "Alle corporaties"),
        ("Gemeente", snapshot.municipality.name),
        ("Peildatum", snapshot.peildatum),
        ("Bron", snapshot.source),
    ]:
        about.append([label, value])
        about.cell(about.max_row, 1).font = BOLD
    about["B4"].number_format = "DD-MM-YYYY"
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90
    for table in tables:
        sheet = workbook.create_sheet(table.sheet_title)
        _header(sheet, [table.row_header, *table.col_labels])
        sheet.column_dimensions["A"].width = 36
        for row in table.rows:
            sheet.append([row.label, *(float(v) if v is not None else None for v in row.values)])
    return _save(workbook)


def comparison_export(title: str, tables: Sequence[ComparisonTable]) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Vergelijking"
    workbook.active.append([title])
    workbook.active["A1"].font = BOLD
    for table in tables:
        sheet = workbook.create_sheet(table.sheet_title)
        _header(sheet, [table.row_header, *(f"{d:%d-%m-%Y}" for d in table.dates)])
        sheet.column_dimensions["A"].width = 36
        for label, values in table.rows:
            sheet.append([label, *(float(v) if v is not None else None for v in values)])
    return _save(workbook)

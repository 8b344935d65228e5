"""The bid as an Excel workbook: the prefilled template and the reader of an upload.

The reader never trusts the file: the extension, size and zip directory are checked before
openpyxl opens anything (macros, zip bombs, too many parts), then every cell is validated and
reported in Dutch with sheet, row and column. It yields typed lines; writing them is the
service's job, all or nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from agreements.formatting import format_number
from agreements.models import Agreement, Party
from core.bounds import Quantity, bound_problem
from core.numbers import NUMBER_HINT, parse_dutch_decimal, parse_dutch_percentage
from core.spreadsheets import nonnumeric_number_cells, workbook_bytes
from core.uploads import XLSX_ONLY, UploadRejected, inspect_upload
from cycle.bids.plausibility import quantity_problem
from cycle.bids.selectors import corporation_stock, default_links
from cycle.bids.types import LineInput
from cycle.models import FIGURE_UNITS, CycleYear, Figure

SHEET = "Bod"
THEMES_SHEET = "Thema's"
AGREEMENTS_SHEET = "Afspraken"
KEY_ROW = 6
HEADER_ROW = 8
FIRST_ROW = 9
COLUMNS = {
    "code": "A",
    "label": "B",
    "unit": "C",
    "agreement": "D",
    "theme": "E",
    "quantity": "F",
    "explanation": "G",
}
MAX_EXPLANATION = 2000
PERCENT_FORMAT = "0.0%"
_HUGE = Decimal("1e15")


def template_key(cycle_year: CycleYear, corporation: Party) -> str:
    return f"{cycle_year.framework.slug}|{cycle_year.year}|{corporation.slug}"


def template_filename(cycle_year: CycleYear, corporation: Party) -> str:
    return f"bod-{corporation.slug}-{cycle_year.year + 1}.xlsx"


HELP_SHEET = "Uitleg"


def help_lines() -> list[str]:
    """The instructions sheet: how to type each kind of figure, and what the portal refuses."""
    return [
        _(
            "Vul op het blad Bod per kerncijfer in kolom F (Aantal) een getal in en in kolom G "
            "een korte toelichting."
        ),
        _(
            "Aantallen (woningen, labelstappen): een heel getal, bijvoorbeeld 35 of 1.250. "
            "Niet negatief, en niet meer woningen dan uw corporatie heeft."
        ),
        _(
            "Bedragen (Budget leefbaarheid, in euro's): alleen het getal, bijvoorbeeld 75000 of "
            "75.000; met komma voor centen: 1.250,50. Een €-teken mag, tekst erbij niet."
        ),
        _(
            "Percentages (Gemiddelde huurverhoging): de cel is als percentage opgemaakt. Typ 3,2 "
            "of 3,2% en Excel toont 3,2 %; het portaal leest dat als 3,2 %. Typ niet 0,032. "
            "Een percentage ligt tussen -100 en 100."
        ),
        _(
            "Kies in kolom D de afspraak uit het kader waar de regel aan bijdraagt (zie het blad "
            "Afspraken)."
        ),
        _("Geef op het blad Thema's per thema een korte toelichting."),
        _("Wijzig de codes in kolom A en de sleutel in cel B6 niet."),
        _(
            "Upload het bestand daarna in het portaal. Klopt er iets niet, dan noemt het portaal "
            "blad, rij en kolom en wordt er niets overgenomen; anders wordt het een concept dat u "
            "nog indient."
        ),
    ]


# --- writing the template -----------------------------------------------------------------


def build_template(
    *,
    cycle_year: CycleYear,
    corporation: Party,
    plan_year: int,
    lines: dict | None = None,
    notes: dict[int, str] | None = None,
) -> bytes:
    """The prefilled workbook; ``lines`` (figure -> BidLine) and ``notes`` (theme number ->
    text) fill in a draft's current values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    framework = cycle_year.framework
    agreements = list(
        Agreement.objects.filter(theme__framework=framework)
        .select_related("theme")
        .order_by("theme__number", "number")
    )
    links = default_links(framework)
    lines = lines or {}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    bold = Font(bold=True)
    sheet["A1"] = _("Bod prestatieafspraken")
    sheet["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate(
        [
            (_("Corporatie"), corporation.name),
            (_("Voor het jaar"), plan_year),
            (_("Kader"), framework.title),
            (_("Sleutel (niet wijzigen)"), template_key(cycle_year, corporation)),
        ],
        start=3,
    ):
        sheet.cell(row=row, column=1, value=label).font = bold
        sheet.cell(row=row, column=2, value=value)
    headers = [
        _("Code"),
        _("Kerncijfer"),
        _("Eenheid"),
        _("Afspraak (nummer)"),
        _("Thema"),
        _("Aantal"),
        _("Toelichting"),
    ]
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = bold
        cell.fill = fill
    for offset, figure in enumerate(Figure):
        row = FIRST_ROW + offset
        line = lines.get(figure.value)
        agreement = line.agreement if line else None
        if agreement is None and figure.value in links and not line:
            agreement = links[figure.value].agreement
        sheet[f"A{row}"] = figure.value
        sheet[f"B{row}"] = str(figure.label)
        sheet[f"C{row}"] = FIGURE_UNITS.get(figure, _("woningen") if figure in links else "")
        sheet[f"D{row}"] = agreement.code if agreement else None
        sheet[f"E{row}"] = agreement.theme.title if agreement else None
        if figure == Figure.RENT_INCREASE:
            # A percentage cell, as Excel makes one when "3,2%" is typed: it holds 0,032 and
            # shows 3,2 %; typing 3,2 into it gives 3,2 % too. The reader reads it back as 3,2.
            sheet[f"F{row}"].number_format = PERCENT_FORMAT
            if line and line.quantity is not None:
                sheet[f"F{row}"] = float(line.quantity / 100)
        elif line and line.quantity is not None:
            sheet[f"F{row}"] = float(line.quantity)
        sheet[f"G{row}"] = line.explanation if line else None
    last = FIRST_ROW + len(Figure) - 1
    if agreements:
        codes = DataValidation(
            type="list",
            formula1=f"={AGREEMENTS_SHEET}!$A$2:$A${len(agreements) + 1}",
            allow_blank=True,
        )
        codes.error = _("Kies het nummer van een afspraak uit het blad Afspraken.")
        sheet.add_data_validation(codes)
        codes.add(f"D{FIRST_ROW}:D{last}")
    # Excel's own check as the user types, the same limits as the portal's (plausibility):
    # counts from 0, the percentage cell (which holds 0,032 for 3,2 %) between -100 and 100 %.
    counts = DataValidation(type="decimal", operator="between", formula1="0", formula2="999999999")
    counts.error = _("Vul een getal vanaf 0 in, zonder tekst erbij (zie het blad Uitleg).")
    share = DataValidation(type="decimal", operator="between", formula1="-1", formula2="1")
    share.error = _("Vul een percentage tussen -100 en 100 in, bijvoorbeeld 3,2.")
    for validation in (counts, share):
        sheet.add_data_validation(validation)
    for offset, figure in enumerate(Figure):
        (share if figure == Figure.RENT_INCREASE else counts).add(f"F{FIRST_ROW + offset}")
    for column, width in zip("ABCDEFG", [18, 42, 12, 18, 36, 12, 60], strict=True):
        sheet.column_dimensions[column].width = width

    themes_sheet = workbook.create_sheet(THEMES_SHEET)
    for column, header in enumerate([_("Nummer"), _("Thema"), _("Toelichting")], start=1):
        themes_sheet.cell(row=1, column=column, value=header).font = bold
    notes = notes or {}
    for row, theme in enumerate(framework.themes.order_by("number"), start=2):
        themes_sheet.cell(row=row, column=1, value=theme.number)
        themes_sheet.cell(row=row, column=2, value=theme.title)
        themes_sheet.cell(row=row, column=3, value=notes.get(theme.number) or None)
    themes_sheet.column_dimensions["B"].width = 40
    themes_sheet.column_dimensions["C"].width = 80

    reference = workbook.create_sheet(AGREEMENTS_SHEET)
    for column, header in enumerate([_("Nummer"), _("Thema"), _("Afspraak")], start=1):
        reference.cell(row=1, column=column, value=header).font = bold
    for row, agreement in enumerate(agreements, start=2):
        reference.cell(row=row, column=1, value=agreement.code)
        reference.cell(
            row=row, column=2, value=f"{agreement.theme.number}. {agreement.theme.title}"
        )
        reference.cell(row=row, column=3, value=agreement.title)
    reference.column_dimensions["B"].width = 40
    reference.column_dimensions["C"].width = 60

    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    help_sheet["A1"] = _("Zo vult u het sjabloon in")
    help_sheet["A1"].font = Font(bold=True, size=14)
    for row, text in enumerate(help_lines(), start=3):
        help_sheet.cell(row=row, column=1, value=text)
    # Where the figures are typed, the header says it too.
    sheet.cell(row=HEADER_ROW - 1, column=6, value=_("Zie blad Uitleg: aantallen, € en %"))

    # Text from the database never becomes a formula (formula injection): core.spreadsheets.
    return workbook_bytes(workbook)


# --- reading an upload --------------------------------------------------------------------


@dataclass
class ReadResult:
    lines: dict[str, LineInput] = field(default_factory=dict)
    theme_notes: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _where(row: int, column: str) -> str:
    return _("Blad '%(sheet)s', rij %(row)s, kolom %(column)s") % {
        "sheet": SHEET,
        "row": row,
        "column": column,
    }


def check_container(data: bytes | IO[bytes], filename: str) -> list[str]:
    """Refuse what is not a plain .xlsx before any XML is parsed (the shared upload gate):
    the bytes, or the uploaded file itself (so that a file over the limit is told its size)."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        inspect_upload(source, extensions=XLSX_ONLY, name=filename)
    except UploadRejected as rejected:
        return list(rejected.messages)
    return []


def _is_percentage(value: Any, number_format: str) -> bool:
    """A cell Excel shows as a percentage (format "0.0%", as when "3,2%" is typed), or text
    written with a per cent sign."""
    if isinstance(value, str):
        return value.strip().endswith("%")
    return isinstance(value, int | float) and _percent_format(number_format)


def _percent_format(number_format: str | None) -> bool:
    """Whether Excel multiplies by 100 to show the cell: a % outside quotes ("0.0%"), not a
    literal one (0.0" %" or 0.0\\%, which show the number as it is)."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def _parse_quantity(value: Any, number_format: str = "General") -> Decimal | None:
    """The cell's number as the user sees it: a percentage cell holding 0,032 is 3,2."""
    if isinstance(value, str):
        number = parse_dutch_percentage(value)
    else:
        number = parse_dutch_decimal(value)
        if number is not None and _is_percentage(value, number_format):
            number *= 100
    if number is None or abs(number) >= _HUGE:
        return number  # an absurd number is left for core.bounds to refuse by name
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _shown(value: Any, number_format: str) -> str:
    """A cell as Excel shows it, for messages: 0,032 in a percentage cell is 3,2%."""
    if isinstance(value, int | float) and _percent_format(number_format):
        return f"{format_number(Decimal(str(value)) * 100)}%"
    return str(value)


def read_bid_workbook(
    data: bytes, *, filename: str, cycle_year: CycleYear, corporation: Party
) -> ReadResult:
    result = ReadResult()
    result.errors = check_container(data, filename)
    if result.errors:
        return result
    from openpyxl import load_workbook

    # A number cell holding NaN, Infinity or text stops openpyxl mid-sheet: name it first.
    try:
        unreadable = nonnumeric_number_cells(io.BytesIO(data), [SHEET, THEMES_SHEET])
    except Exception:  # noqa: BLE001 - a broken workbook is told so just below
        unreadable = []
    for sheet, row, column, raw in unreadable:
        result.errors.append(
            _("%(where)s: %(problem)s")
            % {
                "where": _("Blad '%(sheet)s', rij %(row)s, kolom %(column)s")
                % {"sheet": sheet, "row": row, "column": column},
                "problem": bound_problem(raw, Quantity.NUMBER),
            }
        )
    if result.errors:
        return result
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure is the same message to the user
        result.errors.append(_("Het bestand is geen geldig Excel-bestand (.xlsx)."))
        return result
    try:
        if SHEET not in workbook.sheetnames:
            result.errors.append(_("Blad '%(sheet)s' ontbreekt.") % {"sheet": SHEET})
            return result
        # Cells, not just values: a percentage is known by its number format. openpyxl parses
        # the sheet while iterating, so broken XML (a NUL byte, a bad token) surfaces here.
        rows = [
            [(c.value, getattr(c, "number_format", "General")) for c in cells]
            for cells in workbook[SHEET].iter_rows(min_row=1, max_row=FIRST_ROW + 40, max_col=7)
        ]
        theme_rows = []
        if THEMES_SHEET in workbook.sheetnames:
            theme_rows = list(
                workbook[THEMES_SHEET].iter_rows(min_row=2, max_row=60, max_col=3, values_only=True)
            )
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot read: the same message
        result.errors.append(_("Het bestand is geen geldig Excel-bestand (.xlsx)."))
        return result
    finally:
        workbook.close()

    def styled(row: int, column: str) -> tuple[Any, str]:
        index = ord(column) - ord("A")
        if row - 1 >= len(rows) or index >= len(rows[row - 1]):
            return None, "General"
        return rows[row - 1][index]

    def cell(row: int, column: str) -> Any:
        return styled(row, column)[0]

    stock = corporation_stock(corporation)

    key = template_key(cycle_year, corporation)
    if str(cell(KEY_ROW, "B") or "").strip() != key:
        result.errors.append(
            _(
                "%(where)s: dit sjabloon hoort bij een ander bod of jaar. "
                "Download het sjabloon voor %(corporation)s opnieuw."
            )
            % {"where": _where(KEY_ROW, "B"), "corporation": corporation.name}
        )
        return result

    agreements = {
        a.code: a
        for a in Agreement.objects.filter(theme__framework=cycle_year.framework).select_related(
            "theme"
        )
    }
    seen: dict[str, int] = {}
    row = FIRST_ROW
    while row < FIRST_ROW + 40:
        code = cell(row, "A")
        if code is None or not str(code).strip():
            row += 1
            continue
        code = str(code).strip().lower()
        if code not in Figure.values:
            result.errors.append(
                _("%(where)s: onbekend kerncijfer '%(code)s'.")
                % {"where": _where(row, "A"), "code": code}
            )
            row += 1
            continue
        if code in seen:
            result.errors.append(
                _("%(where)s: kerncijfer '%(code)s' staat ook al in rij %(other)s.")
                % {"where": _where(row, "A"), "code": code, "other": seen[code]}
            )
            row += 1
            continue
        seen[code] = row
        raw, number_format = styled(row, "F")
        quantity = None
        if _is_percentage(raw, number_format) and code != Figure.RENT_INCREASE:
            result.errors.append(
                _(
                    "%(where)s (Aantal): '%(value)s' is een percentage; vul bij dit kerncijfer "
                    "een aantal in."
                )
                % {"where": _where(row, "F"), "value": _shown(raw, number_format)}
            )
        else:
            try:
                quantity = _parse_quantity(raw, number_format)
            except (InvalidOperation, ValueError):
                result.errors.append(
                    _("%(where)s (Aantal): '%(value)s' is geen getal. %(hint)s")
                    % {"where": _where(row, "F"), "value": raw, "hint": NUMBER_HINT}
                )
            else:
                problem = quantity_problem(code, quantity, stock=stock)
                if problem:
                    result.errors.append(
                        _("%(where)s (Aantal): %(problem)s")
                        % {"where": _where(row, "F"), "problem": problem}
                    )
        agreement = None
        agreement_code = cell(row, "D")
        if agreement_code not in (None, ""):
            agreement_code = str(agreement_code).strip()
            if isinstance(cell(row, "D"), float):
                agreement_code = f"{cell(row, 'D'):g}"
            agreement = agreements.get(agreement_code)
            if agreement is None:
                result.errors.append(
                    _("%(where)s (Afspraak): afspraak '%(code)s' bestaat niet in het kader.")
                    % {"where": _where(row, "D"), "code": agreement_code}
                )
        explanation = cell(row, "G")
        explanation = "" if explanation is None else str(explanation)
        if len(explanation) > MAX_EXPLANATION:
            result.errors.append(
                _("%(where)s (Toelichting): de toelichting is langer dan %(max)s tekens.")
                % {"where": _where(row, "G"), "max": MAX_EXPLANATION}
            )
        result.lines[code] = LineInput(
            quantity=quantity, explanation=explanation, agreement=agreement
        )
        row += 1
    for figure in Figure:
        if figure.value not in seen:
            result.errors.append(
                _("Blad '%(sheet)s': de regel voor '%(label)s' (code %(code)s) ontbreekt.")
                % {"sheet": SHEET, "label": figure.label, "code": figure.value}
            )
    _read_theme_notes(theme_rows, cycle_year, result)
    if result.errors:
        result.lines = {}
        result.theme_notes = {}
    return result


def _read_theme_notes(rows: list, cycle_year: CycleYear, result: ReadResult) -> None:
    numbers = set(cycle_year.framework.themes.values_list("number", flat=True))
    where = _("Blad '%(sheet)s', rij %(row)s, kolom %(column)s")
    for index, values in enumerate(rows, start=2):
        number, _title, text = (list(values) + [None, None, None])[:3]
        if number in (None, "") and text in (None, ""):
            continue
        place_a = where % {"sheet": THEMES_SHEET, "row": index, "column": "A"}
        try:
            number = int(str(number).strip())
        except ValueError:
            result.errors.append(
                _("%(where)s (Nummer): '%(value)s' is geen themanummer.")
                % {"where": place_a, "value": number}
            )
            continue
        if number not in numbers:
            result.errors.append(
                _("%(where)s (Nummer): thema %(number)s bestaat niet in het kader.")
                % {"where": place_a, "number": number}
            )
            continue
        text = "" if text is None else str(text)
        if len(text) > MAX_EXPLANATION:
            result.errors.append(
                _("%(where)s (Toelichting): de toelichting is langer dan %(max)s tekens.")
                % {
                    "where": where % {"sheet": THEMES_SHEET, "row": index, "column": "C"},
                    "max": MAX_EXPLANATION,
                }
            )
            continue
        result.theme_notes[number] = text

"""The jaarschijf as an .xlsx workbook: one sheet of contributions, one of target totals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.spreadsheets import workbook_bytes


def build_workbook(*, jaarschijf, page, framework, totals) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Bijdragen")
    sheet.append([_("Jaarschijf %(year)s") % {"year": jaarschijf.plan_year}, framework.title])
    sheet.append([_("Status"), jaarschijf.get_state_display()])
    if jaarschijf.is_demo:
        sheet.append([_("Demogegevens: gegenereerd, niet uit het brondocument.")])
    sheet.append([])
    header = [
        _("Thema"),
        _("Afspraak"),
        _("Partij"),
        _("Wat de partij doet"),
        _("Aantal"),
        _("Eenheid"),
        _("Gepland"),
        _("Doel"),
        _("Afgerond"),
        _("Versie"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=sheet.max_row + 1, column=1)
    rows = [
        (f"{b.theme.number}. {b.theme.title}", a.agreement, c)
        for b in page.themes
        for a in b.agreements
        for c in a.contributions
    ] + [("", None, c) for c in page.unlinked]
    for theme, agreement, c in rows:
        sheet.append(
            [
                theme,
                f"{agreement.theme.number}.{agreement.number} {agreement.title}"
                if agreement
                else "",
                c.party.name,
                c.text,
                float(c.quantity) if c.quantity is not None else None,
                c.unit,
                c.get_planned_quarter_display() if c.planned_quarter else "",
                c.target.label if c.target else "",
                _("ja") if c.done else _("nee"),
                c.version,
            ]
        )
    for index, width in enumerate([22, 30, 26, 60, 10, 12, 14, 30, 9, 7], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    totals_sheet = workbook.create_sheet(_("Totalen"))
    totals_sheet.append([_("Doel"), _("Gepland"), _("Doel kader"), _("Eenheid"), _("Doeljaar")])
    for cell in totals_sheet[1]:
        cell.font = Font(bold=True)
    for total in totals:
        target = total.target
        totals_sheet.append(
            [
                target.label,
                float(total.planned),
                float(target.value) if target.value is not None else None,
                target.unit,
                target.target_year,
            ]
        )
    totals_sheet.column_dimensions["A"].width = 50
    return workbook_bytes(workbook)

"""The hostile-input catalogue: every file is built here at test time from a valid base.

A case names its kind (structural, numeric, textual, size), the uploads it goes through
("voorraad": the stock import's per-dwelling list, "totalen": its aggregate template, "bod":
the bid upload) and, per upload, what the portal must answer: accepted with N rows, or refused
with a Dutch message containing a given fragment. Builders take the valid base file of that
upload (bytes of a filled workbook) and return (content, filename).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook

from tests.housing_stock.files import HEADER, aggregate_xlsx, rewrite_zip, unit_row, units_xlsx

SHEET_PART = "xl/worksheets/sheet1.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>
</worksheet>"""


@dataclass(frozen=True)
class Expect:
    accepted: bool
    rows: int = 0  # dwellings (voorraad), filled tables (totalen) or bid lines (bod) taken in
    message: str = ""  # a fragment of the Dutch refusal


def accepted(rows: int) -> Expect:
    return Expect(True, rows)


def refused(message: str) -> Expect:
    return Expect(False, 0, message)


Builder = Callable[[bytes], tuple[bytes, str]]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    build: Builder
    expect: dict[str, Expect]
    settings: dict[str, int] = field(default_factory=dict)
    note: str = ""


# --- helpers -------------------------------------------------------------------------------


def _xlsx(name: str = "bestand.xlsx") -> Callable[[bytes], tuple[bytes, str]]:
    return lambda content: (content, name)


def _edit_workbook(content: bytes, edit: Callable) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replace_in_part(content: bytes, part: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    data = source.read(part)
    assert old in data, f"{old!r} not in {part}"
    return rewrite_zip(content, replace={part: data.replace(old, new)})


def _encrypted_flag(content: bytes) -> bytes:
    """Set the 'encrypted' bit in every local and central header (what a zip tool marks)."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (index := data.find(signature, start)) != -1:
            (flags,) = struct.unpack_from("<H", data, index + offset)
            struct.pack_into("<H", data, index + offset, flags | 0x1)
            start = index + 4
    return bytes(data)


def _set_dimension(content: bytes, ref: bytes | None) -> bytes:
    """Replace (or with None remove) the first sheet's <dimension>."""
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read(SHEET_PART)
    start = xml.index(b"<dimension")
    end = xml.index(b"/>", start) + 2
    new = b"" if ref is None else b'<dimension ref="' + ref + b'"/>'
    return rewrite_zip(content, replace={SHEET_PART: xml[:start] + new + xml[end:]})


# --- the stock import's per-dwelling list ----------------------------------------------------


def units(rows: list[list], header: list | None = None, sheet: str = "Woningen") -> bytes:
    return units_xlsx(rows, header=header or HEADER, sheet=sheet)


def _units(*rows: list, header: list | None = None, sheet: str = "Woningen") -> Builder:
    return lambda _base: (units(list(rows), header=header, sheet=sheet), "woningen.xlsx")


def _csv(text: str | bytes, encoding: str = "utf-8") -> Builder:
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return lambda _base: (data, "woningen.csv")


CSV_HEADER = ";".join(HEADER)


def _csv_rows(*rows: list) -> str:
    return "\n".join([CSV_HEADER, *(";".join(str(v) for v in row) for row in rows)]) + "\n"


def _rent(value) -> Builder:
    return _units(unit_row(1), unit_row(2, rent=value), unit_row(3))


def _dwelling(value: str) -> Builder:
    return _units(unit_row(1), unit_row(2, dwelling_id=value), unit_row(3))


def _many_units(count: int) -> list[list]:
    return [unit_row(n) for n in range(1, count + 1)]


# --- the bid upload --------------------------------------------------------------------------

BID_SHEET = "Bod"
BID_FIRST_ROW = 9


def _bid_cell(column: str, value, row_offset: int = 0, *, as_text: bool = False) -> Builder:
    def build(base: bytes) -> tuple[bytes, str]:
        def edit(workbook):
            cell = workbook[BID_SHEET][f"{column}{BID_FIRST_ROW + row_offset}"]
            cell.value = value
            if as_text:
                cell.data_type = "s"

        return _edit_workbook(base, edit), "bod.xlsx"

    return build


def _bid_quantity(value) -> Builder:
    # Row offset 1: a count (the first row is a count too, but keep clear of the percentage).
    return _bid_cell("F", value, 1)


def _bid_raw_number(raw: bytes) -> Builder:
    """A count cell whose XML holds ``raw`` as its number (what openpyxl will not write)."""

    def build(base: bytes) -> tuple[bytes, str]:
        marked, name = _bid_quantity(987654)(base)
        return _replace_in_part(marked, SHEET_PART, b"<v>987654</v>", b"<v>" + raw + b"</v>"), name

    return build


def _bid_share(value) -> Builder:
    def build(base: bytes) -> tuple[bytes, str]:
        def edit(workbook):
            sheet = workbook[BID_SHEET]
            for row in range(BID_FIRST_ROW, BID_FIRST_ROW + 40):
                if sheet[f"A{row}"].value == "huurverhoging":
                    sheet[f"F{row}"] = value
                    return
            raise AssertionError("no huurverhoging row")

        return _edit_workbook(base, edit), "bod.xlsx"

    return build


def _bid_text(value: str, *, as_text: bool = False) -> Builder:
    return _bid_cell("G", value, 2, as_text=as_text)


HYPERLINK = '=HYPERLINK("https://example.org","klik")'


def _text_cell_units(value: str) -> Builder:
    """A text cell that starts with '=' (typed with a quote prefix in Excel): no formula."""

    def build(_base: bytes) -> tuple[bytes, str]:
        def edit(workbook):
            cell = workbook.active["A3"]
            cell.value = value
            cell.data_type = "s"

        return _edit_workbook(units(_many_units(3)), edit), "woningen.xlsx"

    return build


def _bid_raw_text(raw: bytes) -> Builder:
    """A bid explanation written straight into the sheet XML, bytes openpyxl would refuse."""

    def build(base: bytes) -> tuple[bytes, str]:
        marked, _name = _bid_text("MARKER-HOSTILE")(base)
        part = "xl/sharedStrings.xml"
        names = zipfile.ZipFile(io.BytesIO(marked)).namelist()
        if part not in names:
            part = SHEET_PART
        return _replace_in_part(marked, part, b"MARKER-HOSTILE", raw), "bod.xlsx"

    return build


def _both(voorraad: Expect, bod: Expect | None = None) -> dict[str, Expect]:
    return {"voorraad": voorraad, "bod": bod or voorraad}


NOT_XLSX = "geen geldig Excel-bestand"
BID_LINES = 10  # the filled bid base has ten figures (tests/cycle/test_xlsx.py's filled())


# --- size: the real bomb ----------------------------------------------------------------------

_BOMB_CELLS = "".join('<c t="inlineStr"><is><t>Gestapeld met lift</t></is></c>' for _ in range(6))


def _bomb_row(r: int) -> str:
    return (
        f'<row r="{r}"><c t="inlineStr"><is><t>W{r}</t></is></c>{_BOMB_CELLS}'
        f"<c><v>{500 + r % 7}</v></c></row>"
    )


def _bomb_rows(total: int) -> Iterator[bytes]:
    """Rows of sheet XML adding up to just under ``total`` bytes."""
    written, n = 0, 2
    while True:
        chunk = "".join(_bomb_row(r) for r in range(n, n + 5000)).encode()
        if written + len(chunk) > total:
            break
        n += 5000
        written += len(chunk)
        yield chunk
    while written + len(row := _bomb_row(n).encode()) <= total:
        n += 1
        written += len(row)
        yield row


def inflating_workbook(uncompressed_mb: int = 399) -> bytes:
    """A valid-looking workbook whose one sheet is ~uncompressed_mb MB of ordinary rows.

    It compresses ~30:1 (under the per-part ratio check), so only the limit on the total
    unpacked size stops it: the issue's 8,6 MB file that inflated to 399 MB of XML."""
    base = zipfile.ZipFile(io.BytesIO(units([unit_row(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in base.infolist():
            if info.filename != SHEET_PART:
                target.writestr(info.filename, base.read(info.filename))
        with target.open(SHEET_PART, "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for chunk in _bomb_rows(uncompressed_mb * 1024 * 1024 - 200):
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


_BOMB: dict[int, bytes] = {}


def bomb_399() -> Builder:
    def build(_base: bytes) -> tuple[bytes, str]:
        if 399 not in _BOMB:  # built once per session: ~2 s
            _BOMB[399] = inflating_workbook(399)
        return _BOMB[399], "woningen.xlsx"

    return build


def _ratio_bomb(base: bytes) -> tuple[bytes, str]:
    return rewrite_zip(base, add={"xl/media/opvulling.xml": b"\0" * 60 * 1024 * 1024}), "b.xlsx"


def _big_random(base: bytes) -> tuple[bytes, str]:
    import random

    noise = random.Random(17).randbytes(1536 * 1024)  # noqa: S311 - test data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for info in zipfile.ZipFile(io.BytesIO(base)).infolist():
            archive.writestr(info.filename, zipfile.ZipFile(io.BytesIO(base)).read(info))
        archive.writestr("xl/media/foto.bin", noise)
    return buffer.getvalue(), "groot.xlsx"


LOW_ROWS = {"MAX_SHEET_ROWS": 50}


# --- the catalogue ---------------------------------------------------------------------------

CASES: list[Case] = [
    # structural
    Case(
        "geen-zip.xlsx",
        "structural",
        lambda b: (b"dit is geen zip", "x.xlsx"),
        _both(refused(NOT_XLSX)),
    ),
    Case(
        "afgebroken-zip.xlsx",
        "structural",
        lambda b: (b[: len(b) // 2], "x.xlsx"),
        _both(refused(NOT_XLSX)),
    ),
    Case(
        "zip-zonder-werkboek.xlsx",
        "structural",
        lambda b: (_zip({"[Content_Types].xml": b"<Types/>", "data.txt": b"x"}), "x.xlsx"),
        _both(refused("het werkboek ontbreekt")),
    ),
    Case(
        "versleuteld.xlsx",
        "structural",
        lambda b: (_encrypted_flag(b), "x.xlsx"),
        _both(refused("Versleutelde bestanden")),
    ),
    Case(
        "versleuteld-ole.xlsx",
        "structural",
        lambda b: (OLE_MAGIC + b"\0" * 4096, "x.xlsx"),
        _both(refused(NOT_XLSX)),
        note="Excel saves a password-protected workbook as an OLE container",
    ),
    Case(
        "macro-vbaproject.xlsx",
        "structural",
        lambda b: (rewrite_zip(b, add={"xl/vbaProject.bin": b"\0VBA"}), "x.xlsx"),
        _both(refused("macro")),
    ),
    Case("macro-naam.xlsm", "structural", lambda b: (b, "x.xlsm"), _both(refused("macro"))),
    Case(
        "oud-formaat.xls",
        "structural",
        lambda b: (OLE_MAGIC + b"\0" * 4096, "x.xls"),
        _both(refused("oude Excel-formaat")),
    ),
    Case(
        "xls-hernoemd.xlsx",
        "structural",
        lambda b: (OLE_MAGIC + b"\0" * 8192, "hernoemd.xlsx"),
        _both(refused(NOT_XLSX)),
    ),
    Case(
        "dtd-extern.xlsx",
        "structural",
        lambda b: (rewrite_zip(b, replace={SHEET_PART: EXTERNAL_ENTITY}), "x.xlsx"),
        _both(refused("DTD/entiteiten")),
    ),
    Case(
        "billion-laughs.xlsx",
        "structural",
        lambda b: (rewrite_zip(b, replace={SHEET_PART: BILLION_LAUGHS}), "x.xlsx"),
        _both(refused("DTD/entiteiten")),
    ),
    Case(
        "leeg-bestand.xlsx",
        "structural",
        lambda b: (b"", "x.xlsx"),
        _both(refused("leeg"), refused("Kies een ingevuld sjabloon")),
    ),
    Case("totalen-geldig.xlsx", "structural", lambda b: (b, "t.xlsx"), {"totalen": accepted(5)}),
    Case(
        "ander-bladnaam.xlsx",
        "structural",
        _units(*_many_units(3), sheet="Blad1"),
        {"voorraad": accepted(3), "bod": refused("Blad 'Bod' ontbreekt")},
        note="a units list reads its first sheet when none is called Woningen",
    ),
    Case(
        "kolom-ontbreekt.xlsx",
        "structural",
        _units(*[r[:3] + r[4:] for r in _many_units(3)], header=HEADER[:3] + HEADER[4:]),
        {"voorraad": refused("verplichte kolom ontbreekt")},
    ),
    Case(
        "kolommen-door-elkaar.xlsx",
        "structural",
        _units(*[r[::-1] for r in _many_units(3)], header=HEADER[::-1]),
        {"voorraad": accepted(3)},
    ),
    Case("alleen-kopregel.xlsx", "structural", _units(), {"voorraad": refused("geen woningen")}),
    Case(
        "samengevoegde-cellen.xlsx",
        "structural",
        lambda b: (
            _edit_workbook(units(_many_units(3)), lambda w: w.active.merge_cells("A2:A4")),
            "x.xlsx",
        ),
        {"voorraad": accepted(3)},
    ),
    Case(
        "formule-in-huur.xlsx",
        "structural",
        _rent("=400+100"),
        {"voorraad": refused("bevat een formule")},
    ),
    Case(
        "datum-als-huur.xlsx",
        "structural",
        _rent(__import__("datetime").date(2024, 5, 1)),
        {"voorraad": refused("geen bedrag")},
    ),
    Case(
        "dubbele-woning.xlsx",
        "structural",
        _units(unit_row(1), unit_row(2), unit_row(1)),
        {"voorraad": refused("komt dubbel voor")},
    ),
    Case(
        "csv-puntkomma.csv",
        "structural",
        _csv(_csv_rows(*_many_units(3))),
        {"voorraad": accepted(3), "bod": refused("Alleen Excel-bestanden (.xlsx)")},
    ),
    Case(
        "csv-windows-1252.csv",
        "structural",
        _csv(_csv_rows(*_many_units(2), unit_row(3, complex="Café Één")), "cp1252"),
        {"voorraad": accepted(3)},
    ),
    Case(
        "xlsx-met-csv-naam.csv",
        "structural",
        lambda b: (units(_many_units(3)), "x.csv"),
        {"voorraad": refused("bevat geen tekst")},
    ),
    Case(
        "bod-ander-sjabloon.xlsx",
        "structural",
        _bid_cell("B", "sleutel-van-een-ander", -3),
        {"bod": refused("hoort bij een ander bod")},
    ),
    Case(
        "bod-dubbel-kerncijfer.xlsx",
        "structural",
        lambda b: _bid_cell("A", _first_code(b), 1)(b),
        {"bod": refused("staat ook al in rij")},
    ),
    Case(
        "bod-formule.xlsx",
        "structural",
        _bid_quantity("=1+1"),
        {"bod": accepted(BID_LINES)},
        note="the bid reads cached values; openpyxl saves none, so the line is empty",
    ),
    Case(
        "bod-datum-als-aantal.xlsx",
        "structural",
        _bid_quantity(__import__("datetime").datetime(2024, 5, 1)),
        {"bod": refused("getal")},
    ),
    Case(
        "totalen-onbekend-blad.xlsx",
        "structural",
        lambda b: (_edit_workbook(b, lambda w: w.create_sheet("Extra")), "t.xlsx"),
        {"totalen": refused("onbekend blad")},
    ),
    # numeric
    Case("nan.xlsx", "numeric", _rent("NaN"), {"voorraad": refused("geen bedrag")}),
    Case(
        "nan-getal.xlsx",
        "numeric",
        _rent(float("nan")),
        {"voorraad": refused("Netto huur")},
        note="a NaN number cell is read as empty",
    ),
    Case("oneindig.xlsx", "numeric", _rent("Infinity"), {"voorraad": refused("geen bedrag")}),
    Case("1e308.xlsx", "numeric", _rent(1e308), {"voorraad": refused("")}),
    Case("honderd-miljard.xlsx", "numeric", _rent("100.000.000.000"), {"voorraad": refused("")}),
    Case("negatieve-huur.xlsx", "numeric", _rent(-500), {"voorraad": refused("negatief")}),
    Case("engelse-notatie.xlsx", "numeric", _rent("1,012.50"), {"voorraad": refused("")}),
    Case("nederlandse-notatie.xlsx", "numeric", _rent("€ 1.012,50"), {"voorraad": accepted(3)}),
    Case(
        "tekst-als-huur.xlsx", "numeric", _rent("vijfhonderd"), {"voorraad": refused("geen bedrag")}
    ),
    Case("bod-nan.xlsx", "numeric", _bid_quantity("NaN"), {"bod": refused("")}),
    Case(
        "bod-oneindig.xlsx",
        "numeric",
        _bid_raw_number(b"INF"),
        {"bod": refused("")},
        note="openpyxl writes float('inf') as an empty cell: the raw XML holds INF",
    ),
    Case("bod-nan-getal.xlsx", "numeric", _bid_raw_number(b"NaN"), {"bod": refused("")}),
    Case("bod-1e308.xlsx", "numeric", _bid_quantity(1e308), {"bod": refused("")}),
    Case(
        "bod-honderd-miljard.xlsx",
        "numeric",
        _bid_quantity("100.000.000.000"),
        {"bod": refused("kan niet")},
    ),
    Case(
        "bod-negatief-aantal.xlsx", "numeric", _bid_quantity(-5), {"bod": refused("niet negatief")}
    ),
    Case(
        "bod-aandeel-150-procent.xlsx",
        "numeric",
        _bid_share(1.5),
        {"bod": refused("tussen -100 en 100")},
    ),
    Case("bod-engelse-notatie.xlsx", "numeric", _bid_quantity("1,234.5"), {"bod": refused("")}),
    Case(
        "bod-tekst-als-aantal.xlsx",
        "numeric",
        _bid_quantity("tien"),
        {"bod": refused("geen getal")},
    ),
    # textual
    Case("lange-tekst.xlsx", "textual", _dwelling("W" * 30_000), {"voorraad": accepted(3)}),
    Case(
        "bod-lange-toelichting.xlsx",
        "textual",
        _bid_text("x" * 2001),
        {"bod": refused("langer dan 2000 tekens")},
    ),
    Case(
        "stuurtekens.csv",
        "textual",
        _csv(_csv_rows(unit_row(1), unit_row(2, dwelling_id="W\x07\x1b[2J"), unit_row(3))),
        {"voorraad": accepted(3)},
    ),
    Case(
        "bod-stuurtekens.xlsx",
        "textual",
        _bid_raw_text(b"_x0007_bel_x001B_"),
        {"bod": accepted(BID_LINES)},
        note="kept as typed, escaped where shown",
    ),
    Case(
        "rtl-en-zero-width.xlsx",
        "textual",
        _dwelling("W1\u200b\u202egnissab"),
        {"voorraad": accepted(3)},
    ),
    Case(
        "bod-rtl-zero-width.xlsx",
        "textual",
        _bid_text("toe\u202elichting\u200b"),
        {"bod": accepted(BID_LINES)},
    ),
    Case("hyperlink-tekst.xlsx", "textual", _text_cell_units(HYPERLINK), {"voorraad": accepted(3)}),
    Case(
        "bod-hyperlink-tekst.xlsx",
        "textual",
        _bid_text(HYPERLINK, as_text=True),
        {"bod": accepted(BID_LINES)},
    ),
    Case(
        "hyperlink-formule.xlsx",
        "structural",
        _units(unit_row(1, complex=HYPERLINK), unit_row(2)),
        {"voorraad": refused("bevat een formule")},
    ),
    Case(
        "bod-html-script.xlsx",
        "textual",
        _bid_text("<script>alert('x')</script><b>vet</b>"),
        {"bod": accepted(BID_LINES)},
    ),
    Case("emoji.xlsx", "textual", _dwelling("Woning 🏠👩‍👩‍👧"), {"voorraad": accepted(3)}),
    Case("bod-emoji.xlsx", "textual", _bid_text("Goed plan 👍🏽"), {"bod": accepted(BID_LINES)}),
    Case(
        "nul-teken.csv",
        "textual",
        _csv(_csv_rows(unit_row(1), unit_row(2, dwelling_id="W\x002"))),
        {"voorraad": refused("bevat geen tekst")},
    ),
    Case("bod-nul-teken.xlsx", "textual", _bid_raw_text(b"a\x00b"), {"bod": refused(NOT_XLSX)}),
    # size
    Case(
        "bom-399-mb.xlsx",
        "size",
        bomb_399(),
        _both(refused("pakt uit tot 399 MB; het maximum is 350 MB uitgepakt")),
        note="real limits",
    ),
    Case("bom-verhouding.xlsx", "size", _ratio_bomb, _both(refused("verdacht grote omvang"))),
    Case(
        "dimensie-miljoen-rijen.xlsx",
        "size",
        lambda b: (_set_dimension(b, b"A1:H1048576"), "x.xlsx"),
        _both(refused("heeft 1.048.575 rijen; het maximum is 250.000 rijen")),
    ),
    Case(
        "dimensie-te-veel-cellen.xlsx",
        "size",
        lambda b: (_set_dimension(b, b"A1:XFD100000"), "x.xlsx"),
        _both(refused("het maximum is 10.000.000 cellen")),
    ),
    Case(
        "dimensie-liegt.xlsx",
        "size",
        lambda b: (_set_dimension(units(_many_units(60)), b"A1:H4"), "x.xlsx"),
        {"voorraad": refused("meer dan 50 rijen; het maximum is 50 rijen")},
        settings=LOW_ROWS,
    ),
    Case(
        "dimensie-ontbreekt.xlsx",
        "size",
        lambda b: (_set_dimension(units(_many_units(60)), None), "x.xlsx"),
        {"voorraad": refused("meer dan 50 rijen; het maximum is 50 rijen")},
        settings=LOW_ROWS,
    ),
    Case(
        "bod-dimensie-liegt.xlsx",
        "size",
        lambda b: (_set_dimension(_bid_padded(b, 80), b"A1:G4"), "bod.xlsx"),
        {"bod": accepted(BID_LINES)},
        settings=LOW_ROWS,
        note="the bid reader reads a fixed block of rows, whatever follows",
    ),
    Case(
        "totalen-dimensie-liegt.xlsx",
        "size",
        lambda b: (_aggregate_padded(80), "t.xlsx"),
        {"totalen": refused("meer dan 50 rijen; het maximum is 50 rijen")},
        settings=LOW_ROWS,
    ),
    Case(
        "csv-te-veel-rijen.csv",
        "size",
        _csv(_csv_rows(*_many_units(60))),
        {"voorraad": refused("'CSV' heeft 60 rijen; het maximum is 50 rijen")},
        settings=LOW_ROWS,
    ),
    Case(
        "te-veel-onderdelen.xlsx",
        "size",
        lambda b: (
            rewrite_zip(b, add={f"xl/extra/{i}.xml": b"<x/>" for i in range(520)}),
            "x.xlsx",
        ),
        _both(refused("te veel onderdelen")),
    ),
    Case(
        "te-veel-bladen.xlsx",
        "size",
        lambda b: (
            rewrite_zip(
                b, add={f"xl/worksheets/sheet{i}.xml": b"<worksheet/>" for i in range(10, 530)}
            ),
            "x.xlsx",
        ),
        _both(refused("het maximum is 500")),
    ),
    Case(
        "te-groot-bestand.xlsx",
        "size",
        _big_random,
        _both(refused("het maximum is 1 MB")),
        settings={"MAX_UPLOAD_MB": 1},
    ),
]


def _first_code(base: bytes) -> str:
    workbook = load_workbook(io.BytesIO(base), read_only=True)
    return workbook[BID_SHEET][f"A{BID_FIRST_ROW}"].value


def _bid_padded(base: bytes, extra: int) -> bytes:
    def edit(workbook):
        sheet = workbook[BID_SHEET]
        for row in range(BID_FIRST_ROW + 45, BID_FIRST_ROW + 45 + extra):
            sheet[f"G{row}"] = "opvulling"

    return _edit_workbook(base, edit)


def _aggregate_padded(extra: int) -> bytes:
    content = aggregate_base()

    def edit(workbook):
        sheet = workbook["Voorraad"]
        for row in range(40, 40 + extra):
            sheet[f"A{row}"] = "opvulling"

    return _set_dimension_of(_edit_workbook(content, edit), "Voorraad")


def _set_dimension_of(content: bytes, sheet: str) -> bytes:
    from housing_stock.importing.parsing import sheet_parts

    part = sheet_parts(zipfile.ZipFile(io.BytesIO(content)))[sheet]
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part)
    start = xml.index(b"<dimension")
    end = xml.index(b"/>", start) + 2
    return rewrite_zip(
        content, replace={part: xml[:start] + b'<dimension ref="A1:D4"/>' + xml[end:]}
    )


def aggregate_base() -> bytes:
    """The aggregate template with its first table (5 dwelling types x 5 rent classes) filled."""
    return aggregate_xlsx({"Voorraad": [[10, 20, 30, 40, 50] for _ in range(5)]})


TARGETS = ("voorraad", "totalen", "bod")


def cases_for(target: str) -> list[Case]:
    return [case for case in CASES if target in case.expect]

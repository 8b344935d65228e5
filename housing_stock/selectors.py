"""Reads of the housing stock, with related rows fetched up front (fixed query counts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from agreements.models import Party, Target
from housing_stock.domain import (
    NULTREDEN_YES,
    OPTIONAL_COLS,
    TABLE_SHAPES,
    TOTAL,
    StockTable,
    col_label,
    row_label,
)
from housing_stock.models import StockCount, StockImport, StockSnapshot

SHEET_TITLES = {
    StockTable.TYPE_RENT: "Voorraad",
    StockTable.ENERGY_LABEL: "Energielabels",
    StockTable.BAT: "Toegankelijkheid",
    StockTable.NULTREDEN: "Nultreden",
    StockTable.CONDITION: "Conditie",
    StockTable.RENT_SHARE: "Huurklasseverdeling",
    StockTable.BAT_DEMAND: "Vraag 2030",
}
ROW_HEADERS = {
    StockTable.TYPE_RENT: "Woningtype",
    StockTable.ENERGY_LABEL: "Energielabel",
    StockTable.BAT: "BAT-klasse",
    StockTable.NULTREDEN: "Omschrijving",
    StockTable.CONDITION: "Conditiescore",
    StockTable.RENT_SHARE: "Huurprijsklasse",
    StockTable.BAT_DEMAND: "BAT-klasse",
}
# Tables whose cells add up to "the stock": their total is comparable across sources.
TOTALLING_TABLES = {
    StockTable.TYPE_RENT,
    StockTable.ENERGY_LABEL,
    StockTable.BAT,
    StockTable.CONDITION,
}


@dataclass
class TableRow:
    key: str
    label: str
    values: list[Decimal | None]
    is_total: bool = False


@dataclass
class SnapshotTable:
    table: str
    title: str
    row_header: str
    col_keys: list[str]
    col_labels: list[str]
    rows: list[TableRow]
    computed_total: Decimal | None = None
    stated_total: Decimal | None = None
    cells: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    source: str = ""  # "<snapshot title>, peildatum 1-1-2020", for charts to cite

    @property
    def sheet_title(self) -> str:
        return SHEET_TITLES[self.table]

    @property
    def total(self) -> Decimal | None:
        return self.stated_total if self.stated_total is not None else self.computed_total

    @property
    def total_mismatch(self) -> bool:
        return (
            self.stated_total is not None
            and self.computed_total is not None
            and self.stated_total != self.computed_total
        )

    def row_sums(self) -> dict[str, Decimal]:
        """Per row key, the sum of its count cells (stated totals and percentages left out)."""
        count_cols = set(TABLE_SHAPES[self.table].cols)
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for (row, col), value in self.cells.items():
            if row != TOTAL and col in count_cols:
                sums[row] += value
        return dict(sums)

    def col_sums(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for (row, col), value in self.cells.items():
            if row != TOTAL and col in TABLE_SHAPES[self.table].cols:
                sums[col] += value
        return dict(sums)


def build_table(table: str, counts: list[StockCount]) -> SnapshotTable:
    shape = TABLE_SHAPES[table]
    cells = {(c.row_key, c.col_key): c.value for c in counts}
    present_cols = {col for _row, col in cells}
    col_keys = [k for k in shape.cols if k in present_cols or table == StockTable.TYPE_RENT]
    col_keys += [k for k in OPTIONAL_COLS.get(table, {}) if k in present_cols]
    if TOTAL in present_cols:
        col_keys.append(TOTAL)
    present_rows = {row for row, _col in cells}
    row_keys = [k for k in shape.rows if k in present_rows]
    rows = [
        TableRow(key, row_label(table, key), [cells.get((key, col)) for col in col_keys])
        for key in row_keys
    ]
    result = SnapshotTable(
        table=table,
        title=str(StockTable(table).label),
        row_header=ROW_HEADERS[table],
        col_keys=col_keys,
        col_labels=[col_label(table, k) for k in col_keys],
        rows=rows,
        cells=cells,
    )
    if table in TOTALLING_TABLES:
        result.computed_total = sum(result.row_sums().values(), Decimal(0))
        stated_key = (TOTAL, TOTAL) if table == StockTable.TYPE_RENT else (TOTAL, "aantal")
        result.stated_total = cells.get(stated_key)
    if TOTAL in present_rows:
        result.rows.append(
            TableRow(
                TOTAL, row_label(table, TOTAL), [cells.get((TOTAL, c)) for c in col_keys], True
            )
        )
    elif table in TOTALLING_TABLES:
        col_sums = result.col_sums()
        result.rows.append(
            TableRow(
                TOTAL,
                "Totaal (berekend)",
                [col_sums.get(c) if c in shape.cols else None for c in col_keys],
                True,
            )
        )
    return result


def snapshot_tables(snapshot: StockSnapshot) -> list[SnapshotTable]:
    """The snapshot's tables in a fixed order; uses prefetched counts when there are any."""
    by_table: dict[str, list[StockCount]] = defaultdict(list)
    for count in snapshot.counts.all():
        by_table[count.table].append(count)
    tables = [build_table(t, by_table[t]) for t in StockTable.values if t in by_table]
    for table in tables:
        day = snapshot.peildatum
        table.source = f"{snapshot.title}, peildatum {day.day}-{day.month}-{day.year}"
    return tables


def _counts_prefetch() -> Prefetch:
    return Prefetch("counts", queryset=StockCount.objects.order_by("id"))


def current_snapshots(municipality: Party) -> QuerySet[StockSnapshot]:
    """Snapshots not superseded, with party and counts: two queries however many there are."""
    return (
        StockSnapshot.objects.filter(municipality=municipality, superseded_at__isnull=True)
        .select_related("party")
        .prefetch_related(_counts_prefetch())
        .order_by("-peildatum", "title", "id")
    )


@dataclass
class SnapshotSummary:
    snapshot: StockSnapshot
    tables: list[SnapshotTable]

    @property
    def totals(self) -> list[tuple[str, Decimal | None]]:
        return [(t.title, t.total) for t in self.tables if t.table in TOTALLING_TABLES]


@dataclass
class PartyGroup:
    party: Party | None
    summaries: list[SnapshotSummary]

    @property
    def distinct_totals(self) -> list[Decimal]:
        """The different stock totals this group's sources state for their latest peildatum."""
        if not self.summaries:
            return []
        latest = max(s.snapshot.peildatum for s in self.summaries)
        totals = {
            t.total
            for s in self.summaries
            if s.snapshot.peildatum == latest
            for t in s.tables
            if t.table in TOTALLING_TABLES and t.total is not None
        }
        return sorted(totals)


def stock_overview(municipality: Party) -> list[PartyGroup]:
    """Current snapshots grouped: all corporations together first, then per corporation."""
    groups: dict[int | None, PartyGroup] = {}
    for snapshot in current_snapshots(municipality):
        group = groups.setdefault(snapshot.party_id, PartyGroup(snapshot.party, []))
        group.summaries.append(SnapshotSummary(snapshot, snapshot_tables(snapshot)))
    return sorted(
        groups.values(), key=lambda g: (g.party is not None, g.party.name if g.party else "")
    )


def party_snapshots(municipality: Party, party: Party | None) -> list[SnapshotSummary]:
    """All snapshots of one corporation (or of the total), superseded ones included."""
    qs = (
        StockSnapshot.objects.filter(municipality=municipality, party=party)
        .select_related("party", "superseded_by")
        .prefetch_related(_counts_prefetch())
        .order_by("-peildatum", "superseded_at", "-id")
    )
    return [SnapshotSummary(s, snapshot_tables(s)) for s in qs]


def sibling_sources(snapshot: StockSnapshot) -> list[SnapshotSummary]:
    """Other current sources for the same scope and peildatum, to show where they disagree."""
    qs = (
        current_snapshots(snapshot.municipality)
        .filter(party=snapshot.party, peildatum=snapshot.peildatum)
        .exclude(pk=snapshot.pk)
    )
    return [SnapshotSummary(s, snapshot_tables(s)) for s in qs]


def nultreden_target(municipality: Party) -> Target | None:
    """The framework target with code 'nultreden' (3.590 -> 4.000 in the Kerkrade seed)."""
    return (
        Target.objects.filter(
            code="nultreden", agreement__theme__framework__municipality=municipality
        )
        .order_by("-agreement__theme__framework__period_start")
        .first()
    )


def nultreden_count(tables: dict[str, SnapshotTable]) -> Decimal | None:
    table = tables.get(StockTable.NULTREDEN)
    return table.cells.get((NULTREDEN_YES, "aantal")) if table else None


@dataclass
class ComparisonTable:
    table: str
    title: str
    row_header: str
    dates: list[dt.date]
    rows: list[tuple[str, list[Decimal | None]]]
    sheet_title: str


def comparison(municipality: Party, party: Party | None) -> list[ComparisonTable]:
    """Year-to-year: per table and category, the value at each peildatum (current sources)."""
    per_table: dict[str, dict[dt.date, SnapshotTable]] = defaultdict(dict)
    for snapshot in current_snapshots(municipality).filter(party=party).order_by("peildatum", "id"):
        for table in snapshot_tables(snapshot):
            per_table[table.table][snapshot.peildatum] = table
    result = []
    for table_key in StockTable.values:
        by_date = per_table.get(table_key)
        if not by_date:
            continue
        dates = sorted(by_date)
        shape = TABLE_SHAPES[table_key]
        first_col = next(iter(shape.cols))

        def value(t: SnapshotTable, row: str, shape=shape, first_col=first_col) -> Decimal | None:
            if shape.counts:
                return t.row_sums().get(row)
            return t.cells.get((row, first_col))

        rows = [
            (str(label), [value(by_date[d], key) for d in dates])
            for key, label in shape.rows.items()
            if any(value(by_date[d], key) is not None for d in dates)
        ]
        title = str(StockTable(table_key).label)
        if table_key == StockTable.TYPE_RENT:
            title = "Woningtype (aantal woningen)"
        result.append(
            ComparisonTable(
                table_key,
                title,
                ROW_HEADERS[table_key],
                dates,
                rows,
                SHEET_TITLES[table_key],
            )
        )
        if table_key == StockTable.TYPE_RENT:
            rent_rows = [
                (str(label), [by_date[d].col_sums().get(key) for d in dates])
                for key, label in shape.cols.items()
            ]
            result.append(
                ComparisonTable(
                    table_key,
                    "Huurprijsklasse (aantal woningen)",
                    "Huurprijsklasse",
                    dates,
                    rent_rows,
                    "Huurprijsklasse",
                )
            )
    return result


def import_history(imports: QuerySet[StockImport]) -> QuerySet[StockImport]:
    return imports.select_related("party", "created_by").order_by("-created_at", "-id")


def latest_of(summaries: list[SnapshotSummary]) -> dict[str, SnapshotTable]:
    """Per table, the version in the most recent of these snapshots (no extra queries)."""
    found: dict[str, tuple[dt.date, int, SnapshotTable]] = {}
    for summary in summaries:
        snapshot = summary.snapshot
        for table in summary.tables:
            rank = (snapshot.peildatum, snapshot.pk)
            if table.table not in found or rank > found[table.table][:2]:
                found[table.table] = (snapshot.peildatum, snapshot.pk, table)
    return {key: value[2] for key, value in found.items()}


def corporation_stock(corporation: Party) -> Decimal | None:
    """How many homes the corporation has, as its latest current stock snapshot says (the
    largest total of the tables that add up to the stock: sources differ, and a bid is
    refused only for a count no source allows); None when the housing stock does not know."""
    snapshots = list(
        StockSnapshot.objects.filter(party=corporation, superseded_at__isnull=True)
        .prefetch_related("counts")
        .order_by("-peildatum")
    )
    if not snapshots:
        return None
    latest = snapshots[0].peildatum
    totals = [
        table.total
        for snapshot in snapshots
        if snapshot.peildatum == latest
        for table in snapshot_tables(snapshot)
        if table.table in TOTALLING_TABLES and table.total is not None
    ]
    return max(totals, default=None)

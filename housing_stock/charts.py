"""Server-rendered SVG bar charts with <title>, <desc> and the same numbers for a table beside.

No JavaScript and no inline style: colours are SVG presentation attributes (allowed by the
CSP) and the stylesheet static/housing_stock/stock.css may refine them. Screen readers read
the title and description; the table beside the chart (templates/housing_stock/_chart.html)
carries the exact figures, so the page, the PDF and a screen reader say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.formatting import format_number
from housing_stock.domain import TABLE_SHAPES, StockTable
from housing_stock.selectors import SnapshotTable

PALETTE = ["#1f5c99", "#e17000", "#39870c", "#8b1a7a", "#5b5b5b"]
WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 80
BAR_HEIGHT = 16
GAP = 6
GROUP_GAP = 12


@dataclass
class Series:
    name: str
    values: list[Decimal | None]


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    target: Decimal | None = None  # a vertical marker, e.g. 4.000 nultreden homes
    target_label: str = ""
    notes: list[str] = field(default_factory=list)

    def formatted(self, value: Decimal | None) -> str:
        if value is None:
            return "–"
        return f"{format_number(value)}{self.unit}"

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        return [
            (category, [self.formatted(s.values[i]) for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    def svg(self) -> SafeString:
        values = [v for s in self.series for v in s.values if v is not None]
        maximum = max([*values, self.target or 0, Decimal(1)])
        plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        per_group = len(self.series) * (BAR_HEIGHT + 2) + GROUP_GAP
        legend = 24 if len(self.series) > 1 else 0
        height = legend + len(self.categories) * per_group + GAP + (18 if self.target else 0)
        title_id, desc_id = f"{self.slug}-title", f"{self.slug}-desc"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="pa-chart__svg" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'aria-labelledby="{title_id} {desc_id}">',
            f'<title id="{title_id}">{escape(self.title)}</title>',
            f'<desc id="{desc_id}">{escape(self.description)}</desc>',
        ]
        if legend:
            x = LABEL_WIDTH
            for index, series in enumerate(self.series):
                colour = PALETTE[index % len(PALETTE)]
                parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
                parts.append(
                    f'<text x="{x + 16}" y="14" font-size="12" fill="#222">'
                    f"{escape(series.name)}</text>"
                )
                x += 24 + 7 * len(series.name)
        y = legend
        for i, category in enumerate(self.categories):
            parts.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 3}" font-size="12" '
                f'text-anchor="end" fill="#222">{escape(category)}</text>'
            )
            for index, series in enumerate(self.series):
                value = series.values[i]
                colour = PALETTE[index % len(PALETTE)]
                width = 0 if value is None else float(value) / float(maximum) * plot
                parts.append(
                    f'<rect class="pa-chart__bar pa-chart__bar--{index}" x="{LABEL_WIDTH}" '
                    f'y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
                )
                parts.append(
                    f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT - 3}" '
                    f'font-size="12" fill="#222">{escape(self.formatted(value))}</text>'
                )
                y += BAR_HEIGHT + 2
            y += GROUP_GAP
        if self.target:
            x = LABEL_WIDTH + float(self.target) / float(maximum) * plot
            parts.append(
                f'<line x1="{x:.1f}" y1="{legend}" x2="{x:.1f}" y2="{y}" stroke="#c00" '
                f'stroke-width="2" stroke-dasharray="4 3"/>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y + 14}" font-size="12" text-anchor="end" fill="#c00">'
                f"{escape(self.target_label)}</text>"
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _share(values: dict[str, Decimal], keys: list[str]) -> list[Decimal | None]:
    total = sum((values.get(k, Decimal(0)) for k in keys), Decimal(0))
    if not total:
        return [None for _ in keys]
    return [(values.get(k, Decimal(0)) * 100 / total).quantize(Decimal("0.1")) for k in keys]


def rent_share_chart(stock: SnapshotTable | None, framework: SnapshotTable | None) -> Chart | None:
    """Share per rent class in the stock against the framework's distribution (seed: 11,5%...)."""
    if stock is None and framework is None:
        return None
    keys = list(TABLE_SHAPES[StockTable.RENT_SHARE].rows)
    labels = [str(TABLE_SHAPES[StockTable.RENT_SHARE].rows[k]) for k in keys]
    series = []
    if stock is not None:
        series.append(Series("Voorraad", _share(stock.col_sums(), keys)))
    if framework is not None:
        series.append(Series("Kader", [framework.cells.get((k, "percentage")) for k in keys]))
    description = (
        "Aandeel van de woningen per huurprijsklasse in procenten; voorraad tegenover de "
        "verdeling in het kader. "
    ) + "; ".join(
        f"{label}: "
        + ", ".join(
            f"{s.name} {format_number(s.values[i]) if s.values[i] is not None else '–'}%"
            for s in series
        )
        for i, label in enumerate(labels)
    )
    return Chart("huurklassen", "Verdeling naar huurprijsklasse", description, labels, series, "%")


def label_chart(labels: SnapshotTable | None) -> Chart | None:
    if labels is None:
        return None
    keys = list(TABLE_SHAPES[StockTable.ENERGY_LABEL].rows)
    names = [str(TABLE_SHAPES[StockTable.ENERGY_LABEL].rows[k]) for k in keys]
    values = [labels.cells.get((k, "aantal")) for k in keys]
    description = "Aantal woningen per energielabel. " + "; ".join(
        f"{n}: {format_number(v) if v is not None else '–'}"
        for n, v in zip(names, values, strict=True)
    )
    return Chart(
        "energielabels",
        "Woningen per energielabel",
        description,
        names,
        [Series("Aantal woningen", values)],
    )


def efg_chart(labels: SnapshotTable | None) -> Chart | None:
    """Homes with label E, F or G: nationally none by the end of 2028."""
    if labels is None:
        return None
    keys = ["E", "F", "G"]
    values = [labels.cells.get((k, "aantal")) for k in keys]
    total = sum((v for v in values if v is not None), Decimal(0))
    description = (
        f"Woningen met energielabel E, F of G: samen {format_number(total)}. "
        + "; ".join(
            f"{k}: {format_number(v) if v is not None else '–'}"
            for k, v in zip(keys, values, strict=True)
        )
        + ". Landelijk doel: geen woningen met label E, F of G eind 2028."
    )
    chart = Chart(
        "efg",
        "Woningen met label E, F of G",
        description,
        keys,
        [Series("Aantal woningen", values)],
    )
    chart.notes.append(f"Samen {format_number(total)} woningen; doel: 0 eind 2028.")
    return chart


def bat_chart(supply: SnapshotTable | None, demand: SnapshotTable | None) -> Chart | None:
    """BAT supply per class against the demand for 2030 (BAT 1-4; BAT 0 has no demand)."""
    if supply is None and demand is None:
        return None
    keys = list(TABLE_SHAPES[StockTable.BAT_DEMAND].rows)
    names = [f"BAT {k}" for k in keys]
    series = []
    if supply is not None:
        series.append(Series("Aanbod", [supply.cells.get((k, "aantal")) for k in keys]))
    if demand is not None:
        series.append(Series("Vraag 2030", [demand.cells.get((k, "vraag")) for k in keys]))
    description = (
        "Toegankelijke woningen per BAT-klasse, aanbod tegenover de vraag in 2030. "
        + "; ".join(
            f"{name}: "
            + ", ".join(
                f"{s.name} {format_number(s.values[i]) if s.values[i] is not None else '–'}"
                for s in series
            )
            for i, name in enumerate(names)
        )
    )
    chart = Chart("bat", "Toegankelijkheid: aanbod en vraag 2030", description, names, series)
    if demand is not None:
        differences = [demand.cells.get((k, "verschil")) for k in keys]
        chart.notes.append(
            "Verschil volgens de bron (+ = tekort): "
            + ", ".join(
                f"{n} {'+' if d and d > 0 else ''}{format_number(d) if d is not None else '–'}"
                for n, d in zip(names, differences, strict=True)
            )
        )
    return chart


def nultreden_chart(
    count: Decimal | None, target: Decimal | None, target_year: int | None
) -> Chart | None:
    if count is None:
        return None
    target_text = (
        f"doel {format_number(target)}" + (f" in {target_year}" if target_year else "")
        if target is not None
        else "geen doel op de indicator nultredenwoningen in het kader"
    )
    description = f"Nultredenwoningen: nu {format_number(count)}; {target_text}."
    chart = Chart(
        "nultreden",
        "Nultredenwoningen: voortgang naar het doel",
        description,
        ["Nultreden"],
        [Series("Aantal woningen", [count])],
        target=target,
        target_label=f"Doel {format_number(target)}" if target is not None else "",
    )
    if target is not None:
        chart.notes.append(
            f"Nog {format_number(max(target - count, Decimal(0)))} te gaan ({target_text})."
        )
    else:
        chart.notes.append("Het kader heeft (nog) geen doel met code 'nultreden'.")
    return chart


def stock_charts(
    tables: dict[str, SnapshotTable],
    *,
    municipal: dict[str, SnapshotTable] | None = None,
    nultreden_target=None,
) -> list[Chart]:
    """The charts for one scope's tables; `municipal` supplies the framework-wide figures
    (distribution per rent class, demand 2030) when the scope is the total of all corporations
    or when they are shown for context."""
    municipal = municipal or {}
    charts = [
        rent_share_chart(
            tables.get(StockTable.TYPE_RENT),
            tables.get(StockTable.RENT_SHARE) or municipal.get(StockTable.RENT_SHARE),
        )
        if tables.get(StockTable.TYPE_RENT) or tables.get(StockTable.RENT_SHARE)
        else None,
        label_chart(tables.get(StockTable.ENERGY_LABEL)),
        efg_chart(tables.get(StockTable.ENERGY_LABEL)),
        bat_chart(tables.get(StockTable.BAT), tables.get(StockTable.BAT_DEMAND))
        if tables.get(StockTable.BAT) or tables.get(StockTable.BAT_DEMAND)
        else None,
    ]
    sources = {
        "huurklassen": [StockTable.TYPE_RENT, StockTable.RENT_SHARE],
        "energielabels": [StockTable.ENERGY_LABEL],
        "efg": [StockTable.ENERGY_LABEL],
        "bat": [StockTable.BAT, StockTable.BAT_DEMAND],
        "nultreden": [StockTable.NULTREDEN],
    }
    nultreden = tables.get(StockTable.NULTREDEN)
    if nultreden is not None:
        target = nultreden_target
        charts.append(
            nultreden_chart(
                nultreden.cells.get(("nultreden", "aantal")),
                target.value if target is not None else None,
                target.target_year if target is not None else None,
            )
        )
    result = [chart for chart in charts if chart is not None]
    for chart in result:
        cited = [tables[t].source for t in sources[chart.slug] if t in tables and tables[t].source]
        if chart.slug == "huurklassen" and StockTable.RENT_SHARE not in tables:
            framework = municipal.get(StockTable.RENT_SHARE)
            if framework is not None and framework.source:
                cited.append(framework.source)
        if cited:
            chart.notes.append("Bron: " + "; ".join(dict.fromkeys(cited)) + ".")
    return result

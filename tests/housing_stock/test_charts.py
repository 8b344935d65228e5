from __future__ import annotations

from decimal import Decimal

from housing_stock.charts import Chart, Series, efg_chart, nultreden_chart
from housing_stock.models import StockCount
from housing_stock.selectors import build_table


def counts(table: str, rows: dict[str, dict[str, int]]) -> list[StockCount]:
    return [
        StockCount(table=table, row_key=r, col_key=c, value=Decimal(v))
        for r, cols in rows.items()
        for c, v in cols.items()
    ]


def test_svg_has_title_desc_and_escapes_text():
    chart = Chart("x", "A <b> & B", "desc <script>", ["<i>"], [Series("s", [Decimal(3)])])
    svg = str(chart.svg())
    assert '<title id="x-title">A &lt;b&gt; &amp; B</title>' in svg
    assert '<desc id="x-desc">desc &lt;script&gt;</desc>' in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert "<i>" not in svg and "<script>" not in svg
    assert "style=" not in svg


def test_chart_table_carries_the_same_numbers():
    chart = Chart("x", "t", "d", ["A", "B"], [Series("s", [Decimal(1781), None])])
    assert chart.table_rows == [("A", ["1.781"]), ("B", ["–"])]


def test_efg_chart_sums_the_worst_labels():
    table = build_table(
        "energy_label",
        counts("energy_label", {"E": {"aantal": 548}, "F": {"aantal": 304}, "G": {"aantal": 397}}),
    )
    chart = efg_chart(table)
    assert chart.notes == ["Samen 1.249 woningen; doel: 0 eind 2028."]
    assert "samen 1.249" in chart.description


def test_nultreden_chart_marks_the_target():
    chart = nultreden_chart(Decimal(3590), Decimal(4000), 2030)
    svg = str(chart.svg())
    assert "Doel 4.000" in svg and "<line" in svg
    assert chart.notes == ["Nog 410 te gaan (doel 4.000 in 2030)."]


def test_nultreden_chart_without_target_says_so():
    chart = nultreden_chart(Decimal(3590), None, None)
    assert "geen doel op de indicator nultredenwoningen in het kader" in chart.description

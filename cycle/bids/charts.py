"""Geometry of the server-rendered SVG bar charts (the template draws; no numbers are lost:
the same figures are in the table beside each chart)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cycle.bids.selectors import SumRow

WIDTH = 640
LABEL_WIDTH = 170
BAR_HEIGHT = 22
GAP = 10
TOP = 10


@dataclass
class Bar:
    label: str
    value: Decimal
    y: int
    width: int
    text_y: int
    is_total: bool = False


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    goal_x: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def sum_chart(row: SumRow, *, total_label: str) -> Chart:
    items = [(party.name, value, False) for party, value in row.per_corporation]
    items.append((total_label, row.total, True))
    scale_max = max([row.goal, row.total, *(v for _n, v, _t in items), Decimal(1)])
    room = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value, is_total) in enumerate(items):
        y = TOP + index * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                width=int(room * value / scale_max),
                text_y=y + BAR_HEIGHT - 6,
                is_total=is_total,
            )
        )
    height = TOP + len(items) * (BAR_HEIGHT + GAP) + 24
    goal_x = LABEL_WIDTH + int(room * row.goal / scale_max)
    return Chart(bars=bars, height=height, goal_x=goal_x)

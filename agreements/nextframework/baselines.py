"""Where a new framework's baselines come from: the previous framework's end values.

The end values are computed by the end-evaluation (cycle.endevaluation), a layer above this
app: cycle registers its source here in its AppConfig.ready(), so that agreements never
imports cycle (tests/test_layout.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from agreements.models import Framework


@dataclass(frozen=True)
class Baseline:
    value: Decimal
    date: dt.date


# A source gives, per target id of the framework, the value it reached and its date.
BaselineSource = Callable[[Framework], dict[int, Baseline]]
_SOURCES: list[BaselineSource] = []


def register_source(source: BaselineSource) -> BaselineSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def end_values(framework: Framework) -> dict[int, Baseline]:
    """Every registered source's end values of ``framework`` (later sources win)."""
    values: dict[int, Baseline] = {}
    for source in _SOURCES:
        values.update(source(framework))
    return values

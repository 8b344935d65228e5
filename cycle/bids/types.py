"""Typed rows a bid is written from: the form and the Excel parser both produce them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agreements.models import Agreement


@dataclass
class LineInput:
    quantity: Decimal | None
    explanation: str = ""
    agreement: Agreement | None = None

"""Numbers as Dutch people type them and spreadsheets hold them: one parser for the portal.

``parse_dutch_decimal`` reads "12", "12,5", "1.234,50", "1.234" (a thousands dot), "12.5" (a
decimal point, as a spreadsheet or a non-Dutch keyboard writes it), "€ 1.012,50" and numbers
from spreadsheet cells (int, float, Decimal). Empty input is None; anything else that is no
finite number raises ``InvalidOperation``, and each caller says in its own Dutch words what is
expected there.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

_THOUSANDS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")


def parse_dutch_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOperation("a yes/no value is no number")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "").replace("€", "")
        if not text:
            return None
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.fullmatch(text):
            text = text.replace(".", "")
        number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation("not a finite number")
    return number

"""Numbers as Dutch people type them and spreadsheets hold them: one parser for the portal.

``parse_dutch_decimal`` reads "12", "12,5", "1.234,50", "75.000" and "1.234" (a thousands
dot), "1 234" (a thousands space), "12.5" (a decimal point, as a spreadsheet or a non-Dutch
keyboard writes it), "€ 1.012,50", "-3" and numbers from spreadsheet cells (int, float,
Decimal). Empty input is None. Anything else raises ``InvalidOperation``: text that is no
number ("abc", "1e5") and text whose separators can be read two ways ("1,234.5", "1.23,5",
"1.2.3"), so that nothing is ever silently read as another number than the one meant. Each
caller says in its own Dutch words what is expected there (``NUMBER_HINT`` is the usual one).

``parse_dutch_percentage`` reads a percentage typed as text: "3,2%" and "3,2 %" are 3,2 (per
cent, not a fraction), like "3,2". A spreadsheet cell that *shows* 3,2 % but holds 0,032 is
the reader's business (it knows the cell's number format), not this module's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# What to type, for messages that refuse a number.
NUMBER_HINT = _(
    "Typ een getal zoals 75.000, 75000, 2,9 of € 1.250,50: een punt tussen duizendtallen, "
    "een komma voor decimalen."
)

# Dutch: optional thousands dots in groups of three, then an optional decimal comma.
_DUTCH = re.compile(r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d*)?")
# A decimal point, as spreadsheets and non-Dutch keyboards write it ("12.5"); one dot only.
_POINT = re.compile(r"[-+]?\d*\.\d+")
_BLANKS = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "€": None, "\u2212": "-"})


def parse_dutch_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOperation("a yes/no value is no number")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip()
        if not text:
            return None
        text = text.translate(_BLANKS)
        if not any(c.isdigit() for c in text):
            raise InvalidOperation(f"no digits in {value!r}")
        if _DUTCH.fullmatch(text):
            number = Decimal(text.replace(".", "").replace(",", "."))
        elif _POINT.fullmatch(text):
            number = Decimal(text)
        else:
            raise InvalidOperation(f"not a number as Dutch people write it: {value!r}")
    if not number.is_finite():
        raise InvalidOperation("not a finite number")
    return number


def parse_dutch_percentage(value: Any) -> Decimal | None:
    """A percentage as text ("3,2%", "3,2 %", "3,2") in per cent; numbers as they are."""
    if isinstance(value, str):
        value = value.strip()
        if value.endswith("%"):
            value = value[:-1]
    return parse_dutch_decimal(value)


# What a page shows for NaN or Infinity (core.bounds keeps them out; a page never fails on one).
NOT_A_NUMBER = "–"


def format_number(value: Decimal | int | float | None) -> str:
    """A number the Dutch way: thousands with a dot, decimals with a comma, no trailing zeros."""
    if value is None:
        return ""
    # str() first: Decimal(0.1) would carry the float's binary noise into the output.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return NOT_A_NUMBER
    if number == number.to_integral_value():
        digits, decimals = f"{int(number):,}", ""
    else:
        normalized = format(number.normalize(), "f")
        whole, decimals = normalized.split(".")
        digits = f"{int(whole):,}" if whole not in {"-0", "0"} else whole
    thousands, decimal_mark = separators()
    digits = digits.replace(",", thousands)
    return f"{digits}{decimal_mark}{decimals}" if decimals else digits


def separators() -> tuple[str, str]:
    """Dutch 7.452,5 by default; an English page gets 7,452.5."""
    language = get_language() or "nl"
    return (",", ".") if language.startswith("en") else (".", ",")

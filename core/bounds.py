"""Bounds on every number the portal takes in: one check for forms, Excel readers and services.

A number that parses (core.numbers) can still be nonsense: 100.000.000.000 dwellings, a rent of
1e308, a share of 150 %, NaN or Infinity from a spreadsheet cell. Such a number used to reach
the database and then break pages for everyone (a DecimalField column cannot hold it, so
PostgreSQL refuses the insert and SQLite stores what it cannot read back). Each kind of
quantity below says what it measures and so what it may be; ``bound_problem`` says in Dutch why
a value is refused (without the "where": the caller names sheet, row and column, or the field),
``check_bound`` raises it as a ValidationError, ``bound_validator`` is the same for a Django
form field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The Netherlands has about 8,2 million dwellings (CBS, 2024); no count of dwellings in any
# agreement, stock table or bid can be more than the whole country has, with room to grow.
NATIONAL_DWELLINGS = 10_000_000
# A count of a corporation's dwellings (a stock table, a year's new build) may exceed what the
# housing stock last knew of it (mergers, purchases, an earlier partial list), but not by this
# factor: a list ten times its known stock is a mistake (a wrong column, a cell in cents).
STOCK_MULTIPLE = 10
# Money (a liveability budget, an investment): the largest corporations invest a few hundred
# million euro a year; a billion is beyond any figure of one party in one year, and fits every
# amount column (DecimalField max_digits 12 and 14, two decimals).
MAX_MONEY = Decimal(1_000_000_000)
# A monthly net rent: the liberalisation boundary is under € 1.000 and mid-market rents end near
# € 1.200; no dwelling of a corporation is let for € 10.000 a month (a rent in cents would be).
MAX_RENT = Decimal(10_000)
# Any other count or number (label steps, lettings, a realised quantity): large enough for any
# figure of a municipality, small enough for every number column of the portal.
MAX_NUMBER = Decimal(1_000_000_000)
# A target of the framework may be national context (hundreds of thousands of dwellings,
# billions of euro); the target columns hold up to 10^12 (max_digits 14, two decimals).
MAX_TARGET = Decimal(100_000_000_000)


class Quantity(StrEnum):
    SHARE = "share"  # a percentage of something, 0 to 100
    SIGNED_SHARE = "signed_share"  # a change in per cent (rent increase), -100 to 100
    DWELLINGS = "dwellings"  # a whole number of dwellings, 0 to the national ceiling
    MONEY = "money"  # euro, 0 to MAX_MONEY
    SIGNED_MONEY = "signed_money"  # a difference in euro, -MAX_MONEY to MAX_MONEY
    RENT = "rent"  # a monthly rent in euro, 0 to MAX_RENT
    COUNT = "count"  # a whole number of anything, 0 to MAX_NUMBER
    NUMBER = "number"  # any other number, -MAX_NUMBER to MAX_NUMBER
    TARGET = "target"  # a target value of the framework, -MAX_TARGET to MAX_TARGET


@dataclass(frozen=True)
class _Bound:
    minimum: Decimal
    maximum: Decimal
    whole: bool = False


_BOUNDS = {
    Quantity.SHARE: _Bound(Decimal(0), Decimal(100)),
    Quantity.SIGNED_SHARE: _Bound(Decimal(-100), Decimal(100)),
    Quantity.DWELLINGS: _Bound(Decimal(0), Decimal(NATIONAL_DWELLINGS), whole=True),
    Quantity.MONEY: _Bound(Decimal(0), MAX_MONEY),
    Quantity.SIGNED_MONEY: _Bound(-MAX_MONEY, MAX_MONEY),
    Quantity.RENT: _Bound(Decimal(0), MAX_RENT),
    Quantity.COUNT: _Bound(Decimal(0), MAX_NUMBER, whole=True),
    Quantity.NUMBER: _Bound(-MAX_NUMBER, MAX_NUMBER),
    Quantity.TARGET: _Bound(-MAX_TARGET, MAX_TARGET),
}


def is_finite(value: Any) -> bool:
    """False for NaN and ±Infinity of a float or Decimal (pandas, openpyxl, calamine give
    them); True for every other value, numbers or not."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _shown(number: Decimal) -> str:
    """A number for a message: the Dutch way, or in short when it is absurdly long."""
    if abs(number) >= Decimal("1e15"):
        return f"{float(number):.3g}".replace(".", ",")
    from agreements.formatting import format_number  # agreements imports core, not back

    return format_number(number)


def bound_problem(
    value: Any, kind: Quantity | str, *, stock: Decimal | int | None = None
) -> str | None:
    """Why ``value`` cannot be a ``kind`` (a Dutch sentence), or None; None is no value.

    ``stock``: the dwellings the corporation has as far as the housing stock knows; a count of
    dwellings is then refused above STOCK_MULTIPLE times it.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return _("'%(value)s' is geen getal.") % {"value": value}
    if not is_finite(value):
        return _(
            "'%(value)s' is geen getal (niet eindig: NaN of oneindig); vul een gewoon getal in."
        ) % {"value": value}
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return _("'%(value)s' is geen getal.") % {"value": value}
    bound = _BOUNDS[Quantity(kind)]
    shown = _shown(number)
    if bound.whole and number != number.to_integral_value():
        return _("'%(value)s' is geen geheel aantal.") % {"value": shown}
    if number < bound.minimum:
        if bound.minimum == 0:
            return _("%(value)s kan niet: dit getal kan niet negatief zijn.") % {"value": shown}
        return _("%(value)s kan niet: het kleinste toegestane getal is %(min)s.") % {
            "value": shown,
            "min": _shown(bound.minimum),
        }
    if number > bound.maximum:
        return _too_large(kind, shown, bound)
    if kind == Quantity.DWELLINGS and stock:
        ceiling = Decimal(stock) * STOCK_MULTIPLE
        if number > ceiling:
            return _(
                "%(value)s woningen kan niet: dat is meer dan %(multiple)s keer de %(stock)s "
                "woningen die de corporatie volgens de woningvoorraad heeft."
            ) % {"value": shown, "multiple": STOCK_MULTIPLE, "stock": _shown(Decimal(stock))}
    return None


def _too_large(kind: Quantity | str, shown: str, bound: _Bound) -> str:
    maximum = _shown(bound.maximum)
    if kind in (Quantity.SHARE, Quantity.SIGNED_SHARE):
        return _("%(value)s %% kan niet: een percentage ligt tussen %(min)s en 100.") % {
            "value": shown,
            "min": _shown(bound.minimum),
        }
    if kind == Quantity.DWELLINGS:
        return _("%(value)s woningen kan niet: heel Nederland heeft er nog geen %(max)s.") % {
            "value": shown,
            "max": maximum,
        }
    if kind in (Quantity.MONEY, Quantity.SIGNED_MONEY):
        return _("€ %(value)s kan niet: een bedrag is hoogstens € %(max)s.") % {
            "value": shown,
            "max": maximum,
        }
    if kind == Quantity.RENT:
        return _("€ %(value)s kan niet: een maandhuur is hoogstens € %(max)s.") % {
            "value": shown,
            "max": maximum,
        }
    return _("%(value)s is te groot: hoogstens %(max)s.") % {"value": shown, "max": maximum}


def check_bound(
    value: Any, kind: Quantity | str, *, stock: Decimal | int | None = None, field: str = ""
) -> Any:
    """``value`` unchanged, or a ValidationError (at ``field`` when given) saying why not."""
    problem = bound_problem(value, kind, stock=stock)
    if problem:
        raise ValidationError({field: problem} if field else problem, code="out_of_bounds")
    return value


def bound_validator(kind: Quantity | str):
    """A Django validator for a form field that holds a ``kind``."""

    def validate(value: Any) -> None:
        check_bound(value, kind)

    return validate

"""Dutch formatting of figures and targets: 7.452, 92,5%, € 190.000, 150-200."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agreements.models import Target

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
    thousands, decimal_mark = _separators()
    digits = digits.replace(",", thousands)
    return f"{digits}{decimal_mark}{decimals}" if decimals else digits


def _separators() -> tuple[str, str]:
    """Dutch 7.452,5 by default; an English page gets 7,452.5."""
    language = get_language() or "nl"
    return (",", ".") if language.startswith("en") else (".", ",")


def format_money(value: Decimal | int | None) -> str:
    """Whole amounts without cents (€ 190.000), other amounts with two (€ 1.234,50)."""
    if value is None:
        return ""
    number = Decimal(value)
    if not number.is_finite():
        return NOT_A_NUMBER
    if number == number.to_integral_value():
        return f"€ {format_number(number)}"
    whole, cents = f"{abs(number):.2f}".split(".")
    sign = "-" if number < 0 else ""
    return f"€ {sign}{format_number(int(whole))}{_separators()[1]}{cents}"


_SYMBOL = {
    Target.Direction.AT_LEAST: "≥ ",
    Target.Direction.AT_MOST: "≤ ",
    Target.Direction.EXACTLY: "",
}


def _with_unit(number: str, unit: str) -> str:
    if unit.startswith("%"):
        return f"{number}{unit}"
    if unit.startswith("€"):
        rest = unit[1:].strip()
        return f"€ {number}" + (f" {rest}" if rest else "")
    return f"{number} {unit}".strip()


def describe_target(target: Target) -> str:
    """The target as one short Dutch phrase, e.g. "≥ 95%" or "150-200 meldingen per jaar"."""
    unit = target.unit or ""
    if target.kind == Target.Kind.END_STATE:
        year = f" {_('in')} {target.target_year}" if target.target_year else ""
        return f"{target.label}{year}"
    if target.kind == Target.Kind.RANGE:
        number = f"{format_number(target.value)}-{format_number(target.value_max)}"
        return _with_unit(number, unit)
    if target.kind == Target.Kind.MAX_SHARE:
        symbol = _SYMBOL[Target.Direction.AT_MOST]
    elif target.kind == Target.Kind.MIN_SHARE:
        symbol = _SYMBOL[Target.Direction.AT_LEAST]
    else:
        symbol = _SYMBOL.get(target.direction, "")
    return symbol + _with_unit(format_number(target.value), unit)


def describe_period(target: Target) -> str:
    if target.kind == Target.Kind.PERIOD_COUNT and target.period_start and target.target_year:
        return f"{target.period_start}-{target.target_year}"
    if target.per_year:
        return _("per jaar")
    if target.target_year:
        return str(target.target_year)
    return ""

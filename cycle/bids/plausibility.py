"""Whether a figure makes sense for its line: the one rule the web form, the Excel reader and
the save service all apply (each says where, in its own way: at the field, or with sheet, row
and column).

A share (the average rent increase, in per cent) lies between -100 and 100; a count is never
negative; and a count of the corporation's own homes (demolished, sold, renovated, made
accessible, let to permit holders) is never more than the homes it has, where the housing
stock knows that number.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from agreements.formatting import format_number
from core.bounds import Quantity, bound_problem, is_finite
from cycle.models import Figure

PERCENT_LIMIT = Decimal(100)
# What each figure measures, for the portal's bounds (core.bounds); the rest count dwellings.
FIGURE_QUANTITY = {
    Figure.RENT_INCREASE: Quantity.SIGNED_SHARE,
    Figure.LIVEABILITY: Quantity.MONEY,
    Figure.LABEL_STEPS: Quantity.COUNT,
}
# Counts of homes the corporation already owns: none can exceed its stock.
WITHIN_STOCK = {
    Figure.DEMOLITION,
    Figure.SALE,
    Figure.RENOVATION,
    Figure.ACCESSIBLE,
    Figure.PERMIT_HOLDERS,
}


def quantity_problem(
    figure: str, quantity: Decimal | None, *, stock: Decimal | None = None
) -> str | None:
    """Why ``quantity`` makes no sense for ``figure`` (a Dutch sentence), or None."""
    if quantity is None:
        return None
    if not is_finite(quantity):
        return bound_problem(quantity, Quantity.NUMBER)
    if figure == Figure.RENT_INCREASE:
        if abs(quantity) > PERCENT_LIMIT:
            return _(
                "%(value)s %% kan niet: een percentage ligt tussen -100 en 100. "
                "Typ bijvoorbeeld 3,2 voor 3,2 %%."
            ) % {"value": format_number(quantity)}
        return bound_problem(quantity, Quantity.SIGNED_SHARE)
    if quantity < 0:
        return _("Een aantal kan niet negatief zijn.")
    problem = bound_problem(quantity, FIGURE_QUANTITY.get(figure, Quantity.DWELLINGS), stock=stock)
    if problem:
        return problem
    if figure in WITHIN_STOCK and stock is not None and quantity > stock:
        return _(
            "%(value)s is meer dan de %(stock)s woningen die de corporatie volgens de "
            "woningvoorraad heeft."
        ) % {"value": format_number(quantity), "stock": format_number(stock)}
    return None

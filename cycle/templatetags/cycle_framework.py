"""The notice of a cycle year without a framework in force, for the one template
templates/cycle/_framework_notice.html, which base.html includes on every page: it shows on the
pages of a cycle year (a ``cycle_year``, ``jaarschijf``, ``evaluation`` or ``bid`` in the
context) and renders nothing elsewhere."""

from __future__ import annotations

from typing import Any

from django import template

from cycle.models import Bid, CycleYear, Evaluation, Jaarschijf
from cycle.selectors import FrameworkNotice, framework_notice

register = template.Library()


# Where a page of a cycle year keeps it: in ``cycle_year``, or on the document the page shows.
DOCUMENTS = ("jaarschijf", "evaluation", "bid")


def page_cycle_year(context: Any) -> CycleYear | None:
    cycle_year = context.get("cycle_year")
    if isinstance(cycle_year, CycleYear):
        return cycle_year
    for name in DOCUMENTS:
        document = context.get(name)
        if isinstance(document, Jaarschijf | Evaluation | Bid):
            return document.cycle_year
    return None


@register.simple_tag(takes_context=True)
def cycle_framework_notice(context: Any) -> FrameworkNotice | None:
    """The notice for the page's cycle year, or None (not a cycle year's page, or a framework
    is in force)."""
    user = context.get("user")
    cycle_year = page_cycle_year(context)
    if user is None or cycle_year is None:
        return None
    return framework_notice(cycle_year, user)

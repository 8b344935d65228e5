"""Compliance checks of the evaluation as pure functions: numbers in, a traffic light out.

No database here: cycle.evaluation.selectors gathers the figures and calls these. Every light
comes with its rule written out (``Rule``), because a colour alone says nothing to someone who
cannot see it, nor to the alderman who asks "why orange?".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.formatting import format_number

HUNDRED = Decimal(100)
# How far below a minimum share (in percentage points) still counts as orange.
SHARE_MARGIN = Decimal("2.5")
# Progress: orange from this fraction of what was due by now.
PROGRESS_ORANGE = Decimal("0.8")
# Condition score: orange within this much below the minimum.
CONDITION_MARGIN = Decimal("0.2")
# Realisation of contributions: green / orange from these shares (partly counts half).
REALISED_GREEN = Decimal("0.8")
REALISED_ORANGE = Decimal("0.5")


class Light(models.TextChoices):
    GREEN = "groen", gettext_lazy("Groen")
    ORANGE = "oranje", gettext_lazy("Oranje")
    RED = "rood", gettext_lazy("Rood")
    NONE = "geen", gettext_lazy("Geen gegevens")


# Worst first: a theme is as good as its worst check.
_SEVERITY = {Light.RED: 3, Light.ORANGE: 2, Light.GREEN: 1, Light.NONE: 0}


def worst(lights: Iterable[Light]) -> Light:
    result = Light.NONE
    for light in lights:
        if _SEVERITY[Light(light)] > _SEVERITY[result]:
            result = Light(light)
    return result


def pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{format_number(round_1(value))}%"


def round_1(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole in percent, or None when either is unknown or whole is zero."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


@dataclass
class Outcome:
    light: Light
    rule: str


# --- shares -------------------------------------------------------------------------------


def min_share(value: Decimal | None, minimum: Decimal, *, lower: Decimal | None = None) -> Outcome:
    """At least ``minimum`` percent. Orange down to ``lower`` (default: minimum - 2,5 points)."""
    floor = lower if lower is not None else minimum - SHARE_MARGIN
    rule = _("groen ≥ %(min)s; oranje %(floor)s tot %(min)s; rood < %(floor)s") % {
        "min": pct(minimum),
        "floor": pct(floor),
    }
    if value is None:
        return Outcome(Light.NONE, rule)
    if value >= minimum:
        return Outcome(Light.GREEN, rule)
    if value >= floor:
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)


def max_share(value: Decimal | None, maximum: Decimal) -> Outcome:
    """At most ``maximum`` percent; orange up to 2,5 points above."""
    ceiling = maximum + SHARE_MARGIN
    rule = _("groen ≤ %(max)s; oranje tot %(ceiling)s; rood > %(ceiling)s") % {
        "max": pct(maximum),
        "ceiling": pct(ceiling),
    }
    if value is None:
        return Outcome(Light.NONE, rule)
    if value <= maximum:
        return Outcome(Light.GREEN, rule)
    if value <= ceiling:
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)


def daeb_share(value: Decimal | None, norm: Decimal, local: Decimal | None) -> Outcome:
    """DAEB toewijzen: at least the norm (92,5%); with local agreements the free room may be
    widened to the local figure (85%): between the two is orange (allowed, to be discussed)."""
    return min_share(value, norm, lower=local)


# --- the permit-holder task ---------------------------------------------------------------


def divide_by_stock(task: int, stock: Mapping[str, Decimal | int]) -> dict[str, int]:
    """Divide a whole-number task over the corporations in proportion to their stock.

    Largest remainder: the parts are whole dwellings and always add up to the task; ties go to
    the larger stock, then to the name (deterministic).
    """
    total = sum((Decimal(v) for v in stock.values()), Decimal(0))
    if task <= 0 or total <= 0:
        return dict.fromkeys(stock, 0)
    exact = {name: Decimal(task) * Decimal(v) / total for name, v in stock.items()}
    parts = {name: int(value) for name, value in exact.items()}
    left = task - sum(parts.values())
    order = sorted(exact, key=lambda n: (-(exact[n] - parts[n]), -Decimal(stock[n]), n))
    for name in order[:left]:
        parts[name] += 1
    return parts


def task_share(lettings: int | None, due: int) -> Outcome:
    """The corporation's part of the yearly task: housed at least its part."""
    rule = _("groen ≥ het deel naar rato (%(due)s); oranje ≥ 80%% daarvan; rood daaronder") % {
        "due": format_number(due)
    }
    if lettings is None:
        return Outcome(Light.NONE, rule)
    if lettings >= due:
        return Outcome(Light.GREEN, rule)
    if Decimal(lettings) >= PROGRESS_ORANGE * due:
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)


# --- progress towards targets ---------------------------------------------------------------


def due_by(
    goal: Decimal, *, start: int, end: int, year: int, baseline: Decimal = Decimal(0)
) -> Decimal:
    """What should have been reached by the end of ``year`` on a straight line from
    ``baseline`` (before ``start``) to ``goal`` (at the end of ``end``)."""
    years = end - start + 1
    elapsed = min(max(year - start + 1, 0), years)
    return baseline + (goal - baseline) * Decimal(elapsed) / Decimal(years)


def progress(
    realised: Decimal | None, due: Decimal, goal: Decimal, *, baseline: Decimal = Decimal(0)
) -> Outcome:
    """Realised so far against what was due by now (straight line towards the goal)."""
    rule = _(
        "groen: op of boven schema (%(due)s van %(goal)s); oranje ≥ 80%% van de toename "
        "die nu klaar had moeten zijn; rood daaronder"
    ) % {"due": format_number(round_1(due)), "goal": format_number(goal)}
    if realised is None:
        return Outcome(Light.NONE, rule)
    if realised >= due:
        return Outcome(Light.GREEN, rule)
    if realised - baseline >= PROGRESS_ORANGE * (due - baseline):
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)


def condition(score: Decimal | None, minimum: Decimal) -> Outcome:
    floor = minimum - CONDITION_MARGIN
    rule = _("groen ≥ %(min)s; oranje %(floor)s tot %(min)s; rood < %(floor)s") % {
        "min": format_number(minimum),
        "floor": format_number(floor),
    }
    if score is None:
        return Outcome(Light.NONE, rule)
    if score >= minimum:
        return Outcome(Light.GREEN, rule)
    if score >= floor:
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)


# --- realisation of contributions -------------------------------------------------------------


def realisation_score(statuses: Iterable[str]) -> Decimal | None:
    """Share (0-1) realised: gerealiseerd 1, deels ½, niet and doorgeschoven 0."""
    weights = {"gerealiseerd": Decimal(1), "deels": Decimal("0.5")}
    items = list(statuses)
    if not items:
        return None
    return sum((weights.get(s, Decimal(0)) for s in items), Decimal(0)) / len(items)


def realisation(statuses: Iterable[str]) -> Outcome:
    rule = _(
        "groen ≥ 80% van de bijdragen gerealiseerd; oranje ≥ 50%; rood daaronder (deels telt half)"
    )
    score = realisation_score(statuses)
    if score is None:
        return Outcome(Light.NONE, rule)
    if score >= REALISED_GREEN:
        return Outcome(Light.GREEN, rule)
    if score >= REALISED_ORANGE:
        return Outcome(Light.ORANGE, rule)
    return Outcome(Light.RED, rule)

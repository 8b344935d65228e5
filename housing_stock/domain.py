"""The vocabulary of the housing stock: tables, their categories, rent classes and labels.

Pure Python (no database): the keys here are what StockCount rows, fixtures, the Excel
templates and the charts share. Every category has a stable English-ish key and a Dutch label.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

TOTAL = "totaal"  # row or column key of a total *as stated by the source*; never summed


class StockTable(models.TextChoices):
    TYPE_RENT = "type_rent", _("Woningtype × huurprijsklasse")
    ENERGY_LABEL = "energy_label", _("Energielabels")
    BAT = "bat", _("Toegankelijkheid (BAT-klasse)")
    NULTREDEN = "nultreden", _("Nultredenwoningen")
    CONDITION = "condition", _("Conditiescore (NEN 2767)")
    RENT_SHARE = "rent_share", _("Verdeling naar huurprijsklasse (%)")
    BAT_DEMAND = "bat_demand", _("Vraag naar toegankelijke woningen 2030")


class RentClass(models.TextChoices):
    GOEDKOOP = "goedkoop", _("Goedkoop")
    BETAALBAAR_1 = "betaalbaar_1", _("Betaalbaar 1")
    BETAALBAAR_2 = "betaalbaar_2", _("Betaalbaar 2")
    DUUR = "duur", _("Duur")
    GELIBERALISEERD = "geliberaliseerd", _("Geliberaliseerd")


class DwellingType(models.TextChoices):
    GRONDGEBONDEN_1 = "grondgebonden_1", _("Grondgebonden 1 kamer")
    GRONDGEBONDEN_MEER = "grondgebonden_meer", _("Grondgebonden > 1 kamer")
    GESTAPELD_ZONDER_LIFT = "gestapeld_zonder_lift", _("Gestapeld zonder lift")
    GESTAPELD_MET_LIFT = "gestapeld_met_lift", _("Gestapeld met lift")
    ANDERS = "anders", _("Anders")


class EnergyLabel(models.TextChoices):
    A = "A", _("A of beter")
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class BatClass(models.TextChoices):
    BAT_0 = "0", _("BAT 0 ongeschikt")
    BAT_1 = "1", _("BAT 1 wandelstokgeschikt")
    BAT_2 = "2", _("BAT 2 rollatorbewoonbaar")
    BAT_3 = "3", _("BAT 3 rolstoelbewoonbaar")
    BAT_4 = "4", _("BAT 4 geschikt voor verpleegzorg")


class ConditionScore(models.TextChoices):
    C1 = "1", _("1 uitstekend")
    C2 = "2", _("2 goed")
    C3 = "3", _("3 redelijk")
    C4 = "4", _("4 matig")
    C5 = "5", _("5 slecht")
    C6 = "6", _("6 zeer slecht")


class Measure(models.TextChoices):
    COUNT = "aantal", _("Aantal woningen")
    PERCENTAGE = "percentage", _("Percentage")
    DEMAND = "vraag", _("Vraag")
    DIFFERENCE = "verschil", _("Verschil met aanbod")


NULTREDEN_YES = "nultreden"
NULTREDEN_NO = "niet_nultreden"
NULTREDEN_ROWS = {NULTREDEN_YES: _("Nultreden"), NULTREDEN_NO: _("Niet nultreden")}


@dataclass(frozen=True)
class TableShape:
    """Which row and column keys a table has; counts are whole numbers >= 0."""

    rows: dict[str, str]
    cols: dict[str, str]
    counts: bool = True  # False: the values are percentages or signed differences


def _choices(enum: type[models.TextChoices]) -> dict[str, str]:
    return dict(enum.choices)


TABLE_SHAPES: dict[str, TableShape] = {
    StockTable.TYPE_RENT: TableShape(_choices(DwellingType), _choices(RentClass)),
    StockTable.ENERGY_LABEL: TableShape(
        _choices(EnergyLabel), {Measure.COUNT: Measure.COUNT.label}
    ),
    StockTable.BAT: TableShape(_choices(BatClass), {Measure.COUNT: Measure.COUNT.label}),
    StockTable.NULTREDEN: TableShape(dict(NULTREDEN_ROWS), {Measure.COUNT: Measure.COUNT.label}),
    StockTable.CONDITION: TableShape(
        _choices(ConditionScore), {Measure.COUNT: Measure.COUNT.label}
    ),
    StockTable.RENT_SHARE: TableShape(
        _choices(RentClass), {Measure.PERCENTAGE: Measure.PERCENTAGE.label}, counts=False
    ),
    StockTable.BAT_DEMAND: TableShape(
        {k: v for k, v in BatClass.choices if k != "0"},
        {Measure.DEMAND: Measure.DEMAND.label, Measure.DIFFERENCE: Measure.DIFFERENCE.label},
        counts=False,
    ),
}

# Extra measures a source may state beside the counts (the seed gives label percentages).
OPTIONAL_COLS: dict[str, dict[str, str]] = {
    StockTable.ENERGY_LABEL: {Measure.PERCENTAGE: Measure.PERCENTAGE.label},
}


def row_label(table: str, key: str) -> str:
    if key == TOTAL:
        return str(_("Totaal"))
    return str(TABLE_SHAPES[table].rows.get(key, key))


def col_label(table: str, key: str) -> str:
    if key == TOTAL:
        return str(_("Totaal"))
    shape = TABLE_SHAPES[table]
    return str(shape.cols.get(key) or OPTIONAL_COLS.get(table, {}).get(key, key))


# --- rent classification -------------------------------------------------------------------


class RentBoundaries(Protocol):
    year: int
    kwaliteitskortingsgrens: Decimal | None
    aftoppingsgrens_1: Decimal | None
    aftoppingsgrens_2: Decimal | None
    liberalisatiegrens: Decimal | None


BOUNDARY_FIELDS: list[tuple[str, str, str]] = [
    # (field, Dutch name, the class at or below it)
    ("kwaliteitskortingsgrens", "kwaliteitskortingsgrens", RentClass.GOEDKOOP),
    ("aftoppingsgrens_1", "1e aftoppingsgrens", RentClass.BETAALBAAR_1),
    ("aftoppingsgrens_2", "2e aftoppingsgrens", RentClass.BETAALBAAR_2),
    ("liberalisatiegrens", "liberalisatiegrens", RentClass.DUUR),
]


class MissingBoundaryError(ValueError):
    """The reference year lacks a rent class boundary, so rents cannot be classified."""


def classify_rent(rent: Decimal, year: RentBoundaries) -> RentClass:
    """The rent class of a monthly net rent, with the boundaries of the given year.

    Each boundary belongs to the lower class ("tot en met"): a rent equal to the
    kwaliteitskortingsgrens is Goedkoop, one cent above it Betaalbaar 1.
    """
    missing = [name for field, name, _cls in BOUNDARY_FIELDS if getattr(year, field) is None]
    if missing:
        raise MissingBoundaryError(
            f"Voor {year.year} ontbreekt de {', '.join(missing)}; vul de referentiegegevens van "
            f"dat jaar aan voordat huren worden ingedeeld."
        )
    if rent < 0:
        raise ValueError(f"Een huur kan niet negatief zijn: {rent}.")
    for field, _name, rent_class in BOUNDARY_FIELDS:
        if rent <= getattr(year, field):
            return RentClass(rent_class)
    return RentClass.GELIBERALISEERD


# --- energy label steps --------------------------------------------------------------------

_LABEL_ORDER = ["G", "F", "E", "D", "C", "B", "A"]


def normalise_label(label: str) -> str:
    """'A++' and 'a+' become 'A' (the seed counts "A of beter" together); 'b' becomes 'B'."""
    text = label.strip().upper().replace(" ", "")
    if text.startswith("A") and set(text[1:]) <= {"+"}:
        return "A"
    if text in {"AOFBETER"}:
        return "A"
    if text in _LABEL_ORDER:
        return text
    raise ValueError(f"Onbekend energielabel: {label!r}.")


def label_steps(before: str, after: str) -> int:
    """Energy label steps from one label to another (seed appendix).

    F -> A (new build) = 5 steps; F -> B (renovation) = 4 steps. "A of beter" counts as A.
    A worsening gives a negative number.
    """
    return _LABEL_ORDER.index(normalise_label(after)) - _LABEL_ORDER.index(normalise_label(before))

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from housing_stock.domain import MissingBoundaryError, RentClass, classify_rent
from housing_stock.models import ReferenceYear

# REFERENCE_DATA.md, rent class boundaries per year (2026: 1e aftoppingsgrens unknown).
BOUNDARIES = {
    2020: ("432.51", "619.01", "663.40", "737.14"),
    2021: ("442.46", "633.25", "678.66", "752.33"),
    2022: ("442.46", "633.25", "678.66", "763.47"),
    2023: ("452.20", "647.19", "693.60", "808.06"),
    2024: ("454.47", "650.43", "697.07", "879.66"),
    2025: ("477.20", "682.96", "731.93", "900.07"),
}
ORDER = [
    RentClass.GOEDKOOP,
    RentClass.BETAALBAAR_1,
    RentClass.BETAALBAAR_2,
    RentClass.DUUR,
    RentClass.GELIBERALISEERD,
]
CENT = Decimal("0.01")


@dataclass
class Year:
    year: int
    kwaliteitskortingsgrens: Decimal | None
    aftoppingsgrens_1: Decimal | None
    aftoppingsgrens_2: Decimal | None
    liberalisatiegrens: Decimal | None


def year(y: int) -> Year:
    return Year(y, *(Decimal(v) for v in BOUNDARIES[y]))


BOUNDARY_CASES = [
    (y, i, Decimal(value)) for y, values in BOUNDARIES.items() for i, value in enumerate(values)
]


@pytest.mark.parametrize(("y", "index", "boundary"), BOUNDARY_CASES)
def test_boundary_belongs_to_the_lower_class(y, index, boundary):
    assert classify_rent(boundary, year(y)) == ORDER[index]


@pytest.mark.parametrize(("y", "index", "boundary"), BOUNDARY_CASES)
def test_one_cent_above_a_boundary_is_the_next_class(y, index, boundary):
    assert classify_rent(boundary + CENT, year(y)) == ORDER[index + 1]


@pytest.mark.parametrize("y", list(BOUNDARIES))
def test_zero_rent_is_goedkoop(y):
    assert classify_rent(Decimal("0"), year(y)) == RentClass.GOEDKOOP


def test_negative_rent_is_refused():
    with pytest.raises(ValueError, match="negatief"):
        classify_rent(Decimal("-0.01"), year(2020))


def test_missing_boundary_raises_a_dutch_error():
    incomplete = Year(2026, Decimal("498.20"), None, Decimal("764.14"), Decimal("932.93"))
    with pytest.raises(MissingBoundaryError, match="Voor 2026 ontbreekt de 1e aftoppingsgrens"):
        classify_rent(Decimal("500"), incomplete)


rents = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@given(y=st.sampled_from(list(BOUNDARIES)), a=rents, b=rents)
def test_classes_are_monotone_in_rent(y, a, b):
    low, high = sorted([a, b])
    assert ORDER.index(classify_rent(low, year(y))) <= ORDER.index(classify_rent(high, year(y)))


@given(y=st.sampled_from(list(BOUNDARIES)), rent=rents)
def test_every_non_negative_rent_has_exactly_the_class_of_its_interval(y, rent):
    bounds = [Decimal(v) for v in BOUNDARIES[y]]
    expected = next((ORDER[i] for i, b in enumerate(bounds) if rent <= b), ORDER[-1])
    assert classify_rent(rent, year(y)) == expected


# --- the fixture rows ----------------------------------------------------------------------


@pytest.mark.parametrize("y", list(BOUNDARIES))
def test_fixture_rent_boundaries_match_reference_data(stock_demo, y):
    row = ReferenceYear.objects.get(year=y)
    stored = (
        row.kwaliteitskortingsgrens,
        row.aftoppingsgrens_1,
        row.aftoppingsgrens_2,
        row.liberalisatiegrens,
    )
    assert stored == tuple(Decimal(v) for v in BOUNDARIES[y])


def test_reference_years_2020_to_2026_are_loaded(stock_demo):
    assert list(ReferenceYear.objects.values_list("year", flat=True)) == list(range(2020, 2027))


def test_2026_unknown_boundary_is_empty_and_doubtful_values_are_flagged(stock_demo):
    row = ReferenceYear.objects.get(year=2026)
    assert row.aftoppingsgrens_1 is None
    assert row.liberalisatiegrens == Decimal("932.93")
    assert row.unverified_fields == ["aftoppingsgrens_2", "kwaliteitskortingsgrens"]
    with pytest.raises(MissingBoundaryError):
        classify_rent(Decimal("600"), row)


def test_verified_years_have_no_flags(stock_demo):
    assert all(r.is_verified for r in ReferenceYear.objects.exclude(year=2026))


@pytest.mark.parametrize(
    ("y", "field", "value"),
    [
        (2020, "daeb_income_single", 39055),
        (2020, "daeb_income_second", 43574),
        (2020, "passend_multi_aow", 31475),
        (2021, "daeb_income_second", 44655),
        (2022, "daeb_income_multi", 45014),
        (2023, "daeb_income_single", 44035),
        (2024, "passend_single_aow", 27225),
        (2024, "passend_multi_aow", None),
        (2025, "middenhuur_upper", Decimal("1184.82")),
        (2025, "passend_multi_aow", 37350),
        (2026, "daeb_income_multi", 56910),
        (2026, "middenhuur_upper", Decimal("1228.07")),
        (2021, "passend_single", None),
    ],
)
def test_fixture_income_limits(stock_demo, y, field, value):
    assert getattr(ReferenceYear.objects.get(year=y), field) == value


def test_admin_flags_unverified_values(stock_demo, admin_client):
    row = ReferenceYear.objects.get(year=2026)
    listing = admin_client.get("/admin/housing_stock/referenceyear/").content.decode()
    assert "⚠ 2e aftoppingsgrens" in listing
    change = admin_client.get(
        f"/admin/housing_stock/referenceyear/{row.pk}/change/"
    ).content.decode()
    assert "⚠ kwaliteitskortingsgrens" in change
    assert "Niet geverifieerd" in change

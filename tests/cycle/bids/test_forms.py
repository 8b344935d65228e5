"""The bid web form reads Dutch numbers through the one parser and refuses figures that make
no sense for their line, saying what to type."""

from decimal import Decimal

import pytest

from cycle.bids.forms import BidLinesForm


def form(world, bid, data, **kwargs):
    return BidLinesForm(data, bid=bid, lines={}, agreements=[world.agreement], **kwargs)


@pytest.mark.parametrize(
    ("field", "typed", "number"),
    [
        ("quantity_leefbaarheid", "75.000", Decimal(75000)),
        ("quantity_leefbaarheid", "75000", Decimal(75000)),
        ("quantity_leefbaarheid", "€ 1.250,50", Decimal("1250.50")),
        ("quantity_huurverhoging", "2,9", Decimal("2.9")),
        ("quantity_huurverhoging", "2,9%", Decimal("2.9")),
        ("quantity_sloop", "1.250", Decimal(1250)),
    ],
)
def test_dutch_numbers_are_accepted(world, draft_bid, field, typed, number):
    bound = form(world, draft_bid, {field: typed})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data[field] == number


@pytest.mark.parametrize("typed", ["veel", "1,234.5", "1.23,5"])
def test_unreadable_numbers_are_refused_with_what_to_type(world, draft_bid, typed):
    bound = form(world, draft_bid, {"quantity_sloop": typed})
    assert not bound.is_valid()
    (message,) = bound.errors["quantity_sloop"]
    assert f"‘{typed}’ is geen getal" in message
    assert "Typ een getal zoals 75.000, 75000, 2,9 of € 1.250,50" in message
    assert "cijfers" not in message  # not Django's "digits after the comma"


def test_too_many_decimals_says_so(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_huurverhoging": "2,955"})
    assert bound.errors["quantity_huurverhoging"] == [
        "Gebruik hoogstens 2 cijfers achter de komma (u typte ‘2,955’)."
    ]


def test_a_share_over_100_percent_is_refused(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_huurverhoging": "120"})
    assert "een percentage ligt tussen -100 en 100" in bound.errors["quantity_huurverhoging"][0]


def test_a_negative_count_is_refused(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_sloop": "-4"})
    assert bound.errors["quantity_sloop"] == ["Een aantal kan niet negatief zijn."]


def test_a_count_over_the_stock_is_refused(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_verkoop": "5.000"}, stock=Decimal(4908))
    assert bound.errors["quantity_verkoop"] == [
        "5.000 is meer dan de 4.908 woningen die de corporatie volgens de woningvoorraad heeft."
    ]
    # New homes are not part of the stock yet.
    assert form(world, draft_bid, {"quantity_nieuwbouw": "5.000"}, stock=Decimal(4908)).is_valid()


def test_stored_numbers_are_shown_the_dutch_way(world, draft_bid):
    line = draft_bid.lines.get(figure="huurverhoging")
    line.quantity = Decimal("2.90")
    unbound = BidLinesForm(
        bid=draft_bid, lines={"huurverhoging": line}, agreements=[world.agreement]
    )
    assert 'value="2,90"' in str(unbound["quantity_huurverhoging"])


def test_an_absurdly_long_number_is_refused_not_a_server_error(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_sloop": "1" * 45 + ",123"})
    assert "geen getal" in bound.errors["quantity_sloop"][0]
    bound = form(world, draft_bid, {"quantity_sloop": "1" * 35 + ",123"})
    assert not bound.is_valid()


def test_trailing_zeros_are_no_extra_decimals(world, draft_bid):
    bound = form(world, draft_bid, {"quantity_huurverhoging": "2,900"})
    assert bound.is_valid(), bound.errors

"""The one number parser reads what Dutch people type and refuses what it cannot read safely."""

from decimal import Decimal, InvalidOperation

import pytest

from core.numbers import parse_dutch_decimal


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("75.000", Decimal(75000)),
        ("75000", Decimal(75000)),
        ("2,9", Decimal("2.9")),
        ("€ 1.250,50", Decimal("1250.50")),
        ("€\u00a01.250,50", Decimal("1250.50")),
        ("1.234.567", Decimal(1234567)),
        ("75 000", Decimal(75000)),
        ("-3", Decimal(-3)),
        ("\u22123,5", Decimal("-3.5")),
        (",5", Decimal("0.5")),
        ("12.5", Decimal("12.5")),  # a decimal point, as a spreadsheet writes it
        (" 0 ", Decimal(0)),
    ],
)
def test_reads_numbers_as_dutch_people_type_them(text, number):
    assert parse_dutch_decimal(text) == number


@pytest.mark.parametrize(
    "text",
    ["abc", "12a", "1e5", "1,234.5", "1.23,5", "1.2.3", "2,9,1", "€", "-", "NaN", "Infinity"],
)
def test_refuses_what_is_no_number_or_can_be_read_two_ways(text):
    with pytest.raises(InvalidOperation):
        parse_dutch_decimal(text)


def test_empty_is_none():
    assert parse_dutch_decimal("  ") is None and parse_dutch_decimal(None) is None


@pytest.mark.parametrize(("text", "number"), [("3,2%", "3.2"), ("3,2 %", "3.2"), ("3,2", "3.2")])
def test_percentage_text_is_in_per_cent(text, number):
    from core.numbers import parse_dutch_percentage

    assert parse_dutch_percentage(text) == Decimal(number)

"""Dutch formatting of figures and targets, and the small text format of framework texts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from agreements.formatting import describe_period, describe_target, format_money, format_number
from agreements.models import Target
from agreements.templatetags.framework_format import agreement_text


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


# --- Numbers and money ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("-inf")])
def test_a_number_that_is_no_number_shows_a_dash_not_an_error(value):
    # core.bounds keeps them out; a value that got in anyway never breaks a page.
    assert format_number(value) == "–"
    assert format_money(value) == "–"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7452, "7.452"),
        (Decimal("7452.00"), "7.452"),
        (Decimal("92.5"), "92,5"),
        (Decimal("92.50"), "92,5"),
        (Decimal("0.5"), "0,5"),
        (0, "0"),
        (478, "478"),
        (1_234_567, "1.234.567"),
        (Decimal("1234.56"), "1.234,56"),
        (-7452, "-7.452"),
        (Decimal("-0.5"), "-0,5"),
        (Decimal("-1234.5"), "-1.234,5"),
        (92.5, "92,5"),
    ],
)
def test_format_number_is_dutch(value, expected):
    assert format_number(value) == expected


def test_format_number_of_nothing_is_empty():
    assert format_number(None) == ""


def test_format_number_of_a_float_shows_the_float_not_its_binary_expansion():
    # Decimal(0.1) is 0.1000000000000000055511151231257827...; a float must print as written.
    assert format_number(0.1) == "0,1"
    assert format_number(7.3) == "7,3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (190000, "€ 190.000"),
        (Decimal("190000.00"), "€ 190.000"),
        (Decimal("1234.56"), "€ 1.234,56"),
    ],
)
def test_format_money_is_dutch(value, expected):
    assert format_money(value) == expected


def test_format_money_with_cents_shows_two_decimals():
    # € 1.234,5 reads as a typo: amounts with cents always show two digits (€ 1.234,50).
    assert format_money(Decimal("1234.5")) == "€ 1.234,50"


def test_format_money_of_nothing_is_empty():
    assert format_money(None) == ""


def test_template_filters_format_the_dutch_way():
    template = Template("{% load framework_format %}{{ n|nl_number }} | {{ m|nl_money }}")

    rendered = template.render(Context({"n": Decimal("7452"), "m": 190000}))

    assert rendered == "7.452 | € 190.000"


# --- Targets -------------------------------------------------------------------------------


def target(**kwargs) -> Target:
    """An unsaved target: describing one needs no database."""
    kwargs.setdefault("label", "Doel")
    return Target(**kwargs)


def test_value_target_is_number_and_unit():
    t = target(kind=Target.Kind.VALUE, value=Decimal("7452"), unit="woningen")
    assert describe_target(t) == "7.452 woningen"


def test_value_target_at_least_has_the_sign():
    t = target(
        kind=Target.Kind.VALUE, direction=Target.Direction.AT_LEAST, value=515, unit="woningen"
    )
    assert describe_target(t) == "≥ 515 woningen"


def test_value_target_at_most_has_the_sign():
    t = target(
        kind=Target.Kind.VALUE, direction=Target.Direction.AT_MOST, value=35, unit="woningen"
    )
    assert describe_target(t) == "≤ 35 woningen"


def test_value_target_in_euros_puts_the_euro_sign_first():
    t = target(kind=Target.Kind.VALUE, value=190000, unit="€")
    assert describe_target(t) == "€ 190.000"


def test_value_target_in_euros_keeps_the_rest_of_the_unit():
    t = target(kind=Target.Kind.VALUE, value=Decimal("190000.00"), unit="€ per jaar")
    assert describe_target(t) == "€ 190.000 per jaar"


def test_value_target_in_percent_has_no_space():
    t = target(kind=Target.Kind.VALUE, value=Decimal("92.5"), unit="%")
    assert describe_target(t) == "92,5%"


def test_range_target_is_lower_dash_upper():
    t = target(
        kind=Target.Kind.RANGE,
        value=Decimal("150"),
        value_max=Decimal("200"),
        unit="meldingen per jaar",
    )
    assert describe_target(t) == "150-200 meldingen per jaar"


def test_max_share_target_reads_at_most():
    t = target(
        kind=Target.Kind.MAX_SHARE,
        direction=Target.Direction.AT_MOST,
        value=10,
        unit="% van de vrijkomende woningen",
    )
    assert describe_target(t) == "≤ 10% van de vrijkomende woningen"


def test_min_share_target_reads_at_least():
    t = target(
        kind=Target.Kind.MIN_SHARE,
        direction=Target.Direction.AT_LEAST,
        value=95,
        unit="% passend toegewezen",
    )
    assert describe_target(t) == "≥ 95% passend toegewezen"


@pytest.mark.parametrize(
    ("kind", "sign"), [(Target.Kind.MAX_SHARE, "≤"), (Target.Kind.MIN_SHARE, "≥")]
)
def test_share_target_has_its_sign_even_without_a_direction(kind, sign):
    # A maximum share is "at most" by its kind; the direction field (default "exactly") must
    # not be able to turn "≤ 10%" into a bare "10%".
    t = target(kind=kind, value=10, unit="%")
    assert describe_target(t) == f"{sign} 10%"


def test_period_count_target_is_number_and_unit_with_its_period():
    t = target(
        kind=Target.Kind.PERIOD_COUNT,
        value=478,
        unit="woningen",
        period_start=2021,
        target_year=2025,
    )
    assert describe_target(t) == "478 woningen"
    assert describe_period(t) == "2021-2025"


def test_end_state_target_is_label_in_year():
    t = target(kind=Target.Kind.END_STATE, label="CO2-neutrale woningvoorraad", target_year=2050)
    assert describe_target(t) == "CO2-neutrale woningvoorraad in 2050"


def test_end_state_target_without_year_is_its_label():
    t = target(kind=Target.Kind.END_STATE, label="Alle woningen aardgasvrij")
    assert describe_target(t) == "Alle woningen aardgasvrij"


def test_period_of_a_yearly_target_is_per_jaar():
    t = target(kind=Target.Kind.RANGE, value=150, value_max=200, unit="meldingen", per_year=True)
    assert describe_period(t) == "per jaar"


def test_period_of_a_target_with_a_year_is_the_year():
    t = target(kind=Target.Kind.VALUE, value=1, unit="", target_year=2025)
    assert describe_period(t) == "2025"


def test_period_of_a_target_without_one_is_empty():
    assert describe_period(target(kind=Target.Kind.VALUE, value=1)) == ""


# --- Framework text format -----------------------------------------------------------------


def test_agreement_text_escapes_html():
    html = agreement_text('Zie <script>alert("x")</script> & <b>vet</b>')

    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html


def test_agreement_text_escapes_html_in_headings_and_list_items():
    html = agreement_text("## Kop <img src=x onerror=alert(1)>\n\n- punt <script>x</script>")

    assert "<img" not in html
    assert "<script>" not in html
    assert "&lt;img" in html
    assert "&lt;script&gt;" in html


def test_agreement_text_blank_lines_separate_paragraphs():
    html = agreement_text("Eerste alinea\nloopt door.\n\nTweede alinea.")

    assert html.count("<p") == 2
    assert ">Eerste alinea loopt door.</p>" in html


def test_agreement_text_renders_a_subheading_at_the_given_level():
    html = agreement_text("## Sloop\n\nWe slopen 478 woningen.", 2)

    assert '<h2 class="pa-text-heading">Sloop</h2>' in html
    assert ">We slopen 478 woningen.</p>" in html


def test_agreement_text_subheading_defaults_to_level_three_and_is_clamped():
    assert "<h3" in agreement_text("## Kop")
    assert "<h2" in agreement_text("## Kop", 1)
    assert "<h6" in agreement_text("## Kop", 9)


def test_agreement_text_heading_followed_by_text_in_the_same_block():
    html = agreement_text("## Nieuwbouw\nWe bouwen 515 woningen.", 3)

    assert ">Nieuwbouw</h3>" in html
    assert ">We bouwen 515 woningen.</p>" in html


def test_agreement_text_renders_dash_lines_as_a_list():
    html = agreement_text("- 478 woningen sloop\n- 515 woningen nieuwbouw")

    assert "<ul" in html
    assert "<li>478 woningen sloop</li><li>515 woningen nieuwbouw</li>" in html
    assert "<p" not in html


def test_agreement_text_list_right_after_an_intro_line_is_still_a_list():
    # The seed introduces most lists with a sentence ending in a colon, without a blank line.
    html = agreement_text("Plannen voor 2021-2025:\n- 478 woningen sloop\n- 515 woningen nieuwbouw")

    assert ">Plannen voor 2021-2025:</p>" in html
    assert "<li>478 woningen sloop</li>" in html
    assert "- 478" not in html


def test_agreement_text_of_empty_text_is_empty():
    assert agreement_text("") == ""
    assert agreement_text("\n\n  \n") == ""


def test_agreement_text_accepts_windows_line_endings():
    html = agreement_text("Eén.\r\n\r\nTwee.")

    assert html.count("<p") == 2


def test_agreement_text_in_a_template_is_not_escaped_twice():
    template = Template("{% load framework_format %}{{ text|agreement_text:2 }}")

    rendered = template.render(Context({"text": "## Kop\n\nA & B"}))

    assert "<h2" in rendered
    assert "A &amp; B" in rendered
    assert "&amp;amp;" not in rendered


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "7.452,5"), ("en", "7,452.5")], ids=["nl", "en"]
)
def test_numbers_follow_the_language_of_the_page(language, expected):
    with translation.override(language):
        assert format_number(Decimal("7452.5")) == expected


def test_money_in_english_uses_a_decimal_point():
    with translation.override("en"):
        assert format_money(Decimal("1234.5")) == "€ 1,234.50"

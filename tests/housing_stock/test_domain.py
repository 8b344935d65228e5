from __future__ import annotations

import pytest

from housing_stock.domain import label_steps, normalise_label


def test_demolition_of_f_and_new_build_a_is_five_steps():
    assert label_steps("F", "A") == 5


def test_renovation_from_f_to_b_is_four_steps():
    assert label_steps("F", "B") == 4


@pytest.mark.parametrize(
    ("before", "after", "steps"), [("G", "A++", 6), ("A", "A", 0), ("C", "E", -2)]
)
def test_label_steps_other_cases(before, after, steps):
    assert label_steps(before, after) == steps


@pytest.mark.parametrize("label", ["A+", "a++", "A++++", "A of beter"])
def test_a_or_better_counts_as_a(label):
    assert normalise_label(label) == "A"


def test_unknown_label_is_refused():
    with pytest.raises(ValueError, match="Onbekend energielabel"):
        normalise_label("H")

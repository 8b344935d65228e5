"""The evaluation's forms refuse numbers outside what they measure (core.bounds) at the field,
in Dutch; nothing is saved and the evaluation pages keep answering."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from cycle.models import ContributionRealisation, YearFigures

from .conftest import sloop_contribution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("vacancy_pct", "1e308", "‘1e308’ is geen getal dat we kunnen lezen."),
        ("passend_pct", "NaN", "‘NaN’ is geen getal dat we kunnen lezen."),
        ("daeb_pct", "-Infinity", "‘-Infinity’ is geen getal dat we kunnen lezen."),
        ("vacancy_pct", "1.000.000", "1.000.000 % kan niet: een percentage ligt tussen 0 en 100."),
        (
            "lettings",
            "99999999999",
            "99.999.999.999 woningen kan niet: heel Nederland heeft er nog geen 10.000.000.",
        ),
        ("condition_score", "1.000.000.000.000", "is te groot: hoogstens 1.000.000.000."),
    ],
)
def test_year_figures_out_of_bounds_are_refused(client, world, evaluation, field, typed, message):
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:evaluation-figures", args=[evaluation.pk]),
        {"version": "0", field: typed},
    )
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert not YearFigures.objects.exists()
    for name in ["evaluation-detail", "evaluation-figures", "evaluation-years"]:
        assert client.get(reverse(f"cycle:{name}", args=[evaluation.pk])).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e308", "‘1e308’ is geen getal dat we kunnen lezen."),
        ("NaN", "‘NaN’ is geen getal dat we kunnen lezen."),
        ("999.999.999.999.999", "999.999.999.999.999 is te groot: hoogstens 1.000.000.000."),
    ],
)
def test_a_realisation_out_of_bounds_is_refused(client, world, evaluation, typed, message):
    contribution = sloop_contribution(evaluation, "heemwonen")
    prefix = f"c{contribution.pk}-"
    client.force_login(world.users["heemwonen"])
    url = reverse("cycle:evaluation-realisations", args=[evaluation.pk])
    response = client.post(
        url + "?partij=heemwonen",
        {
            prefix + "version": "0",
            prefix + "status": "deels",
            prefix + "realised_quantity": typed,
            prefix + "explanation": "Een blok later.",
        },
    )
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert not ContributionRealisation.objects.exists()
    assert client.get(url).status_code == 200
    assert client.get(reverse("cycle:evaluation-detail", args=[evaluation.pk])).status_code == 200

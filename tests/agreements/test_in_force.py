"""agreements.selectors.framework_in_force: the adopted framework whose period covers a year."""

from __future__ import annotations

import pytest

from agreements.models import Framework
from agreements.selectors import framework_in_force
from agreements.signing.freeze import SIGNING_STATE_SIGNED
from tests.factories import FrameworkFactory, MunicipalityFactory


@pytest.fixture
def framework(db):
    return FrameworkFactory(period_start=2021, period_end=2025)


@pytest.mark.parametrize(
    ("year", "in_force"), [(2020, False), (2021, True), (2025, True), (2026, False)]
)
def test_the_period_covers_its_first_and_last_year_only(framework, year, in_force):
    found = framework_in_force(framework.municipality, year)
    assert (found == framework) is in_force
    assert framework.is_in_force(year) is in_force


def test_an_extended_period_covers_the_extended_years(framework):
    # What an accepted verlenging leaves behind (addendum_apply moves period_end).
    Framework.objects.filter(pk=framework.pk).update(period_end=2027)
    assert framework_in_force(framework.municipality, 2027) == framework
    assert framework_in_force(framework.municipality, 2028) is None


def test_a_concept_is_not_in_force(db):
    concept = FrameworkFactory(period_start=2026, period_end=2030, status=Framework.Status.CONCEPT)
    assert framework_in_force(concept.municipality, 2027) is None
    assert not concept.is_in_force(2027)


def test_a_signed_framework_is_in_force_and_an_ended_one_is_not(db):
    signed = FrameworkFactory(status=Framework.Status.CONCEPT)
    Framework.objects.filter(pk=signed.pk).update(signing_state=SIGNING_STATE_SIGNED)
    assert framework_in_force(signed.municipality, 2023) == signed
    ended = FrameworkFactory(status=Framework.Status.EXPIRED)
    assert framework_in_force(ended.municipality, 2023) is None


def test_another_municipality_s_framework_does_not_count(framework):
    other = MunicipalityFactory()
    FrameworkFactory(municipality=other, period_start=2026, period_end=2030)
    assert framework_in_force(framework.municipality, 2027) is None
    assert framework_in_force(other, 2027).municipality == other


def test_the_newer_framework_wins_in_an_overlap_year(framework):
    newer = FrameworkFactory(
        municipality=framework.municipality, period_start=2025, period_end=2029
    )
    assert framework_in_force(framework.municipality, 2025) == newer
    assert framework_in_force(framework.municipality, 2024) == framework


def test_one_query(framework, django_assert_num_queries):
    with django_assert_num_queries(1):
        framework_in_force(framework.municipality, 2023)

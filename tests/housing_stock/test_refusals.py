"""Every write service of the housing stock refuses a user whose party or role may not do it,
and changes nothing. (An import refused for its party is a ValidationError with a Dutch message
that the upload form shows; loading reference data is a PermissionDenied.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from housing_stock import services
from housing_stock.models import ReferenceYear, StockImport, StockSnapshot

from .files import unit_row, units_xlsx, upload

PEIL = dt.date(2021, 1, 1)


def _snapshot() -> tuple:
    return (
        sorted(StockImport.objects.values_list("id", "status")),
        sorted(StockSnapshot.objects.values_list("id", "superseded_at")),
        sorted(ReferenceYear.objects.values_list("year", "note")),
    )


@pytest.fixture
def awaiting(stock_demo, heem_user, parties):
    """A second HEEMwonen import for the same peildatum, waiting for its confirmation."""
    for n in (1, 2):
        stock_import = services.stock_import_create(
            user=heem_user,
            party=parties["heemwonen"],
            peildatum=PEIL,
            kind="units",
            upload=upload(units_xlsx([unit_row(i) for i in range(n)])),
        )
    assert stock_import.status == StockImport.Status.AWAITING_CONFIRMATION
    return stock_import


@pytest.mark.parametrize("who", ["tenant_user", "zuid_user", "stranger"])
def test_importing_for_a_corporation_is_refused_to_others(request, parties, stock_demo, who):
    user = request.getfixturevalue(who)
    before = _snapshot()
    with pytest.raises(ValidationError, match="U mag"):
        services.stock_import_create(
            user=user,
            party=parties["heemwonen"],
            peildatum=PEIL,
            kind="units",
            upload=upload(units_xlsx([unit_row(1)])),
        )
    assert _snapshot() == before


@pytest.mark.parametrize("write", [services.stock_import_confirm, services.stock_import_cancel])
def test_confirming_or_cancelling_anothers_import_is_refused(awaiting, zuid_user, write):
    before = _snapshot()
    with pytest.raises(ValidationError, match="U mag"):
        write(user=zuid_user, stock_import=awaiting)
    assert _snapshot() == before


def test_loading_reference_data_is_refused_to_a_partys_user(
    parties, municipality, working_group_user
):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.reference_year_upsert(
            actor=working_group_user, year=2031, values={}, unverified=[], note="ingebroken"
        )
    with pytest.raises(PermissionDenied):
        services.snapshot_upsert(
            actor=working_group_user,
            key="ingebroken",
            municipality=municipality,
            party=parties["heemwonen"],
            peildatum=PEIL,
            title="Ingebroken",
            source="",
            tables={},
        )
    assert _snapshot() == before

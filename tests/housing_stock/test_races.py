"""Confirming one stock import many times at once (or twice in a row): one confirmation
writes the snapshot, the others are told "Deze import is al bevestigd." on the import's page;
never a 500, nothing written twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from housing_stock import services
from housing_stock.models import StockCount, StockImport, StockSnapshot
from tests.races import fire, needs_postgres

from .files import unit_row, units_xlsx, upload

ALREADY = "Deze import is al bevestigd."
REPLACED = "De nieuwe cijfers vervangen de eerdere"
PEIL = dt.date(2021, 1, 1)


def _awaiting(user, party) -> StockImport:
    for n in (1, 2):
        stock_import = services.stock_import_create(
            user=user,
            party=party,
            peildatum=PEIL,
            kind="units",
            upload=upload(units_xlsx([unit_row(i) for i in range(n)])),
        )
    assert stock_import.status == StockImport.Status.AWAITING_CONFIRMATION
    return stock_import


def _writes() -> int:
    return AuditEvent.objects.filter(action="stock_snapshot_write").count()


def _written_once(stock_import: StockImport, writes_before: int) -> None:
    snapshots = StockSnapshot.objects.filter(stock_import=stock_import)
    assert snapshots.count() == 1
    current = StockSnapshot.objects.filter(
        party=stock_import.party, peildatum=PEIL, superseded_at=None, stock_import__isnull=False
    )
    assert list(current) == list(snapshots)
    assert _writes() == writes_before + 1
    assert StockCount.objects.filter(snapshot=snapshots.get()).exists()
    stock_import.refresh_from_db()
    assert stock_import.status == StockImport.Status.DONE


def test_a_second_confirmation_is_told_it_is_already_confirmed(
    client, heem_user, parties, stock_demo
):
    stock_import = _awaiting(heem_user, parties["heemwonen"])
    before = _writes()
    client.force_login(heem_user)
    url = reverse("housing_stock:import-confirm", args=[stock_import.pk])
    first = client.post(url, follow=True)
    assert first.status_code == 200 and REPLACED in first.content.decode()
    second = client.post(url, follow=True)
    assert second.status_code == 200
    html = second.content.decode()
    assert ALREADY in html and REPLACED not in html
    _written_once(stock_import, before)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nine_simultaneous_confirmations_write_once_and_tell_the_others(
    heem_user, parties, stock_demo
):
    needs_postgres()
    stock_import = _awaiting(heem_user, parties["heemwonen"])
    before = _writes()
    url = reverse("housing_stock:import-confirm", args=[stock_import.pk])

    def confirm():
        client = Client()
        client.force_login(heem_user)
        return client.post(url, follow=True)

    responses = fire(9, confirm)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code == 200 for r in responses)
    pages = [r.content.decode() for r in responses]
    assert sum(REPLACED in page for page in pages) == 1
    assert sum(ALREADY in page for page in pages) == 8
    _written_once(stock_import, before)

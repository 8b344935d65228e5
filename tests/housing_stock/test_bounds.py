"""Numbers outside what they measure (core.bounds) are refused at upload with a Dutch message
naming sheet, row and column; the import ends rejected, nothing is written, and the stock
pages keep answering."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actors import DEMO_LOADER
from housing_stock import services
from housing_stock.models import StockCount, StockImport, StockSnapshot

from .files import aggregate_xlsx, unit_row, units_xlsx, upload, with_raw_number

PLACEHOLDER = 987654


@pytest.fixture
def client_heem(client, heem_user, stock_demo):
    client.force_login(heem_user)
    return client


def voorraad(first) -> bytes:
    """The aggregate template's Voorraad table (5 types x 5 rent classes), 10 in every cell but
    the first (row 2, column Goedkoop)."""
    rows = [[10] * 5 for _ in range(5)]
    rows[0][0] = first
    return aggregate_xlsx({"Voorraad": rows})


def post_import(client, parties, content: bytes, kind: str = "aggregate"):
    counts = StockCount.objects.count(), StockSnapshot.objects.count()
    response = client.post(
        reverse("housing_stock:import"),
        {
            "party": parties["heemwonen"].pk,
            "peildatum": "2021-01-01",
            "kind": kind,
            "file": upload(content),
        },
    )
    assert response.status_code == 302, response.status_code
    stock_import = StockImport.objects.get()
    assert stock_import.status == StockImport.Status.FAILED
    assert (StockCount.objects.count(), StockSnapshot.objects.count()) == counts
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert client.get(reverse("housing_stock:overview")).status_code == 200
    return html.unescape(detail.content.decode())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            100_000_000_000,
            "Blad Voorraad, rij 2, kolom Goedkoop: 100.000.000.000 woningen kan niet: heel "
            "Nederland heeft er nog geen 10.000.000.",
        ),
        (
            1e308,
            "Blad Voorraad, rij 2, kolom Goedkoop: 1e+308 woningen kan niet: heel Nederland "
            "heeft er nog geen 10.000.000.",
        ),
        (-5, "Blad Voorraad, rij 2, kolom Goedkoop: '-5' is negatief"),
    ],
)
def test_an_impossible_count_in_the_template_is_refused(client_heem, parties, value, message):
    assert message in post_import(client_heem, parties, voorraad(value))


@pytest.mark.parametrize("raw", ["NaN", "INF", "-Infinity", "1e309"])
def test_a_count_cell_holding_nan_or_infinity_is_refused(client_heem, parties, raw):
    content = with_raw_number(voorraad(PLACEHOLDER), PLACEHOLDER, raw)
    page = post_import(client_heem, parties, content)
    assert "Blad Voorraad, rij 2, kolom Goedkoop: '" in page
    assert "is geen getal (niet eindig: NaN of oneindig)" in page


def test_a_table_far_above_the_corporations_known_stock_is_refused(client_heem, parties):
    # Every cell is plausible, the table is not: ten times HEEMwonen's stock and more.
    page = post_import(client_heem, parties, voorraad(200_000))
    assert "Blad Voorraad: samen 200.240 woningen kan niet: dat is meer dan 10 keer de" in page
    assert "woningen die de corporatie volgens de woningvoorraad heeft." in page


@pytest.mark.parametrize(
    ("rent", "message"),
    [
        (1e308, "€ 1e+308 kan niet: een maandhuur is hoogstens € 10.000."),
        (125_000.0, "€ 125.000 kan niet: een maandhuur is hoogstens € 10.000."),
    ],
)
def test_an_impossible_rent_in_a_unit_list_is_refused(client_heem, parties, rent, message):
    content = units_xlsx([unit_row(1), unit_row(2, rent=rent)])
    page = post_import(client_heem, parties, content, kind="units")
    assert f"Blad Woningen, rij 3, kolom Netto huur: {message}" in page


def test_a_nan_rent_in_a_unit_list_is_refused(client_heem, parties):
    content = with_raw_number(units_xlsx([unit_row(1, rent=PLACEHOLDER)]), PLACEHOLDER, "NaN")
    page = post_import(client_heem, parties, content, kind="units")
    assert "Blad Woningen, rij 2, kolom Netto huur: 'NaN' is geen getal (niet eindig" in page


def test_a_share_above_100_in_stock_tables_is_refused(municipality, parties):
    with pytest.raises(ValidationError) as refused:
        services.snapshot_upsert(
            actor=DEMO_LOADER,
            key="aandelen",
            municipality=municipality,
            party=parties["heemwonen"],
            peildatum=dt.date(2021, 1, 1),
            title="Aandelen",
            source="test",
            tables={"rent_share": {"goedkoop": {"percentage": Decimal(150)}}},
        )
    assert refused.value.messages == [
        "Tabel rent_share, rij goedkoop, kolom percentage: 150 % kan niet: een percentage "
        "ligt tussen 0 en 100."
    ]
    assert not StockSnapshot.objects.filter(key="aandelen").exists()


def test_an_import_the_database_refuses_ends_rejected_not_processing(
    client_heem, parties, monkeypatch
):
    # The last guard: were a figure to pass the bounds and the database refuse it, the import
    # is rejected with a message instead of "wordt verwerkt" forever.
    from django.db import DataError

    def refuse(*args, **kwargs):
        raise DataError("numeric field overflow")

    monkeypatch.setattr(services, "_counts_create", refuse)
    page = post_import(client_heem, parties, units_xlsx([unit_row(1)]), kind="units")
    assert "De cijfers konden niet worden opgeslagen; er is niets geïmporteerd." in page

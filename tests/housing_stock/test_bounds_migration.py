"""Migration housing_stock 0002: a snapshot already holding a figure outside the bounds (SQLite
stored what it then could not read back, so every stock page failed) is taken out, its import
is marked rejected with a message, the snapshot it replaced is current again, and the stock
pages answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

BEFORE = [("housing_stock", "0001_initial")]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL never stored such a figure: numeric(12, 2) refuses the insert",
)
@pytest.mark.django_db(transaction=True)
def test_a_snapshot_out_of_bounds_is_taken_out_and_the_earlier_one_is_current(
    client, django_user_model
):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        Party = apps.get_model("agreements", "Party")
        Snapshot = apps.get_model("housing_stock", "StockSnapshot")
        Count = apps.get_model("housing_stock", "StockCount")
        Import = apps.get_model("housing_stock", "StockImport")
        town = Party.objects.create(name="Gemeente Ergens", slug="ergens", kind="gemeente")
        corporation = Party.objects.create(
            name="Woonstichting", slug="woon", kind="corporatie", municipality=town
        )
        peil = dt.date(2024, 1, 1)

        def snapshot(title, stock_import=None):
            return Snapshot.objects.create(
                municipality=town,
                party=corporation,
                peildatum=peil,
                title=title,
                source="test",
                stock_import=stock_import,
            )

        first = Import.objects.create(
            party=corporation, peildatum=peil, kind="units", file="a.xlsx", status="done"
        )
        earlier = snapshot("Eerder", first)
        Count.objects.create(
            snapshot=earlier, table="type_rent", row_key="anders", col_key="duur", value=7452
        )
        Snapshot.objects.filter(pk=earlier.pk).update(
            superseded_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
        )
        bad_import = Import.objects.create(
            party=corporation, peildatum=peil, kind="aggregate", file="b.xlsx", status="done"
        )
        bad = snapshot("Kapot", bad_import)
        Count.objects.create(
            snapshot=bad, table="type_rent", row_key="anders", col_key="duur", value=10**11
        )
        Snapshot.objects.filter(pk=earlier.pk).update(superseded_by=bad)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from agreements.models import Membership
    from housing_stock.models import StockCount, StockImport, StockSnapshot

    assert list(StockSnapshot.objects.values_list("title", "superseded_at")) == [("Eerder", None)]
    assert list(StockCount.objects.values_list("value", flat=True)) == [7452]
    rejected = StockImport.objects.get(pk=bad_import.pk)
    assert rejected.status == StockImport.Status.FAILED
    assert "buiten de grenzen van het portaal" in rejected.error_report[0]["message"]
    user = django_user_model.objects.create_user(username="werkgroep", password="x")
    Membership.objects.create(user=user, party_id=town.pk, role="working_group")
    client.force_login(user)
    response = client.get(reverse("housing_stock:overview"))
    assert response.status_code == 200
    assert "7.452" in response.content.decode()

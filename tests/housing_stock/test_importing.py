from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from housing_stock import services
from housing_stock.models import StockCount, StockImport, StockSnapshot

from .files import aggregate_xlsx, unit_row, units_csv, units_xlsx, upload

PEIL = dt.date(2021, 1, 1)
S = StockImport.Status


@pytest.fixture
def refs(stock_demo):
    return stock_demo


def run(user, party, content, name="voorraad.xlsx", kind="units", peildatum=PEIL):
    return services.stock_import_create(
        user=user, party=party, peildatum=peildatum, kind=kind, upload=upload(content, name)
    )


def messages(stock_import):
    from housing_stock.importing.parsing import describe_error

    return [describe_error(e) for e in stock_import.error_report]


def cells(snapshot, table):
    return {(c.row_key, c.col_key): c.value for c in snapshot.counts.filter(table=table)}


# --- unit-level lists ----------------------------------------------------------------------


def test_unit_list_becomes_a_snapshot_with_rents_classified(refs, heem_user, parties):
    rows = [
        unit_row(1, rent=442.46),  # 2021 kwaliteitskortingsgrens: goedkoop
        unit_row(2, rent=442.47),  # one cent above: betaalbaar 1
        unit_row(3, rent=752.33, dwelling_type="Grondgebonden > 1 kamer"),  # duur
        unit_row(4, rent=752.34, energy_label="A++", nultreden="nee", bat_class=4),
        unit_row(5, rent="€ 678,66", energy_label="G", condition=6),  # betaalbaar 2
    ]
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx(rows))
    assert stock_import.status == S.DONE, messages(stock_import)
    snapshot = stock_import.snapshot
    assert snapshot.party == parties["heemwonen"]
    assert snapshot.peildatum == PEIL
    type_rent = cells(snapshot, "type_rent")
    assert type_rent[("gestapeld_met_lift", "goedkoop")] == 1
    assert type_rent[("gestapeld_met_lift", "betaalbaar_1")] == 1
    assert type_rent[("gestapeld_met_lift", "betaalbaar_2")] == 1
    assert type_rent[("gestapeld_met_lift", "geliberaliseerd")] == 1
    assert type_rent[("grondgebonden_meer", "duur")] == 1
    assert sum(type_rent.values()) == 5
    assert cells(snapshot, "energy_label")[("A", "aantal")] == 1
    assert cells(snapshot, "energy_label")[("G", "aantal")] == 1
    assert cells(snapshot, "nultreden") == {
        ("nultreden", "aantal"): 4,
        ("niet_nultreden", "aantal"): 1,
    }
    assert cells(snapshot, "bat")[("4", "aantal")] == 1
    assert cells(snapshot, "condition")[("6", "aantal")] == 1
    assert stock_import.rows_total == 5


def test_csv_unit_list_is_imported(refs, heem_user, parties):
    content = units_csv([unit_row(1, rent="500,00"), unit_row(2, rent="612,5")])
    stock_import = run(heem_user, parties["heemwonen"], content, "lijst.csv")
    assert stock_import.status == S.DONE, messages(stock_import)
    assert cells(stock_import.snapshot, "type_rent")[("gestapeld_met_lift", "goedkoop")] == 0
    assert cells(stock_import.snapshot, "type_rent")[("gestapeld_met_lift", "betaalbaar_1")] == 2


def test_problems_are_reported_with_sheet_row_and_column_and_nothing_is_written(
    refs, heem_user, parties
):
    before = StockSnapshot.objects.count(), StockCount.objects.count()
    rows = [
        unit_row(1),
        unit_row(2, rent="abc"),
        unit_row(3, rent=-5),
        unit_row(1),
        unit_row(5, dwelling_type="Woonboot"),
        unit_row(6, energy_label="H"),
        unit_row(7, bat_class=7),
        unit_row(8, nultreden="misschien"),
        unit_row(9, condition=2.5),
    ]
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx(rows))
    assert stock_import.status == S.FAILED
    assert messages(stock_import) == [
        "Blad Woningen, rij 3, kolom Netto huur: 'abc' is geen bedrag",
        "Blad Woningen, rij 4, kolom Netto huur: '-5' is negatief",
        "Blad Woningen, rij 5, kolom Woning-ID of adres: "
        "woning 'W1' komt dubbel voor (ook in rij 2)",
        "Blad Woningen, rij 6, kolom Woningtype: 'Woonboot' is geen bekend woningtype",
        "Blad Woningen, rij 7, kolom Energielabel: 'H' is geen bekend energielabel",
        "Blad Woningen, rij 8, kolom BAT-klasse: '7' is geen BAT-klasse (0 tot en met 4)",
        "Blad Woningen, rij 9, kolom Nultreden: 'misschien' is geen ja of nee",
        "Blad Woningen, rij 10, kolom Conditiescore: '2.5' is geen conditiescore (1 tot en met 6)",
    ]
    assert stock_import.error_count == 8
    assert (StockSnapshot.objects.count(), StockCount.objects.count()) == before
    assert not hasattr(stock_import, "snapshot") or stock_import.snapshot is None


def test_formulas_where_numbers_belong_are_refused(refs, heem_user, parties):
    rows = [unit_row(1), unit_row(2, rent="=400+100")]
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx(rows))
    assert stock_import.status == S.FAILED
    assert messages(stock_import) == [
        "Blad Woningen, rij 3, kolom Netto huur: bevat een formule; vul hier de waarde zelf in"
    ]


def test_missing_required_column_is_reported(refs, heem_user, parties):
    header = ["Woning-ID of adres", "Woningtype"]
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx([["W1", "Anders"]], header))
    assert messages(stock_import) == [
        "Blad Woningen, rij 1, kolom Netto huur: verplichte kolom ontbreekt"
    ]


def test_year_with_a_missing_boundary_is_refused_in_dutch(refs, heem_user, parties):
    stock_import = run(
        heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]), peildatum=dt.date(2026, 1, 1)
    )
    assert stock_import.status == S.FAILED
    assert messages(stock_import) == [
        "Voor 2026 ontbreekt de 1e aftoppingsgrens; vul de referentiegegevens van dat jaar aan "
        "voordat huren worden ingedeeld."
    ]


def test_year_without_reference_data_is_refused(refs, heem_user, parties):
    stock_import = run(
        heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]), peildatum=dt.date(2030, 1, 1)
    )
    assert "Voor 2030 zijn geen huurgrenzen vastgelegd" in messages(stock_import)[0]


# --- aggregate template --------------------------------------------------------------------


def test_aggregate_template_is_imported(refs, heem_user, parties):
    content = aggregate_xlsx(
        {
            "Voorraad": [
                [1, 2, 3, 4, 5],
                [6, 7, 8, 9, 10],
                [0, 0, 0, 0, 0],
                [1, 1, 1, 1, 1],
                [0] * 5,
            ],
            "Energielabels": [[10], [20], [30], [40], [5], [3], [0]],
        }
    )
    stock_import = run(heem_user, parties["heemwonen"], content, kind="aggregate")
    assert stock_import.status == S.DONE, messages(stock_import)
    snapshot = stock_import.snapshot
    assert cells(snapshot, "type_rent")[("grondgebonden_meer", "geliberaliseerd")] == 10
    assert cells(snapshot, "energy_label")[("F", "aantal")] == 3
    assert set(snapshot.counts.values_list("table", flat=True)) == {"type_rent", "energy_label"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Blad Energielabels, rij 2, kolom Aantal woningen: '-1' is negatief"),
        (2.5, "Blad Energielabels, rij 2, kolom Aantal woningen: '2.5' is geen geheel aantal"),
        ("veel", "Blad Energielabels, rij 2, kolom Aantal woningen: 'veel' is geen geheel aantal"),
        (
            "=1+1",
            "Blad Energielabels, rij 2, kolom Aantal woningen: "
            "bevat een formule; vul het aantal zelf in",
        ),
    ],
)
def test_aggregate_counts_must_be_whole_numbers_without_formulas(
    refs, heem_user, parties, value, message
):
    content = aggregate_xlsx({"Energielabels": [[value], [1], [1], [1], [1], [1], [1]]})
    stock_import = run(heem_user, parties["heemwonen"], content, kind="aggregate")
    assert stock_import.status == S.FAILED
    assert messages(stock_import) == [message]


def test_aggregate_unknown_row_label_is_reported(refs, heem_user, parties):
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(aggregate_xlsx({"Conditie": [[1]] * 6})))
    workbook["Conditie"]["A3"] = "7 rampzalig"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stock_import = run(heem_user, parties["heemwonen"], buffer.getvalue(), kind="aggregate")
    assert messages(stock_import) == [
        "Blad Conditie, rij 3, kolom Conditiescore (NEN 2767): '7 rampzalig' is geen bekende rij"
    ]


def test_aggregate_partly_empty_table_is_reported(refs, heem_user, parties):
    content = aggregate_xlsx({"Toegankelijkheid": [[1], [2], [None], [4], [5]]})
    stock_import = run(heem_user, parties["heemwonen"], content, kind="aggregate")
    assert messages(stock_import) == [
        "Blad Toegankelijkheid, rij 4, kolom Aantal woningen: "
        "leeg; vul 0 in als er geen woningen zijn"
    ]


def test_empty_template_is_refused(refs, heem_user, parties):
    stock_import = run(heem_user, parties["heemwonen"], aggregate_xlsx({}), kind="aggregate")
    assert messages(stock_import) == ["het bestand bevat geen ingevulde tabellen"]


# --- replacing an earlier snapshot ---------------------------------------------------------


def test_reupload_waits_for_confirmation_then_supersedes(refs, heem_user, parties):
    first = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]))
    second = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1), unit_row(2)]))
    assert second.status == S.AWAITING_CONFIRMATION
    assert second.replaces == first.snapshot
    assert not StockSnapshot.objects.filter(stock_import=second).exists()

    snapshot = services.stock_import_confirm(user=heem_user, stock_import=second)
    old = StockSnapshot.objects.get(pk=first.snapshot.pk)
    assert old.superseded_at is not None
    assert old.superseded_by == snapshot
    assert snapshot.is_current
    assert sum(cells(snapshot, "type_rent").values()) == 2
    assert StockSnapshot.objects.filter(party=parties["heemwonen"]).count() == 3  # incl. seed BAT


def test_cancel_keeps_the_earlier_snapshot(refs, heem_user, parties):
    first = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]))
    second = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(2)]))
    services.stock_import_cancel(user=heem_user, stock_import=second)
    second.refresh_from_db()
    assert second.status == S.CANCELLED
    assert StockSnapshot.objects.get(pk=first.snapshot.pk).is_current
    with pytest.raises(ValidationError):
        services.stock_import_confirm(user=heem_user, stock_import=second)


def test_other_peildatum_does_not_ask_for_confirmation(refs, heem_user, parties):
    run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]))
    other = run(
        heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]), peildatum=dt.date(2022, 1, 1)
    )
    assert other.status == S.DONE


# --- access and background processing ------------------------------------------------------


def test_corporation_staff_cannot_import_for_another_corporation(refs, heem_user, parties):
    with pytest.raises(ValidationError):
        run(heem_user, parties["wonen-zuid"], units_xlsx([unit_row(1)]))
    assert not StockImport.objects.exists()


def test_working_group_imports_for_any_corporation(refs, working_group_user, parties):
    stock_import = run(working_group_user, parties["wonen-zuid"], units_xlsx([unit_row(1)]))
    assert stock_import.status == S.DONE


def test_tenants_cannot_import(refs, tenant_user, parties):
    with pytest.raises(ValidationError):
        run(tenant_user, parties["heemwonen"], units_xlsx([unit_row(1)]))


def test_large_upload_runs_in_the_background_after_commit(
    refs, heem_user, parties, django_capture_on_commit_callbacks
):
    rows = [unit_row(i, rent=400 + i % 500) for i in range(6000)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stock_import = run(heem_user, parties["heemwonen"], units_xlsx(rows))
    assert stock_import.run_in_background
    assert stock_import.status == S.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # the task, run eagerly as the worker would
    stock_import.refresh_from_db()
    assert stock_import.status == S.DONE
    assert stock_import.rows_processed == 6000
    assert sum(cells(stock_import.snapshot, "type_rent").values()) == Decimal(6000)


def test_processing_twice_does_nothing(refs, heem_user, parties):
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]))
    services.stock_import_process(import_id=stock_import.pk)
    assert StockSnapshot.objects.filter(stock_import=stock_import).count() == 1


def test_formula_in_the_last_row_without_a_cached_value_is_refused(refs, heem_user, parties):
    rows = [unit_row(1), unit_row(2, rent="=SUM(D2:D2)", condition="=1+1")]
    stock_import = run(heem_user, parties["heemwonen"], units_xlsx(rows))
    assert messages(stock_import) == [
        "Blad Woningen, rij 3, kolom Netto huur: bevat een formule; vul hier de waarde zelf in",
        "Blad Woningen, rij 3, kolom Conditiescore: bevat een formule; vul hier de waarde zelf in",
    ]


def test_the_audit_trail_says_who_imported_replaced_and_cancelled(refs, heem_user, parties):
    from core.models import AuditEvent

    first = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1)]))
    second = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(1), unit_row(2)]))
    services.stock_import_confirm(user=heem_user, stock_import=second)
    third = run(heem_user, parties["heemwonen"], units_xlsx([unit_row(3)]))
    services.stock_import_cancel(user=heem_user, stock_import=third)
    events = list(
        AuditEvent.objects.filter(action__startswith="stock_")
        .order_by("id")
        .values_list("actor_name", "action", "object_id")
    )
    snapshots = list(
        StockSnapshot.objects.filter(stock_import__in=[first, second])
        .order_by("id")
        .values_list("pk", flat=True)
    )
    assert events == [
        ("heemwonen", "stock_import_create", first.pk),
        ("heemwonen", "stock_snapshot_write", snapshots[0]),
        ("heemwonen", "stock_import_create", second.pk),
        ("heemwonen", "stock_snapshot_write", snapshots[1]),
        ("heemwonen", "stock_import_create", third.pk),
        ("heemwonen", "stock_import_cancel", third.pk),
    ]

"""Every figure of the seed's stock tables, checked cell by cell against the loaded fixtures.

The expected values are transcribed here from the seed (shared/seeds/000_00ca94dd43e55af4.txt)
independently of fixtures/kerkrade/stock_2020.toml, so a typo in either one fails a test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from housing_stock import demo
from housing_stock.models import ReferenceYear, StockCount, StockSnapshot

from .conftest import FIXTURES

TYPE_RENT_COLS = ["goedkoop", "betaalbaar_1", "betaalbaar_2", "duur", "geliberaliseerd", "totaal"]
TYPE_RENT = {  # seed lines 166-178: "Sociale huurwoningaanbod ... per peildatum 01-01-2020"
    "grondgebonden_1": [20, 153, 37, 36, 0, 246],
    "grondgebonden_meer": [9, 1045, 665, 784, 51, 2554],
    "gestapeld_zonder_lift": [767, 1637, 12, 82, 21, 2519],
    "gestapeld_met_lift": [154, 1693, 91, 172, 23, 2133],
    "anders": [0, 0, 0, 0, 0, 0],
    "totaal": [950, 4528, 805, 1074, 95, 7452],
}
LABELS = {  # seed lines 450-472: "Energielabel / Aantal woningen"
    "A": (1781, "24.1"),
    "B": (1527, "20.7"),
    "C": (2048, "27.7"),
    "D": (781, "10.6"),
    "E": (548, "7.4"),
    "F": (304, "4.1"),
    "G": (397, "5.4"),
}
BAT_COLS = ["0", "1", "2", "3", "4", "totaal"]
BAT = {  # seed lines 592-628: "Toegankelijkheid sociale huurwoningaanbod ..."
    "kerkrade-2020-bat-wonen-zuid": [936, 179, 432, 169, 13, 1729],
    "kerkrade-2020-bat-heemwonen": [3233, 1047, 424, 51, 153, 4908],
    "kerkrade-2020-bat-wonen-limburg": [474, 42, 59, 195, 48, 818],
    "kerkrade-2020-bat-meander": [6, 56, 41, 0, 266, 369],
    "kerkrade-2020-bat-totaal": [4649, 1324, 956, 415, 480, 7824],
}
BAT_DEMAND = {"1": (1180, -145), "2": (1136, 180), "3": (549, 135), "4": (727, 245)}
RENT_SHARE = {
    "goedkoop": "11.5",
    "betaalbaar_1": "61.0",
    "betaalbaar_2": "11.1",
    "duur": "15.2",
    "geliberaliseerd": "1.2",
}

CELLS = (
    [
        ("kerkrade-2020-woningtype-huurklasse", "type_rent", row, col, Decimal(value))
        for row, values in TYPE_RENT.items()
        for col, value in zip(TYPE_RENT_COLS, values, strict=True)
    ]
    + [
        ("kerkrade-2020-energielabels", "energy_label", label, "aantal", Decimal(count))
        for label, (count, _pct) in LABELS.items()
    ]
    + [
        ("kerkrade-2020-energielabels", "energy_label", label, "percentage", Decimal(pct))
        for label, (_count, pct) in LABELS.items()
    ]
    + [
        (key, "bat", bat_class, "aantal", Decimal(value))
        for key, values in BAT.items()
        for bat_class, value in zip(BAT_COLS, values, strict=True)
    ]
    + [
        ("kerkrade-2030-bat-vraag", "bat_demand", cls, "vraag", Decimal(demand))
        for cls, (demand, _diff) in BAT_DEMAND.items()
    ]
    + [
        ("kerkrade-2030-bat-vraag", "bat_demand", cls, "verschil", Decimal(diff))
        for cls, (_demand, diff) in BAT_DEMAND.items()
    ]
    + [
        ("kerkrade-2020-huurklasse-verdeling", "rent_share", cls, "percentage", Decimal(pct))
        for cls, pct in RENT_SHARE.items()
    ]
    + [("kerkrade-2020-nultreden", "nultreden", "nultreden", "aantal", Decimal(3590))]
)


@pytest.fixture
def loaded_counts(stock_demo) -> dict[tuple[str, str, str, str], Decimal]:
    return {
        (c.snapshot.key, c.table, c.row_key, c.col_key): c.value
        for c in StockCount.objects.select_related("snapshot")
    }


@pytest.mark.parametrize(("key", "table", "row", "col", "expected"), CELLS)
def test_seed_cell_is_loaded(loaded_counts, key, table, row, col, expected):
    assert loaded_counts[(key, table, row, col)] == expected


def test_no_figure_beyond_the_seed_is_loaded(loaded_counts):
    assert set(loaded_counts) == {cell[:4] for cell in CELLS}


def test_type_rent_cells_add_up_to_the_stated_totals():
    for values in TYPE_RENT.values():
        assert sum(values[:5]) == values[5]
    for i in range(6):
        assert sum(v[i] for k, v in TYPE_RENT.items() if k != "totaal") == TYPE_RENT["totaal"][i]


def test_tables_keep_their_own_totals(loaded_counts):
    labels = sum(
        v for (k, t, _r, c), v in loaded_counts.items() if t == "energy_label" and c == "aantal"
    )
    assert labels == 7386
    assert (
        loaded_counts[("kerkrade-2020-woningtype-huurklasse", "type_rent", "totaal", "totaal")]
        == 7452
    )
    assert loaded_counts[("kerkrade-2020-bat-totaal", "bat", "totaal", "aantal")] == 7824


def test_bat_snapshots_belong_to_their_corporation(stock_demo):
    owners = dict(
        StockSnapshot.objects.filter(key__startswith="kerkrade-2020-bat-").values_list(
            "key", "party__slug"
        )
    )
    assert owners == {
        "kerkrade-2020-bat-wonen-zuid": "wonen-zuid",
        "kerkrade-2020-bat-heemwonen": "heemwonen",
        "kerkrade-2020-bat-wonen-limburg": "wonen-limburg",
        "kerkrade-2020-bat-meander": "meander",
        "kerkrade-2020-bat-totaal": None,
    }


def test_every_snapshot_has_a_source_and_the_seed_peildatum(stock_demo):
    for snapshot in StockSnapshot.objects.all():
        assert snapshot.source
        assert snapshot.peildatum.isoformat() == "2020-01-01"


def test_loading_twice_changes_nothing(stock_demo):
    before = (
        StockSnapshot.objects.count(),
        StockCount.objects.count(),
        ReferenceYear.objects.count(),
    )
    ids = sorted(StockSnapshot.objects.values_list("id", flat=True))
    demo.load(FIXTURES, generated=False)
    after = (
        StockSnapshot.objects.count(),
        StockCount.objects.count(),
        ReferenceYear.objects.count(),
    )
    assert after == before
    assert sorted(StockSnapshot.objects.values_list("id", flat=True)) == ids


def test_load_reports_what_it_loaded(stock_demo):
    assert stock_demo == ["7 referentiejaren", "10 momentopnamen woningvoorraad (stock_2020.toml)"]


def test_generated_demo_years_are_marked_and_leave_the_seed_alone(stock_demo, heem_user):
    seed = {
        (c.snapshot.key, c.table, c.row_key, c.col_key): c.value
        for c in StockCount.objects.select_related("snapshot")
    }
    report = demo.load(FIXTURES)
    assert "4 demo-momentopnamen 2021-2024 (gemarkeerd)" in report
    assert "demo-import demo-heemwonen-lijst-per-woning-2024.xlsx: geïmporteerd" in report
    generated = StockSnapshot.objects.exclude(key__in={k[0] for k in seed})
    assert generated.count() == 5
    for snapshot in generated:
        assert snapshot.title.startswith("Demo: ")
        assert snapshot.source.startswith("DEMOGEGEVENS")
    after = {
        (c.snapshot.key, c.table, c.row_key, c.col_key): c.value
        for c in StockCount.objects.select_related("snapshot")
        if c.snapshot.key in {k[0] for k in seed}
    }
    assert after == seed
    again = demo.load(FIXTURES)
    assert StockSnapshot.objects.exclude(key__in={k[0] for k in seed}).count() == 5
    assert not any(line.startswith("demo-import") for line in again)

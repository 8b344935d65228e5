from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agreements.indicators import catalogue_load
from agreements.models import Indicator, Party, Target
from core.actors import DEMO_LOADER
from housing_stock import services
from housing_stock.models import StockImport, StockSnapshot
from tests.factories import AgreementFactory, FrameworkFactory, TargetFactory, ThemeFactory
from tests.spreadsheet_checks import DANGEROUS_TEXTS, assert_literal_text

from .files import unit_row, units_xlsx, upload

OVERVIEW = reverse("housing_stock:overview")


def snapshot_key(key: str) -> StockSnapshot:
    return StockSnapshot.objects.get(key=key)


@pytest.fixture
def client_heem(client, heem_user, stock_demo):
    client.force_login(heem_user)
    return client


@pytest.fixture
def client_tenant(client, tenant_user, stock_demo):
    client.force_login(tenant_user)
    return client


def test_overview_shows_each_source_with_its_own_total(client_tenant):
    html = client_tenant.get(OVERVIEW).content.decode()
    for total in ["7.452", "7.386", "7.824", "1.729", "4.908", "818", "369"]:
        assert total in html
    assert "De bronnen noemen verschillende totalen voor dezelfde peildatum" in html


def test_overview_charts_have_title_desc_and_table(client_tenant):
    html = client_tenant.get(OVERVIEW).content.decode()
    for title in [
        "Verdeling naar huurprijsklasse",
        "Woningen per energielabel",
        "Woningen met label E, F of G",
        "Toegankelijkheid: aanbod en vraag 2030",
        "Nultredenwoningen: voortgang naar het doel",
    ]:
        assert f">{title}</title>" in html
    assert "<desc id=" in html
    assert "voorraad tegenover de verdeling in het kader" in html
    assert "Kader 61%" in html
    assert "Verschil volgens de bron (+ = tekort): BAT 1 -145, BAT 2 +180" in html


def test_nultreden_chart_finds_its_goal_through_the_indicator_not_the_code(client_tenant):
    """The framework's end-state target on the nultreden indicator marks the chart, whatever
    its code; its yearly increase (same indicator, a period count) does not."""
    catalogue_load()
    framework = FrameworkFactory(municipality=Party.objects.get(slug="gemeente-kerkrade"))
    agreement = AgreementFactory(theme=ThemeFactory(framework=framework))
    nultreden = Indicator.objects.get(code="nultreden")
    TargetFactory(
        agreement=agreement,
        code="toename-toegankelijk",
        kind=Target.Kind.PERIOD_COUNT,
        value=410,
        period_start=2021,
        target_year=2030,
        indicator=nultreden,
        order=1,
    )
    TargetFactory(
        agreement=agreement,
        code="toegankelijke-woningen-2030",
        value=4000,
        target_year=2030,
        indicator=nultreden,
        order=2,
    )
    html = client_tenant.get(OVERVIEW).content.decode()
    assert "Doel 4.000" in html


def test_overview_has_no_inline_style_or_script(client_tenant):
    html = client_tenant.get(OVERVIEW).content.decode()
    assert "style=" not in html
    assert "<script>" not in html


def test_snapshot_detail_shows_every_table_cell(client_tenant):
    snapshot = snapshot_key("kerkrade-2020-woningtype-huurklasse")
    html = client_tenant.get(
        reverse("housing_stock:snapshot-detail", args=[snapshot.pk])
    ).content.decode()
    for value in ["1.045", "1.637", "1.693", "4.528", "7.452"]:
        assert value in html
    assert "Andere bronnen voor dezelfde peildatum" in html


def test_snapshot_of_another_municipality_is_404(client, stranger, stock_demo):
    client.force_login(stranger)
    snapshot = snapshot_key("kerkrade-2020-nultreden")
    assert (
        client.get(reverse("housing_stock:snapshot-detail", args=[snapshot.pk])).status_code == 404
    )


def test_party_detail_and_total_detail(client_tenant):
    assert (
        "4.908"
        in client_tenant.get(
            reverse("housing_stock:party-detail", args=["heemwonen"])
        ).content.decode()
    )
    assert "7.824" in client_tenant.get(reverse("housing_stock:total-detail")).content.decode()
    assert (
        client_tenant.get(
            reverse("housing_stock:party-detail", args=["huurdersorganisatie-heemwonen"])
        ).status_code
        == 404
    )


def test_comparison_full_page_and_partial(client_tenant):
    url = reverse("housing_stock:comparison")
    full = client_tenant.get(url)
    assert "<html" in full.content.decode()
    partial = client_tenant.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'id="comparison-tables"' in partial
    assert "1-1-2020" in partial


def test_comparison_across_years(client, working_group_user, stock_demo, parties):
    client.force_login(working_group_user)
    for year, n in [(2021, 2), (2022, 3)]:
        services.stock_import_create(
            user=working_group_user,
            party=parties["heemwonen"],
            peildatum=dt.date(year, 1, 1),
            kind="units",
            upload=upload(units_xlsx([unit_row(i) for i in range(n)])),
        )
    html = client.get(reverse("housing_stock:comparison"), {"partij": "heemwonen"}).content.decode()
    assert "1-1-2021" in html and "1-1-2022" in html
    export = client.get(reverse("housing_stock:comparison-export"), {"partij": "heemwonen"})
    workbook = load_workbook(io.BytesIO(export.content))
    sheet = workbook["Voorraad"]
    assert [c.value for c in sheet[1]] == ["Woningtype", "01-01-2021", "01-01-2022"]
    assert [c.value for c in sheet[5]] == ["Gestapeld met lift", 2, 3]


@pytest.mark.parametrize("text", DANGEROUS_TEXTS)
def test_snapshot_export_writes_a_formula_like_source_as_text(client_tenant, text):
    snapshot = snapshot_key("kerkrade-2020-woningtype-huurklasse")
    StockSnapshot.objects.filter(pk=snapshot.pk).update(source=text)

    response = client_tenant.get(reverse("housing_stock:snapshot-export", args=[snapshot.pk]))

    assert response.status_code == 200
    assert_literal_text(response.content, text)


def test_snapshot_export_has_a_sheet_per_table(client_tenant):
    snapshot = snapshot_key("kerkrade-2020-woningtype-huurklasse")
    response = client_tenant.get(reverse("housing_stock:snapshot-export", args=[snapshot.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Momentopname", "Voorraad"]
    sheet = workbook["Voorraad"]
    assert [c.value for c in sheet[1]] == [
        "Woningtype",
        "Goedkoop",
        "Betaalbaar 1",
        "Betaalbaar 2",
        "Duur",
        "Geliberaliseerd",
        "Totaal",
    ]
    assert [c.value for c in sheet[7]] == ["Totaal", 950, 4528, 805, 1074, 95, 7452]


@pytest.mark.parametrize(
    ("kind", "sheets"),
    [
        (
            "totaaltabellen",
            [
                "Toelichting",
                "Voorraad",
                "Energielabels",
                "Toegankelijkheid",
                "Nultreden",
                "Conditie",
            ],
        ),
        ("woningen", ["Woningen"]),
    ],
)
def test_templates_download_with_validation(client_heem, kind, sheets):
    response = client_heem.get(reverse("housing_stock:template", args=[kind]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == sheets
    validations = workbook[sheets[-1]].data_validations.dataValidation
    assert validations
    if kind == "totaaltabellen":
        assert validations[0].type == "whole" and validations[0].formula1 == "0"


def test_import_page_is_404_for_tenants(client_tenant):
    assert client_tenant.get(reverse("housing_stock:import")).status_code == 404


def test_import_page_offers_only_own_corporation(client_heem, parties):
    html = client_heem.get(reverse("housing_stock:import")).content.decode()
    assert "HEEMwonen" in html and "Wonen Zuid" not in html


def test_import_through_the_page(client_heem, parties):
    response = client_heem.post(
        reverse("housing_stock:import"),
        {
            "party": parties["heemwonen"].pk,
            "peildatum": "2021-01-01",
            "kind": "units",
            "file": upload(units_xlsx([unit_row(1)])),
        },
    )
    stock_import = StockImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("housing_stock:import-detail", args=[stock_import.pk])
    assert stock_import.status == StockImport.Status.DONE


def test_rejected_upload_shows_the_message_and_writes_nothing(client_heem, parties):
    response = client_heem.post(
        reverse("housing_stock:import"),
        {
            "party": parties["heemwonen"].pk,
            "peildatum": "2021-01-01",
            "kind": "units",
            "file": upload(b"x", "virus.exe"),
        },
    )
    assert response.status_code == 200
    assert (
        "Alleen Excel-bestanden (.xlsx) en CSV-bestanden (.csv) worden aanvaard."
        in response.content.decode()
    )
    assert not StockImport.objects.exists()


def test_import_for_another_corporation_through_the_page_is_refused(client_heem, parties):
    response = client_heem.post(
        reverse("housing_stock:import"),
        {
            "party": parties["wonen-zuid"].pk,
            "peildatum": "2021-01-01",
            "kind": "units",
            "file": upload(units_xlsx([unit_row(1)])),
        },
    )
    assert response.status_code == 200
    assert not StockImport.objects.exists()


def _pending_import(user, party) -> StockImport:
    return StockImport.objects.create(
        created_by=user,
        party=party,
        peildatum=dt.date(2021, 1, 1),
        kind="units",
        file="x.xlsx",
        original_name="x.xlsx",
        status=StockImport.Status.PROCESSING,
        rows_total=10000,
        rows_processed=2500,
    )


def test_import_status_partial_polls_while_processing(client_heem, heem_user, parties):
    stock_import = _pending_import(heem_user, parties["heemwonen"])
    url = reverse("housing_stock:import-detail", args=[stock_import.pk])
    partial = client_heem.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial
    assert 'value="25"' in partial
    full = client_heem.get(url).content.decode()
    assert "<html" in full and 'hx-trigger="every 1s"' in full


def test_import_status_stops_polling_when_done(client_heem, heem_user, parties):
    stock_import = _pending_import(heem_user, parties["heemwonen"])
    StockImport.objects.filter(pk=stock_import.pk).update(status=StockImport.Status.DONE)
    url = reverse("housing_stock:import-detail", args=[stock_import.pk])
    partial = client_heem.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial


def test_import_of_another_corporation_is_404(client, zuid_user, heem_user, parties, stock_demo):
    stock_import = _pending_import(heem_user, parties["heemwonen"])
    client.force_login(zuid_user)
    assert (
        client.get(reverse("housing_stock:import-detail", args=[stock_import.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("housing_stock:import-confirm", args=[stock_import.pk])).status_code
        == 404
    )


def test_confirm_through_the_page(client_heem, heem_user, parties):
    for n in (1, 2):
        services.stock_import_create(
            user=heem_user,
            party=parties["heemwonen"],
            peildatum=dt.date(2021, 1, 1),
            kind="units",
            upload=upload(units_xlsx([unit_row(i) for i in range(n)])),
        )
    waiting = StockImport.objects.get(status=StockImport.Status.AWAITING_CONFIRMATION)
    html = client_heem.get(
        reverse("housing_stock:import-detail", args=[waiting.pk])
    ).content.decode()
    assert "Ja, vervang de eerdere cijfers" in html
    client_heem.post(reverse("housing_stock:import-confirm", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == StockImport.Status.DONE


def test_import_history_is_paginated_and_scoped(
    client, working_group_user, heem_user, zuid_user, parties, stock_demo
):
    for _ in range(25):
        _pending_import(heem_user, parties["heemwonen"])
    _pending_import(zuid_user, parties["wonen-zuid"])
    client.force_login(working_group_user)
    url = reverse("housing_stock:import-history")
    page1 = client.get(url).content.decode()
    assert "pagina 1 van 2" in page1
    assert 'rel="next"' in page1
    client.force_login(zuid_user)
    own = client.get(url).content.decode()
    assert "pagina 1 van 1" in own
    assert own.count("x.xlsx</a>") == 1


# --- query counts --------------------------------------------------------------------------


def _grow(parties, municipality, times: int) -> None:
    """Add `times` extra snapshots per corporation, each with a full type x rent table."""
    tables = {
        "type_rent": {"anders": {"goedkoop": 1, "duur": 2}},
        "energy_label": {"A": {"aantal": 3}},
    }
    for i in range(times):
        for slug in ["heemwonen", "wonen-zuid", "wonen-limburg"]:
            services.snapshot_upsert(
                actor=DEMO_LOADER,
                key=f"grow-{slug}-{i}",
                municipality=municipality,
                party=parties[slug],
                peildatum=dt.date(2010 + i, 1, 1),
                title=f"Groei {i}",
                source="test",
                tables=tables,
            )


PAGES = [
    ("housing_stock:overview", []),
    ("housing_stock:total-detail", []),
    ("housing_stock:party-detail", ["heemwonen"]),
    ("housing_stock:comparison", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_query_count_does_not_grow_with_the_number_of_snapshots(
    client_tenant, parties, municipality, django_assert_num_queries, name, args
):
    url = reverse(name, args=args)
    client_tenant.get(url)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client_tenant.get(url)
    _grow(parties, municipality, 10)
    with django_assert_num_queries(len(small)):
        client_tenant.get(url)


# Session, user, membership with its party (one query), its municipality (access), the
# municipality, snapshots, their counts, the nultreden target, and the session save
# (SESSION_SAVE_EVERY_REQUEST: 3).
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("housing_stock:overview", [], 11),
        ("housing_stock:total-detail", [], 11),
        ("housing_stock:party-detail", ["heemwonen"], 11),
        ("housing_stock:comparison", [], 11),
    ],
)
def test_query_counts_are_pinned(client_tenant, django_assert_num_queries, name, args, expected):
    url = reverse(name, args=args)
    client_tenant.get(url)
    with django_assert_num_queries(expected):
        client_tenant.get(url)


def test_snapshot_detail_query_count_is_pinned(client_tenant, django_assert_num_queries):
    snapshot = snapshot_key("kerkrade-2020-nultreden")
    url = reverse("housing_stock:snapshot-detail", args=[snapshot.pk])
    client_tenant.get(url)
    with django_assert_num_queries(12):
        client_tenant.get(url)


def test_import_history_query_count_is_pinned(
    client, working_group_user, heem_user, parties, stock_demo, django_assert_num_queries
):
    for _ in range(30):
        _pending_import(heem_user, parties["heemwonen"])
    client.force_login(working_group_user)
    url = reverse("housing_stock:import-history")
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)

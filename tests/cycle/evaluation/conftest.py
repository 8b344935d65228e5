"""An evaluation on the small Kerkrade-like world of tests/cycle/conftest.py: the jaarschijf
for 2025 (made in cycle year 2024) is signed and evaluated in cycle year 2026. The framework
gets the share targets of theme 2, the permit-holder and nultreden targets; housing_stock has a
stock snapshot per corporation and a nultreden count for all corporations together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agreements.models import Agreement, Target
from core.actors import DEMO_LOADER
from cycle import services
from cycle.evaluation import services as es
from cycle.jaarschijf import services as js
from cycle.models import Contribution, Jaarschijf
from housing_stock.models import StockCount, StockSnapshot
from tests.factories import indicator

STOCK = {"heemwonen": 4000, "wonen-zuid": 2500, "wonen-limburg": 1000}


def _share_targets(world) -> None:
    agreement = Agreement.objects.get(theme__framework=world.framework, theme__number=2, number=1)
    rows = [
        ("passend-toewijzen", Target.Kind.MIN_SHARE, 95, "% van de toewijzingen"),
        ("daeb-toewijzen", Target.Kind.MIN_SHARE, Decimal("92.5"), "%"),
        ("daeb-toewijzen-lokaal", Target.Kind.MIN_SHARE, 85, "%"),
        ("vergunninghouders", Target.Kind.MAX_SHARE, 10, "% van de mutaties"),
        ("conditiescore", Target.Kind.VALUE, 3, "conditiescore"),
    ]
    # The demo's mapping onto the catalogue (fixtures/kerkrade/framework_2021_2025.toml).
    indicators = {"daeb-toewijzen-lokaal": "daeb-toewijzen"}
    for order, (code, kind, value, unit) in enumerate(rows, start=1):
        Target.objects.create(
            agreement=agreement,
            code=code,
            label=code.replace("-", " ").capitalize(),
            kind=kind,
            direction=Target.Direction.AT_MOST
            if kind == Target.Kind.MAX_SHARE
            else Target.Direction.AT_LEAST,
            value=Decimal(value),
            unit=unit,
            per_year=True,
            order=order,
            indicator=indicator(indicators.get(code, code)),
        )
    Target.objects.create(
        agreement=agreement,
        code="nultreden",
        label="Nultredenwoningen",
        kind=Target.Kind.VALUE,
        direction=Target.Direction.AT_LEAST,
        value=Decimal(4000),
        unit="woningen",
        baseline_value=Decimal(3590),
        baseline_date=dt.date(2020, 1, 1),
        target_year=2030,
        order=10,
        indicator=indicator("nultreden"),
    )


def _stock(world) -> None:
    municipality = world.parties["gemeente-kerkrade"]
    for slug, total in STOCK.items():
        snapshot = StockSnapshot.objects.create(
            municipality=municipality,
            party=world.parties[slug],
            peildatum=dt.date(2024, 1, 1),
            title=f"Voorraad {slug}",
            source="test",
            key=f"test-{slug}",
        )
        StockCount.objects.create(
            snapshot=snapshot, table="type_rent", row_key="totaal", col_key="totaal", value=total
        )
    snapshot = StockSnapshot.objects.create(
        municipality=municipality,
        party=None,
        peildatum=dt.date(2024, 1, 1),
        title="Nultreden",
        source="test",
        key="test-nultreden",
    )
    StockCount.objects.create(
        snapshot=snapshot, table="nultreden", row_key="nultreden", col_key="aantal", value=3700
    )


@pytest.fixture
def signed_jaarschijf(world) -> Jaarschijf:
    _share_targets(world)
    _stock(world)
    world.agreement.responsible_parties.set(
        [
            world.parties["gemeente-kerkrade"],
            world.parties["heemwonen"],
            world.parties["wonen-zuid"],
            world.parties["huurdersorganisatie-heemwonen"],
        ]
    )
    cycle_year = services.cycle_year_create(actor=DEMO_LOADER, framework=world.framework, year=2024)
    jaarschijf = js.jaarschijf_create(actor=world.users["werkgroep"], cycle_year=cycle_year)
    sloop = Target.objects.get(agreement=world.agreement, code="sloop")
    for slug, quantity in [("heemwonen", 40), ("wonen-zuid", 30)]:
        js.contribution_add(
            actor=DEMO_LOADER,
            jaarschijf=jaarschijf,
            party=world.parties[slug],
            agreement=world.agreement,
            data=js.ContributionInput(
                text=f"Sloop door {slug}", quantity=Decimal(quantity), target_id=sloop.pk
            ),
        )
    for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
        jaarschijf = js.jaarschijf_set_state(actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state)
    return js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=jaarschijf, signing_round=1)


@pytest.fixture
def eval_year(world, signed_jaarschijf):
    return services.cycle_year_create(actor=DEMO_LOADER, framework=world.framework, year=2026)


@pytest.fixture
def evaluation(world, eval_year):
    return es.evaluation_start(actor=world.users["werkgroep"], cycle_year=eval_year)


def sloop_contribution(evaluation, slug: str) -> Contribution:
    return Contribution.objects.get(
        jaarschijf=evaluation.jaarschijf, party__slug=slug, target__code="sloop"
    )


def figures(**overrides) -> es.FiguresInput:
    values = {
        "lettings": 300,
        "relets": 320,
        "vacancy_pct": Decimal("1.5"),
        "passend_pct": Decimal("97"),
        "daeb_pct": Decimal("93"),
        "permit_holder_lettings": 20,
        "evictions": 2,
        "condition_score": Decimal("3.2"),
        "source": "Thuis in Limburg",
    }
    values.update(overrides)
    return es.FiguresInput(**values)

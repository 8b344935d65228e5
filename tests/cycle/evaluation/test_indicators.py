"""The indicator catalogue drives the compliance checks: a second municipality, with target codes
of its own, gets its traffic lights from the indicators its targets point at; and no compliance
rule names a target code or a municipality."""

from __future__ import annotations

import ast
import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import Membership, Party, Target
from core.actors import DEMO_LOADER
from cycle import services
from cycle.evaluation import services as es
from cycle.jaarschijf import services as js
from cycle.models import Jaarschijf
from housing_stock.models import StockCount, StockSnapshot
from tests.cycle.conftest import process_calendar_create
from tests.factories import (
    AgreementFactory,
    FrameworkFactory,
    MembershipFactory,
    MunicipalityFactory,
    PartyFactory,
    TargetFactory,
    ThemeFactory,
    indicator,
)

from .conftest import figures

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


def _target(agreement, code, indicator_code, kind, value, **extra):
    return TargetFactory(
        agreement=agreement,
        code=code,
        label=code.replace("-", " ").capitalize(),
        kind=kind,
        direction=extra.pop("direction", Target.Direction.AT_LEAST),
        value=Decimal(value),
        unit=extra.pop("unit", "%"),
        indicator=indicator(indicator_code) if indicator_code else None,
        **extra,
    )


@pytest.fixture
def elsewhere():
    """Gemeente Zuiderdal with two corporations and a framework 2023-2027 whose targets have
    codes of their own, mapped onto the catalogue; the jaarschijf 2025 is signed and its
    evaluation started in 2026."""
    municipality = MunicipalityFactory(name="Gemeente Zuiderdal")
    north = PartyFactory(name="Woonstichting Noord", municipality=municipality)
    south = PartyFactory(name="Woonstichting Zuid", municipality=municipality)
    framework = FrameworkFactory(
        municipality=municipality,
        title="Prestatieafspraken Zuiderdal 2023-2027",
        period_start=2023,
        period_end=2027,
        parties=[municipality, north, south],
    )
    process_calendar_create(framework)
    theme = ThemeFactory(framework=framework, number=1, title="Wonen", slug="wonen")
    agreement = AgreementFactory(
        theme=theme, number=1, title="Toewijzen en bouwen", responsible=[north, south]
    )
    share = Target.Kind.MIN_SHARE
    _target(agreement, "aandeel-passend-2027", "passend-toewijzen", share, 95, order=1)
    _target(agreement, "daeb-wettelijk", "daeb-toewijzen", share, "92.5", order=2)
    _target(agreement, "daeb-ondergrens-zuiderdal", "daeb-toewijzen", share, 80, order=3)
    _target(
        agreement,
        "statushouders-max",
        "vergunninghouders",
        Target.Kind.MAX_SHARE,
        12,
        direction=Target.Direction.AT_MOST,
        order=4,
    )
    _target(
        agreement,
        "toegankelijk-2030",
        "nultreden",
        Target.Kind.VALUE,
        1200,
        unit="woningen",
        baseline_value=Decimal(1000),
        baseline_date=dt.date(2022, 1, 1),
        target_year=2030,
        order=5,
    )
    _target(
        agreement,
        "nieuwe-woningen-2023-2027",
        "nieuwbouw",
        Target.Kind.PERIOD_COUNT,
        250,
        unit="woningen",
        period_start=2023,
        target_year=2027,
        order=6,
    )
    # A target on no indicator: judged as before, by the realisation of its contributions (in
    # its theme's light), so it gets no checks of its own.
    _target(agreement, "eigen-ambitie", None, Target.Kind.VALUE, 10, unit="woningen", order=7)
    werkgroep = MembershipFactory(party=municipality, role=Membership.Role.WORKING_GROUP).user
    snapshot = StockSnapshot.objects.create(
        municipality=municipality,
        party=None,
        peildatum=dt.date(2025, 1, 1),
        title="Toegankelijkheid",
        source="test",
        key="zuiderdal-nultreden",
    )
    StockCount.objects.create(
        snapshot=snapshot, table="nultreden", row_key="nultreden", col_key="aantal", value=1010
    )
    cycle_year = services.cycle_year_create(actor=DEMO_LOADER, framework=framework, year=2024)
    jaarschijf = js.jaarschijf_create(actor=werkgroep, cycle_year=cycle_year)
    for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
        jaarschijf = js.jaarschijf_set_state(actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state)
    js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=jaarschijf, signing_round=1)
    eval_year = services.cycle_year_create(actor=DEMO_LOADER, framework=framework, year=2026)
    evaluation = es.evaluation_start(actor=werkgroep, cycle_year=eval_year)
    for corporation, data in [
        (north, figures(passend_pct=Decimal(96), daeb_pct=Decimal(85), permit_holder_lettings=30)),
        (south, figures(passend_pct=Decimal(90), daeb_pct=Decimal(94), permit_holder_lettings=30)),
    ]:
        es.year_figures_save(
            actor=DEMO_LOADER, evaluation=evaluation, corporation=corporation, data=data
        )
    return evaluation, werkgroep


def _region(html: str, code: str) -> str:
    """The checks of one target on the page (its region, up to the end of its table)."""
    match = re.search(rf'id="doel-{re.escape(code)}".*?</table>', html, re.S)
    assert match, f"no checks for {code}"
    return match.group(0)


def _lights(region: str) -> list[str]:
    return re.findall(r"pa-light--(\w+)", region)


def test_second_municipality_gets_traffic_lights_from_the_catalogue(client, elsewhere):
    evaluation, werkgroep = elsewhere
    client.force_login(werkgroep)
    response = client.get(reverse("cycle:evaluation-detail", args=[evaluation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # Passend: Noord 96% green, Zuid 90% red, together (equal lettings) 93% orange.
    assert _lights(_region(html, "aandeel-passend-2027")) == ["groen", "rood", "oranje"]
    # DAEB: the local lower bound (80%) next to the national share makes 85% orange, not red.
    daeb = _region(html, "daeb-wettelijk")
    assert _lights(daeb) == ["oranje", "groen", "oranje"]
    assert "oranje 80% tot 92,5%" in daeb
    # Permit holders: 30 of 320 re-lets is 9,4%, within the maximum of 12%.
    assert _lights(_region(html, "statushouders-max")) == ["groen", "groen"]
    # Accessible homes: 1.010 in the stock; on a straight line from 1.000 (1 January 2022) to
    # 1.200 (2030), 1.075 was due by the end of 2025: red.
    nultreden = _region(html, "toegankelijk-2030")
    assert _lights(nultreden) == ["rood"] and "1.010" in nultreden
    # A count over the period with nothing realised yet.
    assert _lights(_region(html, "nieuwe-woningen-2023-2027")) == ["geen"]
    assert 'id="doel-eigen-ambitie"' not in html


def test_the_page_names_the_indicator_and_its_national_norm(client, elsewhere):
    evaluation, werkgroep = elsewhere
    client.force_login(werkgroep)
    html = client.get(reverse("cycle:evaluation-detail", args=[evaluation.pk])).content.decode()
    passend = _region(html, "aandeel-passend-2027")
    assert "Indicator: Passend toewijzen · landelijk: 95% passend" in passend
    # An indicator without a national norm is named without one.
    permit = _region(html, "statushouders-max")
    assert "Indicator: Huisvesting vergunninghouders" in permit and "landelijk" not in permit


def test_editing_the_catalogue_changes_how_a_target_is_judged(client, elsewhere):
    """The rule comes from the indicator, not from the target: an administrator who turns the
    passend indicator's measure off leaves the target to its contributions (no checks)."""
    evaluation, werkgroep = elsewhere
    passend = indicator("passend-toewijzen")
    passend.measure = passend.Measure.NONE
    passend.save()
    client.force_login(werkgroep)
    html = client.get(reverse("cycle:evaluation-detail", args=[evaluation.pk])).content.decode()
    assert 'id="doel-aandeel-passend-2027"' not in html
    assert 'id="doel-daeb-wettelijk"' in html


# --- no compliance rule names a target code or a municipality --------------------------------

RULE_MODULES = [
    *sorted((BASE / "cycle" / "evaluation").glob("*.py")),
    BASE / "cycle" / "bids" / "selectors.py",
]


def _fixture_codes_and_municipalities() -> tuple[set[str], set[str]]:
    codes, municipalities = set(), set()
    for path in (BASE / "fixtures").glob("*/framework_*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for theme in data.get("themes", []):
            for agreement in theme.get("agreements", []):
                codes |= {target["code"] for target in agreement.get("targets", [])}
    for path in (BASE / "fixtures").glob("*/parties.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for party in data["parties"]:
            if party.get("kind") == Party.Kind.MUNICIPALITY:
                municipalities.add(party["name"])
                # "Gemeente Kerkrade" -> also the bare place name.
                municipalities.add(party["name"].split()[-1])
    return codes, municipalities


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_fixtures_have_target_codes_and_a_municipality():
    codes, municipalities = _fixture_codes_and_municipalities()
    assert {"passend-toewijzen", "vergunninghouders", "nultreden", "sloop"} <= codes
    assert municipalities


def test_no_compliance_rule_mentions_a_target_code_or_a_municipality():
    codes, municipalities = _fixture_codes_and_municipalities()
    found = []
    for path in RULE_MODULES:
        for line, value in _string_constants(path):
            if value in codes:
                found.append(f"{path.relative_to(BASE)}:{line} target code {value!r}")
            for name in municipalities:
                if name.lower() in value.lower():
                    found.append(f"{path.relative_to(BASE)}:{line} municipality {name!r}")
    assert found == []


def test_the_scan_catches_a_target_code(tmp_path):
    """The scan above can fail: a module that dispatches on a code is caught."""
    codes, _municipalities = _fixture_codes_and_municipalities()
    module = tmp_path / "rule.py"
    module.write_text('if target.code == "daeb-toewijzen-lokaal":\n    pass\n', encoding="utf-8")
    assert any(value in codes for _line, value in _string_constants(module))

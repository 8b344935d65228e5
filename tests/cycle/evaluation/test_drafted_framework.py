"""A framework built in the portal by a second municipality (tests/second_municipality.py) gets
its compliance traffic lights from the indicator catalogue in its first yearly evaluation.

The working group starts an empty 2026-2030 framework, adds a theme, an agreement and a target
with an indicator through the drafting pages (the target's code comes from its label, so it is
Mergelrade's own); it is signed through the signing services. The jaarschijf 2026 is signed,
the evaluation in cycle year 2027 gets the corporation's year figures, and the target is judged
by the indicator's rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from agreements.demo import DEMO_PASSWORD
from agreements.models import Agreement, Framework, Target, Theme
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_put_up
from core.actors import DEMO_LOADER
from cycle import services
from cycle.evaluation import compliance
from cycle.evaluation import selectors as evaluation_selectors
from cycle.evaluation import services as es
from cycle.jaarschijf import services as js
from cycle.models import Jaarschijf
from tests.factories import indicator, otp_code
from tests.second_municipality import SIGNATORIES, second_municipality_parties

from .conftest import figures
from .test_indicators import _fixture_codes_and_municipalities, _lights, _region

pytestmark = pytest.mark.django_db

TITLE = "Prestatieafspraken Mergelrade 2026-2030"
LABEL = "Passend verhuren Mergelrade"
PASSEND = Decimal("93.5")  # Woonstichting Mergelland's share in 2026


def _ok(response) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]


def _framework_drafted_in_the_portal(client: Client, corporation) -> Framework:
    _ok(
        client.post(
            reverse("agreements:framework-new"),
            {
                "municipality": corporation.municipality_id,
                "title": TITLE,
                "period_start": 2026,
                "period_end": 2030,
                "start_from": "leeg",
            },
        )
    )
    framework = Framework.objects.get(title=TITLE)
    add = "agreements:concept-add"
    _ok(client.post(reverse(add, args=[framework.slug, "thema"]), {"nieuw-title": "Wonen"}))
    theme = Theme.objects.get(framework=framework)
    _ok(
        client.post(
            reverse(add, args=[framework.slug, "afspraak"]) + f"?in={theme.pk}",
            {
                "nieuw-title": "Passend verhuren",
                "nieuw-text": "De woonstichting verhuurt haar woningen passend.",
                "nieuw-responsible_party_ids": [corporation.pk],
            },
        )
    )
    agreement = Agreement.objects.get(theme=theme)
    _ok(
        client.post(
            reverse(add, args=[framework.slug, "doel"]) + f"?in={agreement.pk}",
            {
                "nieuw-label": LABEL,
                "nieuw-kind": Target.Kind.MIN_SHARE,
                "nieuw-direction": Target.Direction.AT_LEAST,
                "nieuw-value": "95",
                "nieuw-unit": "% van de toewijzingen",
                "nieuw-per_year": "on",
                "nieuw-indicator_id": indicator("passend-toewijzen").pk,
                "nieuw-party_ids": [corporation.pk],
            },
        )
    )
    _ok(
        client.post(
            reverse("agreements:framework-status", args=[framework.slug]),
            {"status": "definitief_concept"},
        )
    )
    framework.refresh_from_db()
    return framework


@pytest.fixture
def evaluated():
    municipality, corporation, _tenants, users = second_municipality_parties()
    werkgroep = users["mr-werkgroep"]
    client = Client()
    client.force_login(werkgroep)
    framework = _framework_drafted_in_the_portal(client, corporation)
    request = signing_put_up(signable=FrameworkSignable(framework), user=werkgroep)
    for username in SIGNATORIES:
        user = users[username]
        signature_add(
            signing_request=request, user=user, password=DEMO_PASSWORD, otp_code=otp_code(user)
        )
    framework.refresh_from_db()
    assert framework.status == Framework.Status.ADOPTED

    plan_year = services.cycle_year_create(actor=werkgroep, year=2025, municipality=municipality)
    assert plan_year.framework == framework  # the jaarschijf 2026 falls under it
    jaarschijf = js.jaarschijf_create(actor=werkgroep, cycle_year=plan_year)
    for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
        jaarschijf = js.jaarschijf_set_state(actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state)
    js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=jaarschijf, signing_round=1)
    eval_year = services.cycle_year_create(actor=werkgroep, year=2027, municipality=municipality)
    evaluation = es.evaluation_start(actor=werkgroep, cycle_year=eval_year)
    es.year_figures_save(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        corporation=corporation,
        data=figures(passend_pct=PASSEND),
    )
    return evaluation, werkgroep, Target.objects.get(agreement__theme__framework=framework)


def test_the_target_drafted_in_the_portal_has_a_code_of_its_own(evaluated):
    _evaluation, _werkgroep, target = evaluated
    codes, _municipalities = _fixture_codes_and_municipalities()
    assert target.code not in codes
    assert target.indicator.code == "passend-toewijzen"


def test_its_first_evaluation_judges_the_target_by_the_catalogue(evaluated):
    evaluation, werkgroep, target = evaluated
    # The rule of the indicator's measure (a minimum share) for this target's value and figure.
    expected = compliance.min_share(PASSEND, target.value)

    summary = evaluation_selectors.evaluation_summary(evaluation)
    (status,) = [s for s in summary.target_statuses if s.target.pk == target.pk]
    assert status.checks, "no checks: the target was not judged on its indicator"
    assert {(check.light, check.rule) for check in status.checks} == {
        (expected.light, expected.rule)
    }
    assert status.light == expected.light != compliance.Light.NONE

    client = Client()
    client.force_login(werkgroep)
    html = client.get(reverse("cycle:evaluation-detail", args=[evaluation.pk])).content.decode()
    region = _region(html, target.code)
    assert expected.light.value in _lights(region)
    assert escape(expected.rule) in region
    assert "Indicator: Passend toewijzen" in region

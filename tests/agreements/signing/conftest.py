"""A small framework with three parties, each with a working-group member and a signatory.

Factories only (no load_demo), so that the signing tests stay fast; the browser journey in
tests/e2e/test_signing_journey.py uses the demo data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from agreements.models import Agreement, Framework, Membership, Party, Target
from tests.factories import (
    DEFAULT_PASSWORD,
    AgreementFactory,
    FrameworkFactory,
    MembershipFactory,
    MunicipalityFactory,
    PartyFactory,
    TargetFactory,
    TenantOrganisationFactory,
    ThemeFactory,
    UserFactory,
)

PASSWORD = DEFAULT_PASSWORD


@dataclass
class World:
    framework: Framework
    parties: list[Party]
    agreement: Agreement
    target: Target
    working_group: Any
    signatories: dict[str, Any]  # party slug -> user
    member: Any


@pytest.fixture
def world(db) -> World:
    gemeente = MunicipalityFactory(name="Gemeente Teststad", slug="gemeente-teststad")
    corporatie = PartyFactory(name="Woonstichting Test", slug="woonstichting-test")
    huurders = TenantOrganisationFactory(name="Huurders Test", slug="huurders-test")
    parties = [gemeente, corporatie, huurders]
    framework = FrameworkFactory(
        municipality=gemeente, parties=parties, title="Kader Teststad", slug="kader-teststad"
    )
    theme = ThemeFactory(framework=framework, number=1, title="Betaalbaarheid", slug="betaal")
    agreement = AgreementFactory(
        theme=theme,
        number=1,
        title="Sloop en nieuwbouw",
        text="Partijen slopen 478 woningen in de periode.",
        responsible=[corporatie],
    )
    target = TargetFactory(agreement=agreement, code="sloop", label="Sloop", parties=[corporatie])
    working_group = MembershipFactory(
        party=gemeente,
        role=Membership.Role.WORKING_GROUP,
        user=UserFactory(username="wg", first_name="Wim", last_name="Werkgroep"),
    ).user
    signatories = {}
    for party, title in zip(parties, ["wethouder", "bestuurder", "voorzitter"], strict=True):
        signatories[party.slug] = MembershipFactory(
            party=party,
            role=Membership.Role.SIGNATORY,
            job_title=title,
            user=UserFactory(username=f"{party.slug}-sig", last_name=f"Tekenaar {party.name}"),
        ).user
    member = MembershipFactory(party=corporatie, role=Membership.Role.MEMBER).user
    return World(framework, parties, agreement, target, working_group, signatories, member)


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _no_pdf_cache(settings):
    settings.PDF_TAGGED = False  # faster renders in tests; tagging is tested elsewhere

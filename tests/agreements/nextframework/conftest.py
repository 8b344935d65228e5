"""A municipality with a previous framework 2021-2025 holding every part a copy takes over.

Factories only (no load_demo); tests/agreements/nextframework/test_demo.py reads the demo's concept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from agreements.models import Framework, Membership, Party, PolicyBasis, Target
from tests.factories import (
    AgreementFactory,
    FrameworkFactory,
    FrameworkSignatoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PartyFactory,
    ProcessStepFactory,
    TargetFactory,
    TenantOrganisationFactory,
    ThemeFactory,
    UserFactory,
    indicator,
)


@dataclass
class World:
    municipality: Party
    corporation: Party
    tenants: Party
    previous: Framework
    late_target: Target  # target year 2025: outside 2026-2030
    open_target: Target  # no target year
    working_group: Any  # of the corporation
    member: Any  # an ordinary member of the corporation
    signatories: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    municipality = MunicipalityFactory(name="Gemeente Voorbeeld", slug="gemeente-voorbeeld")
    corporation = PartyFactory(name="Woonstichting Voorbeeld", municipality=municipality)
    tenants = TenantOrganisationFactory(name="Huurders Voorbeeld", municipality=municipality)
    parties = [municipality, corporation, tenants]
    previous = FrameworkFactory(
        municipality=municipality,
        title="Kader Voorbeeld 2021-2025",
        parties=parties,
        highlights="Betaalbaar wonen.",
    )
    theme = ThemeFactory(framework=previous, number=1, title="Wonen", slug="wonen")
    agreement = AgreementFactory(
        theme=theme, number=2, title="Sloop", text="Wij slopen.", responsible=[corporation]
    )
    late = TargetFactory(
        agreement=agreement,
        code="sloop",
        label="Sloop",
        kind=Target.Kind.PERIOD_COUNT,
        value=Decimal("478"),
        baseline_value=Decimal("0"),
        baseline_date=dt.date(2020, 12, 31),
        period_start=2021,
        target_year=2025,
        note="Over de hele periode.",
        indicator=indicator("sloop"),
        parties=[corporation],
        order=1,
    )
    open_target = TargetFactory(
        agreement=agreement,
        code="passend",
        label="Passend toewijzen",
        kind=Target.Kind.MIN_SHARE,
        value=Decimal("95"),
        unit="%",
        parties=[corporation, tenants],
        order=2,
    )
    ProcessStepFactory(framework=previous, order=1, period_label="Januari", is_statutory=True)
    ProcessStepFactory(framework=previous, order=2, period_label="Vóór 1 juli", deadline_month=7)
    FrameworkSignatoryFactory(framework=previous, name="A. Wethouder", party=municipality)
    PolicyBasis.objects.create(
        framework=previous,
        kind=PolicyBasis.Kind.WOONVISIE,
        title="Woonvisie 2020",
        date=dt.date(2020, 5, 1),
        source="Raadsbesluit 2020/12",
        order=1,
    )
    working_group = MembershipFactory(
        party=corporation,
        role=Membership.Role.WORKING_GROUP,
        user=UserFactory(username="wg-voorbeeld", first_name="Wil", last_name="Werkgroep"),
    ).user
    member = MembershipFactory(party=corporation, role=Membership.Role.MEMBER).user
    signatories = {
        party.slug: MembershipFactory(
            party=party,
            role=Membership.Role.SIGNATORY,
            job_title="bestuurder",
            user=UserFactory(username=f"{party.slug}-sig", last_name=f"Tekenaar {party.name}"),
        ).user
        for party in parties
    }
    return World(
        municipality,
        corporation,
        tenants,
        previous,
        late,
        open_target,
        working_group,
        member,
        signatories,
    )

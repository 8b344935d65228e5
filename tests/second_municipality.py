"""A second municipality beside the demo, made through the portal's services and the factories:
Gemeente Mergelrade with one corporation and one tenant organisation, a working group per
party, a corporation member, a signatory per party with two-step verification set up as
load_demo sets it up (the published demo secret, so tests/e2e/signing.py signs for them), a
framework 2021-2025 signed by every party through the signing services, with target codes of
its own on the indicator catalogue, and its cycle year 2026 under it (no jaarschijf yet: the
jaarschijf 2027 has no framework in force).

Nothing here uses the demo's Kerkrade data: the journeys and tests that use it run the same
whether load_demo ran or not.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agreements.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from agreements.models import Framework, Membership, Party, Target
from agreements.services import account_ensure
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_put_up
from agreements.twofactor.models import AuthenticatorDevice
from agreements.twofactor.services import demo_device_ensure
from core.actors import DEMO_LOADER
from cycle import services as cycle_services
from cycle.models import CycleYear
from tests.cycle.conftest import process_calendar_create
from tests.factories import (
    AgreementFactory,
    FrameworkFactory,
    FrameworkSignatoryFactory,
    MunicipalityFactory,
    PartyFactory,
    TargetFactory,
    TenantOrganisationFactory,
    ThemeFactory,
    indicator,
    otp_code,
)

# username: (party key, role, first name, last name, job title)
ACCOUNTS = {
    "mr-werkgroep": ("gemeente", Membership.Role.WORKING_GROUP, "Wim", "Werkgroep", ""),
    "mr-corp-werkgroep": ("corporatie", Membership.Role.WORKING_GROUP, "Cor", "Werkgroep", ""),
    "mr-huurders-werkgroep": ("huurders", Membership.Role.WORKING_GROUP, "Hanna", "Werkgroep", ""),
    "mr-corporatie": ("corporatie", Membership.Role.MEMBER, "Carla", "Lid", "beleidsadviseur"),
    "mr-wethouder": ("gemeente", Membership.Role.SIGNATORY, "Wilma", "Wethouder", "wethouder"),
    "mr-bestuurder": ("corporatie", Membership.Role.SIGNATORY, "Bert", "Bestuurder", "directeur"),
    "mr-voorzitter": ("huurders", Membership.Role.SIGNATORY, "Vera", "Voorzitter", "voorzitter"),
}
SIGNATORIES = [name for name, row in ACCOUNTS.items() if row[1] == Membership.Role.SIGNATORY]

# The targets of the 2021-2025 framework: codes of this municipality's own, each on an
# indicator of the catalogue. (code, label, indicator, kind, direction, value, unit)
TARGETS = [
    (
        "mr-passend-verhuren",
        "Passend verhuren in Mergelrade",
        "passend-toewijzen",
        Target.Kind.MIN_SHARE,
        Target.Direction.AT_LEAST,
        "95",
        "% van de toewijzingen",
    ),
    (
        "mr-woningen-erbij",
        "Nieuwe huurwoningen in Mergelrade",
        "nieuwbouw",
        Target.Kind.PERIOD_COUNT,
        Target.Direction.AT_LEAST,
        "1000",
        "woningen",
    ),
]


@dataclass
class SecondMunicipality:
    municipality: Party
    corporation: Party
    tenants: Party
    framework: Framework
    cycle_year: CycleYear
    users: dict[str, Any]

    @property
    def parties(self) -> list[Party]:
        return [self.municipality, self.corporation, self.tenants]


def second_municipality_parties() -> tuple[Party, Party, Party, dict[str, Any]]:
    """The three parties and their accounts (password DEMO_PASSWORD), signatories with an app."""
    municipality = MunicipalityFactory(name="Gemeente Mergelrade", slug="gemeente-mergelrade")
    corporation = PartyFactory(
        name="Woonstichting Mergelland", slug="woonstichting-mergelland", municipality=municipality
    )
    tenants = TenantOrganisationFactory(
        name="Huurdersraad Mergelland", slug="huurdersraad-mergelland", municipality=municipality
    )
    by_key = {"gemeente": municipality, "corporatie": corporation, "huurders": tenants}
    seed = base64.b32decode(DEMO_TOTP_SECRET)
    users = {}
    for username, (key, role, first, last, job_title) in ACCOUNTS.items():
        users[username] = account_ensure(
            actor=DEMO_LOADER,
            username=username,
            password=DEMO_PASSWORD,
            party=by_key[key],
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            job_title=job_title,
        )
        if role == Membership.Role.SIGNATORY:
            demo_device_ensure(user=users[username], seed=seed)
    return municipality, corporation, tenants, users


def second_municipality() -> SecondMunicipality:
    municipality, corporation, tenants, users = second_municipality_parties()
    parties = [municipality, corporation, tenants]
    framework = FrameworkFactory(
        municipality=municipality,
        title="Prestatieafspraken Mergelrade 2021-2025",
        slug="prestatieafspraken-mergelrade-2021-2025",
        period_start=2021,
        period_end=2025,
        status=Framework.Status.ADOPTED,
        agreed_on=dt.date(2020, 12, 10),
        agreed_place="Mergelrade",
        parties=parties,
    )
    process_calendar_create(framework)
    for order, username in enumerate(SIGNATORIES, start=1):
        user = users[username]
        FrameworkSignatoryFactory(
            framework=framework,
            order=order,
            party=user.membership.party,
            name=user.get_full_name(),
            job_title=user.membership.job_title,
        )
    theme = ThemeFactory(framework=framework, number=1, title="Betaalbaar wonen", slug="betaalbaar")
    agreement = AgreementFactory(
        theme=theme,
        number=1,
        title="Verhuren en bouwen",
        text="De woonstichting verhuurt passend en bouwt huurwoningen bij.",
        responsible=[corporation],
    )
    for order, (code, label, code_of_indicator, kind, direction, value, unit) in enumerate(
        TARGETS, start=1
    ):
        TargetFactory(
            agreement=agreement,
            code=code,
            label=label,
            kind=kind,
            direction=direction,
            value=Decimal(value),
            unit=unit,
            order=order,
            indicator=indicator(code_of_indicator),
            parties=[corporation],
            **(
                {"period_start": 2021, "target_year": 2025}
                if kind == Target.Kind.PERIOD_COUNT
                else {}
            ),
        )
    # Signed by every party in the portal, as a framework drafted there would be.
    request = signing_put_up(signable=FrameworkSignable(framework), user=users["mr-werkgroep"])
    for username in SIGNATORIES:
        user = users[username]
        signature_add(
            signing_request=request, user=user, password=DEMO_PASSWORD, otp_code=otp_code(user)
        )
    framework.refresh_from_db()
    # That signing lies years back: the codes used then do not block today's (a code is
    # accepted once per 30-second window).
    AuthenticatorDevice.objects.filter(user__in=[users[name] for name in SIGNATORIES]).update(
        last_t=-1
    )
    cycle_year = cycle_services.cycle_year_create(
        actor=users["mr-werkgroep"], framework=framework, year=2026
    )
    return SecondMunicipality(
        municipality=municipality,
        corporation=corporation,
        tenants=tenants,
        framework=framework,
        cycle_year=cycle_year,
        users=users,
    )

"""A small Kerkrade-like world for the cycle tests: parties, a framework with the five period
targets and the seed's process calendar, and the demo accounts (same usernames as load_demo)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from agreements.models import Agreement, Framework, Membership, Party, ProcessStep, Target, Theme
from core.actors import DEMO_LOADER
from cycle import services
from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.calendar import AMSTERDAM
from cycle.models import CycleYear, Figure
from tests.factories import indicator

User = get_user_model()

TARGETS = [
    ("sloop", 478),
    ("nieuwbouw", 515),
    ("verkoop", 35),
    ("aankoop", 125),
    ("renovatie", 332),
]

STEPS = [
    # period_label, deliverable, owner_kind, month, day, next_year, statutory
    ("Januari - maart", "Evaluatie (concept)", "", 4, 1, False, False),
    ("Maart", "Evaluatie vastgesteld", "", 4, 1, False, False),
    ("Vóór 1 juli", "Bod", "corporatie", 7, 1, True, True),
    ("Juli - november", "Concept-jaarschijf", "", None, None, True, False),
    ("Vóór 1 december", "Jaarschijf (definitief concept)", "", 12, 1, True, False),
    ("Vóór 15 december", "Jaarschijf ondertekend", "", 12, 15, True, True),
]


def process_calendar_create(framework: Framework) -> None:
    """The yearly process calendar of STEPS, as a framework's ProcessSteps."""
    for order, (label, deliverable, kind, month, day, next_year, statutory) in enumerate(
        STEPS, start=1
    ):
        ProcessStep.objects.create(
            framework=framework,
            order=order,
            period_label=label,
            description=f"{deliverable}.",
            deliverable=deliverable,
            owner_kind=kind,
            deadline_month=month,
            deadline_day=day,
            applies_to_next_year=next_year,
            is_statutory=statutory,
        )


ROLES = {
    "werkgroep": ("gemeente-kerkrade", "working_group"),
    "wethouder": ("gemeente-kerkrade", "signatory"),
    "heemwonen": ("heemwonen", "member"),
    "wonenzuid": ("wonen-zuid", "member"),
    "wonenlimburg": ("wonen-limburg", "member"),
    "heemwonen-bestuur": ("heemwonen", "signatory"),
    "wonenzuid-bestuur": ("wonen-zuid", "signatory"),
    "wonenlimburg-bestuur": ("wonen-limburg", "signatory"),
    "huurders": ("huurdersorganisatie-heemwonen", "member"),
    "huurders-voorzitter": ("huurdersorganisatie-heemwonen", "signatory"),
    "meander": ("meander", "member"),
}


@dataclass
class World:
    framework: Framework
    parties: dict[str, Party]
    users: dict[str, object]
    cycle_year: CycleYear
    agreement: Agreement

    def corporation(self, slug: str) -> Party:
        return self.parties[slug]


def build_framework(parties: dict[str, Party], *, slug: str = "kerkrade-2021-2025") -> Framework:
    municipality = parties["gemeente-kerkrade"]
    framework = Framework.objects.create(
        municipality=municipality,
        title="Lokaal meerjarig kader Kerkrade 2021-2025",
        slug=slug,
        period_start=2021,
        period_end=2025,
        status=Framework.Status.ADOPTED,
    )
    framework.parties.set([p for s, p in parties.items() if s != "meander"])
    theme = Theme.objects.create(framework=framework, number=1, title="Beschikbaarheid", slug="b")
    agreement = Agreement.objects.create(theme=theme, number=2, title="Transitie", text="x")
    for order, (code, value) in enumerate(TARGETS, start=1):
        Target.objects.create(
            agreement=agreement,
            code=code,
            label=f"{code.capitalize()} van woningen",
            kind=Target.Kind.PERIOD_COUNT,
            value=Decimal(value),
            unit="woningen",
            period_start=2021,
            target_year=2025,
            order=order,
            indicator=indicator(code),
        )
    theme2 = Theme.objects.create(framework=framework, number=2, title="Betaalbaarheid", slug="c")
    Agreement.objects.create(theme=theme2, number=1, title="Huurbeleid", text="y")
    process_calendar_create(framework)
    return framework


@pytest.fixture
def world(db) -> World:
    municipality = Party.objects.create(
        name="Gemeente Kerkrade", slug="gemeente-kerkrade", kind=Party.Kind.MUNICIPALITY
    )
    parties = {"gemeente-kerkrade": municipality}
    for slug, name, kind in [
        ("heemwonen", "HEEMwonen", Party.Kind.CORPORATION),
        ("wonen-zuid", "Wonen Zuid", Party.Kind.CORPORATION),
        ("wonen-limburg", "Wonen Limburg", Party.Kind.CORPORATION),
        (
            "huurdersorganisatie-heemwonen",
            "Huurdersorganisatie HEEMwonen",
            Party.Kind.TENANT_ORGANISATION,
        ),
        ("meander", "Meander", Party.Kind.OTHER),
    ]:
        parties[slug] = Party.objects.create(
            name=name, slug=slug, kind=kind, municipality=municipality
        )
    framework = build_framework(parties)
    users = {}
    for username, (party_slug, role) in ROLES.items():
        user = User.objects.create_user(
            username=username, password="kerkrade-demo", email=f"{username}@example.org"
        )
        Membership.objects.create(user=user, party=parties[party_slug], role=role)
        users[username] = user
    users["admin"] = User.objects.create_superuser("admin", "admin@example.org", "kerkrade-demo")
    users["nobody"] = User.objects.create_user("nobody", "nobody@example.org", "kerkrade-demo")
    cycle_year = services.cycle_year_create(actor=DEMO_LOADER, framework=framework, year=2025)
    return World(
        framework=framework,
        parties=parties,
        users=users,
        cycle_year=cycle_year,
        agreement=Agreement.objects.get(theme__framework=framework, number=2),
    )


def full_lines(base: int = 10) -> dict[str, LineInput]:
    return {
        figure.value: LineInput(quantity=Decimal(base + index), explanation=f"uitleg {index}")
        for index, figure in enumerate(Figure)
    }


def amsterdam(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def submitted_bid(world):
    """HEEMwonen's version 1, submitted on time; returns the bid."""
    corporation = world.parties["heemwonen"]
    bid = bids_services.bid_draft_start(
        actor=world.users["heemwonen"], cycle_year=world.cycle_year, corporation=corporation
    )
    bids_services.bid_lines_save(actor=world.users["heemwonen"], bid=bid, lines=full_lines())
    return bids_services.bid_submit(
        actor=world.users["heemwonen"], bid=bid, at=amsterdam(2025, 6, 20)
    )


@pytest.fixture
def draft_bid(world):
    corporation = world.parties["heemwonen"]
    bid = bids_services.bid_draft_start(
        actor=world.users["heemwonen"], cycle_year=world.cycle_year, corporation=corporation
    )
    bids_services.bid_lines_save(actor=world.users["heemwonen"], bid=bid, lines=full_lines(20))
    return bid

"""A jaarschijf on the small Kerkrade-like world of tests/cycle/conftest.py: agreement 1.2 has
the municipality and HEEMwonen responsible, HEEMwonen has submitted its bid."""

from __future__ import annotations

import pytest

from cycle.bids import services as bids_services
from cycle.jaarschijf import services as js
from cycle.models import Contribution, JaarschijfText


@pytest.fixture
def linked_bid(world):
    """HEEMwonen's submitted bid; the five period figures linked to agreement 1.2."""
    from tests.cycle.conftest import amsterdam, full_lines

    user = world.users["heemwonen"]
    bid = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
    )
    lines = full_lines()
    for code in ["sloop", "nieuwbouw", "verkoop", "aankoop", "renovatie"]:
        lines[code].agreement = world.agreement
    bids_services.bid_lines_save(actor=user, bid=bid, lines=lines)
    return bids_services.bid_submit(actor=user, bid=bid, at=amsterdam(2025, 6, 20))


@pytest.fixture
def jaarschijf(world, linked_bid):
    world.agreement.responsible_parties.set(
        [world.parties["gemeente-kerkrade"], world.parties["heemwonen"]]
    )
    world.agreement.responsible_parties.add(world.parties["huurdersorganisatie-heemwonen"])
    return js.jaarschijf_create(actor=world.users["werkgroep"], cycle_year=world.cycle_year)


def contribution_of(jaarschijf, party_slug: str) -> Contribution:
    return (
        jaarschijf.contributions.filter(party__slug=party_slug)
        .exclude(agreement=None)
        .order_by("id")
        .first()
    )


def text_of(jaarschijf, key: str = JaarschijfText.Key.INTRODUCTION) -> JaarschijfText:
    return jaarschijf.texts.get(key=key)

"""Every write service of the cycle refuses a user whose party or role may not do it, and
changes nothing. (The views never offer these actions to such users; the services refuse them
whoever calls.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from cycle import services
from cycle.bids import services as bids_services
from cycle.models import Bid, BidUpload, CycleYear, Milestone

from .conftest import full_lines


def _milestone(world) -> Milestone:
    return world.cycle_year.milestones.filter(owner_party=None).order_by("deadline").first()


WRITES = {
    # name: (username who must be refused, call)
    "cycle_year_create (a tenant member)": (
        "huurders",
        lambda world, user: services.cycle_year_create(
            actor=user, framework=world.framework, year=2027
        ),
    ),
    "milestone_update (a corporation member)": (
        "heemwonen",
        lambda world, user: services.milestone_update(
            actor=user,
            milestone=_milestone(world),
            title="Verplaatst",
            deadline=dt.date(2025, 5, 1),
            note="",
        ),
    ),
    "milestone_add (a signatory)": (
        "wethouder",
        lambda world, user: services.milestone_add(
            actor=user, cycle_year=world.cycle_year, title="Extra", deadline=dt.date(2025, 9, 1)
        ),
    ),
    "milestone_set_done (a member of another party)": (
        "huurders",
        lambda world, user: services.milestone_set_done(
            actor=user, milestone=_milestone(world), done=True
        ),
    ),
    "bid_draft_start (another corporation)": (
        "wonenzuid",
        lambda world, user: bids_services.bid_draft_start(
            actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
        ),
    ),
    "bid_upload (another corporation)": (
        "wonenzuid",
        lambda world, user: bids_services.bid_upload(
            actor=user,
            cycle_year=world.cycle_year,
            corporation=world.parties["heemwonen"],
            upload=SimpleUploadedFile("bod.xlsx", b"PK\x03\x04 not read"),
        ),
    ),
}


def _counts() -> tuple[int, ...]:
    return (
        CycleYear.objects.count(),
        Milestone.objects.count(),
        Milestone.objects.exclude(done_at=None).count(),
        Milestone.objects.filter(title="Verplaatst").count(),
        Bid.objects.count(),
        BidUpload.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", WRITES)
def test_a_write_service_refuses_a_party_that_may_not_write(world, name):
    username, call = WRITES[name]
    before = _counts()
    with pytest.raises(PermissionDenied):
        call(world, world.users[username])
    assert _counts() == before


@pytest.fixture
def heem_draft(world):
    bid = bids_services.bid_draft_start(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
    )
    bids_services.bid_lines_save(actor=world.users["heemwonen"], bid=bid, lines=full_lines())
    return bid


@pytest.mark.parametrize("username", ["wonenzuid", "werkgroep"])
def test_only_the_corporations_own_people_save_and_submit_its_draft_bid(
    world, heem_draft, username
):
    user = world.users[username]
    lines = full_lines(99)
    with pytest.raises(PermissionDenied):
        bids_services.bid_lines_save(actor=user, bid=heem_draft, lines=lines)
    with pytest.raises(PermissionDenied):
        bids_services.bid_submit(actor=user, bid=heem_draft)
    with pytest.raises(PermissionDenied):
        bids_services.bid_save_and_submit(actor=user, bid=heem_draft, lines=lines)
    heem_draft.refresh_from_db()
    assert heem_draft.status == Bid.Status.DRAFT
    assert {line.quantity for line in heem_draft.lines.all()} == {
        line.quantity for line in full_lines().values()
    }


@pytest.mark.parametrize("username", ["heemwonen", "wonenzuid", "meander"])
def test_bid_mark_read_records_nothing_for_a_corporation_or_an_outsider(
    world, submitted_bid, username
):
    from cycle.models import BidReading

    bids_services.bid_mark_read(actor=world.users[username], bid=submitted_bid)
    assert not BidReading.objects.exists()


def test_bid_mark_read_records_nothing_for_a_draft(world, draft_bid):
    from cycle.models import BidReading

    bids_services.bid_mark_read(actor=world.users["huurders"], bid=draft_bid)
    assert not BidReading.objects.exists()


def test_bid_mark_read_twice_keeps_one_reading(world, submitted_bid):
    from cycle.models import BidReading

    for username in ["huurders", "huurders", "huurders-voorzitter"]:
        bids_services.bid_mark_read(actor=world.users[username], bid=submitted_bid)
    reading = BidReading.objects.get()
    assert reading.read_by == world.users["huurders"]

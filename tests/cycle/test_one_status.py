"""One status per thing, worded once (issue 10, item 9): the bid's timeliness is decided by its
milestone (the first submission meets the deadline or not); a version shows only its own state.
Demo labels go once real figures replace the demo's."""

from __future__ import annotations

import re
from decimal import Decimal

from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.models import Bid

from .conftest import amsterdam, full_lines


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _revise(world, at):
    user = world.users["heemwonen"]
    bid = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
    )
    bids_services.bid_lines_save(actor=user, bid=bid, lines=full_lines(30))
    return bids_services.bid_submit(actor=user, bid=bid, at=at)


def test_a_revision_after_the_deadline_does_not_contradict_an_on_time_bid(
    client, world, submitted_bid
):
    _revise(world, amsterdam(2025, 7, 20))  # version 2, after "vóór 1 juli"
    client.force_login(world.users["heemwonen"])
    page = _main(client.get(f"/cyclus/{world.cycle_year.pk}/bod/").content.decode())
    assert "op tijd ingediend" in page
    assert "te laat" not in page


def test_a_late_bid_says_te_laat_once_on_the_start_page(client, world, draft_bid):
    bids_services.bid_submit(
        actor=world.users["heemwonen"], bid=draft_bid, at=amsterdam(2025, 7, 3)
    )
    client.force_login(world.users["werkgroep"])
    html = client.get("/").content.decode()
    bids = html[html.index("pa-bid-statuses") :]
    heemwonen = bids[: bids.index("</li>")]
    assert len(re.findall("te laat", heemwonen)) == 1, heemwonen


def test_a_late_bid_says_so_once_on_its_own_page(client, world, draft_bid):
    bid = bids_services.bid_submit(
        actor=world.users["heemwonen"], bid=draft_bid, at=amsterdam(2025, 7, 3)
    )
    client.force_login(world.users["heemwonen"])
    page = _main(client.get(f"/cyclus/bod/{bid.pk}/").content.decode())
    assert len(re.findall("te laat", page)) == 1, page


def test_a_new_version_of_a_demo_bid_loses_the_demo_texts_it_replaces(world, submitted_bid):
    marked = "Demogegevens: gegenereerd cijfer"
    submitted_bid.lines.update(explanation=marked)
    Bid.objects.filter(pk=submitted_bid.pk).update(
        is_demo=True, summary="Demogegevens: bod van HEEMwonen"
    )
    user = world.users["heemwonen"]
    draft = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
    )
    assert not draft.is_demo
    # A real figure for one line: its demo explanation goes, the others keep the demo's
    # (their figures are still the demo's).
    bids_services.bid_lines_save(
        actor=user, bid=draft, lines={"sloop": LineInput(quantity=Decimal(99), explanation=marked)}
    )
    lines = {line.figure: line for line in draft.lines.all()}
    assert lines["sloop"].explanation == ""
    assert lines["nieuwbouw"].explanation == marked
    draft.refresh_from_db()
    assert draft.summary == ""
    # An autosave of a page still showing the old text does not bring it back.
    bids_services.bid_lines_save(
        actor=user,
        bid=draft,
        lines={"sloop": LineInput(quantity=Decimal(99), explanation=marked)},
        summary="Demogegevens: bod van HEEMwonen",
    )
    draft.refresh_from_db()
    assert draft.lines.get(figure="sloop").explanation == "" and draft.summary == ""
    # What the user typed is kept, demo word or not.
    bids_services.bid_lines_save(
        actor=user,
        bid=draft,
        lines={"nieuwbouw": LineInput(quantity=Decimal(5), explanation="Eigen uitleg")},
    )
    assert draft.lines.get(figure="nieuwbouw").explanation == "Eigen uitleg"

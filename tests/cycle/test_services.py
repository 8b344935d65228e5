import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.actors import DEMO_LOADER
from core.models import AuditEvent
from cycle import services
from cycle.bids import services as bids_services
from cycle.bids.selectors import bid_is_late, bid_versions, with_deadline
from cycle.bids.types import LineInput
from cycle.calendar import Status
from cycle.models import Bid, Milestone
from cycle.selectors import with_status

from .conftest import amsterdam, full_lines


def test_cycle_year_creates_a_bid_milestone_per_corporation(world):
    bids = world.cycle_year.milestones.filter(kind=Milestone.Kind.BID)
    assert sorted(m.owner_party.slug for m in bids) == ["heemwonen", "wonen-limburg", "wonen-zuid"]
    assert all(m.deadline == dt.date(2025, 7, 1) and m.is_statutory for m in bids)


def test_bid_milestone_is_for_next_year_but_falls_in_this_cycle_year(world):
    milestone = world.cycle_year.milestones.filter(kind=Milestone.Kind.BID).first()
    assert milestone.deliverable_year == 2026
    assert milestone.deadline.year == 2025


def test_steps_without_deadline_make_no_milestone(world):
    titles = set(world.cycle_year.milestones.values_list("title", flat=True))
    assert "Concept-jaarschijf" not in titles
    assert "Jaarschijf ondertekend" in titles


def test_signing_milestone_is_statutory_15_december(world):
    signing = world.cycle_year.milestones.get(title="Jaarschijf ondertekend")
    assert signing.is_statutory and signing.deadline == dt.date(2025, 12, 15)
    assert signing.owner_party is None


def test_cycle_year_create_twice_adds_nothing_and_keeps_moved_dates(world):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    services.milestone_update(
        actor=world.users["werkgroep"],
        milestone=milestone,
        title=milestone.title,
        deadline=dt.date(2025, 4, 15),
        note="",
    )
    count = world.cycle_year.milestones.count()
    services.cycle_year_create(actor=DEMO_LOADER, framework=world.framework, year=2025)
    assert world.cycle_year.milestones.count() == count
    milestone.refresh_from_db()
    assert milestone.deadline == dt.date(2025, 4, 15)


def test_moving_a_milestone_raises_sequence_and_audits(world):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    services.milestone_update(
        actor=world.users["werkgroep"],
        milestone=milestone,
        title="Evaluatie",
        deadline=dt.date(2025, 4, 8),
        note="verschoven",
    )
    milestone.refresh_from_db()
    assert milestone.sequence == 1
    assert AuditEvent.objects.filter(action="milestone_update", object_id=milestone.pk).exists()


def test_statutory_deadline_cannot_be_moved(world):
    signing = world.cycle_year.milestones.get(title="Jaarschijf ondertekend")
    with pytest.raises(ValidationError, match="wettelijke termijn"):
        services.milestone_update(
            actor=world.users["werkgroep"],
            milestone=signing,
            title=signing.title,
            deadline=dt.date(2025, 12, 20),
            note="",
        )


def test_milestone_add_refuses_party_outside_framework(world):
    with pytest.raises(ValidationError):
        services.milestone_add(
            actor=world.users["werkgroep"],
            cycle_year=world.cycle_year,
            title="x",
            deadline=dt.date(2025, 9, 1),
            owner_party=world.parties["meander"],
        )


def test_bid_draft_starts_with_lines_linked_to_targets(world):
    bid = bids_services.bid_draft_start(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
    )
    lines = {line.figure: line for line in bid.lines.all()}
    assert len(lines) == 10
    assert lines["sloop"].target.code == "sloop"
    assert lines["sloop"].agreement == world.agreement
    assert lines["labelstappen"].target is None
    assert bid.plan_year == 2026 and bid.version == 1 and bid.status == Bid.Status.DRAFT


def test_bid_draft_start_returns_the_existing_draft(world, draft_bid):
    again = bids_services.bid_draft_start(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
    )
    assert again.pk == draft_bid.pk


def test_another_corporation_cannot_start_or_change_a_bid(world, draft_bid):
    with pytest.raises(PermissionDenied):
        bids_services.bid_draft_start(
            actor=world.users["wonenzuid"],
            cycle_year=world.cycle_year,
            corporation=world.parties["heemwonen"],
        )
    with pytest.raises(PermissionDenied):
        bids_services.bid_lines_save(
            actor=world.users["wonenzuid"], bid=draft_bid, lines=full_lines()
        )
    with pytest.raises(PermissionDenied):
        bids_services.bid_submit(actor=world.users["wonenzuid"], bid=draft_bid)


def test_submit_needs_every_figure(world):
    bid = bids_services.bid_draft_start(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
    )
    with pytest.raises(ValidationError, match="Vul bij elk kerncijfer"):
        bids_services.bid_submit(actor=world.users["heemwonen"], bid=bid)


def test_submit_on_time_marks_milestone_done_on_time(world, submitted_bid):
    assert submitted_bid.status == Bid.Status.SUBMITTED
    milestone = bids_services.bid_milestone(world.cycle_year, world.parties["heemwonen"])
    [milestone] = with_status([milestone], dt.date(2025, 8, 1))
    assert milestone.status == Status.DONE_ON_TIME
    bid = with_deadline(Bid.objects.filter(pk=submitted_bid.pk)).get()
    assert not bid_is_late(bid)


def test_submit_after_deadline_is_late(world, draft_bid):
    bids_services.bid_submit(
        actor=world.users["heemwonen"], bid=draft_bid, at=amsterdam(2025, 7, 1, 0, 5)
    )
    bid = with_deadline(Bid.objects.filter(pk=draft_bid.pk)).get()
    assert bid_is_late(bid)


def test_new_version_supersedes_the_previous_and_keeps_it(world, submitted_bid):
    user = world.users["heemwonen"]
    draft = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
    )
    assert draft.version == 2
    assert draft.lines.get(figure="sloop").quantity == Decimal(10)  # copied from version 1
    bids_services.bid_lines_save(
        actor=user, bid=draft, lines={"sloop": LineInput(quantity=Decimal(99))}
    )
    bids_services.bid_submit(actor=user, bid=draft, at=amsterdam(2025, 6, 25))
    statuses = dict(Bid.objects.values_list("version", "status"))
    assert statuses == {1: Bid.Status.SUPERSEDED, 2: Bid.Status.SUBMITTED}
    assert [b.version for b in bid_versions(world.users["huurders"], draft)] == [2, 1]


def test_submitted_bid_cannot_be_changed(world, submitted_bid):
    with pytest.raises(ValidationError, match="al ingediend"):
        bids_services.bid_lines_save(
            actor=world.users["heemwonen"], bid=submitted_bid, lines=full_lines()
        )


def test_agreement_from_another_framework_refused(world, draft_bid):
    from agreements.models import Agreement, Framework, Theme

    other = Framework.objects.create(
        municipality=world.parties["gemeente-kerkrade"],
        title="Ander",
        slug="ander",
        period_start=2026,
        period_end=2030,
    )
    theme = Theme.objects.create(framework=other, number=1, title="t", slug="t")
    foreign = Agreement.objects.create(theme=theme, number=1, title="a", text="a")
    with pytest.raises(ValidationError, match="hoort niet bij het kader"):
        bids_services.bid_lines_save(
            actor=world.users["heemwonen"],
            bid=draft_bid,
            lines={"sloop": LineInput(quantity=Decimal(1), agreement=foreign)},
        )


def test_theme_notes_saved_and_copied_into_the_next_version(world, draft_bid):
    user = world.users["heemwonen"]
    bids_services.bid_lines_save(
        actor=user, bid=draft_bid, lines={}, theme_notes={1: "Beschikbaar"}
    )
    bids_services.bid_submit(actor=user, bid=draft_bid, at=amsterdam(2025, 6, 1))
    second = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=draft_bid.corporation
    )
    assert list(second.theme_notes.values_list("theme__number", "text")) == [(1, "Beschikbaar")]


def test_unknown_theme_refused(world, draft_bid):
    with pytest.raises(ValidationError, match="Thema 9"):
        bids_services.bid_lines_save(
            actor=world.users["heemwonen"], bid=draft_bid, lines={}, theme_notes={9: "x"}
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_starting_a_draft_at_once_make_one_draft(world):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write, so there is no race")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def start():
        try:
            barrier.wait()
            bid = bids_services.bid_draft_start(
                actor=world.users["heemwonen"],
                cycle_year=world.cycle_year,
                corporation=world.parties["heemwonen"],
            )
            results.append(bid.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(set(results)) == 1
    assert Bid.objects.count() == 1

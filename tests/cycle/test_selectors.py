import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from agreements.models import Party, Target
from core.actors import DEMO_LOADER
from cycle import selectors, services
from cycle.bids import selectors as bids_selectors
from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.models import Bid

from .conftest import amsterdam, full_lines

TODAY = dt.date(2025, 6, 20)
# Whole requests: session, user, membership and party (context processor) included, and one
# for the notice: the world has no framework in force for the jaarschijf year 2026, so the page
# looks for one (cycle.selectors.framework_notice; with its own framework in force: none).
YEAR_DETAIL_QUERIES = 13
# + the framework's parties and the reading of a reading party (bid_mark_read).
BID_DETAIL_QUERIES = 14


def grow(world, factor: int):
    """Add milestones and submitted bid versions: `factor` of each per corporation."""
    for corporation in Party.objects.filter(kind="corporatie"):
        user = next(
            u
            for u in world.users.values()
            if getattr(getattr(u, "membership", None), "party_id", None) == corporation.pk
        )
        for _ in range(factor):
            bid = bids_services.bid_draft_start(
                actor=user, cycle_year=world.cycle_year, corporation=corporation
            )
            bids_services.bid_lines_save(actor=user, bid=bid, lines=full_lines())
            bids_services.bid_submit(actor=user, bid=bid, at=amsterdam(2025, 6, 10))
        for index in range(factor):
            services.milestone_add(
                actor=DEMO_LOADER,
                cycle_year=world.cycle_year,
                title=f"Extra {corporation.slug} {index}",
                deadline=dt.date(2025, 9, 1),
                owner_party=corporation,
            )


def count_dashboard(world, username, django_assert_max_num_queries=None):
    user = type(world.users[username]).objects.get(
        pk=world.users[username].pk
    )  # fresh: no cached membership
    with CaptureQueriesContext(connection) as queries:
        data = selectors.dashboard(user, TODAY)
        render_to_string("cycle/_dashboard.html", {"cycle_dashboard": data})
    return len(queries), data


@pytest.mark.parametrize("username", ["werkgroep", "heemwonen", "huurders", "wethouder"])
def test_dashboard_query_count_is_pinned_and_independent_of_data(world, username):
    grow(world, 1)
    small, _ = count_dashboard(world, username)
    grow(world, 9)
    large, data = count_dashboard(world, username)
    assert small == large
    assert large == {"werkgroep": 6, "heemwonen": 4, "huurders": 7, "wethouder": 6}[username]


def test_dashboard_for_working_group_has_timeline_and_bid_statuses(world, submitted_bid):
    data = selectors.dashboard(world.users["werkgroep"], TODAY)
    assert data.is_working_group and data.timeline
    statuses = {s.corporation.slug: s for s in data.bid_statuses}
    assert statuses["heemwonen"].current.pk == submitted_bid.pk
    assert statuses["wonen-zuid"].current is None


def test_dashboard_for_corporation_lists_its_open_milestones(world):
    data = selectors.dashboard(world.users["heemwonen"], TODAY)
    assert [m.title for m in data.my_milestones] == ["Bod – HEEMwonen"]
    assert data.my_milestones[0].status == "due_soon"
    assert not data.timeline


def test_dashboard_without_cycle_year_says_what_to_do(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("x")
    html = render_to_string(
        "cycle/_dashboard.html", {"cycle_dashboard": selectors.dashboard(user, TODAY)}
    )
    assert "Er is nog geen cyclusjaar" in html


def test_year_detail_query_count_independent_of_data(client, world):
    client.force_login(world.users["werkgroep"])
    url = f"/cyclus/{world.cycle_year.pk}/"
    grow(world, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(world, 9)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large) == YEAR_DETAIL_QUERIES, len(large)


def test_bid_detail_query_count_independent_of_versions(client, world):
    client.force_login(world.users["huurders"])
    grow(world, 1)
    bid = Bid.objects.filter(status="submitted").first()
    with CaptureQueriesContext(connection) as small:
        client.get(f"/cyclus/bod/{bid.pk}/")
    grow(world, 9)
    bid = Bid.objects.filter(status="submitted", corporation=bid.corporation).first()
    with CaptureQueriesContext(connection) as large:
        client.get(f"/cyclus/bod/{bid.pk}/")
    assert len(small) == len(large) == BID_DETAIL_QUERIES, len(large)


def test_multi_year_sums_add_current_versions_per_corporation(world, submitted_bid):
    # A second cycle year with HEEMwonen v1 superseded by v2: only v2 counts.
    cycle_year = services.cycle_year_create(actor=DEMO_LOADER, framework=world.framework, year=2023)
    user = world.users["heemwonen"]
    for quantity in (5, 7):
        bid = bids_services.bid_draft_start(
            actor=user, cycle_year=cycle_year, corporation=submitted_bid.corporation
        )
        bids_services.bid_lines_save(
            actor=user,
            bid=bid,
            lines={**full_lines(), "sloop": LineInput(quantity=Decimal(quantity))},
        )
        bids_services.bid_submit(actor=user, bid=bid, at=amsterdam(2023, 6, 1))
    # 2025's bid plans 2026, outside 2021-2025: not counted.
    rows, corporations, years = bids_selectors.multi_year_sums(world.framework)
    sloop = next(r for r in rows if r.figure == "sloop")
    assert {p.slug: v for p, v in sloop.per_corporation} == {
        "heemwonen": 7,
        "wonen-limburg": 0,
        "wonen-zuid": 0,
    }
    assert sloop.total == 7 and sloop.goal == 478 and sloop.per_year[2024] == 7
    assert [r.figure for r in rows] == ["sloop", "nieuwbouw", "verkoop", "aankoop", "renovatie"]
    assert years == [2021, 2022, 2023, 2024, 2025]


def test_bid_figures_link_to_the_target_on_their_indicator_whatever_its_code(world):
    """A framework with codes of its own: a new bid's sloop line links to the target on the
    sloop indicator, and the multi-year sums add it up against that target."""
    Target.objects.filter(agreement=world.agreement, code="sloop").update(code="afbraak-2025")
    Target.objects.filter(agreement=world.agreement, code="nieuwbouw").update(indicator=None)
    user = world.users["heemwonen"]
    bid = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties["heemwonen"]
    )
    lines = {line.figure: line for line in bid.lines.select_related("target")}
    assert lines["sloop"].target.code == "afbraak-2025"
    assert lines["nieuwbouw"].target is None  # no target on that indicator any more
    bids_services.bid_lines_save(actor=user, bid=bid, lines=full_lines())
    bids_services.bid_submit(actor=user, bid=bid, at=amsterdam(2025, 6, 20))
    rows, _corporations, _years = bids_selectors.multi_year_sums(world.framework)
    assert [(r.figure, r.target.code) for r in rows][:2] == [
        ("sloop", "afbraak-2025"),
        ("verkoop", "verkoop"),
    ]


def test_dashboard_for_tenant_organisation_shows_bids_to_read(world, submitted_bid, draft_bid):
    data = selectors.dashboard(world.users["huurders"], TODAY)
    assert not data.is_working_group and not data.timeline
    statuses = {s.corporation.slug: s for s in data.bid_statuses}
    assert statuses["heemwonen"].current.pk == submitted_bid.pk
    # HEEMwonen's new draft is not disclosed to readers
    assert not statuses["heemwonen"].has_draft


def test_dashboard_for_corporation_does_not_show_other_bids(world, submitted_bid):
    data = selectors.dashboard(world.users["wonenzuid"], TODAY)
    assert data.bid_statuses == []

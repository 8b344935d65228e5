"""What waits for each role on the start page while the jaarschijf is drafted and signed
(issue 10, item 4): never "Niets te doen" while something waits, each with a link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Framework, SigningRequest
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_put_up
from cycle import selectors
from cycle.jaarschijf import services as js
from cycle.jaarschijf.signing import JaarschijfSignable
from cycle.models import Jaarschijf, PieceType
from tests.factories import otp_code

from .conftest import contribution_of

NOTHING = "Niets te doen"
TODAY = dt.date(2025, 12, 3)


@pytest.fixture(autouse=True)
def _fast_pdf(settings):
    settings.PDF_TAGGED = False


def _put_up(world, jaarschijf) -> SigningRequest:
    jaarschijf = js.jaarschijf_set_state(
        actor=world.users["werkgroep"], jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )
    # The world has no framework in force for the jaarschijf's year 2026: that is a warning
    # (tests/cycle/test_framework_in_force.py), confirmed here.
    return signing_put_up(
        signable=JaarschijfSignable(jaarschijf), user=world.users["werkgroep"], confirmed=True
    )


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no cached membership


@pytest.mark.parametrize(
    "username", ["wethouder", "heemwonen-bestuur", "wonenzuid-bestuur", "huurders-voorzitter"]
)
def test_every_signatory_is_told_to_sign_with_the_deadline(client, world, jaarschijf, username):
    _put_up(world, jaarschijf)
    html = _home(client, world.users[username])
    assert NOTHING not in html
    assert "Voor u ter ondertekening: Jaarschijf 2026" in html
    assert "vóór 15 december 2025" in html
    assert f'href="/kaders/ondertekening/jaarschijf/{jaarschijf.pk}/"' in html


def test_a_party_that_signed_is_no_longer_asked(client, world, jaarschijf):
    request = _put_up(world, jaarschijf)
    signature_add(
        signing_request=request,
        user=world.users["wethouder"],
        password="kerkrade-demo",
        otp_code=otp_code(world.users["wethouder"]),
    )
    assert "Voor u ter ondertekening" not in _home(client, world.users["wethouder"])
    # Another party's signatory still is.
    assert "Voor u ter ondertekening" in _home(client, world.users["heemwonen-bestuur"])


def test_a_framework_round_is_listed_too_without_a_deadline(client, world):
    framework = Framework.objects.get(pk=world.framework.pk)
    signing_put_up(signable=FrameworkSignable(framework), user=world.users["werkgroep"])
    html = _home(client, world.users["wonenlimburg-bestuur"])
    assert "Voor u ter ondertekening: Lokaal meerjarig kader Kerkrade 2021-2025" in html
    assert NOTHING not in html


def test_the_signing_page_shows_the_deadline(client, world, jaarschijf):
    _put_up(world, jaarschijf)
    client.force_login(world.users["wethouder"])
    html = client.get(f"/kaders/ondertekening/jaarschijf/{jaarschijf.pk}/").content.decode()
    assert "Tekenen" in html and "vóór 15 december 2025" in html


def test_corporation_staff_see_contributions_to_fill_in(client, world, jaarschijf):
    mine = jaarschijf.contributions.filter(party__slug="heemwonen")
    mine.update(text="")
    count = mine.count()
    html = _home(client, world.users["heemwonen"])
    assert f"Nog in te vullen: {count} bijdrage" in html
    assert f'href="/cyclus/jaarschijf/{jaarschijf.pk}/"' in html
    assert NOTHING not in html


def test_open_comments_addressed_to_the_party_are_shown(client, world, jaarschijf):
    contribution = contribution_of(jaarschijf, "huurdersorganisatie-heemwonen")
    js.comment_add(
        actor=world.users["werkgroep"],
        jaarschijf=jaarschijf,
        piece_type=PieceType.CONTRIBUTION,
        piece_id=contribution.pk,
        text="Kunnen de huurders dit toelichten?",
        notify=False,
    )
    data = selectors.dashboard(_fresh(world.users["huurders"]), TODAY)
    assert [c.contribution.pk for c in data.open_comments] == [contribution.pk]
    html = _home(client, world.users["huurders"])
    assert "Open reactie van Gemeente Kerkrade op uw bijdrage aan afspraak" in html
    assert f"#bijdrage-{contribution.pk}" in html
    # Not addressed to another party, and not to the party that wrote it.
    assert selectors.dashboard(_fresh(world.users["heemwonen"]), TODAY).open_comments == []
    assert selectors.dashboard(_fresh(world.users["werkgroep"]), TODAY).open_comments == []


def test_tenant_organisation_sees_bids_to_read_until_it_opens_them(
    client, world, jaarschijf, linked_bid
):
    html = _home(client, world.users["huurders"])
    assert "Te lezen: bod van HEEMwonen (versie 1)" in html
    assert f'href="/cyclus/bod/{linked_bid.pk}/"' in html
    client.get(f"/cyclus/bod/{linked_bid.pk}/")
    assert "Te lezen: bod van HEEMwonen" not in _home(client, world.users["huurders"])


def test_nothing_to_do_only_when_nothing_waits(client, world, jaarschijf):
    # Every contribution of Wonen Limburg filled in, no bid of its own due, nothing to sign.
    for contribution in jaarschijf.contributions.filter(party__slug="wonen-limburg"):
        contribution.text = "Gedaan"
        contribution.save()
    world.cycle_year.milestones.filter(owner_party__slug="wonen-limburg").update(
        done_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    )
    assert NOTHING in _home(client, world.users["wonenlimburg"])


def _count(user) -> int:
    from django.template.loader import render_to_string

    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        data = selectors.dashboard(user, TODAY)
        render_to_string("cycle/_dashboard.html", {"cycle_dashboard": data})
    return len(queries)


@pytest.mark.parametrize("username", ["heemwonen", "huurders"])
def test_start_page_queries_do_not_grow_with_comments(world, jaarschijf, username):
    from agreements.models import Membership

    # The user's own party's contributions first, so that both counts below include threads
    # addressed to the party (on PostgreSQL an unordered slice could pick other parties' first).
    own = Membership.objects.get(user=world.users[username]).party_id
    ordered = sorted(jaarschijf.contributions.all(), key=lambda c: (c.party_id != own, c.pk))

    def add_comments(n: int) -> None:
        for contribution in ordered[:n]:
            js.comment_add(
                actor=world.users["wonenzuid"],
                jaarschijf=jaarschijf,
                piece_type=PieceType.CONTRIBUTION,
                piece_id=contribution.pk,
                text="Vraag",
                notify=False,
            )

    add_comments(1)
    small = _count(world.users[username])
    add_comments(10)
    assert _count(world.users[username]) == small


def test_start_page_queries_do_not_grow_with_signing_rounds(world, jaarschijf):
    from tests.cycle.conftest import build_framework

    _put_up(world, jaarschijf)
    signing_put_up(
        signable=FrameworkSignable(Framework.objects.get(pk=world.framework.pk)),
        user=world.users["werkgroep"],
    )
    small = _count(world.users["wethouder"])
    other = build_framework(world.parties, slug="tweede-kader")
    signing_put_up(signable=FrameworkSignable(other), user=world.users["werkgroep"])
    assert len(selectors.dashboard(_fresh(world.users["wethouder"]), TODAY).to_sign) == 3
    assert _count(world.users["wethouder"]) == small

"""Query counts of the jaarschijf page and its partials: pinned, and the same when the number
of contributions, comments and people present grows tenfold."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actors import DEMO_LOADER
from cycle.jaarschijf import services as js
from cycle.models import PieceType

from .conftest import contribution_of

# Each includes the session, the user and the membership (3 queries). The page also shows the
# signing status: one query for the current signing round (none is open in this fixture), and
# whether a bid is newer than the jaarschijf (four: the bids, their lines, the contributions
# from a bid and the lines of the versions they came from), and the user's visit (read, then
# updated: for "gewijzigd sinds mijn laatste bezoek"), and the round whose snapshot the page
# names ("Ondertekende versie van ...", agreements.signing.snapshot). And one for the notice:
# the world has no framework in force for the jaarschijf's year 2026, so the page looks for one
# (cycle.selectors.framework_notice; with the own framework in force that costs none).
PAGE_QUERIES = 25
# A single piece also counts its party's contributions under the same agreement (its name,
# "1.2 HEEMwonen (2 van 5)").
PIECE_QUERIES = 13
# The editor also writes the heartbeat (update_or_create: select + update in a savepoint).
EDIT_QUERIES = 18


def _grow(world, jaarschijf, times: int) -> None:
    for index in range(times):
        for slug in ["gemeente-kerkrade", "heemwonen", "huurdersorganisatie-heemwonen"]:
            contribution = js.contribution_add(
                actor=DEMO_LOADER,
                jaarschijf=jaarschijf,
                party=world.parties[slug],
                agreement=world.agreement,
                data=js.ContributionInput(text=f"extra {index}"),
            )
            js.comment_add(
                actor=world.users["huurders"],
                jaarschijf=jaarschijf,
                piece_type=PieceType.CONTRIBUTION,
                piece_id=contribution.pk,
                text="vraag",
                notify=False,
            )
    piece = contribution_of(jaarschijf, "heemwonen")
    for username in ["werkgroep", "heemwonen-bestuur", "huurders"]:
        js.presence_beat(
            user=world.users[username],
            jaarschijf=jaarschijf,
            piece_type=PieceType.CONTRIBUTION,
            piece_id=piece.pk,
        )
        js.comment_add(
            actor=world.users[username],
            jaarschijf=jaarschijf,
            piece_type=PieceType.CONTRIBUTION,
            piece_id=piece.pk,
            text="nog een",
            notify=False,
        )


def _count(client: Client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def urls(jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    args = [jaarschijf.pk, "bijdrage", piece.pk]
    return {
        "page": (reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]), {}, PAGE_QUERIES),
        # one theme, every filter on, a thread opened: filtered in Python, the same queries
        "filtered": (
            reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])
            + f"?thema={piece.agreement.theme_id}&mijn=1&open=1&gewijzigd=1"
            + f"&reacties=bijdrage-{piece.pk}",
            {},
            PAGE_QUERIES,
        ),
        "piece": (
            reverse("cycle:jaarschijf-piece", args=args),
            {"HTTP_HX_REQUEST": "true"},
            PIECE_QUERIES,
        ),
        "edit": (
            reverse("cycle:jaarschijf-piece-edit", args=args),
            {"HTTP_HX_REQUEST": "true"},
            EDIT_QUERIES,
        ),
    }


@pytest.mark.parametrize("name", ["page", "filtered", "piece", "edit"])
def test_query_count_is_pinned_and_independent_of_size(world, jaarschijf, urls, name):
    url, headers, expected = urls[name]
    client = Client()
    client.force_login(world.users["heemwonen"])
    client.get(url, **headers)  # the first open of an editor inserts the presence row
    small = _count(client, url, **headers)
    _grow(world, jaarschijf, 10)
    large = _count(client, url, **headers)
    assert (small, large) == (expected, expected)

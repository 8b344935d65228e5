"""Every write service of the jaarschijf refuses a user whose party or role may not do it,
and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from core.actors import DEMO_LOADER
from core.drafting.models import PieceChange, PieceComment
from cycle.jaarschijf import bid_updates
from cycle.jaarschijf import services as js
from cycle.jaarschijf.signing import jaarschijf_signing_reopen
from cycle.models import Jaarschijf, PieceType

from .conftest import contribution_of, text_of
from .test_bid_updates import _change, revise


def _frozen(jaarschijf) -> Jaarschijf:
    for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
        jaarschijf = js.jaarschijf_set_state(actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state)
    return jaarschijf


def _comment(world, jaarschijf) -> PieceComment:
    return js.comment_add(
        actor=world.users["heemwonen"],
        jaarschijf=jaarschijf,
        piece_type=PieceType.TEXT,
        piece_id=text_of(jaarschijf).pk,
        text="Klopt dit?",
        notify=False,
    )


def _pending_change(world, jaarschijf):
    """HEEMwonen submits version 2 of its bid after the jaarschijf was made."""
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    return _change(jaarschijf)


# name -> prepare(world, jaarschijf, user) returning the refused call
CASES: dict[str, tuple[str, Callable]] = {
    "jaarschijf_create by a corporation member": (
        "heemwonen",
        lambda world, j, user: lambda: js.jaarschijf_create(actor=user, cycle_year=j.cycle_year),
    ),
    "contribution_add by a member for another party": (
        "huurders",
        lambda world, j, user: (
            lambda: js.contribution_add(
                actor=user,
                jaarschijf=j,
                party=world.parties["heemwonen"],
                agreement=world.agreement,
                data=js.ContributionInput(text="Niet van ons"),
            )
        ),
    ),
    "contribution_update by another corporation": (
        "wonenzuid",
        lambda world, j, user: (
            lambda: js.contribution_update(
                actor=user,
                contribution_id=contribution_of(j, "heemwonen").pk,
                expected_version=contribution_of(j, "heemwonen").version,
                data=js.ContributionInput(text="Overschreven"),
            )
        ),
    ),
    "jaarschijf_text_update by a member": (
        "heemwonen",
        lambda world, j, user: (
            lambda: js.jaarschijf_text_update(
                actor=user, text_id=text_of(j).pk, expected_version=text_of(j).version, text="Weg"
            )
        ),
    ),
    "jaarschijf_set_state by a signatory": (
        "wethouder",
        lambda world, j, user: (
            lambda: js.jaarschijf_set_state(
                actor=user, jaarschijf=j, state=Jaarschijf.State.FINAL_DRAFT
            )
        ),
    ),
    "jaarschijf_reopen by a corporation member": (
        "heemwonen",
        lambda world, j, user: (
            lambda frozen: lambda: js.jaarschijf_reopen(actor=user, jaarschijf=frozen)
        )(_frozen(j)),
    ),
    "jaarschijf_signing_reopen by a tenant member": (
        "huurders",
        lambda world, j, user: (
            lambda frozen: lambda: jaarschijf_signing_reopen(actor=user, jaarschijf=frozen)
        )(_frozen(j)),
    ),
    "jaarschijf_mark_signed by the working group (only the signing code may)": (
        "werkgroep",
        lambda world, j, user: (
            lambda frozen: (
                lambda: js.jaarschijf_mark_signed(
                    actor=user, jaarschijf=frozen, signing_round=frozen.signing_round
                )
            )
        )(_frozen(j)),
    ),
    "bid_update_apply by the corporation's own staff": (
        "heemwonen",
        lambda world, j, user: (
            lambda change: (
                lambda: bid_updates.bid_update_apply(
                    actor=user,
                    jaarschijf=j,
                    bid_id=change.bid.pk,
                    figure=change.line.figure,
                    expected_version=change.contribution.version,
                )
            )
        )(_pending_change(world, j)),
    ),
    "comment_add by a party outside the framework": (
        "meander",
        lambda world, j, user: (
            lambda: js.comment_add(
                actor=user,
                jaarschijf=j,
                piece_type=PieceType.TEXT,
                piece_id=text_of(j).pk,
                text="Van buiten",
                notify=False,
            )
        ),
    ),
    "comment_set_resolved by a party outside the framework": (
        "meander",
        lambda world, j, user: (
            lambda comment: (
                lambda: js.comment_set_resolved(actor=user, comment=comment, resolved=True)
            )
        )(_comment(world, j)),
    ),
}


def _snapshot(jaarschijf: Jaarschijf) -> tuple:
    return (
        Jaarschijf.objects.filter(pk=jaarschijf.pk).values_list("state", "signing_round").get(),
        Jaarschijf.objects.count(),
        sorted(jaarschijf.contributions.values_list("id", "text", "version")),
        sorted(jaarschijf.texts.values_list("id", "text", "version")),
        sorted(PieceComment.objects.values_list("id", "resolved")),
        PieceChange.objects.count(),
    )


@pytest.mark.parametrize("name", CASES)
def test_a_jaarschijf_write_refuses_a_party_that_may_not_write(world, jaarschijf, name):
    username, prepare = CASES[name]
    refused = prepare(world, jaarschijf, world.users[username])
    before = _snapshot(jaarschijf)
    with pytest.raises(PermissionDenied):
        refused()
    assert _snapshot(jaarschijf) == before

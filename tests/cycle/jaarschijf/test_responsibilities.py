"""Who edits what, for every demo role, enforced in services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from cycle.jaarschijf import services as js
from cycle.models import Jaarschijf, PieceType

from .conftest import contribution_of, text_of

PIECES = ["gemeente-kerkrade", "heemwonen", "huurdersorganisatie-heemwonen", "texts"]
# username -> the pieces they may edit in concept
MAY_EDIT = {
    "werkgroep": set(PIECES),
    "wethouder": set(),
    "heemwonen": {"heemwonen"},
    "wonenzuid": set(),
    "wonenlimburg": set(),
    "heemwonen-bestuur": set(),
    "wonenzuid-bestuur": set(),
    "wonenlimburg-bestuur": set(),
    "huurders": {"huurdersorganisatie-heemwonen"},
    "huurders-voorzitter": set(),
    "meander": set(),
    "nobody": set(),
}
MAY_COMMENT = set(MAY_EDIT) - {"meander", "nobody"}


def _edit(world, jaarschijf, username, piece):
    user = world.users[username]
    if piece == "texts":
        text = text_of(jaarschijf)
        return js.jaarschijf_text_update(
            actor=user, text_id=text.pk, expected_version=text.version, text="gewijzigd"
        )
    contribution = contribution_of(jaarschijf, piece)
    return js.contribution_update(
        actor=user,
        contribution_id=contribution.pk,
        expected_version=contribution.version,
        data=js.ContributionInput(text=f"gewijzigd door {username}"),
    )


@pytest.mark.parametrize("username", sorted(MAY_EDIT))
@pytest.mark.parametrize("piece", PIECES)
def test_edit_rights_in_concept(world, jaarschijf, username, piece):
    if piece in MAY_EDIT[username]:
        assert _edit(world, jaarschijf, username, piece).version == 2
    else:
        with pytest.raises(PermissionDenied):
            _edit(world, jaarschijf, username, piece)


@pytest.mark.parametrize("username", ["heemwonen", "huurders"])
def test_in_final_draft_only_the_working_group_edits(world, jaarschijf, username):
    js.jaarschijf_set_state(
        actor=world.users["werkgroep"], jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )
    own = "heemwonen" if username == "heemwonen" else "huurdersorganisatie-heemwonen"
    with pytest.raises(PermissionDenied):
        _edit(world, jaarschijf, username, own)
    assert _edit(world, jaarschijf, "werkgroep", own).version == 2


@pytest.mark.parametrize("username", sorted(MAY_EDIT))
def test_adding_a_contribution_for_a_party(world, jaarschijf, username):
    allowed = MAY_EDIT[username] - {"texts"}
    for slug in ["gemeente-kerkrade", "heemwonen", "huurdersorganisatie-heemwonen"]:
        call = lambda slug=slug: js.contribution_add(  # noqa: E731
            actor=world.users[username],
            jaarschijf=jaarschijf,
            party=world.parties[slug],
            agreement=world.agreement,
            data=js.ContributionInput(text="extra"),
        )
        if slug in allowed:
            assert call().version == 1
        else:
            with pytest.raises(PermissionDenied):
                call()


@pytest.mark.parametrize("username", sorted(MAY_EDIT))
def test_comment_rights(world, jaarschijf, username):
    piece = contribution_of(jaarschijf, "heemwonen")

    def call():
        return js.comment_add(
            actor=world.users[username],
            jaarschijf=jaarschijf,
            piece_type=PieceType.CONTRIBUTION,
            piece_id=piece.pk,
            text="opmerking",
            notify=False,
        )

    if username in MAY_COMMENT:
        assert call().pk
    else:
        with pytest.raises(PermissionDenied):
            call()

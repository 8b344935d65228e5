"""Two people save the same piece at the same moment against PostgreSQL: one wins, the other
is told (EditConflict with both texts), and nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from core.drafting.models import PieceChange
from cycle.jaarschijf import services as js
from cycle.models import Contribution, PieceType

from .conftest import contribution_of


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_saves_of_one_piece_one_wins_the_other_is_told(world, jaarschijf, round_):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writes")
    piece = contribution_of(jaarschijf, "heemwonen")
    barrier = threading.Barrier(2)
    won, told, errors = [], [], []

    def save(username: str, text: str) -> None:
        try:
            barrier.wait()
            js.contribution_update(
                actor=world.users[username],
                contribution_id=piece.pk,
                expected_version=piece.version,
                data=js.ContributionInput(text=text, quantity=piece.quantity, unit=piece.unit),
            )
            won.append(text)
        except js.EditConflict as conflict:
            told.append(conflict)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("werkgroep", "tekst van de werkgroep")),
        threading.Thread(target=save, args=("heemwonen", "tekst van HEEMwonen")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(won) == 1 and len(told) == 1
    conflict = told[0]
    # the loser is told what they typed and what is stored now: nothing is lost
    assert {conflict.yours["text"], won[0]} == {"tekst van de werkgroep", "tekst van HEEMwonen"}
    assert conflict.current["text"] == won[0]
    assert conflict.current_version == piece.version + 1
    stored = Contribution.objects.get(pk=piece.pk)
    assert stored.text == won[0] and stored.version == piece.version + 1
    history = PieceChange.objects.filter(piece_type=PieceType.CONTRIBUTION, piece_id=piece.pk)
    assert history.count() == 2  # create + the one accepted save

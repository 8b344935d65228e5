from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.actors import DEMO_LOADER
from core.drafting.models import PieceChange
from cycle import services as cycle_services
from cycle.jaarschijf import services as js
from cycle.models import Contribution, Figure, Jaarschijf, JaarschijfText, PieceType

from .conftest import contribution_of, text_of


def test_create_prefills_every_bid_line_as_a_contribution_of_its_corporation(
    world, jaarschijf, linked_bid
):
    from_bid = jaarschijf.contributions.filter(source=Contribution.Source.BID)
    assert from_bid.count() == linked_bid.lines.count() == len(Figure)
    assert set(from_bid.values_list("party__slug", flat=True)) == {"heemwonen"}
    sloop = from_bid.get(target__code="sloop")
    assert sloop.agreement == world.agreement
    assert sloop.quantity == linked_bid.lines.get(figure="sloop").quantity
    # lines linked to no agreement are kept, apart
    assert from_bid.filter(agreement=None).count() == len(Figure) - 5


def test_create_gives_each_responsible_party_without_a_bid_line_an_empty_contribution(
    world, jaarschijf
):
    from_framework = jaarschijf.contributions.filter(source=Contribution.Source.FRAMEWORK)
    assert sorted(from_framework.values_list("party__slug", flat=True)) == [
        "gemeente-kerkrade",
        "huurdersorganisatie-heemwonen",
    ]
    assert jaarschijf.plan_year == world.cycle_year.year + 1
    assert jaarschijf.texts.count() == 2


def test_create_records_version_one_of_every_piece(jaarschijf):
    pieces = jaarschijf.contributions.count() + jaarschijf.texts.count() + 1
    assert PieceChange.objects.filter(**js.ref(jaarschijf.pk).filter(), version=1).count() == pieces


def test_create_twice_returns_the_same_jaarschijf(world, jaarschijf):
    again = js.jaarschijf_create(actor=world.users["werkgroep"], cycle_year=world.cycle_year)
    assert again.pk == jaarschijf.pk


def test_create_copies_last_years_open_items(world, jaarschijf):
    manual = js.contribution_add(
        actor=world.users["werkgroep"],
        jaarschijf=jaarschijf,
        party=world.parties["gemeente-kerkrade"],
        agreement=world.agreement,
        data=js.ContributionInput(text="Woonvisie actualiseren"),
    )
    done = js.contribution_add(
        actor=world.users["werkgroep"],
        jaarschijf=jaarschijf,
        party=world.parties["gemeente-kerkrade"],
        agreement=world.agreement,
        data=js.ContributionInput(text="Klaar", done=True),
    )
    next_year = cycle_services.cycle_year_create(
        actor=DEMO_LOADER, framework=world.framework, year=2026
    )
    copy = js.jaarschijf_create(actor=world.users["werkgroep"], cycle_year=next_year)
    copied = copy.contributions.filter(source=Contribution.Source.PREVIOUS)
    assert list(copied.values_list("copied_from", flat=True)) == [manual.pk]
    assert done.pk not in copied.values_list("copied_from", flat=True)


def test_only_the_working_group_creates_a_jaarschijf(world, linked_bid):
    with pytest.raises(PermissionDenied):
        js.jaarschijf_create(actor=world.users["heemwonen"], cycle_year=world.cycle_year)


def _save(actor, contribution, text, version=None):
    return js.contribution_update(
        actor=actor,
        contribution_id=contribution.pk,
        expected_version=contribution.version if version is None else version,
        data=js.ContributionInput(
            text=text,
            quantity=contribution.quantity,
            unit=contribution.unit,
            planned_quarter=contribution.planned_quarter,
            target_id=contribution.target_id,
        ),
    )


def test_a_save_raises_the_version_and_records_before_and_after(world, jaarschijf):
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    saved = _save(world.users["werkgroep"], piece, "Nieuwe tekst")
    assert saved.version == 2
    change = PieceChange.objects.get(
        piece_type=PieceType.CONTRIBUTION, piece_id=piece.pk, version=2
    )
    assert change.before["text"] == ""
    assert change.after["text"] == "Nieuwe tekst"
    assert change.actor == world.users["werkgroep"]


def test_a_save_based_on_a_stale_version_is_refused_with_both_texts(world, jaarschijf):
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    _save(world.users["werkgroep"], piece, "Eerste")
    with pytest.raises(js.EditConflict) as info:
        _save(world.users["werkgroep"], piece, "Tweede", version=1)
    assert info.value.yours["text"] == "Tweede"
    assert info.value.current["text"] == "Eerste"
    assert info.value.current_version == 2
    piece.refresh_from_db()
    assert piece.text == "Eerste"


def test_an_unchanged_save_makes_no_new_version(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    assert _save(world.users["heemwonen"], piece, piece.text).version == 1


def test_quantity_accepts_dutch_notation(world, jaarschijf):
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    saved = js.contribution_update(
        actor=world.users["werkgroep"],
        contribution_id=piece.pk,
        expected_version=1,
        data=js.ContributionInput(text="x", quantity="1.234,5"),
    )
    assert saved.quantity == Decimal("1234.5")


def test_a_target_of_another_agreement_is_refused(world, jaarschijf):
    piece = jaarschijf.contributions.filter(agreement__number=2).first()
    other = jaarschijf.contributions.create(
        agreement=world.framework.themes.get(number=2).agreements.get(),
        party=world.parties["gemeente-kerkrade"],
    )
    with pytest.raises(ValidationError):
        js.contribution_update(
            actor=world.users["werkgroep"],
            contribution_id=other.pk,
            expected_version=1,
            data=js.ContributionInput(text="x", target_id=piece.target_id or 1),
        )


def test_text_update_and_restore_make_new_versions(world, jaarschijf):
    piece = text_of(jaarschijf)
    original = piece.text
    piece = js.jaarschijf_text_update(
        actor=world.users["werkgroep"], text_id=piece.pk, expected_version=1, text="Anders"
    )
    restored = js.piece_restore(
        actor=world.users["werkgroep"],
        piece_type=PieceType.TEXT,
        piece_id=piece.pk,
        version=1,
        expected_version=2,
    )
    assert restored.version == 3
    assert restored.text == original
    assert (
        PieceChange.objects.get(piece_id=piece.pk, piece_type="tekst", version=3).action
        == "restore"
    )


def test_restore_based_on_a_stale_version_is_a_conflict(world, jaarschijf):
    piece = text_of(jaarschijf)
    js.jaarschijf_text_update(
        actor=world.users["werkgroep"], text_id=piece.pk, expected_version=1, text="A"
    )
    with pytest.raises(js.EditConflict):
        js.piece_restore(
            actor=world.users["werkgroep"],
            piece_type=PieceType.TEXT,
            piece_id=piece.pk,
            version=1,
            expected_version=1,
        )


# --- states -----------------------------------------------------------------------------------


def _to_signing(world, jaarschijf):
    wg = world.users["werkgroep"]
    js.jaarschijf_set_state(actor=wg, jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT)
    return js.jaarschijf_set_state(
        actor=wg, jaarschijf=jaarschijf, state=Jaarschijf.State.FOR_SIGNING
    )


def test_the_states_follow_concept_final_draft_for_signing_signed(world, jaarschijf):
    frozen = _to_signing(world, jaarschijf)
    assert frozen.state == Jaarschijf.State.FOR_SIGNING
    signed = js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=frozen, signing_round=1)
    assert signed.state == Jaarschijf.State.SIGNED


def test_concept_cannot_skip_to_for_signing(world, jaarschijf):
    with pytest.raises(ValidationError):
        js.jaarschijf_set_state(
            actor=world.users["werkgroep"], jaarschijf=jaarschijf, state="ter_ondertekening"
        )


@pytest.mark.parametrize("state", ["ter_ondertekening", "ondertekend"])
def test_a_frozen_jaarschijf_refuses_every_edit(world, jaarschijf, state):
    frozen = _to_signing(world, jaarschijf)
    if state == "ondertekend":
        js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=frozen, signing_round=1)
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    with pytest.raises(ValidationError):
        _save(world.users["werkgroep"], piece, "te laat")
    with pytest.raises(ValidationError):
        js.jaarschijf_text_update(
            actor=world.users["werkgroep"],
            text_id=text_of(jaarschijf).pk,
            expected_version=1,
            text="x",
        )
    with pytest.raises(ValidationError):
        js.contribution_add(
            actor=world.users["werkgroep"],
            jaarschijf=jaarschijf,
            party=world.parties["gemeente-kerkrade"],
            agreement=world.agreement,
            data=js.ContributionInput(text="x"),
        )


def test_reopen_returns_to_concept_raises_the_signing_round_and_is_recorded(world, jaarschijf):
    frozen = _to_signing(world, jaarschijf)
    reopened = js.jaarschijf_reopen(
        actor=world.users["werkgroep"], jaarschijf=frozen, reason="Fout"
    )
    assert reopened.state == Jaarschijf.State.CONCEPT
    assert reopened.signing_round == 2
    change = PieceChange.objects.filter(piece_type="jaarschijf", action="reopen").get()
    assert change.after["voided_round"] == 1
    assert change.after["reason"] == "Fout"
    with pytest.raises(ValidationError):
        js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=reopened, signing_round=1)


def test_signatures_of_an_earlier_round_cannot_sign(world, jaarschijf):
    frozen = _to_signing(world, jaarschijf)
    js.jaarschijf_reopen(actor=world.users["werkgroep"], jaarschijf=frozen)
    again = _to_signing(world, Jaarschijf.objects.get(pk=jaarschijf.pk))
    with pytest.raises(ValidationError):
        js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=again, signing_round=1)
    assert (
        js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=again, signing_round=2).state
        == "ondertekend"
    )


@pytest.mark.parametrize("username", ["heemwonen", "huurders", "wethouder", "heemwonen-bestuur"])
def test_only_the_working_group_moves_the_state(world, jaarschijf, username):
    with pytest.raises(PermissionDenied):
        js.jaarschijf_set_state(
            actor=world.users[username], jaarschijf=jaarschijf, state="definitief_concept"
        )


def test_only_the_working_group_reopens(world, jaarschijf):
    frozen = _to_signing(world, jaarschijf)
    with pytest.raises(PermissionDenied):
        js.jaarschijf_reopen(actor=world.users["heemwonen"], jaarschijf=frozen)


# --- presence ---------------------------------------------------------------------------------


def test_presence_shows_others_and_expires(world, jaarschijf):
    import datetime as dt

    from django.utils import timezone

    from core.drafting.models import PiecePresence

    piece = contribution_of(jaarschijf, "heemwonen")
    key = {"jaarschijf": jaarschijf, "piece_type": PieceType.CONTRIBUTION, "piece_id": piece.pk}
    assert js.presence_beat(user=world.users["werkgroep"], **key) == []
    assert js.presence_beat(user=world.users["heemwonen"], **key) == ["werkgroep"]
    PiecePresence.objects.filter(user=world.users["werkgroep"]).update(
        seen_at=timezone.now() - dt.timedelta(seconds=js.PRESENCE_SECONDS + 1)
    )
    assert js.presence_beat(user=world.users["heemwonen"], **key) == []


# --- comments ---------------------------------------------------------------------------------


def test_a_comment_notifies_the_pieces_party_after_commit(
    world, jaarschijf, django_capture_on_commit_callbacks
):
    piece = contribution_of(jaarschijf, "heemwonen")
    with django_capture_on_commit_callbacks(execute=True):
        js.comment_add(
            actor=world.users["huurders"],
            jaarschijf=jaarschijf,
            piece_type=PieceType.CONTRIBUTION,
            piece_id=piece.pk,
            text="Waarom zo weinig?",
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["heemwonen-bestuur@example.org", "heemwonen@example.org"]


def test_a_comment_on_a_shared_text_notifies_the_working_group(
    world, jaarschijf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        js.comment_add(
            actor=world.users["huurders"],
            jaarschijf=jaarschijf,
            piece_type=PieceType.TEXT,
            piece_id=text_of(jaarschijf).pk,
            text="Graag meer over betaalbaarheid",
        )
    assert [message.to for message in mail.outbox] == [["werkgroep@example.org"]]


def test_replies_stay_one_level_and_threads_resolve_and_reopen(world, jaarschijf):
    piece = text_of(jaarschijf)
    key = {"jaarschijf": jaarschijf, "piece_type": PieceType.TEXT, "piece_id": piece.pk}
    root = js.comment_add(actor=world.users["huurders"], text="Vraag", notify=False, **key)
    reply = js.comment_add(actor=world.users["werkgroep"], text="Antwoord", parent=root, **key)
    deeper = js.comment_add(actor=world.users["huurders"], text="Dank", parent=reply, **key)
    assert reply.parent == root and deeper.parent == root
    js.comment_set_resolved(actor=world.users["werkgroep"], comment=root, resolved=True)
    root.refresh_from_db()
    assert root.resolved and root.resolved_by == world.users["werkgroep"]
    js.comment_set_resolved(actor=world.users["huurders"], comment=root, resolved=False)
    root.refresh_from_db()
    assert not root.resolved


def test_outsiders_cannot_comment(world, jaarschijf):
    with pytest.raises(PermissionDenied):
        js.comment_add(
            actor=world.users["meander"],
            jaarschijf=jaarschijf,
            piece_type=PieceType.TEXT,
            piece_id=text_of(jaarschijf).pk,
            text="x",
        )


def test_a_comment_on_a_piece_of_another_jaarschijf_is_refused(world, jaarschijf):
    with pytest.raises(ValidationError):
        js.comment_add(
            actor=world.users["huurders"],
            jaarschijf=jaarschijf,
            piece_type=PieceType.TEXT,
            piece_id=999999,
            text="x",
        )


def test_jaarschijf_text_keys_are_introduction_and_spearheads(jaarschijf):
    assert set(jaarschijf.texts.values_list("key", flat=True)) == set(JaarschijfText.Key.values)

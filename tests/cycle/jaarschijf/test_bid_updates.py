"""Late and revised bids reach the jaarschijf: each contribution "uit het bod" knows its bid
version; a later version is offered as reviewable changes, applied per contribution by the
working group, never over a hand edit without an explicit choice; putting the jaarschijf up
for signing asks to confirm when bids are newer or comments are open."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Framework, SigningRequest
from agreements.signing.services import PutUpNeedsConfirmation, signing_put_up
from core.actors import DEMO_LOADER
from core.drafting.models import PieceChange
from core.models import AuditEvent
from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.jaarschijf import bid_updates
from cycle.jaarschijf import services as js
from cycle.jaarschijf.signing import JaarschijfSignable
from cycle.models import Bid, Contribution, Jaarschijf, PieceType
from tests.cycle.conftest import full_lines

from .conftest import contribution_of


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def revise(world, slug="heemwonen", username="heemwonen", **lines: tuple) -> Bid:
    """Submit the corporation's next bid version with these lines changed (figure=(qty, text))."""
    user = world.users[username]
    bid = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=world.parties[slug]
    )
    current = {line.figure: line for line in bid.lines.all()}
    changes = {}
    if all(line.quantity is None for line in current.values()):  # a first bid: every figure
        changes = full_lines()
    for figure, (quantity, text) in lines.items():
        changes[figure] = LineInput(quantity=Decimal(quantity), explanation=text)
    for figure, line in changes.items():
        line.agreement = current[figure].agreement if figure in current else None
    bids_services.bid_lines_save(actor=user, bid=bid, lines=changes)
    return bids_services.bid_submit(actor=user, bid=bid)


def sloop(jaarschijf) -> Contribution:
    return jaarschijf.contributions.get(party__slug="heemwonen", bid_figure="sloop")


def _apply(world, jaarschijf, change, username="werkgroep", choice=""):
    return bid_updates.bid_update_apply(
        actor=world.users[username],
        jaarschijf=jaarschijf,
        bid_id=change.bid.pk,
        figure=change.line.figure,
        expected_version=change.contribution.version if change.contribution else None,
        choice=choice,
    )


def _change(jaarschijf, figure="sloop", slug="heemwonen"):
    for update in bid_updates.bid_updates(jaarschijf):
        if update.corporation.slug == slug:
            return next(c for c in update.changes if c.line.figure == figure)
    raise AssertionError(f"no pending change for {slug} {figure}")


# --- where a contribution comes from --------------------------------------------------------


def test_a_contribution_from_the_bid_records_its_bid_version(world, jaarschijf, linked_bid):
    piece = sloop(jaarschijf)
    assert (piece.bid_id, piece.bid_figure) == (linked_bid.pk, "sloop")


def test_the_page_shows_which_bid_version_a_contribution_comes_from(world, jaarschijf):
    body = _client(world, "huurders").get(reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]))
    assert "uit bod HEEMwonen, versie 1" in body.content.decode()


# --- pending updates ---------------------------------------------------------------------------


def test_a_bid_revised_after_the_jaarschijf_shows_up_as_a_pending_update(world, jaarschijf):
    assert bid_updates.bid_updates(jaarschijf) == []
    revise(world, sloop=(99, "Sloop van 99 woningen aan de Markt"))
    [update] = bid_updates.bid_updates(jaarschijf)
    assert (update.corporation.slug, update.bid.version, update.read_versions) == (
        "heemwonen",
        2,
        [1],
    )
    change = next(c for c in update.changes if c.line.figure == "sloop")
    assert "<ins>" in change.text_diff and "Markt" in change.text_diff
    assert "<del>" in change.text_diff
    assert not change.hand_edited


def test_the_jaarschijf_page_names_the_corporation_with_a_newer_bid(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    body = _client(world, "werkgroep").get(reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]))
    text = body.content.decode()
    assert "Er is een nieuwer bod" in text and "HEEMwonen: versie 2 ingediend" in text
    assert reverse("cycle:jaarschijf-bid-updates", args=[jaarschijf.pk]) in text


def test_a_late_first_bid_is_offered_as_new_contributions(world, jaarschijf):
    revise(world, slug="wonen-zuid", username="wonenzuid")
    [update] = bid_updates.bid_updates(jaarschijf)
    assert update.corporation.slug == "wonen-zuid" and update.is_first
    change = update.changes[0]
    assert change.is_new
    result = _apply(world, jaarschijf, change)
    assert result.added
    piece = jaarschijf.contributions.get(party__slug="wonen-zuid", bid_figure=change.line.figure)
    assert (piece.bid.version, piece.source) == (1, Contribution.Source.BID)


# --- applying ---------------------------------------------------------------------------------


def test_applying_updates_the_contribution_and_its_bid_version(world, jaarschijf):
    new_bid = revise(world, sloop=(99, "Sloop van 99 woningen"))
    before = sloop(jaarschijf)
    result = _apply(world, jaarschijf, _change(jaarschijf))
    piece = sloop(jaarschijf)
    assert result.changed
    assert (piece.text, piece.quantity, piece.bid_id) == (
        "Sloop van 99 woningen",
        Decimal(99),
        new_bid.pk,
    )
    assert piece.version == before.version + 1
    assert piece.planned_quarter == before.planned_quarter  # the working group's planning stays
    assert AuditEvent.objects.filter(action="jaarschijf_bid_apply", object_id=piece.pk).exists()
    assert PieceChange.objects.filter(
        **js.ref(jaarschijf.pk).filter(),
        piece_type=PieceType.CONTRIBUTION,
        piece_id=piece.pk,
        action="bid_update",
    ).exists()
    assert all(
        c.line.figure != "sloop" for u in bid_updates.bid_updates(jaarschijf) for c in u.changes
    )
    assert bid_updates.bid_updates(jaarschijf) == []  # the other lines did not change


def test_only_lines_that_changed_are_offered(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"), nieuwbouw=(50, "Nieuwbouw van 50"))
    [update] = bid_updates.bid_updates(jaarschijf)
    assert sorted(c.line.figure for c in update.changes) == ["nieuwbouw", "sloop"]


def test_applying_twice_changes_nothing_the_second_time(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    change = _change(jaarschijf)
    _apply(world, jaarschijf, change)
    version = sloop(jaarschijf).version
    again = _apply(world, jaarschijf, change)  # the same form posted again
    assert not again.changed and sloop(jaarschijf).version == version


def test_a_stale_review_is_refused_when_the_bid_changed_again(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    seen = _change(jaarschijf)
    revise(world, sloop=(120, "Sloop van 120 woningen"))
    before = sloop(jaarschijf)
    with pytest.raises(ValidationError, match="intussen opnieuw gewijzigd \\(nu versie 3\\)"):
        _apply(world, jaarschijf, seen)
    after = sloop(jaarschijf)
    assert (after.text, after.version, after.bid_id) == (before.text, before.version, before.bid_id)


def test_a_hand_edited_contribution_is_not_overwritten_without_a_choice(world, jaarschijf):
    piece = sloop(jaarschijf)
    js.contribution_update(
        actor=world.users["heemwonen"],
        contribution_id=piece.pk,
        expected_version=piece.version,
        data=js.ContributionInput(
            text="Sloop in twee fasen, met de huurders besproken",
            quantity=piece.quantity,
            unit=piece.unit,
            planned_quarter=piece.planned_quarter,
            target_id=piece.target_id,
        ),
    )
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    change = _change(jaarschijf)
    assert change.hand_edited
    assert change.old["text"] == "uitleg 0" and change.new["text"] == "Sloop van 99 woningen"
    with pytest.raises(ValidationError, match="met de hand aangepast"):
        _apply(world, jaarschijf, change)
    assert sloop(jaarschijf).text == "Sloop in twee fasen, met de huurders besproken"
    _apply(world, jaarschijf, change, choice=bid_updates.KEEP_OWN)
    kept = sloop(jaarschijf)
    assert kept.text == "Sloop in twee fasen, met de huurders besproken"
    assert kept.bid.version == 2


def test_the_hand_edit_can_be_replaced_by_an_explicit_choice(world, jaarschijf):
    piece = sloop(jaarschijf)
    js.contribution_update(
        actor=world.users["werkgroep"],
        contribution_id=piece.pk,
        expected_version=piece.version,
        data=js.ContributionInput(text="Eigen tekst", planned_quarter="q2"),
    )
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    _apply(world, jaarschijf, _change(jaarschijf), choice=bid_updates.TAKE_BID)
    assert sloop(jaarschijf).text == "Sloop van 99 woningen"


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["heemwonen", "huurders", "wethouder"])
def test_only_the_working_group_applies_bid_updates(world, jaarschijf, username):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    change = _change(jaarschijf)
    with pytest.raises(PermissionDenied):
        _apply(world, jaarschijf, change, username=username)
    assert sloop(jaarschijf).text == "uitleg 0"


def test_corporation_staff_cannot_post_to_the_review_page(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    change = _change(jaarschijf)
    url = reverse("cycle:jaarschijf-bid-updates", args=[jaarschijf.pk])
    client = _client(world, "heemwonen")
    assert client.get(url).status_code == 404
    data = {"bid": change.bid.pk, "figure": "sloop", "version": change.contribution.version}
    assert client.post(url, data).status_code == 404
    assert sloop(jaarschijf).text == "uitleg 0"


def test_a_frozen_jaarschijf_is_not_updated_from_the_bid(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    change = _change(jaarschijf)
    for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
        jaarschijf = js.jaarschijf_set_state(actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state)
    with pytest.raises(ValidationError, match="ter ondertekening"):
        _apply(world, jaarschijf, change)
    assert sloop(jaarschijf).text == "uitleg 0"


# --- the review page ---------------------------------------------------------------------------


def test_the_review_page_shows_the_word_diff_and_applies_one_change(world, jaarschijf):
    new_bid = revise(world, sloop=(99, "Sloop van 99 woningen"))
    url = reverse("cycle:jaarschijf-bid-updates", args=[jaarschijf.pk])
    client = _client(world, "werkgroep")
    page = client.get(url).content.decode()
    assert "HEEMwonen: van versie 1 naar versie 2" in page and "<ins>" in page
    piece = sloop(jaarschijf)
    response = client.post(
        url, {"bid": new_bid.pk, "figure": "sloop", "version": piece.version}, follow=True
    )
    assert "bijgewerkt uit versie 2 van het bod" in response.content.decode()
    assert sloop(jaarschijf).bid_id == new_bid.pk


def test_a_stale_or_repeated_form_says_so_and_changes_nothing(world, jaarschijf):
    seen_bid = revise(world, sloop=(99, "Sloop van 99 woningen"))
    piece = sloop(jaarschijf)
    url = reverse("cycle:jaarschijf-bid-updates", args=[jaarschijf.pk])
    form = {"bid": seen_bid.pk, "figure": "sloop", "version": piece.version}
    client = _client(world, "werkgroep")
    revise(world, sloop=(120, "Sloop van 120 woningen"))
    stale = client.post(url, form, follow=True).content.decode()
    assert "intussen opnieuw gewijzigd (nu versie 3)" in stale
    assert sloop(jaarschijf).version == piece.version
    current = _change(jaarschijf)
    form = {"bid": current.bid.pk, "figure": "sloop", "version": piece.version}
    client.post(url, form)
    again = client.post(url, form, follow=True).content.decode()
    assert "Deze wijziging was al verwerkt." in again
    assert sloop(jaarschijf).version == piece.version + 1


def test_review_page_queries_do_not_grow_with_corporations(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    url = reverse("cycle:jaarschijf-bid-updates", args=[jaarschijf.pk])
    client = _client(world, "werkgroep")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    revise(world, slug="wonen-zuid", username="wonenzuid")
    revise(world, slug="wonen-limburg", username="wonenlimburg")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- putting up for signing ---------------------------------------------------------------------


def _final(world, jaarschijf) -> Jaarschijf:
    return js.jaarschijf_set_state(
        actor=world.users["werkgroep"], jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )


def test_putting_up_with_a_newer_bid_needs_confirmation(world, jaarschijf):
    revise(world, sloop=(99, "Sloop van 99 woningen"))
    jaarschijf = _final(world, jaarschijf)
    signable = JaarschijfSignable(jaarschijf)
    with pytest.raises(PutUpNeedsConfirmation) as refused:
        signing_put_up(signable=signable, user=world.users["werkgroep"])
    assert any("HEEMwonen (versie 2)" in warning for warning in refused.value.warnings)
    assert not SigningRequest.objects.exists()
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FINAL_DRAFT
    signing_put_up(signable=signable, user=world.users["werkgroep"], confirmed=True)
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FOR_SIGNING


def test_the_put_up_button_shows_the_open_comments_and_asks_to_confirm(world, jaarschijf):
    js.comment_add(
        actor=world.users["huurders"],
        jaarschijf=jaarschijf,
        piece_type=PieceType.CONTRIBUTION,
        piece_id=contribution_of(jaarschijf, "heemwonen").pk,
        text="Waarom niet meer?",
        notify=False,
    )
    jaarschijf = _final(world, jaarschijf)
    url = reverse("agreements:signing-put-up", args=["jaarschijf", jaarschijf.pk])
    client = _client(world, "werkgroep")
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Er staat nog 1 reactie open." in asked.content.decode()
    assert not SigningRequest.objects.exists()
    unticked = client.post(url, {"confirming": "1"})
    assert unticked.status_code == 422 and not SigningRequest.objects.exists()
    client.post(url, {"confirming": "1", "confirm": "1"})
    assert SigningRequest.objects.filter(object_id=jaarschijf.pk).exists()


def test_putting_up_without_warnings_needs_no_confirmation(world, jaarschijf):
    # Without warnings at all: a framework in force for 2026 too (an accepted verlenging).
    Framework.objects.filter(pk=world.framework.pk).update(period_end=2026)
    jaarschijf = _final(world, jaarschijf)
    signing_put_up(signable=JaarschijfSignable(jaarschijf), user=world.users["werkgroep"])
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FOR_SIGNING


def test_the_migration_finds_the_bid_version_of_existing_contributions(world, jaarschijf):
    from django.apps import apps

    migration = importlib.import_module("cycle.migrations.0009_contribution_bid_version")
    expected = dict(
        jaarschijf.contributions.filter(source=Contribution.Source.BID).values_list(
            "pk", "bid_figure"
        )
    )
    revise(world, sloop=(99, "Sloop van 99 woningen"))  # a later version must not be chosen
    Contribution.objects.filter(jaarschijf=jaarschijf).update(bid=None, bid_figure="")

    class NowApps:
        """The models as they are now: the history the migration read is core.drafting's
        table since cycle 0018 (the same columns, keyed by document too)."""

        def get_model(self, app_label, name):
            return PieceChange if name == "JaarschijfChange" else apps.get_model(app_label, name)

    migration.backfill(NowApps(), None)
    found = dict(
        jaarschijf.contributions.filter(source=Contribution.Source.BID).values_list(
            "pk", "bid_figure"
        )
    )
    assert found == expected and len(expected) == 10
    assert set(
        jaarschijf.contributions.filter(source=Contribution.Source.BID).values_list(
            "bid__version", flat=True
        )
    ) == {1}

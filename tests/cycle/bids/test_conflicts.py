"""Two colleagues on one draft bid: a save is based on what its screen was given, so nobody's
change is silently lost (the 111/42 case), a field both changed shows both values with a choice,
and an autosave for a bid that was just submitted says so in the page."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from core.conflicts import EditConflict
from cycle.bids import services
from cycle.bids.drafts import stored_values, typed_values
from cycle.bids.types import LineInput
from cycle.models import Bid

ALICE, BOB = "heemwonen", "heemwonen-bestuur"  # two people of the same corporation


def edit_url(bid):
    return reverse("cycle:bid-edit", args=[bid.pk])


def form_data(client, bid) -> dict[str, str]:
    """What a browser sends for the edit form as loaded (every field and its base)."""
    content = client.get(edit_url(bid)).content.decode()
    form = re.search(r'<form[^>]*id="bid-form".*?</form>', content, re.S).group(0)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="submit"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(text).removeprefix("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def autosave(client, bid, data):
    return client.post(edit_url(bid), data, HTTP_HX_REQUEST="true")


def quantity(bid, figure):
    return bid.lines.get(figure=figure).quantity


@pytest.fixture
def two(client, world, draft_bid):
    from django.test import Client

    alice, bob = client, Client()
    alice.force_login(world.users[ALICE])
    bob.force_login(world.users[BOB])
    return alice, bob


# --- service --------------------------------------------------------------------------------


def _screen(bid) -> dict[str, LineInput]:
    """The lines as a screen loaded now shows them."""
    return {
        line.figure: LineInput(
            quantity=line.quantity, explanation=line.explanation, agreement=line.agreement
        )
        for line in bid.lines.all()
    }


def _save(world, bid, based_on, screen, **changes):
    lines = {figure: LineInput(**vars(line)) for figure, line in screen.items()}
    for figure, value in changes.items():
        lines[figure].quantity = Decimal(value)
    return services.bid_draft_save(
        actor=world.users[ALICE], bid=bid, lines=lines, based_on=based_on
    )


def test_service_keeps_a_colleagues_change_of_a_field_this_editor_did_not_touch(world, draft_bid):
    base, screen = stored_values(draft_bid), _screen(draft_bid)
    _save(world, draft_bid, base, screen, sloop="111")  # a colleague
    # a screen loaded before that save changes another figure
    result = _save(world, draft_bid, base, screen, nieuwbouw="7")
    assert not result.conflicts
    assert quantity(draft_bid, "sloop") == Decimal(111)
    assert quantity(draft_bid, "nieuwbouw") == Decimal(7)


def test_service_does_not_write_a_field_both_changed_and_returns_both_values(world, draft_bid):
    base, screen = stored_values(draft_bid), _screen(draft_bid)
    _save(world, draft_bid, base, screen, sloop="111")
    result = _save(world, draft_bid, base, screen, sloop="42", nieuwbouw="7")
    assert result.conflicts["quantity_sloop"].yours == "42"
    assert result.conflicts["quantity_sloop"].theirs == "111"
    assert quantity(draft_bid, "sloop") == Decimal(111)  # theirs stays
    assert quantity(draft_bid, "nieuwbouw") == Decimal(7)  # the other change landed
    assert result.bases["quantity_nieuwbouw"] == "7"
    assert result.bases["quantity_sloop"] == base["quantity_sloop"]  # still to be chosen


def test_service_submit_on_a_stale_field_saves_and_submits_nothing(world, draft_bid):
    base, screen = stored_values(draft_bid), _screen(draft_bid)
    _save(world, draft_bid, base, screen, sloop="111")
    lines = {figure: LineInput(**vars(line)) for figure, line in screen.items()}
    lines["sloop"].quantity, lines["nieuwbouw"].quantity = Decimal(42), Decimal(7)
    with pytest.raises(EditConflict) as told:
        services.bid_draft_save(
            actor=world.users[ALICE], bid=draft_bid, lines=lines, based_on=base, submit=True
        )
    assert told.value.yours == {"quantity_sloop": "42"}
    assert told.value.current == {"quantity_sloop": "111"}
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.DRAFT
    assert quantity(draft_bid, "nieuwbouw") != Decimal(7)


def test_typed_and_stored_values_read_a_dutch_number_alike(world, draft_bid):
    lines = {"leefbaarheid": LineInput(quantity=Decimal("1250.50"))}
    assert typed_values(lines, None, None)["quantity_leefbaarheid"] == "1250,5"


# --- views ----------------------------------------------------------------------------------


def test_the_111_42_case_a_stale_autosave_does_not_undo_a_colleagues_figure(two, draft_bid):
    alice, bob = two
    alice_form, bob_form = form_data(alice, draft_bid), form_data(bob, draft_bid)
    assert alice_form["quantity_sloop"] == "20" and alice_form["base_quantity_sloop"] == "20"
    assert autosave(alice, draft_bid, {**alice_form, "quantity_sloop": "111"}).status_code == 200
    # Bob's screen still says 20 for sloop; he changes another figure, his autosave sends all
    response = autosave(bob, draft_bid, {**bob_form, "quantity_nieuwbouw": "42"})
    assert response.status_code == 200
    assert "Concept opgeslagen om" in response.content.decode()
    assert quantity(draft_bid, "sloop") == Decimal(111)
    assert quantity(draft_bid, "nieuwbouw") == Decimal(42)


def test_stale_autosave_of_the_same_field_shows_theirs_and_yours(two, draft_bid):
    alice, bob = two
    alice_form, bob_form = form_data(alice, draft_bid), form_data(bob, draft_bid)
    autosave(alice, draft_bid, {**alice_form, "quantity_sloop": "111"})
    response = autosave(bob, draft_bid, {**bob_form, "quantity_sloop": "42"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Een collega heeft intussen hetzelfde veld gewijzigd." in content
    row = re.search(r'<tr[^>]*data-conflict="quantity_sloop".*?</tr>', content, re.S).group(0)
    assert re.search(r'pa-conflict-theirs">111<', row) and re.search(r'pa-conflict-yours">42<', row)
    assert "Waarde van collega houden" in row and "Mijn waarde houden" in row
    assert "Concept opgeslagen om" not in content
    assert quantity(draft_bid, "sloop") == Decimal(111)


def test_keep_mine_saves_my_value_and_keep_theirs_keeps_the_colleagues(two, draft_bid):
    alice, bob = two
    alice_form, bob_form = form_data(alice, draft_bid), form_data(bob, draft_bid)
    autosave(alice, draft_bid, {**alice_form, "quantity_sloop": "111"})
    mine = {**bob_form, "quantity_sloop": "42", "theirs_quantity_sloop": "111"}
    response = bob.post(edit_url(draft_bid), {**mine, "keep_theirs": "quantity_sloop"})
    assert response.status_code == 302
    assert quantity(draft_bid, "sloop") == Decimal(111)
    assert form_data(bob, draft_bid)["quantity_sloop"] == "111"
    response = bob.post(edit_url(draft_bid), {**mine, "keep_mine": "quantity_sloop"})
    assert response.status_code == 302
    assert quantity(draft_bid, "sloop") == Decimal(42)


def test_concept_opslaan_on_a_stale_field_answers_409_with_both_values(two, draft_bid):
    alice, bob = two
    alice_form, bob_form = form_data(alice, draft_bid), form_data(bob, draft_bid)
    autosave(alice, draft_bid, {**alice_form, "explanation_sloop": "Tekst van Alice"})
    response = bob.post(
        edit_url(draft_bid), {**bob_form, "explanation_sloop": "Tekst van Bob", "save": ""}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Tekst van Alice" in content and "Tekst van Bob" in content
    assert draft_bid.lines.get(figure="sloop").explanation == "Tekst van Alice"


def test_submit_on_a_stale_field_submits_nothing_and_shows_both(two, draft_bid):
    alice, bob = two
    alice_form, bob_form = form_data(alice, draft_bid), form_data(bob, draft_bid)
    autosave(alice, draft_bid, {**alice_form, "quantity_sloop": "111"})
    response = bob.post(edit_url(draft_bid), {**bob_form, "quantity_sloop": "42", "submit_bid": ""})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Er is niets opgeslagen." in content and 'name="theirs_quantity_sloop"' in content
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.DRAFT and quantity(draft_bid, "sloop") == 111


def test_my_own_successive_autosaves_of_one_field_are_no_conflict(two, draft_bid):
    alice, _bob = two
    data = form_data(alice, draft_bid)
    response = autosave(alice, draft_bid, {**data, "quantity_sloop": "50"})
    new_base = re.search(r'name="base_quantity_sloop" value="([^"]*)"', response.content.decode())
    assert new_base.group(1) == "50"  # sent back out of band
    data["base_quantity_sloop"] = new_base.group(1)
    response = autosave(alice, draft_bid, {**data, "quantity_sloop": "70"})
    assert "Concept opgeslagen om" in response.content.decode()
    assert quantity(draft_bid, "sloop") == Decimal(70)


def test_autosave_after_a_colleague_submitted_says_so_with_the_typed_value(two, draft_bid):
    alice, bob = two
    bob_form = form_data(bob, draft_bid)
    assert alice.post(edit_url(draft_bid), {**form_data(alice, draft_bid), "submit_bid": ""})
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.SUBMITTED
    response = autosave(bob, draft_bid, {**bob_form, "quantity_sloop": "42"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit bod is intussen ingediend; uw wijziging is niet opgeslagen." in content
    assert re.search(r"Sloop \(woningen\): <strong>42</strong>", content)
    assert "Nieuwbouw (woningen): <strong>" not in content  # only what differs is listed
    assert quantity(draft_bid, "sloop") == Decimal(20)


# --- at the same moment (PostgreSQL) ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_autosaves_of_one_field_one_lands_the_others_are_shown_both(world, draft_bid):
    from django.test import Client

    from tests.races import fire, needs_postgres

    needs_postgres()
    first = Client()
    first.force_login(world.users[ALICE])
    screen = form_data(first, draft_bid)  # every colleague loaded the same page
    values = iter(["101", "102", "103", "104", "105", "106"])

    def save():
        client = Client()
        client.force_login(world.users[BOB])
        return autosave(client, draft_bid, {**screen, "quantity_sloop": next(values)})

    responses = fire(6, save)
    assert all(getattr(r, "status_code", r) == 200 for r in responses), responses
    contents = [r.content.decode() for r in responses]
    saved = [c for c in contents if "Concept opgeslagen om" in c]
    told = [c for c in contents if "Een collega heeft intussen hetzelfde veld gewijzigd." in c]
    assert len(saved) == 1 and len(told) == 5
    stored = quantity_text_of(draft_bid)
    # every one told sees the value that landed as the colleague's
    assert all(f'pa-conflict-theirs">{stored}<' in c for c in told)


def quantity_text_of(bid) -> str:
    return str(int(quantity(bid, "sloop")))

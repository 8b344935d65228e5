"""The bid web form as a user meets it: a rejected autosave says so at the field and in the
status, a submit with errors keeps everything typed, the error summary links to the fields."""

import re
from decimal import Decimal

from django.urls import reverse

from cycle.models import Bid


def edit_url(bid):
    return reverse("cycle:bid-edit", args=[bid.pk])


def autosave(client, bid, data):
    return client.post(edit_url(bid), data, HTTP_HX_REQUEST="true")


def test_dutch_thousands_are_saved_by_autosave(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = autosave(client, draft_bid, {"quantity_leefbaarheid": "75.000"})
    assert response.status_code == 200, response.content.decode()
    assert "Concept opgeslagen om" in response.content.decode()
    assert draft_bid.lines.get(figure="leefbaarheid").quantity == Decimal(75000)


def test_rejected_autosave_marks_the_field_and_never_claims_a_save(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = autosave(client, draft_bid, {"quantity_sloop": "veel"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Concept opgeslagen" not in content and "Niet opgeslagen." in content
    # The field comes back out of band, marked invalid, its message linked to it.
    slot = re.search(
        r'<div id="id_quantity_sloop_slot"[^>]*hx-swap-oob="true".*?</div>\s*</div>', content, re.S
    )
    assert slot, content
    field = re.search(r"<input[^>]*id=\"id_quantity_sloop\"[^>]*>", slot.group(0)).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_quantity_sloop_error"' in field
    assert 'value="veel"' in field  # as typed
    assert 'id="id_quantity_sloop_error"' in slot.group(0) and "geen getal" in slot.group(0)
    assert str(draft_bid.lines.get(figure="sloop").quantity) == "20.00"  # unchanged


def test_valid_autosave_clears_the_field_mark(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    content = autosave(client, draft_bid, {"quantity_sloop": "12"}).content.decode()
    slot = re.search(r'<div id="id_quantity_sloop_slot".*?</div>\s*</div>', content, re.S).group(0)
    assert "aria-invalid" not in slot and "_error" not in slot


def test_error_summary_links_to_each_field(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(edit_url(draft_bid), {"quantity_sloop": "veel", "save": ""})
    assert response.status_code == 422
    content = response.content.decode()
    link = r'<a class="utrecht-link" href="#id_quantity_sloop">Sloop \(woningen\): '
    assert re.search(link, content)
    assert 'id="id_quantity_sloop"' in content


def test_submit_with_errors_keeps_everything_typed(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    data = {
        "summary": "Ons bod in het kort",
        "quantity_sloop": "veel",
        "quantity_leefbaarheid": "75.000",
        "explanation_sloop": "Twee complexen aan de Hoofdstraat",
        "submit_bid": "",
    }
    response = client.post(edit_url(draft_bid), data)
    assert response.status_code == 422
    content = response.content.decode()
    assert 'value="veel"' in content and 'value="75.000"' in content
    assert "Ons bod in het kort" in content and "Twee complexen aan de Hoofdstraat" in content
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.DRAFT


def test_submit_with_an_empty_figure_marks_that_field(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(edit_url(draft_bid), {"quantity_sloop": "3", "submit_bid": ""})
    assert response.status_code == 422
    assert 'href="#id_quantity_nieuwbouw"' in response.content.decode()
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.DRAFT


def test_submit_saves_what_was_typed_and_submits(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    data = {f"quantity_{line.figure}": "1" for line in draft_bid.lines.all()}
    data |= {"quantity_leefbaarheid": "75.000", "quantity_huurverhoging": "2,9", "submit_bid": ""}
    response = client.post(edit_url(draft_bid), data)
    assert response.status_code == 302
    draft_bid.refresh_from_db()
    assert draft_bid.status == Bid.Status.SUBMITTED
    assert draft_bid.lines.get(figure="leefbaarheid").quantity == Decimal(75000)
    assert draft_bid.lines.get(figure="huurverhoging").quantity == Decimal("2.9")


def test_bod_indienen_sends_the_form_it_stands_in(client, world, draft_bid):
    """The button belongs to the bid form, so whatever was typed since the last autosave is
    sent with it (a separate form sent nothing, and the typing was gone)."""
    client.force_login(world.users["heemwonen"])
    content = client.get(edit_url(draft_bid)).content.decode()
    form = re.search(r'<form[^>]*id="bid-form".*?</form>', content, re.S).group(0)
    assert re.search(r'<button type="submit" name="submit_bid"[^>]*>Bod indienen</button>', form)
    assert content.count("Bod indienen") == 1


def test_autosave_leaves_texts_in_place(client, world, draft_bid):
    """Only the numbers come back out of band: a swapped textarea would stop saving as typed."""
    client.force_login(world.users["heemwonen"])
    content = autosave(client, draft_bid, {"quantity_sloop": "12", "summary": "x"}).content.decode()
    assert 'id="id_quantity_huurverhoging_slot"' in content
    assert 'id="id_summary_slot"' not in content and 'id="id_explanation_sloop_slot"' not in content

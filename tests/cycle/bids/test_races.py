"""Submitting one draft bid many times at once (double clicks, two tabs, two colleagues), by
the "Indienen" button and by "Bod indienen" in the form: one submit goes through, the others
land on the bid's page with "Dit bod is al ingediend."; never a 500, nothing written twice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from cycle.models import Bid
from tests.races import fire, needs_postgres

ALREADY = "Dit bod is al ingediend."
DONE = "Het bod is ingediend."


def _form(bid: Bid) -> dict[str, str]:
    data = {f"quantity_{line.figure}": "7" for line in bid.lines.all()}
    return data | {"summary": "Ons bod", "submit_bid": ""}


def _submitted_once(bid: Bid) -> None:
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="bid_submit", object_id=bid.pk).count() == 1
    assert Bid.objects.filter(corporation=bid.corporation, status=Bid.Status.SUBMITTED).count() == 1


@pytest.mark.parametrize("how", ["button", "form"])
def test_a_second_submit_is_told_the_bid_is_already_submitted(client, world, draft_bid, how):
    client.force_login(world.users["heemwonen"])
    if how == "button":
        url, data = reverse("cycle:bid-submit", args=[draft_bid.pk]), {}
    else:
        url, data = reverse("cycle:bid-edit", args=[draft_bid.pk]), _form(draft_bid)
    first = client.post(url, data, follow=True)
    assert first.status_code == 200 and DONE in first.content.decode()
    second = client.post(url, data, follow=True)
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == reverse("cycle:bid-detail", args=[draft_bid.pk])
    assert ALREADY in second.content.decode() and DONE not in second.content.decode()
    _submitted_once(draft_bid)
    saves = AuditEvent.objects.filter(action="bid_lines_save", object_id=draft_bid.pk).count()
    assert saves == (1 if how == "button" else 2)  # the fixture's, and the first form's only


def test_another_corporation_cannot_learn_a_bid_is_submitted(client, world, submitted_bid):
    client.force_login(world.users["wonenzuid"])
    response = client.post(reverse("cycle:bid-submit", args=[submitted_bid.pk]))
    assert response.status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_submits_by_button_and_form_submit_once(world, draft_bid):
    needs_postgres()
    user = world.users["heemwonen"]
    data = _form(draft_bid)
    urls = iter(
        [(reverse("cycle:bid-submit", args=[draft_bid.pk]), {})] * 4
        + [(reverse("cycle:bid-edit", args=[draft_bid.pk]), data)] * 4
    )

    def submit():
        url, body = next(urls)  # next() on a list iterator is atomic under the GIL
        client = Client()
        client.force_login(user)
        return client.post(url, body, follow=True)

    responses = fire(8, submit)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code == 200 for r in responses)
    pages = [r.content.decode() for r in responses]
    assert sum(DONE in page for page in pages) == 1
    assert sum(ALREADY in page for page in pages) == 7
    _submitted_once(draft_bid)

"""The cycle's admin, as the superuser: submitted bids, statutory deadlines and the feed secret
stay as they are; drafts and rejected uploads are opened only for support, on the record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from agreements.models import ProcessStep
from core.models import AuditEvent
from cycle import services
from cycle.models import Bid, BidLine, BidUpload, CyclePreference, Milestone


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["admin"])
    return client


def _change(model, pk):
    return reverse(f"admin:cycle_{model}_change", args=[pk])


def _delete(model, pk):
    return reverse(f"admin:cycle_{model}_delete", args=[pk])


# --- submitted bids ----------------------------------------------------------------------------


def test_superuser_cannot_change_a_submitted_bid(admin_client, submitted_bid):
    before = list(BidLine.objects.filter(bid=submitted_bid).values_list("figure", "quantity"))
    page = admin_client.get(_change("bid", submitted_bid.pk))
    assert page.status_code == 200  # shown, read-only
    assert 'name="summary"' not in page.content.decode()
    assert 'name="lines-0-quantity"' not in page.content.decode()
    response = admin_client.post(
        _change("bid", submitted_bid.pk),
        {
            "summary": "Gewijzigd door beheer",
            "status": "draft",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-figure": "sloop",
            "lines-0-quantity": "999",
        },
    )
    assert response.status_code == 403
    bid = Bid.objects.get(pk=submitted_bid.pk)
    assert bid.status == Bid.Status.SUBMITTED and bid.summary != "Gewijzigd door beheer"
    after = list(BidLine.objects.filter(bid=submitted_bid).values_list("figure", "quantity"))
    assert after == before


def test_superuser_cannot_delete_a_submitted_bid(admin_client, submitted_bid):
    assert admin_client.get(_delete("bid", submitted_bid.pk)).status_code == 403
    assert admin_client.post(_delete("bid", submitted_bid.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:cycle_bid_changelist"),
        {"action": "delete_selected", "_selected_action": [submitted_bid.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert Bid.objects.filter(pk=submitted_bid.pk).exists()


# --- drafts and rejected uploads: support access ---------------------------------------------


def test_drafts_are_not_listed(admin_client, submitted_bid, world):
    from cycle.bids import services as bids_services

    draft = bids_services.bid_draft_start(
        actor=world.users["heemwonen"],
        cycle_year=world.cycle_year,
        corporation=world.parties["heemwonen"],
    )
    listing = admin_client.get(reverse("admin:cycle_bid_changelist")).content.decode()
    assert _change("bid", submitted_bid.pk) in listing
    assert _change("bid", draft.pk) not in listing
    assert admin_client.get(_change("bid", draft.pk)).status_code == 302  # "does not exist"


def test_opening_a_draft_for_support_needs_a_reason_and_is_audited(admin_client, draft_bid):
    url = reverse("admin:cycle_bid_support")
    page = admin_client.get(url)
    assert page.status_code == 200 and "Openen voor ondersteuning" in page.content.decode()
    refused = admin_client.post(url, {"row": draft_bid.pk, "reason": ""})
    assert refused.status_code == 200
    assert not AuditEvent.objects.filter(action="support_open").exists()
    assert admin_client.get(_change("bid", draft_bid.pk)).status_code == 302

    reason = "De corporatie vraagt hulp bij het invullen (ticket 42)."
    response = admin_client.post(url, {"row": draft_bid.pk, "reason": reason})
    assert response.status_code == 302
    assert response["Location"] == _change("bid", draft_bid.pk)
    event = AuditEvent.objects.get(action="support_open")
    assert (event.object_type, event.object_id, event.details["reason"]) == (
        "bid",
        draft_bid.pk,
        reason,
    )
    assert event.actor.username == "admin"
    page = admin_client.get(_change("bid", draft_bid.pk))
    assert page.status_code == 200 and 'name="summary"' not in page.content.decode()
    assert admin_client.post(_change("bid", draft_bid.pk), {"summary": "x"}).status_code == 403
    assert admin_client.post(_delete("bid", draft_bid.pk), {"post": "yes"}).status_code == 403
    assert Bid.objects.get(pk=draft_bid.pk).status == Bid.Status.DRAFT


def test_rejected_uploads_are_opened_only_for_support(admin_client, world):
    common = {
        "corporation": world.parties["heemwonen"],
        "cycle_year": world.cycle_year,
        "size": 10,
        "sha256": "0" * 64,
    }
    rejected = BidUpload.objects.create(filename="fout.xlsx", status="rejected", **common)
    accepted = BidUpload.objects.create(filename="goed.xlsx", status="accepted", **common)
    listing = admin_client.get(reverse("admin:cycle_bidupload_changelist")).content.decode()
    assert _change("bidupload", accepted.pk) in listing
    assert _change("bidupload", rejected.pk) not in listing
    admin_client.post(
        reverse("admin:cycle_bidupload_support"),
        {"row": rejected.pk, "reason": "Corporatie snapt de foutmelding niet."},
    )
    assert AuditEvent.objects.filter(action="support_open", object_id=rejected.pk).exists()
    assert admin_client.get(_change("bidupload", rejected.pk)).status_code == 200


# --- statutory deadlines ---------------------------------------------------------------------


@pytest.fixture
def statutory(world):
    milestone = world.cycle_year.milestones.filter(is_statutory=True).first()
    assert milestone is not None and milestone.source_step.is_statutory
    return milestone


def test_superuser_cannot_move_a_statutory_milestone(admin_client, statutory):
    deadline = statutory.deadline
    response = admin_client.post(
        _change("milestone", statutory.pk),
        {
            "cycle_year": statutory.cycle_year_id,
            "kind": statutory.kind,
            "title": statutory.title,
            "deadline": "2025-12-31",
            "deliverable_year": statutory.deliverable_year,
            "sequence": statutory.sequence,
        },
    )
    assert response.status_code == 302  # the other fields save; the deadline is read-only
    milestone = Milestone.objects.get(pk=statutory.pk)
    assert milestone.deadline == deadline and milestone.is_statutory


def test_superuser_cannot_delete_a_statutory_milestone(admin_client, statutory):
    assert admin_client.post(_delete("milestone", statutory.pk), {"post": "yes"}).status_code == 403
    assert Milestone.objects.filter(pk=statutory.pk).exists()


def test_a_statutory_milestone_does_not_move_through_the_cycle_year_inline(
    admin_client, world, statutory
):
    milestones = list(world.cycle_year.milestones.order_by("deadline", "id"))
    data = {
        "municipality": world.cycle_year.municipality_id,
        "framework": world.cycle_year.framework_id,
        "year": world.cycle_year.year,
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(len(milestones)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for index, milestone in enumerate(milestones):
        prefix = f"milestones-{index}-"
        data |= {
            prefix + "id": milestone.pk,
            prefix + "cycle_year": world.cycle_year.pk,
            prefix + "title": milestone.title,
            prefix + "deadline": "2025-12-30"
            if milestone.pk == statutory.pk
            else milestone.deadline,
            prefix + "owner_party": milestone.owner_party_id or "",
        }
        if milestone.is_statutory:
            data[prefix + "is_statutory"] = "on"
    admin_client.post(reverse("admin:cycle_cycleyear_change", args=[world.cycle_year.pk]), data)
    assert Milestone.objects.get(pk=statutory.pk).deadline == statutory.deadline
    index = [m.pk for m in milestones].index(statutory.pk)
    data[f"milestones-{index}-DELETE"] = "on"
    response = admin_client.post(
        reverse("admin:cycle_cycleyear_change", args=[world.cycle_year.pk]), data
    )
    assert "Een wettelijke termijn kan niet worden verwijderd." in response.content.decode()
    assert Milestone.objects.filter(pk=statutory.pk).exists()


def test_the_service_also_refuses_to_move_it(world, statutory):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.milestone_update(
            actor=world.users["werkgroep"],
            milestone=statutory,
            title=statutory.title,
            deadline=dt.date(2025, 12, 31),
            note="",
        )


def test_superuser_sees_a_statutory_process_step_disabled(admin_client, world):
    """The framework here is not signed (its calendar is editable), yet a statutory step's
    deadline fields are disabled."""
    steps = list(world.framework.process_steps.order_by("order"))
    url = reverse("admin:agreements_framework_change", args=[world.framework.pk])
    page = admin_client.get(url).content.decode()
    for index, step in enumerate(steps):
        tag = re.search(rf'<input[^>]*name="process_steps-{index}-deadline_day"[^>]*>', page)
        assert ("disabled" in tag.group(0)) == step.is_statutory


def _step_formset(framework, moved, delete=False):
    from django.forms import inlineformset_factory

    from agreements.admin import StatutoryStepFormSet
    from agreements.models import Framework

    Formset = inlineformset_factory(
        Framework,
        ProcessStep,
        formset=StatutoryStepFormSet,
        fields=["order", "period_label", "description", "deadline_month", "deadline_day"],
        extra=0,
    )
    steps = list(framework.process_steps.order_by("order"))
    data = {
        "process_steps-TOTAL_FORMS": str(len(steps)),
        "process_steps-INITIAL_FORMS": str(len(steps)),
    }
    for index, step in enumerate(steps):
        prefix = f"process_steps-{index}-"
        data |= {
            prefix + "id": step.pk,
            prefix + "framework": framework.pk,
            prefix + "order": step.order,
            prefix + "period_label": step.period_label,
            prefix + "description": step.description,
            prefix + "deadline_month": step.deadline_month or "",
            prefix + "deadline_day": 28 if step.pk == moved.pk else (step.deadline_day or ""),
        }
        if delete and step.pk == moved.pk:
            data[prefix + "DELETE"] = "on"
    return Formset(data, instance=framework, prefix="process_steps")


def test_a_statutory_process_step_does_not_move_or_go(world):
    step = world.framework.process_steps.filter(is_statutory=True).first()
    formset = _step_formset(world.framework, step)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert ProcessStep.objects.get(pk=step.pk).deadline_day == step.deadline_day
    formset = _step_formset(world.framework, step, delete=True)
    assert not formset.is_valid()
    assert "Een wettelijke termijn kan niet worden verwijderd." in str(formset.non_form_errors())


def test_an_ordinary_process_step_still_moves(world):
    step = (
        world.framework.process_steps.filter(is_statutory=False).exclude(deadline_day=None).first()
    )
    formset = _step_formset(world.framework, step)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert ProcessStep.objects.get(pk=step.pk).deadline_day == 28


# --- the feed secret ---------------------------------------------------------------------------


def test_the_admin_never_shows_the_feed_secret(admin_client, world):
    user = world.users["heemwonen"]
    token = services.feed_token_regenerate(user=user)
    preference = CyclePreference.objects.get(user=user)
    listing = admin_client.get(reverse("admin:cycle_cyclepreference_changelist")).content.decode()
    page = admin_client.get(_change("cyclepreference", preference.pk)).content.decode()
    for html in (listing, page):
        assert token not in html and preference.feed_token_hash not in html

"""Addenda: propose, word diff, every party accepts -> new version; a rejection stays."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.urls import reverse

from agreements.addenda.services import ChangeSpec, addendum_propose
from agreements.addenda.signing import AddendumSignable
from agreements.models import Addendum, Agreement, Framework, FrameworkVersion, Target
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_decline, signing_put_up
from core.diffing import diff_html
from tests.agreements.signing.conftest import PASSWORD
from tests.factories import otp_code


def propose(world, **kwargs):
    return addendum_propose(
        framework=world.framework,
        user=world.working_group,
        title="Minder sloop",
        reason="De woningmarkt is krap.",
        changes=[
            ChangeSpec(world.agreement, "text", "Partijen slopen 450 woningen in de periode."),
            ChangeSpec(world.agreement, "value", "90", world.target),
        ],
        **kwargs,
    )


def accept_all(world, addendum):
    request = signing_put_up(signable=AddendumSignable(addendum), user=world.working_group)
    for user in world.signatories.values():
        signature_add(
            signing_request=request, user=user, password=PASSWORD, otp_code=otp_code(user)
        )
    addendum.refresh_from_db()
    return request


def test_word_diff_marks_removed_and_added_words():
    html = diff_html("slopen 478 woningen", "slopen 450 woningen <b>")
    assert html == "slopen <del>478</del><ins>450</ins> woningen<ins> &lt;b&gt;</ins>"


def test_propose_records_old_and_new_values(world):
    addendum = propose(world)
    changes = list(addendum.changes.order_by("order"))
    assert addendum.number == 1 and addendum.status == Addendum.Status.CONCEPT
    assert changes[0].old_value == "Partijen slopen 478 woningen in de periode."
    assert (changes[1].old_value, changes[1].new_value) == ("100.00", "90.00")


def test_only_working_group_proposes(world):
    world.working_group = world.member
    with pytest.raises(PermissionDenied):
        propose(world)


def test_accepted_by_all_makes_a_new_version(world):
    addendum = propose(world)
    accept_all(world, addendum)
    framework = Framework.objects.get(pk=world.framework.pk)
    assert addendum.status == Addendum.Status.ACCEPTED
    assert framework.version == 2
    assert Agreement.objects.get(pk=world.agreement.pk).text.startswith("Partijen slopen 450")
    assert Target.objects.get(pk=world.target.pk).value == Decimal("90")
    old = FrameworkVersion.objects.get(framework=framework, version=1)
    content = json.loads(old.content)
    assert content["themes"][0]["agreements"][0]["text"].startswith("Partijen slopen 478")
    assert old.replaced_by == addendum


def test_an_addendum_may_change_a_signed_framework(world):
    request = signing_put_up(signable=FrameworkSignable(world.framework), user=world.working_group)
    for user in world.signatories.values():
        signature_add(
            signing_request=request, user=user, password=PASSWORD, otp_code=otp_code(user)
        )
    addendum = propose(world)
    accept_all(world, addendum)
    framework = Framework.objects.get(pk=world.framework.pk)
    assert framework.signing_state == "ondertekend"
    assert framework.version == 2


def test_a_rejected_addendum_stays_on_record_and_changes_nothing(world):
    addendum = propose(world)
    request = signing_put_up(signable=AddendumSignable(addendum), user=world.working_group)
    signing_decline(
        signing_request=request, user=world.signatories["huurders-test"], reason="Te weinig."
    )
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.REJECTED
    assert Framework.objects.get(pk=world.framework.pk).version == 1
    assert Agreement.objects.get(pk=world.agreement.pk).text.startswith("Partijen slopen 478")
    assert not AddendumSignable(addendum).can_put_up()


def test_pages_show_the_diff_decisions_and_old_version(world, login):
    addendum = propose(world)
    accept_all(world, addendum)
    client = login(world.member)
    slug = world.framework.slug
    listing = client.get(reverse("agreements:addendum-list", args=[slug]))
    assert "Minder sloop" in listing.text and "Versie 1" in listing.text
    detail = client.get(reverse("agreements:addendum-detail", args=[slug, 1]))
    assert "<del>478</del><ins>450</ins>" in detail.text
    assert "ingestemd" in detail.text
    version = client.get(reverse("agreements:framework-version", args=[slug, 1]))
    assert "478" in version.text and "alleen te lezen" in version.text


def test_agreement_include_names_the_addendum(world):
    addendum = propose(world)
    accept_all(world, addendum)
    html = Template("{% load signing_tags %}{% agreement_addenda agreement %}").render(
        Context({"agreement": world.agreement})
    )
    assert "Gewijzigd bij addendum 1: Minder sloop" in html


def test_propose_form(world, login):
    client = login(world.working_group)
    url = reverse("agreements:addendum-propose", args=[world.framework.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Nieuw doel",
            "reason": "Omdat het moet.",
            "target": world.target.pk,
            "target_value": "120",
        },
    )
    assert response.status_code == 302
    assert Addendum.objects.get().changes.get().new_value == "120.00"


def test_propose_form_is_404_for_a_member(world, login):
    url = reverse("agreements:addendum-propose", args=[world.framework.slug])
    assert login(world.member).get(url).status_code == 404

"""The addendum "verlenging": proposed, put up and signed like every addendum; accepted, it
moves the framework's last year (and the framework is in force for the extended years)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.addenda.services import addendum_propose
from agreements.addenda.signing import AddendumSignable
from agreements.models import Addendum, Framework, FrameworkVersion
from agreements.selectors import framework_in_force
from agreements.signing.services import signing_decline, signing_put_up
from core.pdf import render_html
from tests.agreements.addenda.test_addenda import accept_all


def extend(world, new_period_end=2027, **kwargs):
    return addendum_propose(
        framework=world.framework,
        user=world.working_group,
        title="Verlenging",
        reason="Het nieuwe kader is nog niet klaar.",
        kind=Addendum.Kind.EXTENSION,
        new_period_end=new_period_end,
        **kwargs,
    )


def test_a_verlenging_needs_no_changed_agreement(world):
    addendum = extend(world)
    assert addendum.is_extension and addendum.new_period_end == 2027
    assert not addendum.changes.exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2025, "moet na 2025 liggen"),
        (2024, "moet na 2025 liggen"),
        (2031, "ten hoogste 5 jaar (tot en met 2030)"),
        (None, "Geef het nieuwe laatste jaar"),
    ],
)
def test_a_verlenging_must_end_later_but_not_too_late(world, year, message):
    with pytest.raises(ValidationError) as error:
        extend(world, new_period_end=year)
    assert message in " ".join(error.value.messages)
    assert not Addendum.objects.exists()


def test_only_the_working_group_proposes_a_verlenging(world):
    world.working_group = world.member
    with pytest.raises(PermissionDenied):
        extend(world)


def test_every_party_signs_and_the_period_is_extended(world):
    assert framework_in_force(world.framework.municipality, 2027) is None
    addendum = extend(world)
    accept_all(world, addendum)
    framework = Framework.objects.get(pk=world.framework.pk)
    assert addendum.status == Addendum.Status.ACCEPTED
    assert (framework.period_end, framework.version) == (2027, 2)
    old = FrameworkVersion.objects.get(framework=framework, version=1)
    assert json.loads(old.content)["framework"]["period_end"] == 2025
    assert framework_in_force(framework.municipality, 2027) == framework
    assert framework_in_force(framework.municipality, 2028) is None


def test_an_ended_framework_that_is_extended_is_in_force_again(world):
    Framework.objects.filter(pk=world.framework.pk).update(status=Framework.Status.EXPIRED)
    accept_all(world, extend(world))
    framework = Framework.objects.get(pk=world.framework.pk)
    assert framework.status == Framework.Status.ADOPTED
    assert framework_in_force(framework.municipality, 2026) == framework


def test_one_party_declines_and_nothing_changes(world):
    addendum = extend(world)
    request = signing_put_up(signable=AddendumSignable(addendum), user=world.working_group)
    corporation_signatory = world.signatories["woonstichting-test"]
    signing_decline(signing_request=request, user=corporation_signatory, reason="Te lang.")
    addendum.refresh_from_db()
    framework = Framework.objects.get(pk=world.framework.pk)
    assert addendum.status == Addendum.Status.REJECTED
    assert (framework.period_end, framework.version) == (2025, 1)
    assert framework_in_force(framework.municipality, 2026) is None


def test_the_proposal_page_preselects_the_verlenging(world, login):
    client = login(world.working_group)
    url = reverse("agreements:addendum-propose", args=[world.framework.slug])
    page = client.get(url + "?soort=verlenging").content.decode()
    assert re.search(r'value="verlenging"[^>]*checked', page)
    assert not re.search(r'value="wijziging"[^>]*checked', page)
    assert "Het kader loopt nu 2021-2025." in page


def test_proposing_a_verlenging_in_the_browser_shows_it_on_page_list_and_pdf(world, login):
    client = login(world.working_group)
    url = reverse("agreements:addendum-propose", args=[world.framework.slug])
    response = client.post(
        url,
        {
            "kind": "verlenging",
            "new_period_end": "2027",
            "title": "Verlenging tot 2027",
            "reason": "Het nieuwe kader is nog niet klaar.",
        },
        follow=True,
    )
    assert "Verlenging tot en met 2027" in response.content.decode()
    listing = client.get(reverse("agreements:addendum-list", args=[world.framework.slug]))
    assert "Verlenging tot en met 2027" in listing.content.decode()
    signable = AddendumSignable(Addendum.objects.get())
    printed = render_html(signable.pdf_template(), signable.pdf_context())
    assert "Verlenging tot en met 2027" in printed


def test_a_verlenging_without_its_year_is_refused_on_the_page(world, login):
    client = login(world.working_group)
    url = reverse("agreements:addendum-propose", args=[world.framework.slug])
    response = client.post(url, {"kind": "verlenging", "title": "V", "reason": "Nodig."})
    assert response.status_code == 400
    assert "Geef het nieuwe laatste jaar van het kader." in response.content.decode()
    assert not Addendum.objects.exists()

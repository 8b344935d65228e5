"""The PDF of a framework drafted in the portal has the parts of the transcribed one: cover,
contents with page numbers, its policy basis, a signature page (empty lines per party while
concept, the portal's signatures once signed)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agreements.models import SigningRequest
from agreements.nextframework import services
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signature_add, signing_put_up
from tests.agreements.test_pdf import pdf_pages_text
from tests.factories import DEFAULT_PASSWORD, otp_code

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def concept(world):
    return services.framework_start(
        actor=world.working_group,
        municipality=world.municipality,
        title="Kader Voorbeeld 2026-2030",
        period_start=2026,
        period_end=2030,
        copy_of=world.previous,
    )


def pdf(client_for, user, framework) -> list[str]:
    response = client_for(user).get(reverse("agreements:framework-pdf", args=[framework.slug]))
    assert response.status_code == 200
    return pdf_pages_text(response.content)


def test_the_concept_pdf_has_cover_contents_with_page_numbers_and_signature_lines(
    world, concept, client_for
):
    pages = pdf(client_for, world.member, concept)
    assert "Kader Voorbeeld 2026-2030" in pages[0] and "Concept" in pages[0]
    contents = next(page for page in pages if "Inhoud" in page)
    for chapter in ("Beleidsbasis", "Wonen", "Jaarlijkse cyclus", "Ondertekening"):
        assert re.search(rf"{chapter}[ .]*\d+", contents), chapter
    basis = next(
        page
        for page in pages
        if page.startswith("Beleidsbasis") or " Beleidsbasis Dit kader" in page
    )
    assert "Woonvisie 2020" in basis and "Raadsbesluit 2020/12" in basis
    signing = next(page for page in pages if "Naam en functie" in page)
    for party in ("Gemeente Voorbeeld", "Woonstichting Voorbeeld", "Huurders Voorbeeld"):
        assert f"Namens {party}" in signing
    # The paper signatories of the previous framework are not copied.
    assert not any("A. Wethouder" in page for page in pages)


def test_the_signed_pdf_ends_with_the_portal_signatures(world, concept, client_for):
    services.framework_status_set(
        actor=world.working_group, framework=concept, status="definitief_concept"
    )
    request = signing_put_up(signable=FrameworkSignable(concept), user=world.working_group)
    for user in world.signatories.values():
        signature_add(
            signing_request=request, user=user, password=DEFAULT_PASSWORD, otp_code=otp_code(user)
        )
    request = SigningRequest.objects.get(pk=request.pk)

    pages = pdf(client_for, world.member, concept)

    assert "Kader Voorbeeld 2026-2030" in pages[0]
    assert any("Inhoud" in page and "Beleidsbasis" in page for page in pages)
    signed = next(page for page in pages if "ondertekend in het portaal" in page)
    for user in world.signatories.values():
        assert user.get_full_name() in signed
    assert not any("Naam en functie" in page for page in pages)

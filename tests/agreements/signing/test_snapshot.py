"""A signed document is its snapshot (agreements.signing.snapshot): taken at put-up, hashed,
and the only source of the signed page and the signed PDF.

After every party has signed, the tests change what the framework's page and PDF show that the
freeze does not protect (party names, the municipality's name, users' names) through the ORM,
and prove that the page's document part, the signed PDF (stored and as rendered from the
snapshot) and the hash are byte-for-byte unchanged, with a note on the page that a name has
changed since. They run on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.models import FrameworkSignatory, Party, ProcessStep, SigningRequest
from agreements.signing.framework import FrameworkSignable
from agreements.signing.freeze import SignedDocumentError
from agreements.signing.services import SigningError, render_signed_pdf
from agreements.signing.snapshot import (
    SIGNING_FACT_START,
    current_snapshot,
    renderings_match,
    signed_data,
    signed_document_html,
    signing_context,
)

from .test_services import put_up, sign, sign_all

DOCUMENT = re.compile(r'<div class="pa-document">.*?<div class="pa-document__body">', re.S)


@pytest.fixture
def calendar(world):
    ProcessStep.objects.create(
        framework=world.framework,
        order=1,
        period_label="Vóór 1 juli",
        description="Bod van de corporaties",
        deliverable="Bod",
        is_statutory=True,
    )
    FrameworkSignatory.objects.create(
        framework=world.framework,
        order=1,
        name="J. Jansen",
        job_title="wethouder wonen",
        party=world.parties[0],
    )


@pytest.fixture
def signed(world, calendar) -> SigningRequest:
    put_up(world)
    return sign_all(world)


def _signing(request: SigningRequest) -> dict:
    return signing_context(request, FrameworkSignable(request_document(request)))


def request_document(request: SigningRequest):
    from agreements.models import Framework

    return Framework.objects.get(pk=request.object_id)


def _change_everything_unfrozen(world) -> None:
    """Every kind of data the framework's page and PDF show that the freeze leaves free."""
    Party.objects.filter(pk=world.parties[1].pk).update(name="Woonstichting Hernoemd")
    Party.objects.filter(pk=world.parties[0].pk).update(name="Gemeente Nieuwstad")
    get_user_model().objects.update(first_name="Anders", last_name="Genoemd")


def test_put_up_captures_calendar_signatories_and_party_names(world, calendar):
    request = put_up(world)
    data = signed_data(request)
    assert data["process_steps"][0]["description"] == "Bod van de corporaties"
    assert data["process_steps"][0]["is_statutory"] is True
    assert data["signatories"] == [
        {
            "order": 1,
            "name": "J. Jansen",
            "job_title": "wethouder wonen",
            "party": "gemeente-teststad",
        }
    ]
    assert data["party_names"]["woonstichting-test"] == "Woonstichting Test"
    # The hash covers the data and what is shown: the SHA-256 of both stored renderings.
    assert request.content_hash == hashlib.sha256(request.content.encode()).hexdigest()
    assert renderings_match(request)
    assert "Bod van de corporaties" in request.document_html
    assert "J. Jansen" in request.page_html


def test_the_stored_document_marks_the_signing_fact_for_the_signed_pdf(world, calendar):
    request = put_up(world)
    assert SIGNING_FACT_START in request.document_html
    assert "ter ondertekening aangeboden op" in request.document_html


def test_signed_page_pdf_and_hash_are_unchanged_by_live_data(world, login, signed):
    client = login(world.member)
    url = reverse("agreements:framework-detail", args=[world.framework.slug])
    before_page = client.get(url).text
    before_html = signed_document_html(signed, signing=_signing(signed))
    before_download = client.get(
        reverse("agreements:framework-pdf", args=[world.framework.slug])
    ).content
    assert "De naam van een partij is sindsdien gewijzigd" not in before_page

    _change_everything_unfrozen(world)

    after = SigningRequest.objects.get(pk=signed.pk)
    page = client.get(url).text
    # The page's document part is the stored one, byte for byte, with the names as signed.
    assert signed.page_html in before_page and after.page_html in page
    assert after.page_html == signed.page_html
    assert DOCUMENT.search(page).group() == DOCUMENT.search(before_page).group()
    assert "Woonstichting Test" in after.page_html and "Hernoemd" not in after.page_html
    # ... and the live rendering would have shown the new name: the test can fail.
    assert "Woonstichting Hernoemd" in FrameworkSignable(world.framework).render_page()
    assert "Ondertekende versie van" in page
    assert "De naam van een partij is sindsdien gewijzigd" in page
    assert "Woonstichting Test → Woonstichting Hernoemd" in page
    # The signed PDF: stored bytes, the download and its source HTML are unchanged.
    assert bytes(after.signed_pdf) == bytes(signed.signed_pdf)
    assert after.signed_pdf_sha256 == hashlib.sha256(bytes(signed.signed_pdf)).hexdigest()
    assert (
        client.get(reverse("agreements:framework-pdf", args=[world.framework.slug])).content
        == before_download
        == bytes(signed.signed_pdf)
    )
    assert signed_document_html(after, signing=_signing(after)) == before_html
    assert "Nieuwstad" not in before_html and "Gemeente Teststad" in before_html
    # The hash and the content it covers.
    assert (after.content, after.content_hash) == (signed.content, signed.content_hash)
    assert renderings_match(after)


def test_the_signed_pdf_is_the_stored_document_plus_the_signing_section(world, signed):
    html = signed_document_html(signed, signing=_signing(signed))
    assert SIGNING_FACT_START not in html
    assert "ondertekend door alle partijen op" in html
    assert "Verantwoording van de ondertekening" in html
    assert html.index("Verantwoording van de ondertekening") < html.index("</body>")
    # Rendered again later, after a party was renamed: the same document part.
    Party.objects.filter(pk=world.parties[1].pk).update(name="Woonstichting Hernoemd")
    pdf = render_signed_pdf(signing_request=signed, signable=FrameworkSignable(world.framework))
    assert pdf.startswith(b"%PDF")
    assert "Hernoemd" not in signed_document_html(signed, signing=_signing(signed))


def test_the_snapshot_of_a_round_cannot_be_rewritten(world, calendar):
    request = put_up(world)
    request.document_html = request.document_html.replace("Sloop", "Bouw")
    with pytest.raises(SignedDocumentError):
        request.save()


def test_signing_is_refused_when_shown_data_changed_after_put_up(world, calendar):
    put_up(world)
    Party.objects.filter(pk=world.parties[1].pk).update(name="Woonstichting Hernoemd")
    with pytest.raises(SigningError, match="gewijzigd sinds"):
        sign(world, world.parties[0].slug)


def test_an_open_round_shows_the_version_being_signed(world, login, calendar):
    request = put_up(world)
    page = login(world.member).get(
        reverse("agreements:framework-detail", args=[world.framework.slug])
    )
    assert "die ter ondertekening ligt" in page.text
    assert request.page_html in page.text


def test_a_framework_amended_by_addendum_is_shown_live_with_a_note(world, signed):
    from agreements.models import Framework
    from tests.agreements.addenda.test_addenda import accept_all, propose

    accept_all(world, propose(world))  # every party signs the addendum: the framework moves on
    assert Framework.objects.get(pk=world.framework.pk).version == 2
    snapshot = current_snapshot(FrameworkSignable(Framework.objects.get(pk=world.framework.pk)))
    assert snapshot is not None and not snapshot.shown
    assert any("gewijzigd bij addendum" in change.message for change in snapshot.changes)


def test_no_snapshot_before_put_up(world):
    assert current_snapshot(FrameworkSignable(world.framework)) is None


def test_content_is_canonical_json(world, calendar):
    request = put_up(world)
    data = json.loads(request.content)
    assert request.content == json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def test_an_accepted_addendum_page_is_its_snapshot(world, login):
    from agreements.models import Addendum
    from tests.agreements.addenda.test_addenda import accept_all, propose

    addendum = propose(world)
    request = accept_all(world, addendum)
    assert Addendum.objects.get(pk=addendum.pk).status == Addendum.Status.ACCEPTED
    Party.objects.filter(pk=world.parties[1].pk).update(name="Woonstichting Hernoemd")
    page = login(world.member).get(
        reverse("agreements:addendum-detail", args=[world.framework.slug, addendum.number])
    )
    request.refresh_from_db()
    assert "<del>478</del><ins>450</ins>" in request.page_html
    assert request.page_html in page.text
    assert "Ondertekende versie van" in page.text
    assert "Woonstichting Test → Woonstichting Hernoemd" in page.text


def test_the_framework_page_after_an_addendum_names_it(world, login, signed):
    from tests.agreements.addenda.test_addenda import accept_all, propose

    accept_all(world, propose(world))
    page = login(world.member).get(
        reverse("agreements:framework-detail", args=[world.framework.slug])
    )
    assert "gewijzigd bij addendum" in page.text
    assert "Partijen slopen 450 woningen" in page.text  # the amended framework, live
    assert signed.page_html not in page.text

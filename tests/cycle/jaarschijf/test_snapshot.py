"""A signed jaarschijf is its snapshot (agreements.signing.snapshot): its own tables are frozen,
so its page stays live (comments, filters), but it names the signed version, notes a party
renamed since, and its PDF is the signed one, unchanged by live data."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.models import Party, SigningRequest
from agreements.signing.snapshot import renderings_match, signed_data

from .test_signing import _fast_pdf, put_up, sign_all  # noqa: F401 - fixtures


def test_put_up_captures_party_names_agreements_and_cited_bids(world, jaarschijf):
    data = signed_data(put_up(world, jaarschijf))
    assert data["party_names"]["heemwonen"] == "HEEMwonen"
    assert data["agreements"]["1.2"]
    assert all("bid_version" in c for c in data["contributions"])


def test_signed_jaarschijf_pdf_and_hash_unchanged_by_renamed_party(world, client_for, jaarschijf):
    signed = sign_all(world, put_up(world, jaarschijf))
    client = client_for(world.users["werkgroep"])
    pdf_url = reverse("cycle:jaarschijf-pdf", args=[jaarschijf.pk])
    assert client.get(pdf_url).content == bytes(signed.signed_pdf)

    Party.objects.filter(slug="heemwonen").update(name="HEEMwonen Hernoemd")
    get_user_model().objects.update(first_name="Anders")

    after = SigningRequest.objects.get(pk=signed.pk)
    assert client.get(pdf_url).content == bytes(signed.signed_pdf)
    assert (after.content, after.content_hash) == (signed.content, signed.content_hash)
    assert renderings_match(after) and "HEEMwonen Hernoemd" not in after.document_html
    page = client.get(reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])).text
    assert "Ondertekende versie van" in page
    assert "HEEMwonen → HEEMwonen Hernoemd" in page

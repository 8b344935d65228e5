"""The jaarschijf as a signable document: put up, every party signs, signed and frozen;
reopening voids the round, a decline returns it to concept."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements.canonical import sha256
from agreements.models import Signature, SigningRequest
from agreements.signing.freeze import SignedDocumentError
from agreements.signing.registry import adapter_for, signable_types
from agreements.signing.services import (
    SigningError,
    signature_add,
    signing_decline,
    signing_put_up,
)
from agreements.signing.snapshot import live_data_matches
from cycle.jaarschijf import services as js
from cycle.jaarschijf.signing import (
    JaarschijfSignable,
    jaarschijf_signing_reopen,
    signed_milestone,
    signing_status,
    unsigned_parties,
)
from cycle.models import Contribution, Jaarschijf, JaarschijfText
from tests.factories import otp_code

from .conftest import contribution_of, text_of

PASSWORD = "kerkrade-demo"
SIGNATORIES = {
    "gemeente-kerkrade": "wethouder",
    "heemwonen": "heemwonen-bestuur",
    "wonen-zuid": "wonenzuid-bestuur",
    "wonen-limburg": "wonenlimburg-bestuur",
    "huurdersorganisatie-heemwonen": "huurders-voorzitter",
}

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="raw SQL is refused by the PostgreSQL triggers of cycle 0003; SQLite has none",
)


@pytest.fixture(autouse=True)
def _fast_pdf(settings):
    settings.PDF_TAGGED = False  # faster renders; tagging is tested with the PDF helper


def _final(world, jaarschijf) -> Jaarschijf:
    return js.jaarschijf_set_state(
        actor=world.users["werkgroep"], jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )


def put_up(world, jaarschijf) -> SigningRequest:
    if jaarschijf.state == Jaarschijf.State.CONCEPT:
        jaarschijf = _final(world, jaarschijf)
    # The world has no framework in force for the jaarschijf's year 2026: that is a warning
    # (tests/cycle/test_framework_in_force.py), confirmed here like the others.
    return signing_put_up(
        signable=JaarschijfSignable(jaarschijf), user=world.users["werkgroep"], confirmed=True
    )


def sign(world, request: SigningRequest, party_slug: str, password: str = PASSWORD) -> Signature:
    return signature_add(
        signing_request=request,
        user=world.users[SIGNATORIES[party_slug]],
        password=password,
        otp_code=otp_code(world.users[SIGNATORIES[party_slug]]),
        ip_address="192.0.2.9",
        user_agent="pytest",
    )


def sign_all(world, request: SigningRequest) -> SigningRequest:
    for slug in SIGNATORIES:
        sign(world, request, slug)
    return SigningRequest.objects.get(pk=request.pk)


@pytest.fixture
def signed(world, jaarschijf) -> SigningRequest:
    return sign_all(world, put_up(world, jaarschijf))


def _state(jaarschijf) -> str:
    return Jaarschijf.objects.get(pk=jaarschijf.pk).state


# --- registry and content ---------------------------------------------------------------------


def test_the_jaarschijf_is_registered_as_signable(jaarschijf):
    assert "jaarschijf" in signable_types()
    assert isinstance(adapter_for(jaarschijf), JaarschijfSignable)


def test_canonical_content_is_deterministic_and_has_texts_and_every_contribution(jaarschijf):
    first = JaarschijfSignable(jaarschijf).canonical_content()
    again = JaarschijfSignable(Jaarschijf.objects.get(pk=jaarschijf.pk)).canonical_content()
    assert first == again
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert [t["key"] for t in data["texts"]] == sorted(JaarschijfText.Key.values)
    assert len(data["contributions"]) == jaarschijf.contributions.count()
    assert data["jaarschijf"]["signing_round"] == 1


def test_an_edit_changes_the_content_hash(world, jaarschijf):
    before = sha256(JaarschijfSignable(jaarschijf).canonical_content())
    piece = text_of(jaarschijf)
    js.jaarschijf_text_update(
        actor=world.users["werkgroep"], text_id=piece.pk, expected_version=1, text="Anders."
    )
    assert sha256(JaarschijfSignable(jaarschijf).canonical_content()) != before


def test_parties_are_the_frameworks_parties(world, jaarschijf):
    assert {p.slug for p in JaarschijfSignable(jaarschijf).parties()} == set(SIGNATORIES)


# --- putting up -------------------------------------------------------------------------------


def test_a_concept_cannot_be_put_up(world, jaarschijf):
    with pytest.raises(SigningError):
        signing_put_up(signable=JaarschijfSignable(jaarschijf), user=world.users["werkgroep"])
    assert not SigningRequest.objects.exists()


def test_only_the_working_group_puts_up(world, jaarschijf):
    from django.core.exceptions import PermissionDenied

    jaarschijf = _final(world, jaarschijf)
    for username in ["heemwonen", "wethouder", "meander"]:
        with pytest.raises(PermissionDenied):
            signing_put_up(signable=JaarschijfSignable(jaarschijf), user=world.users[username])


def test_putting_up_freezes_the_jaarschijf(world, jaarschijf):
    request = put_up(world, jaarschijf)
    assert _state(jaarschijf) == Jaarschijf.State.FOR_SIGNING
    assert request.round == 1
    assert request.content_hash == sha256(request.content.encode("utf-8"))
    assert live_data_matches(JaarschijfSignable(jaarschijf), request)
    assert {p.slug for p in request.parties.all()} == set(SIGNATORIES)


# --- signing ----------------------------------------------------------------------------------


def test_every_party_signs_and_the_jaarschijf_is_signed(world, jaarschijf, signed):
    assert signed.status == SigningRequest.Status.SIGNED
    assert _state(jaarschijf) == Jaarschijf.State.SIGNED
    assert signed.signatures.count() == len(SIGNATORIES)
    assert signed.signed_pdf_sha256 == sha256(bytes(signed.signed_pdf))
    assert bytes(signed.signed_pdf).startswith(b"%PDF")


def test_the_signed_milestone_is_done(world, jaarschijf, signed):
    assert signed_milestone(jaarschijf).done_at is not None


def test_the_jaarschijf_is_signed_only_after_the_last_party(world, jaarschijf):
    request = put_up(world, jaarschijf)
    for slug in list(SIGNATORIES)[:-1]:
        sign(world, request, slug)
    assert _state(jaarschijf) == Jaarschijf.State.FOR_SIGNING
    assert [p.slug for p in unsigned_parties(Jaarschijf.objects.get(pk=jaarschijf.pk))] == [
        "huurdersorganisatie-heemwonen"
    ]


def test_a_wrong_password_signs_nothing(world, jaarschijf):
    request = put_up(world, jaarschijf)
    with pytest.raises(SigningError):
        sign(world, request, "heemwonen", password="verkeerd")
    assert not Signature.objects.exists()


def test_the_signed_pdf_downloads_identical(world, jaarschijf, signed, client):
    client.force_login(world.users["huurders-voorzitter"])
    url = reverse("agreements:signing-signed-pdf", args=["jaarschijf", jaarschijf.pk, 1])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == 200
    assert first.content == bytes(signed.signed_pdf) == second.content


def test_the_signing_page_of_the_jaarschijf(world, jaarschijf, signed, client):
    client.force_login(world.users["werkgroep"])
    response = client.get(
        reverse("agreements:signing-document", args=["jaarschijf", jaarschijf.pk])
    )
    assert response.status_code == 200
    assert "Download de ondertekende PDF" in response.text


def test_signing_status_lists_who_signed(world, jaarschijf):
    request = put_up(world, jaarschijf)
    sign(world, request, "heemwonen")
    status = signing_status(Jaarschijf.objects.get(pk=jaarschijf.pk), world.users["wethouder"])
    assert status.signed_count == 1
    assert status.may_sign
    assert [row.party.slug for row in status.parties if row.signature] == ["heemwonen"]


# --- frozen after signing ---------------------------------------------------------------------


def test_services_refuse_edits_after_signing(world, jaarschijf, signed):
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    with pytest.raises(ValidationError):
        js.contribution_update(
            actor=world.users["werkgroep"],
            contribution_id=piece.pk,
            expected_version=piece.version,
            data=js.ContributionInput(text="te laat"),
        )
    with pytest.raises(ValidationError):
        js.jaarschijf_text_update(
            actor=world.users["werkgroep"],
            text_id=text_of(jaarschijf).pk,
            expected_version=1,
            text="te laat",
        )
    with pytest.raises(ValidationError):
        js.jaarschijf_reopen(actor=world.users["werkgroep"], jaarschijf=jaarschijf)


def test_the_edit_view_refuses_after_signing(world, jaarschijf, signed, client):
    piece = text_of(jaarschijf)
    client.force_login(world.users["werkgroep"])
    url = reverse("cycle:jaarschijf-piece-edit", args=[jaarschijf.pk, "tekst", piece.pk])
    prefix = f"tekst-{piece.pk}"
    response = client.post(url, {f"{prefix}-text": "te laat", f"{prefix}-version": piece.version})
    assert response.status_code == 404
    assert JaarschijfText.objects.get(pk=piece.pk).text == piece.text


def test_the_state_view_cannot_reopen_a_signed_jaarschijf(world, jaarschijf, signed, client):
    client.force_login(world.users["werkgroep"])
    client.post(reverse("cycle:jaarschijf-state", args=[jaarschijf.pk]), {"state": "concept"})
    assert _state(jaarschijf) == Jaarschijf.State.SIGNED


def test_a_second_put_up_of_a_signed_jaarschijf_is_refused(world, jaarschijf, signed):
    with pytest.raises(SigningError):
        signing_put_up(
            signable=JaarschijfSignable(Jaarschijf.objects.get(pk=jaarschijf.pk)),
            user=world.users["werkgroep"],
        )


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cycle_contribution SET text = 'rauw' WHERE jaarschijf_id = %s",
        "UPDATE cycle_jaarschijftext SET text = 'rauw' WHERE jaarschijf_id = %s",
        "DELETE FROM cycle_contribution WHERE jaarschijf_id = %s",
        "UPDATE cycle_jaarschijf SET plan_year = 1999 WHERE id = %s",
        "UPDATE cycle_jaarschijf SET state = 'concept', signing_round = 9 WHERE id = %s",
        "DELETE FROM cycle_jaarschijf WHERE id = %s",
    ],
)
def test_raw_sql_is_refused_after_signing(world, jaarschijf, signed, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [jaarschijf.pk])


@postgres_only
def test_raw_sql_insert_into_a_signed_jaarschijf_is_refused(world, jaarschijf, signed):
    sql = (
        "INSERT INTO cycle_jaarschijftext (jaarschijf_id, key, text, version, updated_at) "
        "VALUES (%s, 'extra', 'rauw', 1, now())"
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [jaarschijf.pk])


@postgres_only
def test_raw_sql_edit_while_up_for_signing_is_refused(world, jaarschijf):
    put_up(world, jaarschijf)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cycle_contribution SET quantity = 1 WHERE jaarschijf_id = %s", [jaarschijf.pk]
        )


def test_bulk_update_while_up_for_signing_is_refused(world, jaarschijf):
    # Refused by the queryset on every database (before it reaches PostgreSQL's triggers).
    put_up(world, jaarschijf)
    with pytest.raises(SignedDocumentError), transaction.atomic():
        Contribution.objects.filter(jaarschijf=jaarschijf).update(text="bulk")
    assert not Contribution.objects.filter(text="bulk").exists()


# --- reopen and decline -----------------------------------------------------------------------


def test_reopen_voids_the_signatures_already_given(world, jaarschijf):
    request = put_up(world, jaarschijf)
    sign(world, request, "heemwonen")
    sign(world, request, "gemeente-kerkrade")
    jaarschijf = jaarschijf_signing_reopen(
        actor=world.users["werkgroep"], jaarschijf=jaarschijf, reason="Tekstcorrectie"
    )
    assert jaarschijf.state == Jaarschijf.State.CONCEPT
    assert jaarschijf.signing_round == 2
    request.refresh_from_db()
    assert request.status != SigningRequest.Status.OPEN
    assert request.signatures.count() == 2  # kept on record, never counted
    with pytest.raises(SigningError):
        sign(world, request, "wonen-zuid")
    status = signing_status(jaarschijf, world.users["wethouder"])
    assert not status.may_sign


def test_the_next_round_needs_every_signature_again(world, jaarschijf):
    first = put_up(world, jaarschijf)
    sign(world, first, "heemwonen")
    jaarschijf = jaarschijf_signing_reopen(actor=world.users["werkgroep"], jaarschijf=jaarschijf)
    second = put_up(world, jaarschijf)
    assert second.round == 2
    assert json.loads(second.content)["jaarschijf"]["signing_round"] == 2
    unsigned = unsigned_parties(Jaarschijf.objects.get(pk=jaarschijf.pk))
    assert {p.slug for p in unsigned} == set(SIGNATORIES)
    signed = sign_all(world, second)
    assert signed.status == SigningRequest.Status.SIGNED
    assert _state(jaarschijf) == Jaarschijf.State.SIGNED


def test_a_plain_reopen_also_stops_late_signatures(world, jaarschijf):
    """Reopened through jaarschijf_reopen itself: the content names the round, so a signature
    on the earlier round no longer matches and is refused; and no new round can start on top
    of the open one."""
    request = put_up(world, jaarschijf)
    sign(world, request, "heemwonen")
    jaarschijf = js.jaarschijf_reopen(actor=world.users["werkgroep"], jaarschijf=jaarschijf)
    with pytest.raises(SigningError):
        sign(world, request, "wonen-zuid")
    jaarschijf = _final(world, jaarschijf)
    assert not JaarschijfSignable(jaarschijf).can_put_up()
    with pytest.raises(SigningError):
        put_up(world, jaarschijf)


def test_a_decline_returns_the_jaarschijf_to_concept(world, jaarschijf):
    request = put_up(world, jaarschijf)
    sign(world, request, "heemwonen")
    signing_decline(
        signing_request=request,
        user=world.users["huurders-voorzitter"],
        reason="De inleiding noemt de huurders niet.",
    )
    jaarschijf.refresh_from_db()
    assert jaarschijf.state == Jaarschijf.State.CONCEPT
    assert jaarschijf.signing_round == 2
    assert SigningRequest.objects.get(pk=request.pk).status == SigningRequest.Status.DECLINED
    # editable again, and the next round starts clean
    js.jaarschijf_text_update(
        actor=world.users["werkgroep"],
        text_id=text_of(jaarschijf).pk,
        expected_version=1,
        text="Met de huurders.",
    )
    assert put_up(world, jaarschijf).round == 2


# --- the jaarschijf page ----------------------------------------------------------------------


def test_the_page_offers_put_up_to_the_working_group_for_a_final_draft(world, jaarschijf, client):
    _final(world, jaarschijf)
    client.force_login(world.users["werkgroep"])
    page = client.get(reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]))
    put_up_url = reverse("agreements:signing-put-up", args=["jaarschijf", jaarschijf.pk])
    assert put_up_url in page.text
    # The world has no framework in force for 2026: the working group confirms that warning.
    asked = client.post(put_up_url)
    assert "Er is geen vastgesteld kader voor 2026" in asked.text
    assert _state(jaarschijf) == Jaarschijf.State.FINAL_DRAFT
    response = client.post(put_up_url, {"confirm": "1"})
    assert response.status_code == 302
    assert _state(jaarschijf) == Jaarschijf.State.FOR_SIGNING


def test_the_page_offers_no_put_up_to_a_signatory(world, jaarschijf, client):
    _final(world, jaarschijf)
    client.force_login(world.users["wethouder"])
    page = client.get(reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]))
    assert reverse("agreements:signing-put-up", args=["jaarschijf", jaarschijf.pk]) not in page.text
    assert reverse("agreements:signing-document", args=["jaarschijf", jaarschijf.pk]) in page.text

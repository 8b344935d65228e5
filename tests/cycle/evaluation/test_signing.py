"""The evaluation is adopted by signing it: put up by the working
group, frozen while the parties sign, vastgesteld when the last party has signed (with a stored
signed PDF), never changed again; a decline returns it to an editable concept."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
from agreements.signing.snapshot import live_data_matches, signed_data
from core.actors import DEMO_LOADER
from core.already import AlreadyDone
from cycle.evaluation import services as es
from cycle.evaluation.signing import EvaluationSignable, signing_status
from cycle.models import ContributionRealisation, Evaluation, YearFigures
from tests.factories import otp_code

from .conftest import figures, sloop_contribution

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
    reason="raw SQL is refused by the PostgreSQL triggers of cycle 0005; SQLite has none",
)


@pytest.fixture(autouse=True)
def _fast_pdf(settings):
    settings.PDF_TAGGED = False  # faster renders; tagging is tested with the PDF helper


@pytest.fixture
def filled(world, evaluation) -> Evaluation:
    """An evaluation with a realisation, year figures and conclusions."""
    es.realisation_save(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        contribution_id=sloop_contribution(evaluation, "heemwonen").pk,
        data=es.RealisationInput(status="gerealiseerd", realised_quantity=Decimal(40)),
    )
    es.year_figures_save(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        corporation=world.parties["heemwonen"],
        data=figures(),
    )
    return es.evaluation_update(
        actor=DEMO_LOADER, evaluation=evaluation, conclusion="Goed jaar.", permit_holder_task=30
    )


def put_up(world, evaluation) -> SigningRequest:
    return signing_put_up(signable=EvaluationSignable(evaluation), user=world.users["werkgroep"])


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
def signed(world, filled, django_capture_on_commit_callbacks) -> SigningRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return sign_all(world, put_up(world, filled))


def _fresh(evaluation) -> Evaluation:
    return Evaluation.objects.get(pk=evaluation.pk)


def _edits(world, evaluation) -> list:
    """Every service write of the evaluation's content, as callables."""
    heemwonen = world.parties["heemwonen"]
    contribution = sloop_contribution(evaluation, "wonen-zuid")
    return [
        lambda: es.evaluation_update(
            actor=world.users["werkgroep"],
            evaluation=evaluation,
            conclusion="Anders.",
            permit_holder_task=1,
        ),
        lambda: es.realisation_save(
            actor=world.users["werkgroep"],
            evaluation=evaluation,
            contribution_id=contribution.pk,
            data=es.RealisationInput(status="gerealiseerd", realised_quantity=Decimal(30)),
        ),
        lambda: es.year_figures_save(
            actor=world.users["werkgroep"],
            evaluation=evaluation,
            corporation=heemwonen,
            data=figures(evictions=9),
        ),
    ]


# --- registry and content ---------------------------------------------------------------------


def test_the_evaluation_is_registered_as_signable(evaluation):
    assert "evaluatie" in signable_types()
    assert isinstance(adapter_for(evaluation), EvaluationSignable)


def test_canonical_content_is_deterministic_and_complete(filled):
    first = EvaluationSignable(filled).canonical_content()
    assert first == EvaluationSignable(_fresh(filled)).canonical_content()
    data = json.loads(first)
    assert data["evaluation"]["conclusion"] == "Goed jaar."
    assert data["evaluation"]["permit_holder_task"] == 30
    assert [r["status"] for r in data["realisations"]] == ["gerealiseerd"]
    assert [(f["corporation"], f["evictions"]) for f in data["year_figures"]] == [("heemwonen", 2)]
    assert "version" not in data["evaluation"] and "state" not in data["evaluation"]


def test_an_edit_changes_the_content_hash(world, filled):
    before = sha256(EvaluationSignable(filled).canonical_content())
    es.year_figures_save(
        actor=DEMO_LOADER,
        evaluation=filled,
        corporation=world.parties["heemwonen"],
        data=figures(evictions=5),
    )
    assert sha256(EvaluationSignable(_fresh(filled)).canonical_content()) != before


def test_parties_are_the_frameworks_parties(evaluation):
    assert {p.slug for p in EvaluationSignable(evaluation).parties()} == set(SIGNATORIES)


# --- putting up -------------------------------------------------------------------------------


def test_only_the_working_group_puts_up(world, evaluation):
    for username in ["heemwonen", "wethouder", "huurders"]:
        with pytest.raises(PermissionDenied):
            signing_put_up(signable=EvaluationSignable(evaluation), user=world.users[username])
    assert not SigningRequest.objects.exists()


def test_an_adopted_evaluation_cannot_be_put_up(world, evaluation):
    es.evaluation_adopt(actor=DEMO_LOADER, evaluation=evaluation, render_ahead=False)
    with pytest.raises(SigningError):
        put_up(world, _fresh(evaluation))


def test_putting_up_freezes_the_evaluation(world, filled):
    request = put_up(world, filled)
    assert request.round == 1
    assert request.content_hash == sha256(request.content.encode("utf-8"))
    assert signed_data(request) == json.loads(EvaluationSignable(filled).canonical_content())
    assert {p.slug for p in request.parties.all()} == set(SIGNATORIES)
    assert EvaluationSignable(_fresh(filled)).is_frozen()
    for edit in _edits(world, filled):
        with pytest.raises(ValidationError):
            edit()
    assert live_data_matches(EvaluationSignable(_fresh(filled)), request)
    with pytest.raises(SigningError):
        put_up(world, _fresh(filled))  # one open round at a time


def test_the_working_group_cannot_adopt_past_the_signatures(world, filled):
    put_up(world, filled)
    with pytest.raises(ValidationError):
        es.evaluation_adopt(actor=world.users["werkgroep"], evaluation=filled)
    assert _fresh(filled).state == Evaluation.State.CONCEPT


# --- signing ----------------------------------------------------------------------------------


def test_every_party_signs_and_the_evaluation_is_adopted(world, filled, signed):
    evaluation = _fresh(filled)
    assert signed.status == SigningRequest.Status.SIGNED
    assert evaluation.state == Evaluation.State.ADOPTED
    assert evaluation.adopted_at is not None and evaluation.adopted_by is None
    assert signed.signatures.count() == len(SIGNATORIES)
    assert bytes(signed.signed_pdf).startswith(b"%PDF")
    assert signed.signed_pdf_sha256 == sha256(bytes(signed.signed_pdf))


def test_adopted_only_after_the_last_party(world, filled):
    request = put_up(world, filled)
    for slug in list(SIGNATORIES)[:-1]:
        sign(world, request, slug)
    assert _fresh(filled).state == Evaluation.State.CONCEPT
    status = signing_status(_fresh(filled), world.users["huurders-voorzitter"])
    assert status.signed_count == len(SIGNATORIES) - 1 and status.may_sign


def test_a_wrong_password_signs_nothing(world, filled):
    request = put_up(world, filled)
    with pytest.raises(SigningError):
        sign(world, request, "heemwonen", password="verkeerd")
    assert not Signature.objects.exists()


def test_nobody_signs_twice_and_only_signatories_sign(world, filled):
    request = put_up(world, filled)
    sign(world, request, "heemwonen")
    with pytest.raises(AlreadyDone, match="HEEMwonen heeft deze versie al ondertekend"):
        sign(world, request, "heemwonen")
    with pytest.raises(PermissionDenied):
        signature_add(
            signing_request=request,
            user=world.users["werkgroep"],
            password=PASSWORD,
            otp_code="000000",
        )


def test_the_signed_pdf_downloads_identical(world, filled, signed, client):
    client.force_login(world.users["huurders"])
    url = reverse("agreements:signing-signed-pdf", args=["evaluatie", filled.pk, 1])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first.content == bytes(signed.signed_pdf) == second.content


# --- frozen after adoption --------------------------------------------------------------------


def test_services_refuse_edits_after_signing(world, filled, signed):
    evaluation = _fresh(filled)
    for edit in _edits(world, evaluation):
        with pytest.raises(ValidationError):
            edit()
    with pytest.raises(ValidationError):
        es.evaluation_reopen(actor=world.users["werkgroep"], evaluation=evaluation)
    with pytest.raises(ValidationError):
        es.evaluation_reopen(actor=DEMO_LOADER, evaluation=evaluation, reason="toch niet")
    assert _fresh(filled).state == Evaluation.State.ADOPTED


def test_model_saves_and_deletes_are_refused_after_signing(world, filled, signed):
    evaluation = _fresh(filled)
    evaluation.conclusion = "rauw"
    with pytest.raises(ValidationError), transaction.atomic():
        evaluation.save()
    realisation = ContributionRealisation.objects.get(evaluation=filled)
    with pytest.raises(ValidationError), transaction.atomic():
        realisation.delete()
    with pytest.raises(ValidationError), transaction.atomic():
        _fresh(filled).delete()
    year_figures = YearFigures.objects.get(corporation=world.parties["heemwonen"])
    year_figures.evictions = 99
    with pytest.raises(ValidationError), transaction.atomic():
        year_figures.save()
    _fresh(filled).save()  # a save that changes nothing is harmless


def test_the_state_view_cannot_reopen_a_signed_evaluation(world, filled, signed, client):
    client.force_login(world.users["werkgroep"])
    client.post(reverse("cycle:evaluation-state", args=[filled.pk]), {"state": "concept"})
    assert _fresh(filled).state == Evaluation.State.ADOPTED


def test_the_conclusion_view_refuses_while_up_for_signing(world, filled, client):
    put_up(world, filled)
    client.force_login(world.users["werkgroep"])
    client.post(
        reverse("cycle:evaluation-conclusion", args=[filled.pk]),
        {"conclusion": "Te laat", "permit_holder_task": "3"},
    )
    assert _fresh(filled).conclusion == "Goed jaar."


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cycle_evaluation SET conclusion = 'rauw' WHERE id = %(e)s",
        "UPDATE cycle_evaluation SET state = 'concept', adopted_at = NULL WHERE id = %(e)s",
        "DELETE FROM cycle_evaluation WHERE id = %(e)s",
        "UPDATE cycle_contributionrealisation SET explanation = 'rauw' WHERE evaluation_id = %(e)s",
        "DELETE FROM cycle_contributionrealisation WHERE evaluation_id = %(e)s",
        "UPDATE cycle_yearfigures SET evictions = 99 WHERE year = %(y)s",
        "DELETE FROM cycle_yearfigures WHERE year = %(y)s",
    ],
)
def test_raw_sql_is_refused_after_signing(world, filled, signed, sql):
    params = {"e": filled.pk, "y": filled.jaarschijf.plan_year}
    with (
        pytest.raises(DatabaseError, match="signed document"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cycle_evaluation SET state = 'vastgesteld', adopted_at = now() WHERE id = %(e)s",
        "UPDATE cycle_evaluation SET conclusion = 'rauw' WHERE id = %(e)s",
        "UPDATE cycle_contributionrealisation SET explanation = 'rauw' WHERE evaluation_id = %(e)s",
        "INSERT INTO cycle_yearfigures (municipality_id, corporation_id, year, source, is_demo,"
        " version, updated_at) VALUES (%(m)s, %(c)s, %(y)s, 'rauw', false, 1, now())",
    ],
)
def test_raw_sql_is_refused_while_up_for_signing(world, filled, sql):
    put_up(world, filled)
    params = {
        "e": filled.pk,
        "y": filled.jaarschijf.plan_year,
        "m": world.parties["gemeente-kerkrade"].pk,
        "c": world.parties["wonen-zuid"].pk,
    }
    with (
        pytest.raises(DatabaseError, match="signed document"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_bulk_update_while_up_for_signing_is_refused(world, filled):
    # Refused by the queryset on every database (before it reaches PostgreSQL's triggers).
    put_up(world, filled)
    with pytest.raises(SignedDocumentError), transaction.atomic():
        ContributionRealisation.objects.filter(evaluation=filled).update(explanation="bulk")
    with pytest.raises(SignedDocumentError), transaction.atomic():
        Evaluation.objects.filter(pk=filled.pk).update(state="vastgesteld")
    assert Evaluation.objects.get(pk=filled.pk).state == Evaluation.State.CONCEPT


# --- decline ----------------------------------------------------------------------------------


def test_a_decline_returns_the_evaluation_to_concept(world, filled):
    request = put_up(world, filled)
    sign(world, request, "heemwonen")
    signing_decline(
        signing_request=request,
        user=world.users["huurders-voorzitter"],
        reason="De conclusies noemen de huurders niet.",
    )
    assert SigningRequest.objects.get(pk=request.pk).status == SigningRequest.Status.DECLINED
    evaluation = _fresh(filled)
    assert evaluation.state == Evaluation.State.CONCEPT
    assert not EvaluationSignable(evaluation).is_frozen()
    es.evaluation_update(
        actor=world.users["werkgroep"],
        evaluation=evaluation,
        conclusion="Met de huurders.",
        permit_holder_task=30,
    )
    second = put_up(world, _fresh(filled))
    assert second.round == 2
    with pytest.raises(SigningError):
        sign(world, request, "wonen-zuid")  # the declined round is closed
    assert sign_all(world, second).status == SigningRequest.Status.SIGNED
    assert _fresh(filled).state == Evaluation.State.ADOPTED


# --- the evaluation page ----------------------------------------------------------------------


def test_the_page_offers_put_up_to_the_working_group(world, filled, client):
    client.force_login(world.users["werkgroep"])
    page = client.get(reverse("cycle:evaluation-detail", args=[filled.pk]))
    put_up_url = reverse("agreements:signing-put-up", args=["evaluatie", filled.pk])
    assert put_up_url in page.text
    assert client.post(put_up_url).status_code == 302
    assert SigningRequest.objects.get(document_type="evaluatie").status == "open"
    page = client.get(reverse("cycle:evaluation-detail", args=[filled.pk]))
    assert put_up_url not in page.text
    assert "0 van 5 partijen hebben getekend" in page.text


def test_the_page_offers_no_put_up_to_a_signatory(world, filled, client):
    client.force_login(world.users["wethouder"])
    page = client.get(reverse("cycle:evaluation-detail", args=[filled.pk]))
    assert reverse("agreements:signing-put-up", args=["evaluatie", filled.pk]) not in page.text
    assert reverse("agreements:signing-document", args=["evaluatie", filled.pk]) in page.text


def test_the_page_links_the_signed_pdf(world, filled, signed, client):
    client.force_login(world.users["wethouder"])
    page = client.get(reverse("cycle:evaluation-detail", args=[filled.pk]))
    assert reverse("agreements:signing-signed-pdf", args=["evaluatie", filled.pk, 1]) in page.text


def test_the_adopt_button_no_longer_adopts(world, filled, client):
    client.force_login(world.users["werkgroep"])
    client.post(reverse("cycle:evaluation-state", args=[filled.pk]), {"state": "vastgesteld"})
    assert _fresh(filled).state == Evaluation.State.CONCEPT


def test_the_signing_page_of_the_evaluation(world, filled, client):
    put_up(world, filled)
    client.force_login(world.users["wethouder"])
    response = client.get(reverse("agreements:signing-document", args=["evaluatie", filled.pk]))
    assert response.status_code == 200


def test_while_up_for_signing_the_page_offers_nothing_to_enter(world, filled, client):
    client.force_login(world.users["werkgroep"])
    url = reverse("cycle:evaluation-detail", args=[filled.pk])
    before = client.get(url).text
    assert reverse("cycle:evaluation-conclusion", args=[filled.pk]) in before
    assert reverse("cycle:evaluation-realisations", args=[filled.pk]) in before

    put_up(world, filled)
    page = client.get(url).text

    assert reverse("cycle:evaluation-conclusion", args=[filled.pk]) not in page
    assert reverse("cycle:evaluation-realisations", args=[filled.pk]) not in page
    assert "Evaluatie vaststellen" not in page


def test_the_evaluation_is_signed_before_its_adopted_milestone(world, evaluation):
    import datetime as dt

    from cycle.evaluation.signing import EvaluationSignable

    # "Evaluatie vastgesteld", vóór 1 april of the cycle year (the start page and the signing
    # page show it).
    assert EvaluationSignable.deadlines([evaluation.pk]) == {evaluation.pk: dt.date(2026, 4, 1)}


# --- the evaluation's PDF once signed -------------------------------------------------------


def test_a_signed_evaluation_downloads_as_its_signed_pdf(world, filled, signed, client):
    client.force_login(world.users["huurders"])
    response = client.get(reverse("cycle:evaluation-pdf", args=[filled.pk]))
    assert response.status_code == 200
    assert response.content == bytes(signed.signed_pdf)


def test_the_stored_pdf_of_a_signed_evaluation_never_changes(world, filled, signed):
    evaluation = _fresh(filled)
    evaluation.pdf = "pdf/evaluatie/anders-0123.pdf"
    with pytest.raises(SignedDocumentError):
        evaluation.save(update_fields=["pdf"])


def test_the_pdf_may_be_stored_while_up_for_signing(world, filled):
    put_up(world, filled)
    evaluation = _fresh(filled)
    evaluation.pdf = "pdf/evaluatie/evaluatie-0123.pdf"
    evaluation.save(update_fields=["pdf"])
    assert _fresh(filled).pdf.name == "pdf/evaluatie/evaluatie-0123.pdf"

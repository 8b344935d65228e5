"""Signing the end-evaluation through the existing signing rounds: every party signs, then it
is signed and frozen; its page and PDF come from what was signed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements.models import SigningRequest
from agreements.signing.services import signature_add, signing_decline, signing_put_up
from cycle.endevaluation import services as end_services
from cycle.endevaluation.signing import EndEvaluationSignable
from cycle.models import EndEvaluation, EndEvaluationConclusion
from tests.factories import otp_code

pytestmark = pytest.mark.django_db

SIGNATORIES = {
    "gemeente-kerkrade": "wethouder",
    "heemwonen": "heemwonen-bestuur",
    "wonen-zuid": "wonenzuid-bestuur",
    "wonen-limburg": "wonenlimburg-bestuur",
    "huurdersorganisatie-heemwonen": "huurders-voorzitter",
}


@pytest.fixture(autouse=True)
def _fast_pdf(settings):
    settings.PDF_TAGGED = False


def put_up(world, end_evaluation) -> SigningRequest:
    return signing_put_up(
        signable=EndEvaluationSignable(end_evaluation), user=world.users["werkgroep"]
    )


def sign_all(world, request: SigningRequest) -> SigningRequest:
    for username in SIGNATORIES.values():
        signature_add(
            signing_request=request,
            user=world.users[username],
            password="kerkrade-demo",
            otp_code=otp_code(world.users[username]),
            ip_address="192.0.2.9",
            user_agent="pytest",
        )
    return SigningRequest.objects.get(pk=request.pk)


def page(client, world) -> str:
    return client.get(reverse("cycle:end-evaluation", args=[world.framework.slug])).content.decode()


def write(world, end_evaluation, text: str, version: int = 0):
    theme = world.framework.themes.order_by("number").first()
    return end_services.end_evaluation_conclusion_save(
        actor=world.users["werkgroep"],
        end_evaluation=end_evaluation,
        theme_id=theme.pk,
        text=text,
        expected_version=version,
    )


def test_every_party_signs_then_it_is_signed_and_cannot_change(
    client, world, end_evaluation, django_capture_on_commit_callbacks
):
    write(world, end_evaluation, "Zoals getekend")
    with django_capture_on_commit_callbacks(execute=True):
        request = sign_all(world, put_up(world, end_evaluation))
    assert request.status == SigningRequest.Status.SIGNED
    end_evaluation.refresh_from_db()
    assert end_evaluation.state == EndEvaluation.State.SIGNED
    client.force_login(world.users["werkgroep"])
    text = page(client, world)
    assert "Ondertekend" in text and "Zoals getekend" in text
    assert "Conclusie opslaan" not in text and "Ter ondertekening aanbieden" not in text
    theme = world.framework.themes.order_by("number").first()
    response = client.post(
        reverse("cycle:end-evaluation-conclusion", args=[world.framework.slug, theme.pk]),
        {f"t{theme.pk}-theme": theme.pk, f"t{theme.pk}-version": 1, f"t{theme.pk}-text": "Anders"},
        follow=True,
    )
    assert "kan niet worden gewijzigd" in response.content.decode()
    assert EndEvaluationConclusion.objects.get().text == "Zoals getekend"
    # The download is the PDF the parties signed.
    pdf = client.get(reverse("cycle:end-evaluation-pdf", args=[world.framework.slug]))
    assert pdf.status_code == 200 and pdf.content == bytes(request.signed_pdf)


def test_the_signed_page_shows_the_snapshot_not_later_realisations(
    client, world, end_evaluation, realised, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(world, put_up(world, end_evaluation))
    # Later, a realisation of the yearly evaluation changes (it is not part of this document).
    from cycle.evaluation import services as es
    from tests.cycle.evaluation.conftest import sloop_contribution

    es.realisation_save(
        actor=world.users["werkgroep"],
        evaluation=realised,
        contribution_id=sloop_contribution(realised, "heemwonen").pk,
        data=es.RealisationInput(status="gerealiseerd", realised_quantity=400),
    )
    client.force_login(world.users["huurders"])
    text = page(client, world)
    row = text[text.index('id="doel-sloop"') :]
    row = row[: row.index("</tr>")]
    assert ">70 " in row or ">70<" in row  # as signed: 40 + 30, not 430


def test_a_declined_round_makes_it_an_editable_concept_again(client, world, end_evaluation):
    request = put_up(world, end_evaluation)
    signing_decline(
        signing_request=request, user=world.users["wethouder"], reason="Cijfers kloppen niet"
    )
    write(world, end_evaluation, "Herzien")
    assert EndEvaluationConclusion.objects.get().text == "Herzien"
    client.force_login(world.users["werkgroep"])
    assert "Ter ondertekening aanbieden" in page(client, world)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="raw SQL is refused by the PostgreSQL triggers"
)
def test_raw_sql_cannot_change_a_conclusion_put_up_for_signing(world, end_evaluation):
    write(world, end_evaluation, "Zoals aangeboden")
    put_up(world, end_evaluation)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cycle_endevaluationconclusion SET text = 'Stiekem'")
    assert EndEvaluationConclusion.objects.get().text == "Zoals aangeboden"

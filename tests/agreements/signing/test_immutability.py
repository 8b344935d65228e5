"""A framework up for signing or signed cannot change: every path is refused."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from agreements import services
from agreements.models import Agreement, Framework, Signature, SigningRequest, Target, Theme
from agreements.signing.freeze import SignedDocumentError
from core.actors import DEMO_LOADER
from tests.factories import AgreementFactory, PartyFactory, UserFactory

from .test_services import put_up, sign_all

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="raw SQL is refused by PostgreSQL triggers; SQLite has none (model layer only)",
)


@pytest.fixture
def signed(world):
    put_up(world)
    sign_all(world)
    return world


def test_model_save_is_refused(signed):
    agreement = Agreement.objects.get(pk=signed.agreement.pk)
    agreement.text = "Iets anders."
    with pytest.raises(SignedDocumentError):
        agreement.save()


def test_a_save_that_changes_nothing_is_allowed(signed):
    Agreement.objects.get(pk=signed.agreement.pk).save()
    Framework.objects.get(pk=signed.framework.pk).save()


def test_framework_status_is_lifecycle_not_content(signed):
    Framework.objects.filter(pk=signed.framework.pk).update(status="verlopen")


@pytest.mark.parametrize("model", [Framework, Theme, Agreement, Target])
def test_model_delete_is_refused(signed, model):
    obj = model.objects.filter(**{model.freeze_path: signed.framework.pk}).first()
    with pytest.raises(SignedDocumentError):
        obj.delete()


def test_bulk_queryset_update_is_refused(signed):
    with pytest.raises(SignedDocumentError):
        Target.objects.filter(agreement=signed.agreement).update(value=1)
    assert Target.objects.get(pk=signed.target.pk).value == 100


def test_bulk_update_is_refused(signed):
    target = Target.objects.get(pk=signed.target.pk)
    target.value = 5
    with pytest.raises(SignedDocumentError):
        Target.objects.bulk_update([target], ["value"])


def test_queryset_delete_is_refused(signed):
    with pytest.raises(SignedDocumentError):
        Theme.objects.filter(framework=signed.framework).delete()


def test_framework_cannot_leave_signed(signed):
    with pytest.raises(SignedDocumentError):
        Framework.objects.filter(pk=signed.framework.pk).update(signing_state="")


def test_adding_an_agreement_is_refused(signed):
    with pytest.raises(SignedDocumentError):
        AgreementFactory(theme=Theme.objects.get(framework=signed.framework), number=9)


def test_many_to_many_change_is_refused(signed):
    party = PartyFactory()
    with pytest.raises(SignedDocumentError), transaction.atomic():
        Agreement.objects.get(pk=signed.agreement.pk).responsible_parties.add(party)
    with pytest.raises(SignedDocumentError), transaction.atomic():
        Framework.objects.get(pk=signed.framework.pk).parties.clear()
    assert Framework.objects.get(pk=signed.framework.pk).parties.count() == 3


def test_service_is_refused(signed):
    """framework_import (the write service of the framework) cannot rewrite a signed one."""
    data = {
        "framework": {
            "slug": signed.framework.slug,
            "municipality": signed.framework.municipality.slug,
            "title": "Nieuwe titel",
            "period_start": 2021,
            "period_end": 2025,
            "parties": [p.slug for p in signed.parties],
        }
    }
    with pytest.raises(SignedDocumentError):
        services.framework_import(actor=DEMO_LOADER, data=data)
    assert Framework.objects.get(pk=signed.framework.pk).title == "Kader Teststad"


def test_frozen_while_up_for_signing(world):
    put_up(world)
    with pytest.raises(SignedDocumentError):
        Target.objects.filter(pk=world.target.pk).update(label="x")


def test_admin_change_post_is_refused(signed, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/agreements/agreement/{signed.agreement.pk}/change/"
    response = client.post(url, {"title": "Gehackt", "text": "x", "number": 1, "theme": 1})
    assert response.status_code == 403
    assert Agreement.objects.get(pk=signed.agreement.pk).title == "Sloop en nieuwbouw"
    response = client.post(
        f"/admin/agreements/framework/{signed.framework.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Framework.objects.filter(pk=signed.framework.pk).exists()


def test_signature_cannot_change_or_go(signed):
    signature = Signature.objects.first()
    signature.signer_name = "Iemand anders"
    with pytest.raises(SignedDocumentError):
        signature.save()
    with pytest.raises(SignedDocumentError):
        signature.delete()
    with pytest.raises(SignedDocumentError):
        Signature.objects.update(signer_name="x")
    with pytest.raises(SignedDocumentError):
        Signature.objects.all().delete()


def test_signed_round_cannot_change(signed):
    request = SigningRequest.objects.get()
    request.content_hash = "0" * 64
    with pytest.raises(SignedDocumentError):
        request.save()


def _raw(sql, params):
    with (
        pytest.raises(DatabaseError, match="signed document"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@postgres_only
def test_raw_sql_update_is_refused(signed):
    _raw("UPDATE agreements_target SET value = 1 WHERE id = %s", [signed.target.pk])
    _raw("UPDATE agreements_agreement SET text = 'x' WHERE id = %s", [signed.agreement.pk])
    _raw("UPDATE agreements_framework SET title = 'x' WHERE id = %s", [signed.framework.pk])
    _raw("UPDATE agreements_framework SET signing_state = '' WHERE id = %s", [signed.framework.pk])
    _raw("DELETE FROM agreements_theme WHERE framework_id = %s", [signed.framework.pk])
    _raw("DELETE FROM agreements_target_parties WHERE target_id = %s", [signed.target.pk])
    assert Target.objects.get(pk=signed.target.pk).value == 100


@postgres_only
def test_raw_sql_cannot_touch_signatures(signed):
    _raw("UPDATE agreements_signature SET signer_name = 'x'", [])
    _raw("DELETE FROM agreements_signature", [])
    _raw("UPDATE agreements_signingrequest SET content_hash = 'x'", [])
    assert Signature.objects.count() == 3


@postgres_only
def test_raw_sql_on_an_open_framework_still_works(world):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_target SET value = 7 WHERE id = %s", [world.target.pk])
    assert Target.objects.get(pk=world.target.pk).value == 7

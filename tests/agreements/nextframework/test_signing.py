"""A drafted framework through the existing signing services: put up from definitief concept
only, vastgesteld when every party signed, back to concept when declined. Its policy basis is
frozen with it and is part of the signed content."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from agreements.canonical import framework_content
from agreements.models import Framework, PolicyBasis, SigningRequest
from agreements.nextframework import services
from agreements.signing.framework import FrameworkSignable
from agreements.signing.freeze import SignedDocumentError
from agreements.signing.services import (
    SigningError,
    signature_add,
    signing_decline,
    signing_put_up,
)
from tests.factories import DEFAULT_PASSWORD, otp_code


@pytest.fixture
def concept(world) -> Framework:
    return services.framework_start(
        actor=world.working_group,
        municipality=world.municipality,
        title="Kader Voorbeeld 2026-2030",
        period_start=2026,
        period_end=2030,
        copy_of=world.previous,
    )


def definitief(world, framework) -> Framework:
    return services.framework_status_set(
        actor=world.working_group, framework=framework, status="definitief_concept"
    )


def put_up(world, framework) -> SigningRequest:
    return signing_put_up(signable=FrameworkSignable(framework), user=world.working_group)


def sign_all(world, request):
    for user in world.signatories.values():
        signature_add(
            signing_request=request, user=user, password=DEFAULT_PASSWORD, otp_code=otp_code(user)
        )


def test_a_concept_cannot_be_put_up_for_signing(world, concept):
    with pytest.raises(SigningError):
        put_up(world, concept)


def test_a_definitief_concept_is_put_up_signed_by_all_and_then_vastgesteld(world, concept):
    request = put_up(world, definitief(world, concept))
    concept.refresh_from_db()
    assert (concept.status, concept.signing_state) == ("definitief_concept", "ter_ondertekening")

    sign_all(world, request)

    concept.refresh_from_db()
    assert (concept.status, concept.signing_state) == ("vastgesteld", "ondertekend")


def test_a_declined_round_returns_it_to_concept(world, concept):
    request = put_up(world, definitief(world, concept))
    signing_decline(
        signing_request=request,
        user=world.signatories[world.corporation.slug],
        reason="De sloopaantallen kloppen niet.",
    )
    concept.refresh_from_db()
    assert (concept.status, concept.signing_state) == ("concept", "")


def test_the_policy_basis_is_frozen_while_up_for_signing(world, concept):
    put_up(world, definitief(world, concept))
    entry = concept.policy_basis.get()
    entry.title = "Anders"
    with pytest.raises(SignedDocumentError):
        entry.save()
    with pytest.raises(SignedDocumentError):
        PolicyBasis.objects.create(framework=concept, kind="overig", title="Nieuw")


def test_the_policy_basis_is_in_the_signed_content(world, concept):
    request = put_up(world, definitief(world, concept))
    assert '"policy_basis":[{"date":"2020-05-01","kind":"woonvisie"' in request.content


def test_a_framework_without_policy_basis_has_the_content_it_had_before(world):
    # So that the hash of a framework signed before the policy basis existed stays the same.
    PolicyBasis.objects.filter(framework=world.previous).delete()
    assert set(framework_content(world.previous)) == {
        "document",
        "party_names",
        "process_steps",
        "signatories",
        "framework",
        "themes",
    }


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="raw SQL is refused by PostgreSQL triggers; SQLite has none (model layer only)",
)


@postgres_only
def test_raw_sql_cannot_change_the_policy_basis_of_a_framework_up_for_signing(world, concept):
    put_up(world, definitief(world, concept))
    entry = concept.policy_basis.get()
    for sql in (
        "UPDATE agreements_policybasis SET title = 'x' WHERE id = %s",
        "DELETE FROM agreements_policybasis WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="signed document"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert PolicyBasis.objects.get(pk=entry.pk).title == "Woonvisie 2020"

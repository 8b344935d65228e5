"""Every write service of agreements refuses a user whose party or role may not do it, and
changes nothing: the loaders of reference data, the signing round and the addenda."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from agreements import services
from agreements.addenda.services import ChangeSpec, addendum_propose
from agreements.models import Addendum, Framework, Party, Signature, SigningRequest
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import (
    signature_add,
    signing_decline,
    signing_put_up,
    signing_withdraw,
)
from core.actors import DEMO_LOADER
from core.models import AuditEvent

from .conftest import PASSWORD


def _open_round(world) -> SigningRequest:
    return signing_put_up(signable=FrameworkSignable(world.framework), user=world.working_group)


CASES: dict[str, Callable] = {
    "parties_upsert by a working-group member": lambda world: (
        lambda: services.parties_upsert(
            actor=world.working_group,
            rows=[{"slug": "nieuw", "name": "Nieuw", "kind": Party.Kind.OTHER}],
        )
    ),
    "account_ensure by a working-group member": lambda world: (
        lambda: services.account_ensure(
            actor=world.working_group, username="indringer", password="x-wachtwoord-1", party=None
        )
    ),
    "framework_import by a working-group member": lambda world: (
        lambda: services.framework_import(
            actor=world.working_group, data={"framework": {"slug": "nieuw-kader"}}
        )
    ),
    "signing_put_up by an ordinary member": lambda world: (
        lambda: signing_put_up(signable=FrameworkSignable(world.framework), user=world.member)
    ),
    "signature_add by the working group (not a signatory)": lambda world: (
        lambda request: (
            lambda: signature_add(
                signing_request=request,
                user=world.working_group,
                password=PASSWORD,
                otp_code="000000",
            )
        )
    )(_open_round(world)),
    "signing_decline by an ordinary member": lambda world: (
        lambda request: (
            lambda: signing_decline(
                signing_request=request, user=world.member, reason="Niet mee eens"
            )
        )
    )(_open_round(world)),
    "signing_withdraw by an ordinary member": lambda world: (
        lambda request: (
            lambda: signing_withdraw(
                signable=FrameworkSignable(world.framework), actor=world.member, reason="Terug"
            )
        )
    )(_open_round(world)),
    "addendum_propose by a signatory": lambda world: (
        lambda: addendum_propose(
            framework=world.framework,
            user=next(iter(world.signatories.values())),
            title="Minder sloop",
            reason="De woningmarkt is krap.",
            changes=[ChangeSpec(world.agreement, "text", "Partijen slopen minder.")],
        )
    ),
}


def _snapshot() -> tuple:
    return (
        Party.objects.count(),
        get_user_model().objects.count(),
        sorted(Framework.objects.values_list("slug", "signing_state", "version")),
        sorted(SigningRequest.objects.values_list("id", "status")),
        Signature.objects.count(),
        Addendum.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", CASES)
def test_an_agreements_write_refuses_a_user_who_may_not_write(world, name):
    refused = CASES[name](world)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        refused()
    assert _snapshot() == before


def test_the_loaders_accept_the_portals_own_job(world):
    services.parties_upsert(
        actor=DEMO_LOADER, rows=[{"slug": "nieuw", "name": "Nieuw", "kind": Party.Kind.OTHER}]
    )
    assert Party.objects.filter(slug="nieuw").exists()

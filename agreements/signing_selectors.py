"""Reads of signing rounds, signatures and the verification of signed PDFs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from .access import user_membership
from .models import Membership, Party, Signature, SigningRequest
from .signing import Signable

HASH_RE = re.compile(r"^[0-9a-f]{64}$")


def document_requests(signable: Signable) -> list[SigningRequest]:
    """Every round of the document, newest first, with parties and signatures."""
    return list(
        SigningRequest.objects.filter(document_type=signable.key, object_id=signable.pk)
        .select_related("put_up_by", "declined_party", "declined_by")
        .prefetch_related(
            "parties",
            Prefetch("signatures", queryset=Signature.objects.select_related("party", "signer")),
        )
        .order_by("-round")
    )


@dataclass
class PartyStatus:
    party: Party
    signature: Signature | None
    signatories: list[str] = field(default_factory=list)


def party_statuses(request: SigningRequest) -> list[PartyStatus]:
    """Per party of the round: its signature (or none yet) and who may sign for it."""
    from .selectors import PARTY_KIND_ORDER

    parties = sorted(request.parties.all(), key=lambda p: (PARTY_KIND_ORDER.index(p.kind), p.name))
    by_party = {s.party_id: s for s in request.signatures.all()}
    names: dict[int, list[str]] = {}
    for m in Membership.objects.select_related("user").filter(
        party__in=parties, role=Membership.Role.SIGNATORY, user__is_active=True
    ):
        names.setdefault(m.party_id, []).append(m.user.get_full_name() or m.user.get_username())
    return [PartyStatus(p, by_party.get(p.pk), sorted(names.get(p.pk, []))) for p in parties]


def signature_is_void(signature: Signature, *, latest_round: int, request: SigningRequest) -> bool:
    """A signature counts only on the latest round and on the content that round froze."""
    return signature.round != latest_round or signature.content_hash != request.content_hash


def user_may_sign(user: AbstractBaseUser | AnonymousUser, request: SigningRequest) -> bool:
    membership = user_membership(user)
    return (
        request.status == SigningRequest.Status.OPEN
        and membership is not None
        and membership.role == Membership.Role.SIGNATORY
        and any(p.pk == membership.party_id for p in request.parties.all())
        and not any(s.party_id == membership.party_id for s in request.signatures.all())
    )


def requests_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[SigningRequest]:
    """Rounds of documents the user's party signs (all, for a superuser), newest first."""
    qs = SigningRequest.objects.prefetch_related("parties", "signatures").order_by("-put_up_at")
    if user.is_superuser:
        return qs
    membership = user_membership(user)
    if membership is None:
        return qs.none()
    return qs.filter(parties=membership.party_id)


@dataclass
class Verification:
    query_hash: str
    request: SigningRequest | None
    matched: str  # "pdf", "content" or ""
    signatures: list[Any]


def verify_hash(digest: str) -> Verification:
    """Is this the SHA-256 of a signed PDF (or of the signed content) from the portal?"""
    digest = (digest or "").strip().lower()
    if not HASH_RE.match(digest):
        return Verification(digest, None, "", [])
    request = (
        SigningRequest.objects.filter(status=SigningRequest.Status.SIGNED)
        .filter(Q(signed_pdf_sha256=digest) | Q(content_hash=digest))
        .order_by("-completed_at")
        .first()
    )
    if request is None:
        return Verification(digest, None, "", [])
    matched = "pdf" if request.signed_pdf_sha256 == digest else "content"
    signatures = list(request.signatures.select_related("party").order_by("signed_at", "id"))
    return Verification(digest, request, matched, signatures)

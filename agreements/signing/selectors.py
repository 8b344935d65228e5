"""Reads of signing rounds, signatures and the verification of signed PDFs."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from agreements.access import user_membership
from agreements.models import Framework, Membership, Party, Signature, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.registry import Signable, signable_types
from agreements.signing.seal import SealReport, check_seals
from agreements.signing.seal import validate as seal_checks

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
    from agreements.selectors import PARTY_KIND_ORDER

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
    seal: SealReport | None = None  # the seals of an uploaded PDF (None for a pasted hash)
    show_ip: bool = False  # the signatories' IP addresses are shown (see verify_pdf)

    @property
    def verdict(self) -> str:
        """What the upload or hash is: "genuine" (a signed version of the portal, its seal not
        broken), "changed" (no stored version, and its seal shows a change after sealing) or
        "unknown" (no stored version: no seal, an unreadable file, or a seal of another portal).
        """
        if self.request is not None and not (self.seal and self.seal.verdict in BROKEN):
            return "genuine"
        if self.seal is not None and self.seal.verdict == seal_checks.CHANGED:
            return "changed"
        return "unknown"

    @property
    def trail(self) -> list[TrailRow]:
        return [TrailRow.of(s) for s in self.signatures]

    @property
    def other_hashes(self) -> list[str]:
        """Parties whose signature is on another content hash than the round's (none, unless
        the record was tampered with)."""
        expected = self.request.content_hash if self.request else ""
        return [s.party.name for s in self.signatures if s.content_hash != expected]


BROKEN = {seal_checks.CHANGED, seal_checks.UNREADABLE}


@dataclass
class TrailRow:
    """One signing event of a round, as the verify page's audit trail shows it."""

    signature: Signature
    role: str

    @classmethod
    def of(cls, signature: Signature) -> TrailRow:
        try:
            role = str(Membership.Role(signature.role).label)
        except ValueError:
            role = signature.role
        return cls(signature, role)


def verify_hash(
    digest: str, *, user: AbstractBaseUser | AnonymousUser | None = None
) -> Verification:
    """Is this the SHA-256 of a signed PDF (or of the signed content) from the portal?

    The signatories' IP addresses are shown to the round's own parties (``user``).
    """
    digest = (digest or "").strip().lower()
    if not HASH_RE.match(digest):
        return Verification(digest, None, "", [])
    request = (
        SigningRequest.objects.filter(status=SigningRequest.Status.SIGNED)
        .select_related("put_up_by")
        .defer("signed_pdf", "content")
        .filter(Q(signed_pdf_sha256=digest) | Q(content_hash=digest))
        .order_by("-completed_at")
        .first()
    )
    if request is None:
        return Verification(digest, None, "", [])
    matched = "pdf" if request.signed_pdf_sha256 == digest else "content"
    signatures = list(request.signatures.select_related("party").order_by("signed_at", "id"))
    show_ip = user is not None and user_in_round(user, request)
    return Verification(digest, request, matched, signatures, show_ip=show_ip)


def verify_pdf(data: bytes, *, user: AbstractBaseUser | AnonymousUser) -> Verification:
    """An uploaded PDF: its SHA-256 against the stored signed PDFs, and its seals (pyHanko).

    The audit trail of a matching round shows the signatories' IP addresses to the round's own
    parties and to whoever holds the exact signed PDF (a copy handed out by a party).
    """
    result = verify_hash(hashlib.sha256(data).hexdigest(), user=user)
    result.seal = check_seals(data)
    result.show_ip = result.show_ip or result.matched == "pdf"
    return result


def user_in_round(user: AbstractBaseUser | AnonymousUser, request: SigningRequest) -> bool:
    """The user belongs to a party of the round (or is a superuser)."""
    if user.is_superuser:
        return True
    membership = user_membership(user)
    return membership is not None and request.parties.filter(pk=membership.party_id).exists()


@dataclass
class PartySigning:
    party: Party
    signature: Signature | None


@dataclass
class DocumentSigningStatus:
    """What a document's own page shows of its signing: the newest round and, per party, its
    signature in that round (or none yet)."""

    request: SigningRequest | None
    parties: list[PartySigning] = field(default_factory=list)
    can_put_up: bool = False
    may_sign: bool = False

    @property
    def signed_count(self) -> int:
        return sum(1 for row in self.parties if row.signature is not None)

    @property
    def is_open(self) -> bool:
        return self.request is not None and self.request.status == SigningRequest.Status.OPEN

    @property
    def is_signed(self) -> bool:
        return self.request is not None and self.request.status == SigningRequest.Status.SIGNED


def latest_request(signable: Signable) -> SigningRequest | None:
    """The newest signing round of the document, with parties and signatures."""
    return (
        SigningRequest.objects.filter(document_type=signable.key, object_id=signable.pk)
        .prefetch_related("parties", "signatures__party")
        .order_by("-round")
        .first()
    )


def document_signing_status(
    *,
    signable: Signable,
    framework: Framework,
    user: Any,
    can_put_up: Callable[[SigningRequest | None], bool],
) -> DocumentSigningStatus:
    """The signing status of one document for this user (two queries plus the membership).

    Parties are listed as the framework's documents name them; ``can_put_up`` is the
    document's own rule, given its newest round, combined here with who may put it up.
    """
    request = latest_request(signable)
    rows: list[PartySigning] = []
    may_sign = False
    if request is not None:
        by_party = {s.party_id: s for s in request.signatures.all()}
        order = {p.pk: i for i, p in enumerate(framework_parties(framework))}
        parties = sorted(request.parties.all(), key=lambda p: order.get(p.pk, len(order)))
        rows = [PartySigning(party, by_party.get(party.pk)) for party in parties]
        membership = user_membership(user)
        may_sign = (
            request.status == SigningRequest.Status.OPEN
            and membership is not None
            and membership.role == Membership.Role.SIGNATORY
            and any(row.party.pk == membership.party_id and not row.signature for row in rows)
        )
    return DocumentSigningStatus(
        request=request,
        parties=rows,
        can_put_up=signable.can_be_put_up_by(user) and can_put_up(request),
        may_sign=may_sign,
    )


# --- what waits for a signatory -----------------------------------------------------------


def signing_deadline(signable: Signable) -> dt.date | None:
    """The date before which the document's parties sign, if its type knows one."""
    return type(signable).deadlines([signable.pk]).get(signable.pk)


@dataclass
class AwaitingSignature:
    """An open round in which the user's party has yet to sign."""

    request: SigningRequest
    deadline: dt.date | None
    url: str


def awaiting_signature(user: AbstractBaseUser | AnonymousUser) -> list[AwaitingSignature]:
    """The open rounds, of every signable type, that wait for the user's signature: the user is
    a signatory of a party of the round that has not signed it yet. Soonest deadline first.

    One query for the rounds plus one per document type among them (a handful at most),
    whatever the number of rounds.
    """
    membership = user_membership(user)
    if membership is None or membership.role != Membership.Role.SIGNATORY:
        return []
    party_id = membership.party_id
    rounds = list(
        SigningRequest.objects.filter(status=SigningRequest.Status.OPEN, parties=party_id)
        .exclude(signatures__party=party_id)
        .order_by("put_up_at", "id")
    )
    types = signable_types()
    deadlines: dict[tuple[str, int], dt.date] = {}
    for key in {r.document_type for r in rounds}:
        if key in types:
            ids = [r.object_id for r in rounds if r.document_type == key]
            deadlines.update({(key, pk): d for pk, d in types[key].deadlines(ids).items()})
    items = [
        AwaitingSignature(
            request=r,
            deadline=deadlines.get((r.document_type, r.object_id)),
            url=reverse("agreements:signing-document", args=[r.document_type, r.object_id]),
        )
        for r in rounds
        if r.document_type in types
    ]
    return sorted(items, key=lambda item: (item.deadline is None, item.deadline or dt.date.min))

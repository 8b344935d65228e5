"""Seal a signed PDF: one PAdES signature per party's signing event, each its own revision.

The signatures are the portal's (its certificate, see certificate.py); each names the person
who signed for which party, in which role, when and how, so that a PDF viewer's signature panel
lists every party's signing. The PDF is sealed once, when the last party signs, and stored as
it is: it is never sealed again (a new seal would change its bytes and its SHA-256).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils import timezone

from agreements.signing.seal.certificate import SealUnavailable, load_signer
from agreements.signing.seal.loop import outside_event_loop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealEntry:
    """What one signature of the seal says (PDF signature dictionary /Name /Reason /Location)."""

    field_name: str
    name: str
    reason: str
    location: str


def _field_name(index: int, slug: str) -> str:
    # Field names may not contain periods; keep them short and readable in a viewer.
    return f"Ondertekening-{index}-" + re.sub(r"[^A-Za-z0-9_-]", "-", slug)[:60]


def seal_entries(*, signatures: list[Any], place: str, content_hash: str) -> list[SealEntry]:
    """One entry per signature, in signing order."""
    from agreements.models import Membership

    entries = []
    for index, signature in enumerate(signatures, start=1):
        when = timezone.localtime(signature.signed_at).strftime("%d-%m-%Y %H:%M:%S %Z")
        try:
            role = str(Membership.Role(signature.role).label)
        except ValueError:
            role = signature.role
        who = signature.signer_name + (f", {signature.job_title}" if signature.job_title else "")
        reason = (
            f"Ondertekend door {who} namens {signature.party.name} (rol: {role}) op {when}; "
            f"methode: {signature.get_method_display()}; inhoud SHA-256 {content_hash}"
        )
        entries.append(
            SealEntry(
                field_name=_field_name(index, signature.party.slug),
                name=signature.signer_name,
                reason=reason,
                location=place,
            )
        )
    return entries


def seal_pdf(pdf: bytes, entries: list[SealEntry], *, signer: Any = None) -> bytes:
    """Append one PAdES baseline signature per entry, each as an incremental update."""
    return outside_event_loop(_seal_pdf, pdf, entries, signer=signer)


def _seal_pdf(pdf: bytes, entries: list[SealEntry], *, signer: Any = None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signer or load_signer()
    data = pdf
    for entry in entries:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=entry.field_name,
            name=entry.name,
            reason=entry.reason,
            location=entry.location or None,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        data = signers.sign_pdf(writer, meta, signer=signer).getvalue()
    return data


def seal_signed_pdf(pdf: bytes, *, signing_request: Any, place: str) -> bytes:
    """The signing round's PDF, sealed once for every party's signature (signing order).

    Raises SealUnavailable when the portal has no usable certificate: the caller then refuses
    to complete the round rather than store an unsealed signed PDF.
    """
    signatures = list(
        signing_request.signatures.select_related("party").order_by("signed_at", "id")
    )
    entries = seal_entries(
        signatures=signatures, place=place, content_hash=signing_request.content_hash
    )
    try:
        return seal_pdf(pdf, entries)
    except SealUnavailable as error:
        logger.error("Signed PDF not sealed, so its last signature is refused: %s", error)
        raise

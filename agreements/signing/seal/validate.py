"""Check the seals of an uploaded PDF with pyHanko's validator (for the verify page).

Each signature is checked for: intact (the signed bytes are unchanged), valid (the signature
value is right for the certificate) and trusted (the certificate leads to a root in
PA_SEAL_TRUST_ROOTS). The file as a whole holds when every signature holds, the last one covers
the whole file (nothing was appended after it), and all were made with one certificate.

pyHanko's difference analysis of the revisions between signatures is skipped: on the 30-page
framework PDF it took 16 s per signature (four seals) up to 139 s (the first of six). It is
not needed for this file's shape: every revision after the first ends in a signature with the
same key, and the last covers the whole file, so every revision was written by the holder of
the portal's key, i.e. by the portal itself; anything else (appended bytes, a signature with
another certificate) is reported.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from io import BytesIO

from agreements.signing.seal.certificate import trust_roots
from agreements.signing.seal.loop import outside_event_loop

logger = logging.getLogger(__name__)

# What the verdict of a whole file can be.
NO_SEAL = "none"  # a PDF without signatures
UNREADABLE = "unreadable"  # not readable as a PDF (a change can break its structure)
CHANGED = "changed"  # a signature is broken or something was changed after sealing
VALID_UNTRUSTED = "valid_untrusted"  # intact and valid, certificate not among trust roots
VALID_TRUSTED = "valid_trusted"


@dataclass
class SealCheck:
    field_name: str
    name: str = ""
    reason: str = ""
    location: str = ""
    signed_at: dt.datetime | None = None
    certificate_subject: str = ""
    certificate_sha256: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_file: bool = False  # nothing follows this signature in the file
    summary: str = ""  # in pyHanko's words: INTACT:UNTRUSTED,UNTOUCHED (see summarise)
    details: str = ""  # pyHanko's pretty-printed report
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid


# Why a file is CHANGED.
BYTES_CHANGED = "bytes"  # a signature no longer matches the bytes it signed
APPENDED = "appended"  # something was added after the last signature
FOREIGN = "foreign"  # a signature with another certificate was added


@dataclass
class SealReport:
    verdict: str
    seals: list[SealCheck] = field(default_factory=list)
    change: str = ""  # for CHANGED: BYTES_CHANGED, APPENDED or FOREIGN

    @property
    def is_sealed(self) -> bool:
        return self.verdict in {VALID_TRUSTED, VALID_UNTRUSTED}

    @property
    def certificates(self) -> list[dict[str, str]]:
        """The certificates that made the signatures, once each, in order of appearance."""
        seen: dict[str, str] = {}
        for seal in self.seals:
            if seal.certificate_sha256:
                seen.setdefault(seal.certificate_sha256, seal.certificate_subject)
        return [{"sha256": digest, "subject": subject} for digest, subject in seen.items()]


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    # No fetching: the portal checks offline; revocation is "soft-fail" without fetched data.
    return ValidationContext(trust_roots=trust_roots(), allow_fetching=False)


def _check(embedded) -> SealCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    sig = embedded.sig_object
    check = SealCheck(
        field_name=embedded.field_name or "",
        name=str(sig.get("/Name", "")),
        reason=str(sig.get("/Reason", "")),
        location=str(sig.get("/Location", "")),
        signed_at=embedded.self_reported_timestamp,
    )
    try:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=_validation_context(),
            key_usage_settings=KeyUsageConstraints(
                key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
            ),
            skip_diff=True,  # see the module's docstring
        )
    except Exception as error:  # a damaged signature value or structure: it does not hold
        logger.info("Seal %s could not be validated: %s", check.field_name, error)
        check.error = str(error)
        return check
    cert = status.signing_cert
    check.certificate_subject = cert.subject.human_friendly
    check.certificate_sha256 = cert.sha256.hex()
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    check.covers_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.summary = summarise(check)
    check.details = status.pretty_print_details()
    return check


def summarise(check: SealCheck) -> str:
    """pyHanko's summary codes for what was checked. Not status.summary() itself: without the
    difference analysis it calls every revision after a signature ILLEGAL_MODIFICATIONS."""
    if not check.valid:
        return "INVALID"
    state = "INTACT" if check.intact else "BROKEN"
    trust = "TRUSTED" if check.trusted else "UNTRUSTED"
    return f"{state}:{trust},{'UNTOUCHED' if check.covers_file else 'EXTENDED'}"


def check_seals(data: bytes) -> SealReport:
    """The verdict on the seals of ``data`` (a PDF's bytes) and each signature's check."""
    return outside_event_loop(_check_seals, data)


def _check_seals(data: bytes) -> SealReport:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:
        logger.info("Uploaded PDF could not be read for seal validation: %s", error)
        return SealReport(UNREADABLE)
    if not embedded:
        return SealReport(NO_SEAL)
    seals = [_check(e) for e in embedded]
    if not all(s.ok for s in seals):
        return SealReport(CHANGED, seals, BYTES_CHANGED)
    if not seals[-1].covers_file:
        return SealReport(CHANGED, seals, APPENDED)
    if len({s.certificate_sha256 for s in seals}) > 1:
        return SealReport(CHANGED, seals, FOREIGN)
    if all(s.trusted for s in seals):
        return SealReport(VALID_TRUSTED, seals)
    return SealReport(VALID_UNTRUSTED, seals)

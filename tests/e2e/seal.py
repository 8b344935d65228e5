"""The seal in the browser journeys: a downloaded signed PDF validates with pyHanko against the
demo certificate as trust root, and a copy with one byte changed does not."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from io import BytesIO


def assert_sealed(data: bytes, *, parties: int) -> None:
    """One intact, valid signature per party, trusted with the demo certificate as root.

    In a thread of its own: pyHanko's validator runs asyncio.run, and Playwright's sync API
    keeps an event loop running in the test's thread.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_assert_sealed, data, parties).result()


def _assert_sealed(data: bytes, parties: int) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from agreements.signing.seal.certificate import demo_certificate_pem

    root = load_cert_from_pemder(str(demo_certificate_pem()))
    signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    assert len(signatures) == parties
    for signature in signatures:
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        # The difference analysis is skipped as on the verify page (seconds per signature on a
        # 30-page PDF); the portal's own check of the revisions is tested in test_seal.py.
        status = validate_pdf_signature(signature, context, skip_diff=True)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def one_byte_changed(data: bytes) -> bytes:
    """The signed PDF with one bit flipped inside its first content stream: still readable as
    a PDF, but no longer what was sealed."""
    changed = bytearray(data)
    changed[data.index(b"stream\n") + len(b"stream\n") + 40] ^= 0x01
    return bytes(changed)

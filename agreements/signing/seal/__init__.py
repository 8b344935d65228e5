"""The portal's seal on signed PDFs (PAdES, pyHanko): certificate, sealing and validation."""

from agreements.signing.seal.certificate import SealUnavailable
from agreements.signing.seal.sign import seal_signed_pdf
from agreements.signing.seal.validate import SealReport, check_seals

__all__ = ["SealReport", "SealUnavailable", "check_seals", "seal_signed_pdf"]

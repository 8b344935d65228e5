"""`manage.py check --deploy`: production must have a seal certificate that opens.

Without one, the last signature of a round is refused (the portal never stores an unsealed
signed PDF), so a deployment finds out here and not at a signing ceremony.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from agreements.signing.seal.certificate import SealUnavailable, load_signer, trust_roots

HINT = (
    "Zet PA_SEAL_PKCS12 (pad naar het PKCS#12-bestand van het zegelcertificaat) en "
    "PA_SEAL_PASSWORD; zie README, 'Electronic signature and seal'. / Set PA_SEAL_PKCS12 "
    "(path to the seal certificate's PKCS#12 file) and PA_SEAL_PASSWORD."
)


@checks.register(checks.Tags.security, deploy=True)
def seal_certificate_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    if not settings.PA_SEAL_PKCS12 and settings.PA_SEAL_DEMO:
        problems.append(
            checks.Warning(
                "Ondertekende PDF's worden verzegeld met het zelfondertekende DEMO-certificaat. "
                "/ Signed PDFs are sealed with the self-signed demo certificate.",
                hint=HINT,
                id="signing.W001",
            )
        )
    else:
        try:
            load_signer()
        except SealUnavailable as error:
            problems.append(checks.Error(str(error), hint=HINT, id="signing.E001"))
    try:
        trust_roots()
    except Exception as error:
        problems.append(
            checks.Error(
                f"PA_SEAL_TRUST_ROOTS kan niet worden gelezen ({error}). / PA_SEAL_TRUST_ROOTS "
                "cannot be read.",
                hint="Geef certificaatbestanden (PEM of DER), gescheiden door komma's.",
                id="signing.E002",
            )
        )
    return problems

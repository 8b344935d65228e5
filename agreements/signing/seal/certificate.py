"""The portal's seal certificate: which PKCS#12 file seals signed PDFs, and which roots to trust.

Settings (kerkrade_pa.settings, from the environment):
- PA_SEAL_PKCS12 / PA_SEAL_PASSWORD: the municipality's own certificate and key (e.g. a
  PKIoverheid organisation certificate exported as .p12/.pfx), with its password;
- PA_SEAL_CHAIN: intermediate certificates (PEM or DER files) to embed beside it;
- PA_SEAL_TRUST_ROOTS: root certificates the verify page trusts (PEM or DER files);
- PA_SEAL_DEMO (default: DEBUG): without PA_SEAL_PKCS12, seal with a self-signed demo
  certificate in PA_SEAL_DEMO_DIR, created on first use. Outside demo mode a missing
  certificate is an error (system check signing.E001; signing cannot complete).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

DEMO_COMMON_NAME = "Prestatieafspraken-portaal DEMO-zegel"
# Not a secret: the demo certificate is self-signed and trusted by nobody.
DEMO_PASSWORD = "demo-zegel-niet-vertrouwd"  # noqa: S105
DEMO_P12 = "demo-zegel.p12"
DEMO_PEM = "demo-zegel.pem"


class SealUnavailable(Exception):
    """The portal has no usable seal certificate; the message says what to set (for the
    operator), ``user_message`` what it means for the person signing."""

    @property
    def user_message(self) -> str:
        return gettext(
            "Uw handtekening is niet opgeslagen: het portaal kan het ondertekende document nu "
            "niet verzegelen (het zegelcertificaat ontbreekt of is onleesbaar). Meld dit aan de "
            "beheerder en teken opnieuw zodra het is opgelost."
        )


@dataclass(frozen=True)
class SealSource:
    path: Path
    password: bytes | None
    demo: bool
    chain: tuple[Path, ...] = ()


def demo_dir() -> Path:
    return Path(settings.PA_SEAL_DEMO_DIR)


def seal_source() -> SealSource:
    """The configured PKCS#12 file, or (demo mode only) the demo certificate's."""
    if settings.PA_SEAL_PKCS12:
        password = settings.PA_SEAL_PASSWORD
        return SealSource(
            path=Path(settings.PA_SEAL_PKCS12),
            password=password.encode() if password else None,
            demo=False,
            chain=tuple(Path(p) for p in settings.PA_SEAL_CHAIN),
        )
    if settings.PA_SEAL_DEMO:
        return SealSource(path=demo_dir() / DEMO_P12, password=DEMO_PASSWORD.encode(), demo=True)
    raise SealUnavailable(
        "Er is geen zegelcertificaat ingesteld: zet PA_SEAL_PKCS12 (pad naar het .p12-bestand) "
        "en PA_SEAL_PASSWORD. / No seal certificate configured: set PA_SEAL_PKCS12 and "
        "PA_SEAL_PASSWORD."
    )


def ensure_demo_certificate(folder: Path | None = None) -> tuple[Path, bool]:
    """Create the self-signed demo certificate in ``folder`` unless it is there.

    Returns the PKCS#12 path and whether it was created now. Beside it lies the certificate
    as PEM, to import into a PDF viewer or to list in PA_SEAL_TRUST_ROOTS.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    folder = Path(folder or demo_dir())
    p12_path = folder / DEMO_P12
    if p12_path.exists():
        if not (folder / DEMO_PEM).exists():
            _write_demo_pem(p12_path)
        return p12_path, False
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{settings.PORTAL_NAME} (DEMO)"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        name=DEMO_COMMON_NAME.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(DEMO_PASSWORD.encode()),
    )
    # Two processes may create it at once (web workers on a first signing): the first link
    # wins, and the PEM is always written from the winner's file.
    temporary = folder / f".{DEMO_P12}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    temporary.chmod(0o600)
    try:
        os.link(temporary, p12_path)
        created = True
    except FileExistsError:
        created = False
    except OSError:  # a file system without hard links: last writer wins, PEM follows it
        temporary.replace(p12_path)
        created = True
    finally:
        temporary.unlink(missing_ok=True)
    _write_demo_pem(p12_path)
    return p12_path, created


def _write_demo_pem(p12_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, cert, _extra = pkcs12.load_key_and_certificates(
        p12_path.read_bytes(), DEMO_PASSWORD.encode()
    )
    pem = p12_path.parent / DEMO_PEM
    temporary = pem.with_name(f".{DEMO_PEM}.{os.getpid()}.tmp")
    temporary.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    temporary.replace(pem)


def demo_certificate_pem() -> Path:
    return demo_dir() / DEMO_PEM


def load_signer():
    """A pyHanko signer for the seal certificate; raises SealUnavailable when it cannot.

    Kept per process while the file, its password and chain stay the same.
    """
    source = seal_source()
    if source.demo:
        ensure_demo_certificate(source.path.parent)
    try:
        stat = source.path.stat()
    except OSError as error:
        raise SealUnavailable(
            f"Het zegelcertificaat {source.path} kan niet worden gelezen ({error.strerror}); "
            "controleer PA_SEAL_PKCS12. / The seal certificate cannot be read; check "
            "PA_SEAL_PKCS12."
        ) from error
    signer = _load_signer(source, stat.st_mtime_ns, stat.st_size)
    validity = signer.signing_cert["tbs_certificate"]["validity"]
    not_after = validity["not_after"].native
    if not_after < dt.datetime.now(dt.UTC):
        raise SealUnavailable(
            f"Het zegelcertificaat is verlopen op {not_after:%d-%m-%Y}; zet een nieuw "
            "certificaat in PA_SEAL_PKCS12. / The seal certificate has expired."
        )
    return signer


@functools.lru_cache(maxsize=4)
def _load_signer(source: SealSource, mtime_ns: int, size: int):
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = source.path.read_bytes()
        chain = list(load_certs_from_pemder([str(p) for p in source.chain]))
        loaded = SimpleSigner.load_pkcs12_data(data, other_certs=chain, passphrase=source.password)
    except Exception as error:
        raise SealUnavailable(
            f"Het zegelcertificaat {source.path} kan niet worden geopend: verkeerd wachtwoord "
            "(PA_SEAL_PASSWORD) of geen PKCS#12-bestand. / The seal certificate cannot be "
            "opened: wrong PA_SEAL_PASSWORD or not a PKCS#12 file."
        ) from error
    return _portal_signer_class()(
        signing_key=loaded.signing_key,
        signing_cert=loaded.signing_cert,
        cert_registry=loaded.cert_registry,
    )


@functools.cache
def _portal_signer_class():
    """pyHanko's SimpleSigner, but parsing its private key once: SimpleSigner parses it for
    every signature (twice: a dry run sizes the signature), ~80 ms each with cryptography's key
    checks, which was half the time of sealing a PDF for four parties."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class PortalSigner(SimpleSigner):
        _private_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            if algorithm not in {"rsassa_pkcs1v15", "ecdsa"}:
                return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA, ...: as pyHanko
            if self._private_key is None:
                self._private_key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None
                )
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if algorithm == "ecdsa":
                return self._private_key.sign(data, ECDSA(hash_algorithm))
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)

    return PortalSigner


def trust_roots() -> list:
    """The certificates the verify page trusts (PA_SEAL_TRUST_ROOTS), as asn1crypto objects.

    Empty by default: the demo certificate is then "geldig maar niet vertrouwd".
    """
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([str(p) for p in settings.PA_SEAL_TRUST_ROOTS]))


def demo_certificate_report() -> list[str]:
    """For load_demo: make sure something seals the demo's signed PDFs, and say what."""
    if settings.PA_SEAL_PKCS12:
        return [f"Zegel: het ingestelde certificaat (PA_SEAL_PKCS12={settings.PA_SEAL_PKCS12})."]
    path, created = ensure_demo_certificate()
    lines = [
        (
            f"Zegel: zelfondertekend DEMO-certificaat '{DEMO_COMMON_NAME}' aangemaakt in "
            f"{path.parent}."
            if created
            else f"Zegel: het DEMO-certificaat '{DEMO_COMMON_NAME}' in {path.parent}."
        ),
        "  Niemand vertrouwt dit certificaat: een PDF-lezer toont het zegel als geldig maar niet "
        "vertrouwd. Een gemeente stelt haar eigen certificaat in met PA_SEAL_PKCS12 en "
        "PA_SEAL_PASSWORD (README, 'Electronic signature and seal').",
    ]
    if not settings.PA_SEAL_DEMO:
        lines.append(
            "  Let op: PA_SEAL_DEMO staat uit (DEBUG uit), dus het portaal zegelt hier niet mee "
            "en weigert de laatste handtekening. Zet PA_SEAL_DEMO=true voor een demo-server."
        )
    return lines

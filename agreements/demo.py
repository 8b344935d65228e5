"""Demo data of the agreements app: parties, the framework and the demo accounts."""

from __future__ import annotations

import base64
import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model

from agreements import services
from agreements.indicators import catalogue_load
from agreements.models import Membership, Party
from agreements.twofactor.services import demo_device_ensure
from core.actors import DEMO_LOADER

DEMO_PASSWORD = "kerkrade-demo"  # noqa: S105 - documented demo password, created only by load_demo
# The published TOTP secret of every demo signatory and the demo admin (README, "Demo accounts").
# Anyone can compute its codes: load_demo only, never on a portal with real accounts.
DEMO_TOTP_SECRET = "NNSXE23SMFSGKLLEMVWW6LLUN52HAIJB"  # noqa: S105 - published demo secret


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load(fixtures_dir: Path) -> list[str]:
    """Load parties, frameworks and accounts; returns a line per thing loaded, for the command."""
    report = []
    parties = services.parties_upsert(
        actor=DEMO_LOADER, rows=_read(fixtures_dir / "parties.toml")["parties"]
    )
    report.append(f"{len(parties)} partijen")
    # The catalogue before the frameworks: their targets point at its indicators.
    report.append(f"{catalogue_load()} indicatoren in de catalogus")
    for path in sorted(fixtures_dir.glob("framework_*.toml")):
        try:
            framework = services.framework_import(actor=DEMO_LOADER, data=_read(path))
        except services.FrameworkHeldByPortal as held:
            report.append(f"overgeslagen: {held}")
            continue
        report.append(f"kader {framework.title}")
    accounts = _read(fixtures_dir / "accounts.toml")["accounts"]
    by_slug = {party.slug: party for party in Party.objects.all()}
    for row in accounts:
        services.account_ensure(
            actor=DEMO_LOADER,
            username=row["username"],
            password=DEMO_PASSWORD,
            party=by_slug[row["party"]] if row.get("party") else None,
            role=row.get("role", "member"),
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            email=row.get("email", ""),
            job_title=row.get("job_title", ""),
            is_superuser=row.get("is_superuser", False),
        )
    report.append(f"{len(accounts)} demo-accounts (wachtwoord {DEMO_PASSWORD})")
    report.append(_demo_devices(accounts))
    return report


def _demo_devices(accounts: list[dict]) -> str:
    """Demo signatories and the demo admin get an authenticator with the published secret."""
    signatories = [r["username"] for r in accounts if r.get("role") == Membership.Role.SIGNATORY]
    names = signatories + [r["username"] for r in accounts if r.get("is_superuser")]
    seed = base64.b32decode(DEMO_TOTP_SECRET)
    for user in get_user_model().objects.filter(username__in=names):
        demo_device_ensure(user=user, seed=seed)
    return (
        f"tweestapsverificatie voor {len(signatories)} demo-ondertekenaars en admin: "
        f"demosleutel {DEMO_TOTP_SECRET} (zet hem in een authenticator-app, of: "
        f"python manage.py demo_totp <gebruikersnaam>)"
    )

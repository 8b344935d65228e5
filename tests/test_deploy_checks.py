"""Production settings pass Django's deployment checklist, and refuse to start without a secret.

The checks run in a subprocess with the production settings module (kerkrade_pa.settings, not
settings_test) and a production-like environment, exactly as `manage.py check --deploy` would on
a server.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from agreements.signing.seal.certificate import DEMO_PASSWORD, ensure_demo_certificate
from tests.test_settings_env import clean_env

BASE_DIR = Path(__file__).resolve().parent.parent


@cache
def seal_certificate() -> str:
    """A PKCS#12 file standing in for the municipality's own seal certificate."""
    path, _ = ensure_demo_certificate(Path(tempfile.mkdtemp(prefix="pa-seal-")))
    return str(path)


def production_env(**overrides: str) -> dict[str, str]:
    env = clean_env(
        DJANGO_SETTINGS_MODULE="kerkrade_pa.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        TOTP_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="pa.example.nl",
        CSRF_TRUSTED_ORIGINS="https://pa.example.nl",
        BEHIND_TLS_PROXY="true",
        PA_SEAL_PKCS12=seal_certificate(),
        PA_SEAL_PASSWORD=DEMO_PASSWORD,
    )
    # The database is whatever this run uses: the checks must pass on SQLite and PostgreSQL.
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_is_clean_at_warning_level_with_production_settings():
    proc = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "System check identified no issues" in proc.stdout, output
    assert "WARNINGS" not in output


def test_check_deploy_catches_debug_left_on():
    # Guards the guard: the same command does fail when production runs with DEBUG on.
    proc = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(DEBUG="true")
    )
    assert proc.returncode != 0
    assert "security.W018" in proc.stdout + proc.stderr


def test_check_deploy_reports_a_missing_seal_certificate():
    env = production_env()
    del env["PA_SEAL_PKCS12"]
    proc = run_manage("check", "--deploy", env=env)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "signing.E001" in output
    assert "PA_SEAL_PKCS12" in output and "PA_SEAL_PASSWORD" in output


def test_check_deploy_reports_a_seal_certificate_with_the_wrong_password():
    proc = run_manage("check", "--deploy", env=production_env(PA_SEAL_PASSWORD="fout"))
    assert proc.returncode != 0
    assert "signing.E001" in proc.stdout + proc.stderr


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    env = production_env()
    del env["SECRET_KEY"]
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import kerkrade_pa.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in proc.stderr
    assert "SECRET_KEY is required" in proc.stderr


def test_an_empty_secret_key_counts_as_missing():
    proc = run_manage("check", env=production_env(SECRET_KEY=""))
    assert proc.returncode != 0
    assert "SECRET_KEY is required" in proc.stderr

"""Settings come from the environment (kerkrade_pa.env), in one place.

Settings are read once, at import, so each case imports `kerkrade_pa.settings` in a fresh Python
with exactly the environment under test and reports the values as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Everything the settings read, so that nothing from the caller's shell (or from settings_test,
# which sets defaults in os.environ) leaks into a case.
_SETTINGS_ENV_PREFIXES = (
    "AXES_",
    "PORTAL_",
    "SECURE_",
    "CELERY_",
    "EMAIL_",
    "DJANGO_",
    "TOTP_",
    "SECOND_FACTOR_",
)
_SETTINGS_ENV_NAMES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "REDIS_URL",
    "DEFAULT_FROM_EMAIL",
    "BEHIND_TLS_PROXY",
    "PROXY_COUNT",
    "SESSION_IDLE_MINUTES",
    "MAX_UPLOAD_MB",
    "MAX_UNCOMPRESSED_MB",
    "MAX_SHEET_ROWS",
    "MAX_SHEET_CELLS",
    "MEDIA_ROOT",
    "LOG_LEVEL",
    "REQUIRE_2FA_LOGIN",
}


def clean_env(**overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _SETTINGS_ENV_NAMES and not name.startswith(_SETTINGS_ENV_PREFIXES)
    }
    env.update(overrides)
    return env


_DUMP = (
    "import json, sys\n"
    "import kerkrade_pa.settings as s\n"
    "json.dump({n: getattr(s, n, None) for n in sys.argv[1:]}, sys.stdout, default=str)\n"
)


def read_settings(*names: str, **env: str) -> dict:
    """The named settings as a fresh process sees them with `env` (plus DEBUG=true by default)."""
    env.setdefault("DEBUG", "true")
    proc = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", _DUMP, *names],
        cwd=BASE_DIR,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def import_error(**env: str) -> str:
    """stderr of a fresh process that fails to import the settings with `env`."""
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import kerkrade_pa.settings"],
        cwd=BASE_DIR,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0, "importing the settings should have failed"
    return proc.stderr


# --- database ---------------------------------------------------------------------------------


def test_database_defaults_to_sqlite_file_in_project():
    db = read_settings("DATABASES")["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(BASE_DIR / "db.sqlite3")


def test_database_url_is_parsed_into_postgresql_settings():
    db = read_settings(
        "DATABASES", DATABASE_URL="postgres://pa:s%40cret@db.example.nl:6543/portal"
    )["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("portal", "pa", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.example.nl", 6543)
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True


def test_db_conn_max_age_is_read_as_a_number():
    db = read_settings(
        "DATABASES", DATABASE_URL="postgres://postgres@127.0.0.1/pa", DB_CONN_MAX_AGE="0"
    )["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 0


# --- Redis: cache, broker, result backend, eager flag ------------------------------------------


def test_without_redis_url_tasks_run_eagerly_and_cache_is_local_memory():
    s = read_settings(
        "CACHES", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER"
    )
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["CELERY_BROKER_URL"] == "memory://localhost/"
    assert s["CELERY_RESULT_BACKEND"] is None
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True


def test_redis_url_feeds_cache_broker_and_result_backend_and_turns_eager_off():
    url = "redis://redis.example.nl:6379/3"
    s = read_settings(
        "CACHES",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "CELERY_TASK_ALWAYS_EAGER",
        REDIS_URL=url,
    )
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["CACHES"]["default"]["LOCATION"] == url
    assert s["CELERY_BROKER_URL"] == url
    assert s["CELERY_RESULT_BACKEND"] == url
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False


# --- e-mail -----------------------------------------------------------------------------------


def test_email_defaults_to_console():
    s = read_settings("EMAIL_BACKEND")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_smtp_gives_host_port_credentials_and_starttls():
    s = read_settings(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        EMAIL_URL="smtp://portal%40example.nl:p%40ss%3Aword@mail.example.nl:2525",
    )
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("mail.example.nl", 2525)
    assert s["EMAIL_HOST_USER"] == "portal@example.nl"
    assert s["EMAIL_HOST_PASSWORD"] == "p@ss:word"
    assert (s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (True, False)


def test_email_url_smtps_defaults_to_port_465_with_implicit_tls():
    s = read_settings(
        "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", EMAIL_URL="smtps://mail.example.nl"
    )
    assert s["EMAIL_PORT"] == 465
    assert (s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (False, True)


def test_default_from_email_is_also_the_server_email():
    s = read_settings(
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        DEFAULT_FROM_EMAIL="Prestatieafspraken <pa@example.nl>",
    )
    assert s["DEFAULT_FROM_EMAIL"] == s["SERVER_EMAIL"] == "Prestatieafspraken <pa@example.nl>"


# --- hosts, proxy, session, uploads -----------------------------------------------------------


def test_allowed_hosts_and_csrf_origins_are_comma_separated_lists():
    s = read_settings(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        ALLOWED_HOSTS="pa.example.nl, www.pa.example.nl",
        CSRF_TRUSTED_ORIGINS="https://pa.example.nl",
    )
    assert s["ALLOWED_HOSTS"] == ["pa.example.nl", "www.pa.example.nl"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://pa.example.nl"]


def test_behind_tls_proxy_trusts_x_forwarded_proto():
    assert read_settings("SECURE_PROXY_SSL_HEADER")["SECURE_PROXY_SSL_HEADER"] is None
    s = read_settings("SECURE_PROXY_SSL_HEADER", BEHIND_TLS_PROXY="true")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_session_idle_minutes_and_max_upload_mb_are_numbers():
    s = read_settings(
        "SESSION_COOKIE_AGE", "MAX_UPLOAD_MB", SESSION_IDLE_MINUTES="15", MAX_UPLOAD_MB="8"
    )
    assert s["SESSION_COOKIE_AGE"] == 15 * 60
    assert s["MAX_UPLOAD_MB"] == 8


def test_unpacked_size_and_sheet_limits_come_from_the_environment():
    names = ("MAX_UNCOMPRESSED_MB", "MAX_SHEET_ROWS", "MAX_SHEET_CELLS")
    assert read_settings(*names) == {
        "MAX_UNCOMPRESSED_MB": 350,
        "MAX_SHEET_ROWS": 250_000,
        "MAX_SHEET_CELLS": 10_000_000,
    }
    s = read_settings(
        *names, MAX_UNCOMPRESSED_MB="100", MAX_SHEET_ROWS="5000", MAX_SHEET_CELLS="90000"
    )
    assert s == {"MAX_UNCOMPRESSED_MB": 100, "MAX_SHEET_ROWS": 5000, "MAX_SHEET_CELLS": 90000}


def test_production_defaults_are_strict_without_debug():
    s = read_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
        DEBUG="false",
        SECRET_KEY="x" * 60,
        TOTP_ENCRYPTION_KEY=FERNET_KEY,
    )
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert s["ALLOWED_HOSTS"] == []


# --- two-step verification -------------------------------------------------------------------

FERNET_KEY = "x8Zc4bZ0Wq0p5JwVb3mUq4Qh7m0Kxk9Yb2Hn1Zr6pTE="


def test_two_factor_login_is_off_by_default_and_read_as_a_boolean():
    assert read_settings("REQUIRE_2FA_LOGIN")["REQUIRE_2FA_LOGIN"] is False
    assert read_settings("REQUIRE_2FA_LOGIN", REQUIRE_2FA_LOGIN="true")["REQUIRE_2FA_LOGIN"]


def test_signing_throttle_numbers_are_read_from_the_environment():
    s = read_settings(
        "SECOND_FACTOR_FAILURE_LIMIT",
        "SECOND_FACTOR_LOCKOUT_MINUTES",
        SECOND_FACTOR_FAILURE_LIMIT="3",
        SECOND_FACTOR_LOCKOUT_MINUTES="60",
    )
    assert (s["SECOND_FACTOR_FAILURE_LIMIT"], s["SECOND_FACTOR_LOCKOUT_MINUTES"]) == (3, 60)


def test_totp_keys_are_read_comma_separated_for_rotation():
    s = read_settings("TOTP_ENCRYPTION_KEYS", TOTP_ENCRYPTION_KEY=f"{FERNET_KEY}, old-key")
    assert s["TOTP_ENCRYPTION_KEYS"] == [FERNET_KEY, "old-key"]


def test_the_totp_key_has_no_default_without_debug():
    stderr = import_error(DEBUG="false", SECRET_KEY="x" * 60)
    assert "TOTP_ENCRYPTION_KEY is required" in stderr


# --- malformed values fail loudly -------------------------------------------------------------


def test_a_malformed_boolean_fails_at_start_up():
    stderr = import_error(DEBUG="maybe")
    assert "ImproperlyConfigured" in stderr
    assert "DEBUG must be a boolean" in stderr


def test_a_malformed_number_fails_at_start_up():
    stderr = import_error(DEBUG="true", SESSION_IDLE_MINUTES="half an hour")
    assert "ImproperlyConfigured" in stderr
    assert "SESSION_IDLE_MINUTES must be a whole number" in stderr


# --- CI proves PostgreSQL ---------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def test_ci_runs_the_suite_on_postgresql():
    """CI (CI=true, .ci/run) must run the suite on PostgreSQL; a laptop may use SQLite."""
    from django.db import connection

    if not _in_ci():
        pytest.skip(
            f"not in CI: this run uses {connection.vendor} "
            "(set DATABASE_URL=postgres://... to run on PostgreSQL)"
        )
    assert connection.vendor == "postgresql", (
        "CI=true but the test database is "
        f"{connection.vendor}: set DATABASE_URL to PostgreSQL (.ci/run does)"
    )

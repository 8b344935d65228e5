"""Test settings: the real settings with a fast password hasher, local-memory cache and mail.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs the suite against
PostgreSQL and Redis while a laptop without them uses SQLite and eager tasks.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123"
)
os.environ.setdefault("TOTP_ENCRYPTION_KEY", "dGVzdC1vbmx5LXRvdHAta2V5LW5vdC1hLXNlY3JldCE=")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from kerkrade_pa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A worker started by a test shares that test's cache (the evaluation PDF's job lives there).
if os.environ.get("PA_TEST_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["PA_TEST_CACHE_URL"],
            "KEY_PREFIX": os.environ.get("PA_TEST_CACHE_PREFIX", "pa-test"),
        }
    }
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks eagerly; the one test that proves the Redis round trip starts its own worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Uploads made by tests (and the demo import of load_demo) go to a throw-away folder, never to
# the project's media/.
# A worker started by a test (tests/test_jobs_redis.py) is given the test's folder.
MEDIA_ROOT = Path(os.environ.get("PA_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="pa-test-media-"))
# Seconds a job waits in the worker before it works (core.jobs.pause_for_tests), so that a test
# can kill the worker mid-job. Only the test settings have it.
PA_TEST_JOB_PAUSE_SECONDS = float(os.environ.get("PA_TEST_JOB_PAUSE_SECONDS", "0"))
# Tests seal with the demo certificate, created once per run in the throw-away media folder.
PA_SEAL_PKCS12 = None
PA_SEAL_DEMO = True
PA_SEAL_DEMO_DIR = MEDIA_ROOT / "demo-zegel"
PA_SEAL_TRUST_ROOTS = []
# WhiteNoise warns about a missing STATIC_ROOT on every request; tests never collect static.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pa-test-static-"))
# `make test` runs the browser journeys in a second pytest process beside the rest
# (scripts/run_pytest.sh); on PostgreSQL each process needs its own test database.
if os.environ.get("PA_TEST_DB_SUFFIX") and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _default = DATABASES["default"]  # noqa: F405
    _default.setdefault("TEST", {})["NAME"] = (
        f"test_{_default['NAME']}_{os.environ['PA_TEST_DB_SUFFIX']}"
    )

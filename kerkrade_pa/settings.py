"""Settings for the Prestatieafspraken portal, read from the environment (see kerkrade_pa.env).

Zero set-up defaults: SQLite in the project folder, Celery tasks run eagerly in-process and
e-mail goes to the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS
and EMAIL_URL, with DEBUG off (see .env.example and README).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from kerkrade_pa.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A secret key has no default outside DEBUG: production must fail loudly without one.
SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "django-insecure-dev-only-not-a-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_otp",
    "kerkrade_pa",
    "core",
    "agreements",
    "housing_stock",
    "cycle",
    "agreements.twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response; Cache-Control: no-store for logged-in users.
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the code step (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # With REQUIRE_2FA_LOGIN: signatories and administrators pass the code step first.
    "agreements.twofactor.middleware.LoginSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kerkrade_pa.urls"
WSGI_APPLICATION = "kerkrade_pa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kerkrade_pa.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.PortalFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pa",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker when REDIS_URL is set, otherwise every task runs eagerly in-process.
# "memory://localhost/" and not "memory://": even an eager task takes a producer from the
# broker's pool, and kombu warns "No hostname was supplied" for a URL without a host.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies is put back on the queue (redelivered), not acknowledged;
# each job counts its attempts and fails after core.jobs.MAX_ATTEMPTS instead of looping.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# In docker-compose the worker may start before Redis answers: keep retrying instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by `celery -A kerkrade_pa beat` (make beat; the beat service in
# docker-compose). Times are CELERY_TIMEZONE, i.e. Amsterdam.
CELERY_BEAT_SCHEDULE = {
    "cycle-send-reminders-daily": {
        "task": "cycle.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Jobs past their limit (core.jobs) end failed, so no page waits for them.
    "core-fail-stuck-jobs-every-minute": {
        "task": "kerkrade_pa.fail_stuck_jobs",
        "schedule": 60.0,
    },
}
# Uploaded source files (stock tables, bid workbooks) are deleted this many days after upload;
# the import records and their error reports stay (cycle.retention).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 90)
CELERY_BEAT_SCHEDULE["cycle-delete-old-uploads-daily"] = {
    "task": "cycle.delete_old_uploads",
    "schedule": crontab(hour=3, minute=30),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock a username+IP after five failed logins, for a cool-off period.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None

# Password-reset mails (core.password_reset): at most this many per address and per client
# address within the window; beyond it the form answers the same, but no mail goes out.
PASSWORD_RESET_MAILS_PER_ADDRESS = env_int("PASSWORD_RESET_MAILS_PER_ADDRESS", 3)
PASSWORD_RESET_MAILS_PER_CLIENT = env_int("PASSWORD_RESET_MAILS_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)

# Two-step verification (agreements.twofactor). Signing always asks for a code from the
# authenticator app; REQUIRE_2FA_LOGIN also asks signatories and administrators at every login.
REQUIRE_2FA_LOGIN = env_bool("REQUIRE_2FA_LOGIN", default=False)
# Wrong passwords or codes at signing (and wrong codes at the login's code step): after this many
# within the lock-out time, that person is locked out of it for the lock-out time.
SECOND_FACTOR_FAILURE_LIMIT = env_int("SECOND_FACTOR_FAILURE_LIMIT", 5)
SECOND_FACTOR_LOCKOUT_MINUTES = env_int("SECOND_FACTOR_LOCKOUT_MINUTES", 15)
# Fernet keys that encrypt the TOTP seeds at rest (comma-separated: the first encrypts, all
# decrypt, for rotation). No default outside DEBUG: production must fail loudly without one.
TOTP_ENCRYPTION_KEYS = env_list("TOTP_ENCRYPTION_KEY", [])
if not TOTP_ENCRYPTION_KEYS:
    env_str("TOTP_ENCRYPTION_KEY", required=not DEBUG)
    # base64 of "dev-only-totp-key-not-a-secret!!"
    TOTP_ENCRYPTION_KEYS = ["ZGV2LW9ubHktdG90cC1rZXktbm90LWEtc2VjcmV0ISE="]

# Idle timeout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The party a drafting comment's author speaks for (core.drafting, which imports no app).
DRAFTING_PARTY_MODEL = "agreements.Party"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# E-mail: EMAIL_URL (smtp://user:password@host:587, smtps://..., console://) or the usual settings.
_email_url = env_str("EMAIL_URL", "console://")
_parsed = urlparse(_email_url)
if _parsed.scheme in {"smtp", "smtps", "submission"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or (465 if _parsed.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_SSL = _parsed.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL
elif _parsed.scheme == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Prestatieafspraken <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Production (DEBUG off) gets HTTPS-only cookies, HSTS and an HTTPS redirect.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Permissions-Policy (core.middleware): every browser feature the portal never uses, off for
# the page and every frame. Add a feature here only when a page starts to need it. Only
# features Chromium recognises (others give a console warning on every page).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "browsing-topics",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Content-Security-Policy: no inline script, no eval; htmx is configured to need neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Uploads: a hard ceiling on what Django reads into memory; apps check their own limits.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
# Limits on what a spreadsheet may unpack to, checked before any parsing (core.uploads) and
# again while the parsers read (a <dimension> can lie). 350 MB is ~4x what a per-dwelling list
# of 60 000 rows x 30 columns inflates to (87 MB, bench/bench_upload_limits.py).
MAX_UNCOMPRESSED_MB = env_int("MAX_UNCOMPRESSED_MB", 350)
MAX_SHEET_ROWS = env_int("MAX_SHEET_ROWS", 250_000)
MAX_SHEET_CELLS = env_int("MAX_SHEET_CELLS", 10_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The portal's seal on signed PDFs (PAdES; README "Electronic signature and seal"): the
# municipality's certificate as PKCS#12 with its password, intermediate certificates to embed,
# and the roots the verify page trusts (comma-separated file paths, PEM or DER). Without
# PA_SEAL_PKCS12, demo mode (default: DEBUG) seals with a self-signed demo certificate created in
# PA_SEAL_DEMO_DIR; outside demo mode signing cannot complete and `check --deploy` says so.
PA_SEAL_PKCS12 = env_str("PA_SEAL_PKCS12")
PA_SEAL_PASSWORD = env_str("PA_SEAL_PASSWORD", "")
PA_SEAL_CHAIN = env_list("PA_SEAL_CHAIN", [])
PA_SEAL_TRUST_ROOTS = env_list("PA_SEAL_TRUST_ROOTS", [])
PA_SEAL_DEMO = env_bool("PA_SEAL_DEMO", default=DEBUG)
PA_SEAL_DEMO_DIR = Path(env_str("PA_SEAL_DEMO_DIR", str(MEDIA_ROOT / "demo-zegel")))

# A municipality's own NL Design System theme, applied by class name and stylesheet path.
PORTAL_THEME_CLASS = env_str("PORTAL_THEME_CLASS", "voorbeeld-theme")
PORTAL_THEME_STYLESHEET = env_str(
    "PORTAL_THEME_STYLESHEET", "vendor/voorbeeld-design-tokens/theme.css"
)
PORTAL_NAME = env_str("PORTAL_NAME", "Prestatieafspraken")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log dozens of INFO lines per PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted certificate (the demo seal's, on every
        # check); the verify page reports the outcome itself.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

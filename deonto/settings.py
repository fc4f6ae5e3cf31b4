"""Deonto settings, read from the environment (see the README's "Configuration").

One settings module for every environment: ``DEONTO_DEBUG=1`` is the developer's machine
(``make run`` sets it); without it the secure production defaults hold and the secret key and
allowed hosts must be given.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_env_file(path: Path) -> None:
    """A developer's checkout keeps its settings in ``.env`` (``make`` writes one with debug on);
    variables already in the environment win. Production sets DEONTO_ENV_FILE to its own file, or
    to nothing, and keeps its secrets in the service's environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_env_file = os.environ.get("DEONTO_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    _load_env_file(Path(_env_file))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEONTO_DEBUG", False)

SECRET_KEY = os.environ.get("DEONTO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DEONTO_SECRET_KEY must be set when DEONTO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DEONTO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DEONTO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("DEONTO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "deonto.core",
    "deonto.accounts",
    "deonto.people",
    "deonto.knowledge",
    "deonto.training",
    "deonto.integrity",
    "deonto.rollout",
    "deonto.postcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "deonto.accounts.middleware.UserLanguageMiddleware",
    "deonto.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "deonto.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "deonto.urls"
WSGI_APPLICATION = "deonto.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "deonto" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deonto.core.context_processors.navigation",
            ],
        },
    },
]

DATA_DIR = Path(os.environ.get("DEONTO_DATA_DIR", BASE_DIR / "var"))

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'deonto.sqlite3'}"),
        conn_max_age=env_int("DEONTO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after this many minutes without a request, and when the browser closes.
SESSION_IDLE_MINUTES = env_int("DEONTO_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login rate limiting (django-axes): this many failures lock the username from that address.
AXES_FAILURE_LIMIT = env_int("DEONTO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DEONTO_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("DEONTO_TOTP_ISSUER", "Deonto")

# Optional single sign-on through OpenID Connect: on when an issuer's endpoints are configured.
OIDC_ENABLED = bool(os.environ.get("DEONTO_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("deonto.accounts.oidc.DeontoOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["DEONTO_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("DEONTO_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("DEONTO_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["DEONTO_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["DEONTO_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["DEONTO_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("DEONTO_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = env_bool("DEONTO_OIDC_CREATE_USERS", False)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "deonto" / "locale"]
LANGUAGE_COOKIE_NAME = "deonto_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "deonto" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DEONTO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get(
    "DEONTO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DEONTO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DEONTO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DEONTO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DEONTO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DEONTO_EMAIL_TLS", False)
EMAIL_TIMEOUT = env_int("DEONTO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEONTO_FROM_EMAIL", "Deonto <deonto@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Roster import: files above this size are refused; files above this many rows are
# validated and applied by the task worker, with a progress bar.
ROSTER_IMPORT_MAX_BYTES = env_int("DEONTO_ROSTER_IMPORT_MAX_MB", 25) * 1024 * 1024
ROSTER_IMPORT_BACKGROUND_ROWS = env_int("DEONTO_ROSTER_IMPORT_BACKGROUND_ROWS", 2000)

# Integrity evidence (deonto/integrity/vault.py) ------------------------------------------------
# Evidence files are encrypted at rest (AES-256-GCM) in DATA_DIR/evidence, which has no URL.
# DEONTO_EVIDENCE_KEYS is "keyid:base64key,keyid:base64key" (32-byte keys): the first encrypts new
# files, the others only read older ones until `manage.py rotate_evidence_keys` has moved them.
# In debug mode without it, a key derived from SECRET_KEY is used: for a developer's machine only.
from deonto.integrity.keys import evidence_keys_develop, evidence_keys_parse  # noqa: E402

if os.environ.get("DEONTO_EVIDENCE_KEYS", "").strip():
    try:
        EVIDENCE_KEYS = evidence_keys_parse(os.environ["DEONTO_EVIDENCE_KEYS"])
    except ValueError as error:
        raise ImproperlyConfigured(f"DEONTO_EVIDENCE_KEYS is malformed: {error}") from None
elif DEBUG:
    EVIDENCE_KEYS = evidence_keys_develop(SECRET_KEY)
else:
    raise ImproperlyConfigured(
        "DEONTO_EVIDENCE_KEYS must be set when DEONTO_DEBUG is off (see deonto/integrity/keys.py)."
    )
EVIDENCE_MAX_BYTES = env_int("DEONTO_EVIDENCE_MAX_MB", 25) * 1024 * 1024

# Integrity reports: the service acknowledges a report within this many days and gives the reporter
# feedback within this many months (EU directive 2019/1937; Belgian law of 8 December 2022).
INTEGRITY_ACKNOWLEDGE_DAYS = env_int("DEONTO_INTEGRITY_ACKNOWLEDGE_DAYS", 7)
INTEGRITY_FEEDBACK_MONTHS = env_int("DEONTO_INTEGRITY_FEEDBACK_MONTHS", 3)
INTEGRITY_RETENTION_DAYS = env_int("DEONTO_INTEGRITY_RETENTION_DAYS", 1825)
# Reminders go to the assigned inspector this many days before a deadline (and after it, daily).
INTEGRITY_REMINDER_DAYS = env_int("DEONTO_INTEGRITY_REMINDER_DAYS", 2)

# The rollout planner runs in a child process of the task worker: seconds given to the solver, seconds
# after which the child is killed (0: twice the time limit plus a minute), and its address-space cap.
PLANNER_TIME_LIMIT = env_int("DEONTO_PLANNER_TIME_LIMIT", 60)
PLANNER_WALL_SECONDS = env_int("DEONTO_PLANNER_WALL_SECONDS", 0)
PLANNER_MEMORY_MB = env_int("DEONTO_PLANNER_MEMORY_MB", 2048)
# Publishing a plan stops and rolls back (nothing created) after this many seconds; a run still
# "publishing" after it (plus a margin) is recovered by `recover_plan_runs`.
PLANNER_PUBLISH_SECONDS = env_int("DEONTO_PLANNER_PUBLISH_SECONDS", 3600)
# ------------------------------------------------------------------------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DEONTO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DEONTO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("DEONTO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DEONTO_HSTS_PRELOAD", True)

ADMINS = [("Deonto", a) for a in env_list("DEONTO_ADMIN_EMAILS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEONTO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

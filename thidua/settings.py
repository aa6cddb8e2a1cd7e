"""One settings module, everything from environment variables with safe embedded defaults.

Every variable is documented in README.md ("Configuration"). Embedded mode (the default)
keeps its SQLite file and generated secret key under THIDUA_DATA_DIR. A deployment that
points THIDUA_DATABASE_URL elsewhere with THIDUA_DEBUG off must give THIDUA_SECRET_KEY, or
the process refuses to start (fail closed).
"""

import datetime
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} must hold JSON: {exc}") from exc


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DATA_DIR = Path(env_str("THIDUA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("THIDUA_DEBUG", False)

_default_db_url = f"sqlite:///{DATA_DIR / 'thidua.sqlite3'}"
DATABASE_URL = env_str("THIDUA_DATABASE_URL", _default_db_url)
# Embedded mode: a SQLite file (the default one or another); its secret key can live beside it.
EMBEDDED = DATABASE_URL.startswith("sqlite:")


def _secret_key() -> str:
    given = env_str("THIDUA_SECRET_KEY")
    if given:
        return given
    if not DEBUG and not EMBEDDED:
        raise ImproperlyConfigured(
            "THIDUA_SECRET_KEY is required when THIDUA_DEBUG is off and the database is not SQLite."
        )
    key_file = DATA_DIR / "secret_key"
    try:
        # Created readable by the owner only, atomically: two processes starting at once
        # cannot each write a different key.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("THIDUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("THIDUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "thidua.audit",
    "thidua.jobs",
    "thidua.accounts",
    "thidua.org",
    "thidua.records",
    "thidua.rules",
    "thidua.interchange",
    "thidua.emulation",
    "thidua.plans",
    "thidua.nominations",
    "thidua.council",
    "thidua.decisions",
    "thidua.reports",
    "thidua.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thidua.accounts.twofactor.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "thidua.audit.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thidua.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}


def _require_postgres_driver() -> None:
    """PostgreSQL needs a driver that SQLite users do not install (the `postgres` extra):
    say so at start rather than at the first query."""
    for driver in ("psycopg", "psycopg2"):
        try:
            __import__(driver)
        except ImportError:
            continue
        return
    raise ImproperlyConfigured(
        "THIDUA_DATABASE_URL points at PostgreSQL, which needs the psycopg driver: "
        "pip install 'thidua[postgres]' (or pip install 'psycopg[binary]')."
    )


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _require_postgres_driver()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a long import writes; a busy timeout instead of
    # "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # secure_delete: deleted and overwritten rows are zeroed, not left in free space
        # (the council's ballot secrecy, docs/adr/0006-ballot-secrecy.md).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA secure_delete=ON;",
        # Take the write lock when a transaction starts: a deferred transaction that reads
        # then writes cannot wait for the lock and fails with "database is locked".
        "transaction_mode": "IMMEDIATE",
    }
# A read replica (e.g. a PostgreSQL streaming standby) for reports and eligibility runs:
# thidua.routers sends their reads there and every write to the primary
# (docs/deployment/scale.md). The test suite has the alias as a mirror of the primary's test
# database (THIDUA_TEST_REPLICA, set by thidua.testing); tests switch the router on.
DATABASE_REPLICA_URL = env_str("THIDUA_DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["thidua.routers.ReplicaRouter"]
elif env_bool("THIDUA_TEST_REPLICA", False):
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# Login throttling (django-axes): after THIDUA_LOGIN_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for THIDUA_LOGIN_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("THIDUA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("THIDUA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thidua.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "thidua.audit.context.address_of"
AXES_VERBOSE = False
# On SQLite, the page cache (MB) a dataset load may use while it writes
# (thidua/interchange/dataset/bulk.py): larger is faster for national loads.
LOAD_CACHE_MB = env_int("THIDUA_LOAD_CACHE_MB", 128)
# The public certificate verification page (/xac-minh/…): requests per minute from one
# client address before it answers 429 (thidua/audit/throttle.py); 0 switches it off.
VERIFY_RATE_LIMIT = env_int("THIDUA_VERIFY_RATE_LIMIT", 30)
# A second factor (TOTP, django-otp) required of administrators and council members (and
# superusers) when on; see docs/deployment/README.md.
THIDUA_REQUIRE_2FA = env_bool("THIDUA_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Thidua"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("THIDUA_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (attachments of emulation movements). Deliberately no MEDIA_URL and no
# URL that serves this directory: every download goes through a view that checks the
# user's scope (e.g. `thidua.emulation.views.attachments.attachment_download`).
MEDIA_ROOT = DATA_DIR / "media"
THIDUA_ATTACHMENT_MAX_BYTES = env_int("THIDUA_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Spreadsheets uploaded on the data page wait here between their preview and confirmation
# (never in the database); files not confirmed within a day are deleted.
THIDUA_IMPORT_DIR = Path(env_str("THIDUA_IMPORT_DIR", str(DATA_DIR / "imports")))
THIDUA_IMPORT_MAX_BYTES = env_int("THIDUA_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# The working year (the year being rated) is the previous one before this month.
THIDUA_WORKING_YEAR_FROM_MONTH = env_int("THIDUA_WORKING_YEAR_FROM_MONTH", 3)
# Public comment on a published nominee list (công khai): the period in working days
# (the law gives no number: docs/nominations.md), and how many comments one client address
# may post per hour before further ones are refused.
THIDUA_PUBLIC_COMMENT_DAYS = env_int("THIDUA_PUBLIC_COMMENT_DAYS", 5)
THIDUA_PUBLIC_COMMENT_PER_HOUR = env_int("THIDUA_PUBLIC_COMMENT_PER_HOUR", 5)
# The public comment form refuses a post sent sooner than this after the form was shown.
THIDUA_PUBLIC_COMMENT_MIN_SECONDS = env_int("THIDUA_PUBLIC_COMMENT_MIN_SECONDS", 3)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

PAGE_SIZE = env_int("THIDUA_PAGE_SIZE", 50)

# The council (thidua.council, docs/council.md). The quorum for a meeting that considers
# titles and forms is a PROVINCIAL rule (80 % of members present in the province studied;
# check your own regulation): THIDUA_COUNCIL_QUORUM_PERCENT.
THIDUA_COUNCIL_QUORUM_PERCENT = env_int("THIDUA_COUNCIL_QUORUM_PERCENT", 80)
# The share of yes votes over ALL members an award needs (Decree 98/2023 Điều 30(7); whether
# Decree 152/2025 keeps it is unverified). Keys: an award code, or "<rule set>:<award code>"
# for one rule set; awards not listed need a simple majority of all members
# (THIDUA_COUNCIL_DEFAULT_THRESHOLD, "more than" this percentage).
THIDUA_COUNCIL_THRESHOLDS = env_json(
    "THIDUA_COUNCIL_THRESHOLDS",
    {
        "AHLD": 90,
        "AH_LLVTND": 90,
        "CSTD_TQ": 90,
        "CSTD_TINH": 90,
        "CSTDCS": 80,
        "CO_TD_TINH": 80,
        "CO_TD_QK": 80,
        "CO_TD_CP": 80,
    },
)
THIDUA_COUNCIL_DEFAULT_THRESHOLD = env_int("THIDUA_COUNCIL_DEFAULT_THRESHOLD", 50)
# After a poll closes, clear the database's leftovers of the running tally (PostgreSQL
# VACUUM of the ballot tables, SQLite checkpoint and VACUUM): see docs/adr/0006-ballot-secrecy.md.
THIDUA_COUNCIL_VACUUM_AFTER_CLOSE = env_bool("THIDUA_COUNCIL_VACUUM_AFTER_CLOSE", True)
# Background jobs (imports, large exports): django-tasks with its database backend; the
# worker is `thidua worker`, which `thidua serve` starts. With THIDUA_JOBS_IMMEDIATE a job
# runs within the request that starts it (the test suite; debugging).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("THIDUA_JOBS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Eligibility engine deployment parameters (docs/eligibility.md), e.g.
# THIDUA_RULE_PARAMETERS='{"collective_history_across_merger": "carried"}'
THIDUA_RULE_PARAMETERS = env_json("THIDUA_RULE_PARAMETERS", {})

# Secure cookies (and HSTS) by default when debug is off, except in the embedded mode,
# which serves plain HTTP on this machine (docs/deployment/README.md).
SESSION_COOKIE_SECURE = env_bool("THIDUA_SECURE_COOKIES", not DEBUG and not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
if SESSION_COOKIE_SECURE:
    SECURE_HSTS_SECONDS = env_int("THIDUA_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("THIDUA_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("THIDUA_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
BEHIND_PROXY = env_bool("THIDUA_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself (never passes the client's on).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content security policy (django-csp): scripts only from this site, never inline (the
# templates carry no inline script or handler); inline style attributes are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Whether subdomains share the HSTS policy (and preload lists) is the operator's call.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# The production server `thidua serve` runs (gunicorn, threaded workers).
THIDUA_WORKERS = env_int("THIDUA_WORKERS", 2)
THIDUA_THREADS = env_int("THIDUA_THREADS", 4)
THIDUA_TIMEOUT = env_int("THIDUA_TIMEOUT", 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("THIDUA_LOG_LEVEL", "WARNING")},
}

"""Marginalia's settings: one module, every deploy knob read from the environment.

The defaults are safe for development on one machine: DEBUG on, SQLite, a local
memory cache. Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
and usually DATABASE_URL and REDIS_URL; `manage.py check --deploy` is then clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", "1")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
    SECRET_KEY = "development-only-key-never-use-in-production-" + "x" * 20

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

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
    "taggit",
    "ninja",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "reader",
    "accounts",
    "seminars",
    "annotations",
    "moderation",
    "api",
    "backups",
    "notebook",
    "search",
    "review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (whitenoise serves static files compressed already), after every other change of them.
    "config.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a paused sign-in into accounts.views.locked_out
    # Last, so its 400 carries every header above; before any view, so no lookup meets a NUL.
    "config.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.header",
            ],
        },
    },
]

# SQLite is the default and must hold up under concurrent writers: WAL lets readers
# run beside a writer, IMMEDIATE transactions take the write lock up front (so two
# writers queue instead of deadlocking on a lock upgrade), and the timeout becomes
# SQLite's busy_timeout. These only take effect inside OPTIONS.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DJANGO_CONN_MAX_AGE", "60"), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

# PostgreSQL's JIT compiler starts on any plan whose estimated cost passes jit_above_cost, and
# compiling takes hundreds of milliseconds that the site's short queries (a page of notes, a count)
# never win back: each new connection turns it off (reader.database), unless this is 1.
POSTGRES_JIT = envbool("MARGINALIA_POSTGRES_JIT", "0")

# On PostgreSQL, parameters are sent apart from the SQL and a query a connection runs again is a prepared
# statement (psycopg prepares it on its second run): the server parses it once, and once a generic plan
# serves as well as one made for each run (PostgreSQL judges after five), plans it once; both cost the
# site's short queries more than running them. 0 sends each query whole, for a pooler in transaction
# mode that does not keep prepared statements (README, "Configuration").
POSTGRES_PREPARED = envbool("MARGINALIA_POSTGRES_PREPARED", "1")
if POSTGRES_PREPARED and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Throttles (README, "Throttles"): counted in the cache above, so with REDIS_URL every server
# counts together; without it each process counts alone, and `check --deploy` warns.
# A limit is COUNT/PERIOD (second, minute, hour or day), from MARGINALIA_THROTTLE_<NAME>.
THROTTLES = {
    "signup": os.environ.get("MARGINALIA_THROTTLE_SIGNUP", "20/hour"),  # per address
    "password-reset": os.environ.get("MARGINALIA_THROTTLE_PASSWORD_RESET", "5/hour"),  # per address, per email
    "note": os.environ.get("MARGINALIA_THROTTLE_NOTE", "30/minute"),  # new notes and replies, per user
    "flag": os.environ.get("MARGINALIA_THROTTLE_FLAG", "20/hour"),  # per user, for flagging notes
    "api": os.environ.get("MARGINALIA_THROTTLE_API", "600/minute"),  # per token (or user), per address
}
# How many proxies in front of the servers append to X-Forwarded-For; 0: REMOTE_ADDR is the caller.
TRUSTED_PROXY_COUNT = envint("MARGINALIA_TRUSTED_PROXIES", "0")

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account, or from
# one address, signing in is paused for the cool-off; each attempt during it starts it again.
AUTHENTICATION_BACKENDS = ["accounts.authentication.SignInLockout", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = envint("MARGINALIA_LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("MARGINALIA_LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows for the admin to list
# axes.W001 says a per-process cache cannot hold a lockout across servers: true, and irrelevant to one
# development server. In production the deploy check says the same, as accounts.W001.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "article-list"
LOGOUT_REDIRECT_URL = "article-list"

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background work (notification email, imports with --background, re-checking notes after a
# large edit) is queued in the database and run by `manage.py db_worker`: the embedded default
# needs nothing more, and on PostgreSQL any number of workers share the queue. Tests use the
# immediate backend (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "marginalia@localhost")
# For the SMTP backend (django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", "0")
# The site's own address, for links in emails (e.g. https://marginalia.example.org).
SITE_URL = os.environ.get("MARGINALIA_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# Pre-moderation of the public layer: readers' new public notes wait for staff's approval.
PREMODERATE_PUBLIC_NOTES = envbool("MARGINALIA_PREMODERATE_PUBLIC", "0")

# Long articles have many paragraphs; the admin edits them inline.
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", "20000")

TAGGIT_CASE_INSENSITIVE = True

# Security. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SESSION_ENGINE = "config.sessions"  # Django's database sessions, read with a prepared query
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

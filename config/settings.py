"""The one settings module, read from the environment.

Every deployment knob is an environment variable; the defaults make a first run on a
laptop work with nothing set (SQLite under ``var/``, DEBUG on, local hosts only).
Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CABLES_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    # Otherwise every request would be answered 400, with nothing said at start-up.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "cables",
    "search",
    "people",
    "accounts",
    "readinglists",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cables.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers (the web) work while a writer (ingest) commits.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # An unreachable server fails the request (and /healthz) in seconds, well inside
    # gunicorn's worker timeout, instead of hanging on TCP.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(url: str, *, default_dir: Path, key_prefix: str) -> dict:
    """``CACHES["default"]`` from a URL: ``redis://host:6379/1`` (``rediss://`` too),
    ``file:///path``, ``locmem://`` or ``dummy://`` (no cache at all)."""
    timeout = int(os.environ.get("CACHE_TIMEOUT", "86400"))
    common = {"TIMEOUT": timeout, "KEY_PREFIX": key_prefix}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            **common,
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # A Redis that is down fails the page cache's reads in a second, not the page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    if url.startswith("file://"):
        location = url.removeprefix("file://") or str(default_dir)
        return {
            **common,
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location,
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    if url.startswith("locmem://"):
        return {**common, "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL: unknown cache {url!r} (redis://, file://, locmem://)")


# The shared cache of rendered pages and search results: Redis in production. The
# default, a directory under var/, needs no server and is shared by every process on
# the machine (gunicorn's workers, and the ingest that bumps the archive generation);
# a local-memory cache would be one per process and blind to other processes' bumps.
# The key prefix names the database, so two archives can share one Redis.
CACHES = {
    "default": cache_settings(
        os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "file://",
        default_dir=VAR_DIR / "cache",
        key_prefix=os.environ.get(
            "CACHE_KEY_PREFIX", "ca-" + Path(str(DATABASES["default"]["NAME"])).name
        ),
    )
}
# What pages tell proxies and browsers: keep it, but ask every time (a 304 while the
# archive is unchanged). ``public, max-age=60, stale-while-revalidate=300`` trades up
# to a minute's staleness for fewer revalidations.
PAGE_CACHE_CONTROL = os.environ.get("PAGE_CACHE_CONTROL", "public, no-cache")
# Keys cached pages (and the ETag) by release; empty: a fingerprint of the code.
PAGE_RELEASE = os.environ.get("PAGE_RELEASE", "")

# The Whoosh index directory; ``search`` alone reads it.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "index"))
# Seconds one cable's parse may take in ``ingest`` before it is reported as failed
# and the batch goes on (0: no limit); ``ingest --parse-budget`` overrides it.
INGEST_PARSE_BUDGET = float(os.environ.get("INGEST_PARSE_BUDGET", "5"))

# Accounts (``accounts``) and reading lists (``readinglists``): the e-mail address is
# the user name. Sign-up is open unless SIGNUP_ENABLED=0.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "readinglists:index"
LOGOUT_REDIRECT_URL = "search:home"
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", True)
# Failed log-ins allowed per client address and per account in a window (seconds);
# LOGIN_RATE_IP_HEADER names the header holding the client address when a proxy sets
# it (``X-Real-IP``; the proxy must strip it from clients), else REMOTE_ADDR is used.
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "900"))
LOGIN_RATE_IP_HEADER = os.environ.get("LOGIN_RATE_IP_HEADER", "")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def email_settings(url: str) -> dict:
    """E-mail settings from ``EMAIL_URL``: ``smtp://user:password@host:25``,
    ``smtp+tls://...:587`` (STARTTLS), ``smtps://...:465`` (TLS from the start),
    ``console://`` (print messages to stderr)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    query = parse_qs(parts.query)
    tls = parts.scheme == "smtp+tls" or query.get("tls", [""])[0] in {"1", "true"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or {"smtps": 465, "smtp+tls": 587}.get(parts.scheme, 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


# Password-reset mail: printed to the console unless EMAIL_URL or EMAIL_HOST is set.
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cable Archive <noreply@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Scanners send any Host header; the 400 is in the access log, a traceback
        # for each would drown the real errors.
        "django.security.DisallowedHost": {"level": "CRITICAL"},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS is sent on HTTPS responses only (TLS at the proxy, X-Forwarded-Proto: https).
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

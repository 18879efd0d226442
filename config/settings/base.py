"""Settings for every environment; each value comes from the environment.

Every variable is listed, with a safe example, in ``.env.example``.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import environ

from config.settings.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_rate_limit,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A local .env is a convenience for development; real environments set variables,
# which win over the file. DJANGO_ENV_FILE names another file ("" reads none).
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env_bool("DEBUG", False)
# With DEBUG, Django's own debug 404 (every URL pattern listed) instead of the app's plain page.
DEBUG_404 = env_bool("DEBUG_404", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",  # tokens for the staff operations API
    "django_filters",
    "axes",  # failed admin logins, counted per account and per address (see "Login throttle" below)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app: /api/docs/ works offline
    "sessions.apps.UploadSessionsConfig",
    "movies.apps.MoviesConfig",
    "enrichment.apps.EnrichmentConfig",
    "web.apps.WebConfig",
]
# The TMDB stand-in (manage.py fake_tmdb) is development material: the production image leaves it out.
if importlib.util.find_spec("enrichment.standin") is not None:
    INSTALLED_APPS.append("enrichment.standin.apps.StandinConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but for security: a database outage anywhere below answers a JSON 503.
    "core.outage.DatabaseOutageMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # With DEBUG, unknown paths still get the app's plain 404 page (unless DEBUG_404).
    "web.middleware.PlainNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": {
        **env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/letterboxd"),
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": env_bool("CONN_HEALTH_CHECKS", False),
    }
}
# A database that does not answer fails the request in seconds (a 503, core/outage.py), not a hang.
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", ("redis", "rediss"))
# Seconds an API process waits for Redis before going on without it (cache and rate limits fail open).
REDIS_TIMEOUT_SECONDS = 1
CACHES = {
    "default": {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lbx",
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
    },
    # Request counts of the API's rate limits, shared by every API process.
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lbx-throttle",
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Static files keep their names (compressed, not hashed), so the pages' ES modules import each
# other as written ("./dom.js"). A manifest storage would have to rewrite those imports too:
# ManifestStaticFilesStorage only does with support_js_module_import_aggregation = True.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Sessions of uploaded exports ---------------------------------------------
SESSION_TTL_DAYS = env_int("SESSION_TTL_DAYS", 30, minimum=1)

# --- Upload limits: enforced while reading, before memory grows --------------
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024, minimum=1)
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 200, minimum=1)
# Parsing and storing run inside the request: 50,000 rows (a Letterboxd member with some
# 20,000 films) end well within gunicorn's 30 s worker timeout even on a busy machine;
# 100,000 took 33 s on a loaded 2-core host (bench/upload.py, README "Limits").
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 50_000, minimum=1)
# Most movies plus viewings plus watchlist entries in one import, sized the same way: DRF
# validates each movie, so an import row costs about three upload rows (bench/upload.py).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=1)
# Django's own request limits, so an oversized request is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES

# --- TMDB ---------------------------------------------------------------------
TMDB_API_KEY = env_str("TMDB_API_KEY", "")
# A v4 read token: sent in the Authorization header, preferred to a v3 key (which travels in the URL).
TMDB_READ_TOKEN = env_str("TMDB_READ_TOKEN", "")
TMDB_API_BASE_URL = env_url("TMDB_API_BASE_URL", "https://api.themoviedb.org/3", ("http", "https")).rstrip(
    "/"
)
TMDB_RATE_LIMIT_REQUESTS, TMDB_RATE_LIMIT_SECONDS = env_rate_limit("TMDB_RATE_LIMIT", "40/10")
TMDB_TIMEOUT_SECONDS = env_int("TMDB_TIMEOUT_SECONDS", 10, minimum=1)
# A movie hit by transient TMDB errors (429, 5xx, timeouts) is tried this often, then "failed".
TMDB_MAX_ATTEMPTS = env_int("TMDB_MAX_ATTEMPTS", 5, minimum=1)
# Circuit breaker in the shared limiter: this many transient failures in a row (all workers
# together) stop every TMDB request for TMDB_BREAKER_OPEN_SECONDS (doubling to 15 s), then
# one probe request decides. A breaker open this long ends the sessions it holds up, with a
# message saying TMDB could not be reached (their films stay pending for a re-run).
TMDB_BREAKER_FAILURES = env_int("TMDB_BREAKER_FAILURES", 5, minimum=1)
TMDB_BREAKER_OPEN_SECONDS = env_int("TMDB_BREAKER_OPEN_SECONDS", 5, minimum=1)
TMDB_OUTAGE_GIVE_UP_SECONDS = env_int("TMDB_OUTAGE_GIVE_UP_SECONDS", 600, minimum=1)
# A 429's Retry-After is obeyed up to this; a longer one is an outage (the breaker opens and probes).
TMDB_RETRY_AFTER_MAX_SECONDS = env_int("TMDB_RETRY_AFTER_MAX_SECONDS", 60, minimum=1)

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", REDIS_URL, ("redis", "rediss"))
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", REDIS_URL, ("redis", "rediss"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any task may run (a task waits at most a few minutes for a TMDB
# slot), so Redis never re-delivers a task that is still being worked on.
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# Chord bookkeeping needs minutes (each finished part renews it); a lost chord is the reconciler's job.
CELERY_RESULT_EXPIRES = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat wait for a Redis that went away, however long, instead of exiting after 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker process that grew past this (KiB) is replaced after its task: a large session's
# dispatch or a burst of big answers does not keep its memory for good.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 250_000, minimum=10_000)

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only; DRF's browsable pages (whose inline styles the CSP blocks) for developers alone.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ReadRateThrottle", "core.throttling.WriteRateThrottle"],
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    # Proxies in front of the API that append the client's address to X-Forwarded-For.
    # 0: the socket's address, and the header (anyone can write it) is ignored.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
# Per client address: reads (status polling included) and writes (upload, import, delete).
API_READ_RATE_LIMIT = env_rate_limit("API_READ_RATE_LIMIT", "1200/60")
API_WRITE_RATE_LIMIT = env_rate_limit("API_WRITE_RATE_LIMIT", "30/60")
SPECTACULAR_SETTINGS = {
    "TITLE": "Letterboxd stats API",
    "DESCRIPTION": "Upload a Letterboxd export, follow its TMDB enrichment, explore the statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so uploaded files are described as binary.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A watchlist entry's lookup states are a film's enrichment states: one enum in the schema.
    "ENUM_NAME_OVERRIDES": {"EnrichmentStatusEnum": "movies.models.Movie.EnrichmentStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_common_answers",
    ],
}

# --- CORS: the SPA runs on another origin -------------------------------------
CORS_ALLOWED_ORIGINS = env_origins(
    "CORS_ALLOWED_ORIGINS", ["http://localhost:3000", "http://127.0.0.1:3000"] if DEBUG else []
)
# Headers the app's scripts may read: an export's file name, and how long to wait after a 429.
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Retry-After"]

# --- Login throttle: password guessing on /admin/login/ (django-axes) ----------
# AxesStandaloneBackend refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Either count locks: one account from any address, or one address whatever the account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
# The address the API's rate limits see: the socket's, or the proxy's X-Forwarded-For with NUM_PROXIES.
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_address"
# The lockout's log line names the account and the address (axes masks them by default); never the password.
AXES_SENSITIVE_PARAMETERS = []
AXES_COOLOFF_MESSAGE = (
    "Too many failed logins for this account or from this address: "
    f"try again in {LOGIN_LOCKOUT_MINUTES} minutes."
)

# --- Security: strict unless DEBUG ------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", [])
# Content-Security-Policy of every response (core/csp.py), by directive. Scripts and styles
# from this origin only, none inline; posters from TMDB's image host; no plugins, no <base>,
# never framed. Django 6.0's own SECURE_CSP takes the same shape.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "https://image.tmdb.org"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

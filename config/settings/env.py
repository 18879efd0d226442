"""Reading settings from the environment, failing early with the variable's name.

django-environ does the parsing; this module only makes sure that a malformed
value stops start-up with a message a newcomer can act on (``TMDB_RATE_LIMIT:
expected "<requests>/<seconds>", got "fast"``) instead of a bare ValueError.
"""

import os
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def _fail(name, expected, raw):
    raise ImproperlyConfigured(f'{name}: expected {expected}, got "{raw}"')


def env_str(name, default=None):
    """The variable's value; without a default it is required, and empty counts as not set."""
    if default is None and not os.environ.get(name):
        raise ImproperlyConfigured(f"{name}: required, but not set")
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in env.BOOLEAN_TRUE_STRINGS:
        return True
    if value in ("false", "off", "no", "n", "0", ""):
        return False
    _fail(name, "a boolean (true/false, 1/0, yes/no)", raw)


def env_int(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        _fail(name, "a whole number", raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        _fail(name, f"a whole number from {minimum} to {maximum}", raw)
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name, default, schemes):
    raw = os.environ.get(name, default)
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not (parts.hostname or parts.path):
        _fail(name, f"a URL starting with {' or '.join(s + '://' for s in schemes)}", raw)
    return raw


def env_origins(name, default):
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            _fail(name, "comma-separated origins like http://localhost:3000", origin)
    return [origin.rstrip("/") for origin in origins]


def env_database(name, default):
    raw = env_url(name, default, ("postgres", "postgresql", "pgsql", "postgis"))
    try:
        return env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for bad URLs
        _fail(name, f"a PostgreSQL URL ({exc})", raw)


def env_rate_limit(name, default):
    """``"40/10"`` means at most 40 requests in any 10-second window."""
    raw = os.environ.get(name, default)
    requests_part, _, seconds_part = raw.partition("/")
    try:
        requests_count = int(requests_part)
        seconds = float(seconds_part or 10)
    except ValueError:
        _fail(name, '"<requests>/<seconds>", e.g. "40/10"', raw)
    if requests_count < 1 or seconds <= 0:
        _fail(name, "a positive number of requests per positive number of seconds", raw)
    return requests_count, seconds

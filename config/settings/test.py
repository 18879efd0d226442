"""Settings for the test suite: the real PostgreSQL and Redis, nothing faked but TMDB."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("TMDB_API_KEY", "test-tmdb-key")
# Tests use their own Redis database so a running `make run` never sees their tasks.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
for _name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
    os.environ[_name] = TEST_REDIS_URL

from config.settings.base import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
# The API as production serves it (JSON only), whatever DEBUG a developer's .env sets.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests address a local TMDB stand-in; nothing here leaves the machine.
TMDB_API_BASE_URL = os.environ.get("TEST_TMDB_API_BASE_URL", "http://127.0.0.1:1/3")

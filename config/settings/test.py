"""Settings for the test suite: the real PostgreSQL and Redis, nothing faked but TMDB."""

import os

from config.redis_claim import claim_test_redis_url

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("TMDB_API_KEY", "test-tmdb-key")
# Each run (each xdist worker) claims a Redis database of its own, never `make run`'s 0, so two copies of
# the suite never purge each other's broker; an explicit TEST_REDIS_URL wins (config/redis_claim.py).
TEST_REDIS_URL = claim_test_redis_url()
for _name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
    os.environ[_name] = TEST_REDIS_URL

from config.settings.base import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
# The API as production serves it (JSON only), whatever DEBUG a developer's .env sets.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests address a local TMDB stand-in; nothing here leaves the machine.
TMDB_API_BASE_URL = os.environ.get("TEST_TMDB_API_BASE_URL", "http://127.0.0.1:1/3")

"""Start-up fails with a message naming the malformed variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def start_django(unset=(), **env):
    """Import the settings in a fresh interpreter, as start-up does, without any .env file."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "TMDB_", "SESSION_", "CORS_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_ENV_FILE": "",
            "SECRET_KEY": "x" * 50,
            **env,
        }
    )
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_valid_environment_starts():
    result = start_django(DEBUG="false", TMDB_RATE_LIMIT="40/10")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "name, value",
    [
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//"),
        ("TMDB_RATE_LIMIT", "fast"),
        ("TMDB_RATE_LIMIT", "0/10"),
        ("TMDB_API_BASE_URL", "ftp://tmdb.example"),
        ("SESSION_TTL_DAYS", "thirty"),
        ("SESSION_TTL_DAYS", "0"),
        ("DEBUG", "maybe"),
        ("CORS_ALLOWED_ORIGINS", "localhost:3000"),
    ],
)
def test_malformed_value_fails_naming_the_variable(name, value):
    result = start_django(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}:" in result.stderr
    assert value in result.stderr


def test_missing_secret_key_fails_outside_debug():
    result = start_django(unset=["SECRET_KEY"], DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY: required" in result.stderr


def test_an_empty_secret_key_fails_outside_debug():
    """As deploy.env.example leaves it: docker compose up refuses to start until it is filled in."""
    result = start_django(SECRET_KEY="", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY: required" in result.stderr

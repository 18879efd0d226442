"""The schema says what the API does, and production's settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest

from config.tests.test_settings import BASE_DIR


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_the_import_path_declares_no_session_id(schema):
    operation = schema["paths"]["/api/session/import/"]["post"]

    assert [p for p in operation.get("parameters", []) if p["in"] == "path"] == []


def test_every_operation_documents_the_proxys_400_and_414(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "414"} <= operation["responses"].keys(), (method, path)


def test_check_deploy_is_clean_with_production_settings():
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG", "SECURE_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "true",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout

"""The API answers JSON, also to a browser; DRF's browsable pages only with DEBUG."""

import json
import os
import subprocess
import sys

import pytest

from config.tests.test_settings import BASE_DIR
from sessions.tests.factories import SessionFactory

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.django_db
def test_a_browser_gets_the_apis_json_not_an_html_page(client):
    session = SessionFactory()

    for path in [f"/api/session/{session.pk}/status", "/api/session/not-a-session/status"]:
        response = client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT)
        assert response["Content-Type"] == "application/json", path
        assert "detail" in response.json() or "status" in response.json()


def renderers(debug):
    """The renderer classes the settings give, imported in a fresh interpreter as start-up does."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_ENV_FILE": ""}
    environment.update({"DEBUG": debug, "SECRET_KEY": "x" * 50})
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "print(json.dumps(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_browsable_api_is_there_only_with_debug():
    assert renderers("false") == ["rest_framework.renderers.JSONRenderer"]
    assert "rest_framework.renderers.BrowsableAPIRenderer" in renderers("true")

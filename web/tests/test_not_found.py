"""Unknown paths under `make run`'s settings (DEBUG on, as .env.example has it): the app's plain page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_run_settings(settings):
    settings.DEBUG = True
    settings.DEBUG_404 = False
    return settings


def test_an_unknown_path_shows_the_plain_page_with_a_link_home(client, make_run_settings):
    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert 'href="/"' in page and "Page not found" in page
    assert "URLconf" not in page  # not Django's debug page listing every pattern
    assert "style=" not in page.replace('rel="stylesheet"', "")  # nothing the CSP blocks


def test_unknown_api_paths_stay_json(client, make_run_settings):
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_missing_slash_is_still_added(client, make_run_settings):
    assert client.get("/admin").status_code == 301
    response = client.get("/s/some-session")
    assert response.status_code == 301
    assert response["Location"] == "/s/some-session/"


def test_a_developer_can_ask_for_djangos_debug_page(client, make_run_settings):
    make_run_settings.DEBUG_404 = True

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "URLconf" in response.content.decode()

"""The pages as served: what each one says, the 404s, offline Swagger UI, and no inline script or style."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.test import Client

from enrichment.matching.rules import REVIEW_BELOW
from enrichment.tmdb import ratelimit
from movies.tests.factories import MovieFactory, WatchFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
OUTSIDE_ASSET = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
MODULE_IMPORT = re.compile(r"""^(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']""", re.MULTILINE)


def assert_csp_friendly(html):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not STYLE_ATTRIBUTE.search(html)


def test_home_page_explains_accepts_and_tells_how_long_data_is_kept(client, settings):
    settings.SESSION_TTL_DAYS = 12
    html = client.get("/").content.decode()

    assert 'type="file"' in html and "multiple" in html and 'name="files"' in html
    assert "watched.csv" in html and ".zip" in html
    assert "kept for 12 days after your last visit" in html
    assert "delete it yourself at any time" in html
    assert_csp_friendly(html)


def test_pages_load_no_script_or_style_from_another_host(client):
    session = SessionFactory()
    for url in ("/", f"/s/{session.pk}/", "/api/docs/", "/nowhere"):
        html = client.get(url).content.decode()
        assert not OUTSIDE_ASSET.search(re.sub(r"<a\s[^>]*>", "", html)), (url, OUTSIDE_ASSET.search(html))


def test_demo_banner_shows_only_while_tmdb_is_the_stand_in(client, settings):
    settings.TMDB_API_BASE_URL = "http://127.0.0.1:8765/3"
    assert "Demo data" in client.get("/").content.decode()
    assert "TMDB_API_KEY" in client.get("/").content.decode()

    settings.TMDB_API_BASE_URL = "https://api.themoviedb.org/3"
    assert "Demo data" not in client.get("/").content.decode()


def test_session_page_names_its_session_and_offers_exports_and_delete(client):
    session = SessionFactory()
    response = client.get(f"/s/{session.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-session="{session.pk}"' in html
    assert f"/api/session/{session.pk}/export?format=json" in html
    assert f"/api/session/{session.pk}/export?format=csv" in html
    assert 'id="delete-open"' in html
    assert_csp_friendly(html)


def test_session_page_hands_its_scripts_the_servers_review_threshold(client):
    session = SessionFactory()
    html = client.get(f"/s/{session.pk}/").content.decode()

    assert f'data-review-below="{REVIEW_BELOW}"' in html


@pytest.mark.parametrize("session_id", ["not-a-uuid", "7b0c1f0e-5d7a-4b43-9d6a-3f3f3f3f3f3f"])
def test_unknown_session_page_is_a_plain_404_with_a_link_home(client, session_id):
    response = client.get(f"/s/{session_id}/")

    assert response.status_code == 404
    assert "This upload is not here" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_each_page_loads_one_entry_module_whose_imports_are_all_static_files(client, settings):
    session = SessionFactory()
    entries = {}
    for url in ("/", f"/s/{session.pk}/"):
        tags = SCRIPT_TAG.findall(client.get(url).content.decode())
        assert len(tags) == 1 and 'type="module"' in tags[0], (url, tags)
        entries[url] = re.search(r'src="([^"]+)"', tags[0])[1].removeprefix(settings.STATIC_URL)
    assert entries == {"/": "web/home.js", f"/s/{session.pk}/": "web/session.js"}

    # The static files keep their names (no manifest hashes), so "./dom.js" is found beside its importer.
    pending, seen = list(entries.values()), set()
    while pending:
        name = pending.pop()
        seen.add(name)
        path = finders.find(name)
        assert path, name
        with open(path, encoding="utf-8") as script:
            for target in MODULE_IMPORT.findall(script.read()):
                assert target.startswith("./"), (name, target)
                imported = f"{name.rsplit('/', 1)[0]}/{target.removeprefix('./')}"
                if imported not in seen:
                    pending.append(imported)
    assert seen >= {f"web/{module}.js" for module in ("dom", "charts", "page", "stats", "films", "matches")}


def test_diary_days_count_dated_viewings_per_day(client):
    session = SessionFactory()
    movie = MovieFactory(session=session)
    WatchFactory(movie=movie, watched_date=date(2023, 5, 1))
    WatchFactory(movie=MovieFactory(session=session), watched_date=date(2023, 5, 1))
    WatchFactory(movie=movie, watched_date=date(2024, 1, 2))
    WatchFactory(movie=movie, watched_date=None)
    WatchFactory(movie=MovieFactory(), watched_date=date(2023, 5, 1))  # another session's

    response = client.get(f"/s/{session.pk}/diary-days.json")

    assert response.json() == {"days": {"2023-05-01": 2, "2024-01-02": 1}}
    assert client.get("/s/not-a-uuid/diary-days.json").json() == {"detail": "Session not found."}


def test_unknown_api_path_answers_json_404_other_paths_a_page(client):
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not found."}

    page = client.get("/no/such/page")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "Page not found" in page.content.decode() and 'href="/"' in page.content.decode()


def test_swagger_ui_is_served_by_the_app_without_inline_script(client, settings):
    html = client.get("/api/docs/").content.decode()

    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets), assets
    assert_csp_friendly(html)
    for asset in assets:
        if asset.startswith(settings.STATIC_URL):  # the schema's URL is the other one
            assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def test_admin_view_site_leads_home():
    assert admin.site.site_url == "/"


def test_unknown_api_paths_answer_json_404_to_any_method_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)  # as a browser or an API client outside the test client

    answer = client.put("/api/session/x/movies/null,null/match/", "{}", content_type="application/json")

    assert answer.status_code == 404 and answer.json() == {"detail": "Not found."}


def test_unknown_api_paths_answer_json_also_with_debug_on(client, settings):
    settings.DEBUG = True

    assert client.get("/api/no/such/thing").json() == {"detail": "Not found."}


def test_a_session_link_without_its_slash_still_leads_to_the_page(client):
    session = SessionFactory()

    response = client.get(f"/s/{session.pk}")

    assert response.status_code == 301 and response["Location"] == f"/s/{session.pk}/"


def test_the_browsers_favicon_request_finds_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/web/icon.svg")
    assert finders.find("web/icon.svg")


def test_tmdb_status_says_whether_the_workers_get_answers(client, settings):
    settings.TMDB_BREAKER_FAILURES = 2
    ratelimit.reset()
    assert client.get("/tmdb-status.json").json() == {
        "reachable": True, "unreachable_since": None, "unreachable_seconds": None, "enrichment_paused": False
    }

    ratelimit.record_failure()
    ratelimit.record_failure()
    down = client.get("/tmdb-status.json")

    assert down["Cache-Control"].startswith("max-age=0")
    assert down.json()["reachable"] is False and 0 <= down.json()["unreachable_seconds"] < 5
    ratelimit.record_success()
    assert client.get("/tmdb-status.json").json()["reachable"] is True
    ratelimit.reset()


def test_tmdb_status_without_redis_does_not_know(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there

    answer = client.get("/tmdb-status.json")

    assert answer.status_code == 200 and answer.json()["reachable"] is None


def test_the_owners_page_says_which_link_is_private_and_which_to_share(client):
    session = SessionFactory(status="completed")

    html = client.get(f"/s/{session.pk}/").content.decode()

    assert "This page's address is private:" in html and "delete this upload" in html
    assert "read-only link" in html and 'id="share-create"' in html
    assert 'id="delete-open"' in html and 'id="matches"' in html
    assert_csp_friendly(html)


def test_a_share_links_page_shows_the_statistics_without_delete_matches_exports_or_the_session_id(client):
    session = SessionFactory(status="completed")
    token = client.post(f"/api/session/{session.pk}/share").json()["token"]

    html = client.get(f"/v/{token}/").content.decode()

    assert 'id="stats"' in html and 'id="films"' in html and 'id="card"' in html
    assert f'data-api="/api/shared/{token}"' in html
    for owner_only in ['id="delete-open"', 'id="matches"', "/export", 'id="share-create"']:
        assert owner_only not in html, owner_only
    assert str(session.pk) not in html
    assert "Compare with mine" in html
    assert_csp_friendly(html)


def test_a_revoked_share_links_page_is_a_404_that_says_so(client):
    session = SessionFactory(status="completed")
    token = client.post(f"/api/session/{session.pk}/share").json()["token"]
    client.delete(f"/api/session/{session.pk}/share")

    answer = client.get(f"/v/{token}/")

    assert answer.status_code == 404
    assert "This shared link does not work" in answer.content.decode()


def test_the_compare_page_needs_your_session_and_a_live_share_link(client):
    you, friend = SessionFactory(status="completed"), SessionFactory(status="completed")
    token = client.post(f"/api/session/{friend.pk}/share").json()["token"]

    html = client.get(f"/s/{you.pk}/compare/{token}/").content.decode()

    assert f'data-compare="/api/session/{you.pk}/compare/{token}"' in html
    assert str(friend.pk) not in html
    assert_csp_friendly(html)
    assert client.get(f"/s/{you.pk}/compare/{friend.pk}/").status_code == 404
    client.delete(f"/api/session/{friend.pk}/share")
    assert client.get(f"/s/{you.pk}/compare/{token}/").status_code == 404

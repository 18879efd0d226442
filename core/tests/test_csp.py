"""The Content-Security-Policy, and that the admin's pages need nothing it forbids."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from movies.tests.factories import EnrichedMovieFactory, FilmFactory, FilmLookupFactory, WatchFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data: https://image.tmdb.org",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def directives(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


class ForbiddenMarkup(HTMLParser):
    """What a strict policy blocks: inline scripts, styles and handlers, and other origins' files."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_script = tag == "script" and not attrs.get("src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("src", "href") and value and value.lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")
        source = attrs.get("src") if tag in ("script", "img", "iframe") else None
        if tag == "link" and attrs.get("rel") == "stylesheet":
            source = attrs.get("href")
        if source and urlsplit(source).netloc and urlsplit(source).netloc != "image.tmdb.org":
            self.found.append(f"<{tag}> from {source}")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        self._in_script = False


def forbidden_markup(response):
    parser = ForbiddenMarkup()
    parser.feed(response.content.decode())
    return parser.found


def test_api_answers_carry_the_policy(client):
    response = client.get("/api/health")

    assert {name: directives(response).get(name) for name in POLICY} == POLICY


def test_the_admin_login_page_needs_nothing_the_policy_forbids(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"
    assert forbidden_markup(response) == []


def test_the_admin_pages_need_nothing_the_policy_forbids(admin_client):
    movie = EnrichedMovieFactory()
    WatchFactory(movie=movie)
    film = FilmFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:upload_sessions_session_changelist"),
        reverse("admin:upload_sessions_session_change", args=[movie.session_id]),
        reverse("admin:movies_movie_changelist"),
        reverse("admin:movies_movie_change", args=[movie.pk]),
        reverse("admin:movies_film_changelist"),
        reverse("admin:movies_film_change", args=[film.pk]),
        reverse("admin:movies_filmlookup_changelist"),
        reverse("admin:auth_user_add"),
    ]
    found = {}
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert "Content-Security-Policy" in response
        found[page] = forbidden_markup(response)

    assert found == {page: [] for page in pages}


def test_an_admin_action_s_confirmation_page_needs_nothing_the_policy_forbids(admin_client):
    lookup = FilmLookupFactory()
    response = admin_client.post(
        reverse("admin:movies_filmlookup_changelist"),
        {"action": "delete_selected", "_selected_action": [lookup.pk]},
    )

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert forbidden_markup(response) == []


def test_the_checker_finds_what_the_policy_blocks():
    parser = ForbiddenMarkup()
    parser.feed(
        '<script>alert(1)</script><script src="https://cdn.example/x.js"></script><style>p{}</style>'
        '<p style="color: red" onclick="go()"><a href="javascript:go()">x</a>'
        '<img src="https://image.tmdb.org/t/p/w342/a.jpg"><script src="/static/app.js"></script>'
    )

    assert parser.found == [
        "inline script: alert(1)",
        "<script> from https://cdn.example/x.js",
        "<style> element",
        "style= on <p>",
        "onclick= on <p>",
        "javascript: URL on <a>",
    ]

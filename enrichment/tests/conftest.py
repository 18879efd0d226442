"""A TMDB stand-in served from a thread of the test process, and settings that point at it."""

import threading

import pytest

from enrichment import ratelimit
from enrichment.fake_tmdb import DEFAULT_API_KEY, FakeTmdb, letterboxd_row, make_server

# Ports 8720-8729 are this suite's; the benchmark uses 8721.
FAKE_TMDB_PORT = 8720


def serve(fake, port):
    server = make_server(fake, port=port)
    server.allow_reuse_address = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def fake_tmdb_server():
    """Generous limits: these tests are about enrichment, the limiter's own tests tighten them."""
    fake = FakeTmdb(seed=11, size=400, limit=1000, window=1.0)
    server = serve(fake, FAKE_TMDB_PORT)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_tmdb(fake_tmdb_server, settings):
    fake_tmdb_server.reset()
    ratelimit.reset()
    settings.TMDB_API_BASE_URL = f"http://127.0.0.1:{FAKE_TMDB_PORT}/3"
    settings.TMDB_API_KEY = DEFAULT_API_KEY
    settings.TMDB_RATE_LIMIT_REQUESTS = 200
    settings.TMDB_RATE_LIMIT_SECONDS = 1
    settings.TMDB_RETRY_BACKOFF_SECONDS = 0.2
    yield fake_tmdb_server
    ratelimit.reset()


def catalog_film(fake, index):
    """The index-th catalog film as a Letterboxd row would name it: (title, year)."""
    return letterboxd_row(sorted(fake.films.values(), key=lambda film: film["id"])[index])


def session_with_movies(films, **session_fields):
    """An enriching session whose movies are the given (title, year) pairs, counted in total_movies."""
    from movies.tests.factories import MovieFactory
    from sessions.tests.factories import SessionFactory

    session = SessionFactory(total_movies=len(films), **session_fields)
    for title, year in films:
        MovieFactory(session=session, title=title, year=year)
    return session

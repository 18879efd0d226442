"""A TMDB stand-in served from a thread of the test process, and settings that point at it."""

import contextlib
import threading

import pytest

from enrichment.queueing import pace
from enrichment.standin.catalog import letterboxd_row
from enrichment.standin.server import DEFAULT_API_KEY, FakeTmdb, make_server
from enrichment.tmdb import ratelimit


def serve(fake, port=None):
    """Serve ``fake`` from a thread on ``port``, or on a free port the system picks.

    Not a fixed range: another copy of the suite may run at the same time on this machine, and a
    port freed by one test's stand-in must not be taken by the next one's, since a client's kept-alive
    connection to the old port would still be answered by the old stand-in's handler thread.
    """
    server = make_server(fake, port=port or 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def base_url(server):
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/3"


@contextlib.contextmanager
def served(fake):
    """``fake`` served from a thread while the block runs, its ``base_url`` set."""
    server = serve(fake)
    fake.base_url = base_url(server)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def fake_tmdb_server():
    """Generous limits: these tests are about enrichment, the limiter's own tests tighten them."""
    with served(FakeTmdb(seed=11, size=400, limit=1000, window=1.0)) as fake:
        yield fake


@pytest.fixture
def fake_tmdb(fake_tmdb_server, settings):
    fake_tmdb_server.reset()
    ratelimit.reset()
    pace.reset()
    settings.TMDB_API_BASE_URL = fake_tmdb_server.base_url
    settings.TMDB_API_KEY = DEFAULT_API_KEY
    settings.TMDB_RATE_LIMIT_REQUESTS = 200
    settings.TMDB_RATE_LIMIT_SECONDS = 1
    yield fake_tmdb_server
    ratelimit.reset()


RATE = 20  # requests a second: about 10 new films a second, everyone together


@pytest.fixture
def shared_rate(fake_tmdb, settings):
    """The limiter and the stand-in both at RATE a second: the stand-in counts any excess."""
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = RATE, 1
    limit, window = fake_tmdb.limit, fake_tmdb.window
    fake_tmdb.limit, fake_tmdb.window = RATE, 1.0
    fake_tmdb.reset()
    yield fake_tmdb
    fake_tmdb.limit, fake_tmdb.window = limit, window
    fake_tmdb.reset()


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

"""Degrade, don't fail: reads go on without Redis; without PostgreSQL every answer is a JSON 503."""

from contextlib import contextmanager

import pytest
from django.db import connection

from core import outage
from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.models import Session
from sessions.tests.exports import LetterboxdExport
from sessions.tests.factories import SessionFactory

# Nothing listens there: a Redis or PostgreSQL that is down.
CLOSED_PORT = 1
READ_PATHS = ["/api/session/{id}/status", "/api/session/{id}/movies", "/api/session/{id}/analytics"]


@pytest.fixture
def redis_down(settings, monkeypatch):
    monkeypatch.setattr(outage, "_last_logged", {})  # each test sees its own warning
    dead = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    settings.CACHES = {name: {**cache, "LOCATION": dead} for name, cache in settings.CACHES.items()}
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", READ_PATHS)
def test_reads_answer_from_postgresql_while_redis_is_down(client, redis_down, caplog, path):
    session = SessionFactory(
        status=Session.Status.COMPLETED, total_movies=2, enriched_count=1, not_found_count=1
    )
    EnrichedMovieFactory(session=session)
    MovieFactory(session=session, enrichment_status="not_found")

    response = client.get(path.format(id=session.pk))

    assert response.status_code == 200, response.content
    assert "unavailable" in caplog.text  # the fail-open is logged


@pytest.mark.django_db
def test_rate_limits_fail_open_while_redis_is_down(client, redis_down):
    redis_down.API_READ_RATE_LIMIT = (1, 60)
    session = SessionFactory()

    answers = [client.get(f"/api/session/{session.pk}/status").status_code for _ in range(3)]

    assert answers == [200, 200, 200]


@contextmanager
def database_unreachable():
    """The API's connection pointed at a port where no PostgreSQL listens, then restored."""
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = CLOSED_PORT
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port


@pytest.fixture
def postgresql_down():
    with database_unreachable():
        yield


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/session/7d0f3c0e-0000-4000-8000-000000000000/status"),
        ("get", "/api/session/7d0f3c0e-0000-4000-8000-000000000000/movies?skip=0&limit=1000"),
        ("get", "/api/session/7d0f3c0e-0000-4000-8000-000000000000/analytics"),
        ("delete", "/api/session/7d0f3c0e-0000-4000-8000-000000000000"),
    ],
)
def test_every_answer_is_a_json_503_while_postgresql_is_down(client, postgresql_down, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "database" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_postgresql_is_down_is_refused_and_nothing_is_stored(client):
    export = LetterboxdExport()
    export.film()
    with database_unreachable():
        response = client.post("/api/upload", {"files": [export.zip_upload()]})

    assert response.status_code == 503
    assert "Retry-After" in response
    assert Session.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_health_names_the_database_when_it_is_down(client, postgresql_down):
    response = client.get("/api/health")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
    assert "database" in response.json()["detail"]

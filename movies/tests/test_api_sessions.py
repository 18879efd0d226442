"""Session endpoints: details, status, delete, identical 404s, expiry, errors, limits, schema."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from movies import selectors
from movies.api.serializers import SessionDetailSerializer, SessionStatusSerializer
from movies.models import Movie, Watch
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

STATUS_FIELDS = {
    "session_id",
    "status",
    "total_movies",
    "enriched_count",
    "progress_percent",
    "created_at",
    "expires_at",
    "error_message",
}
SESSION_PATHS = [
    "/api/session/{id}",
    "/api/session/{id}/status",
    "/api/session/{id}/movies",
    "/api/session/{id}/analytics",
    "/api/session/{id}/export",
    "/api/session/{id}/export?format=csv",
    "/api/test/session/{id}/movies-summary",
    "/api/test/session/{id}/enrichment-stats",
    "/api/test/session/{id}/unenriched-movies",
]


def test_status_answers_the_contract_fields_from_the_counters(client):
    session = SessionFactory(total_movies=8, enriched_count=3, not_found_count=1, failed_count=2)

    body = client.get(f"/api/session/{session.pk}/status").json()

    assert body.keys() >= STATUS_FIELDS
    assert body["session_id"] == str(session.pk)
    # enriched_count: films the enrichment has finished with (DESIGN.md §4); matched_count: found on TMDB.
    assert (body["status"], body["total_movies"], body["enriched_count"]) == ("enriching", 8, 6)
    assert (body["matched_count"], body["not_found_count"], body["failed_count"]) == (3, 1, 2)
    assert body["progress_percent"] == 75.0  # 6 of 8 processed, whatever their outcome
    assert body["created_at"].endswith("Z") and "T" in body["created_at"]


@pytest.mark.parametrize("serializer_class", [SessionStatusSerializer, SessionDetailSerializer])
def test_session_answers_render_exactly_as_their_declared_fields(serializer_class):
    """The fast to_representation and DRF's field-by-field one give the same JSON (and schema)."""
    session = SessionFactory(
        completed_at=timezone.now(), upload_metadata={"files": [{"name": "watched.csv"}]}
    )
    serializer = serializer_class(session)

    generic = serializers.Serializer.to_representation(serializer, session)

    assert JSONRenderer().render(serializer.data) == JSONRenderer().render(generic)


def test_status_answers_the_same_values_as_the_details(client):
    session = SessionFactory(
        total_movies=5, enriched_count=2, error_message="", upload_metadata={"files": [{"name": "diary.csv"}]}
    )

    status = client.get(f"/api/session/{session.pk}/status").json()
    details = client.get(f"/api/session/{session.pk}").json()

    assert status == {name: details[name] for name in status}


def test_status_of_a_failed_session_carries_its_error_message(client):
    session = SessionFactory(status=Session.Status.FAILED, error_message="TMDB refused the API key.")

    body = client.get(f"/api/session/{session.pk}/status/").json()

    assert (body["status"], body["error_message"]) == ("failed", "TMDB refused the API key.")


def test_details_carry_progress_and_the_upload_metadata(client):
    metadata = {"files": [{"name": "watched.csv", "bytes": 120, "rows": 3}]}
    session = SessionFactory(total_movies=4, enriched_count=1, upload_metadata=metadata)

    body = client.get(f"/api/session/{session.pk}/").json()

    assert body.keys() >= STATUS_FIELDS
    assert body["metadata"] == metadata
    assert body["progress_percent"] == 25.0
    assert {"completed_at", "last_accessed", "not_found_count", "failed_count"} <= body.keys()


def test_paths_answer_with_and_without_a_trailing_slash(client):
    session = SessionFactory()
    for path in SESSION_PATHS:
        url = path.format(id=session.pk)
        slashed = url.replace("?", "/?") if "?" in url else url + "/"
        assert client.get(url).status_code == 200, url
        assert client.get(slashed).status_code == 200, slashed


def _expired_id():
    return SessionFactory(expires_at=timezone.now() - timedelta(seconds=1)).pk


def _deleted_id():
    session = SessionFactory()
    assert Client().delete(f"/api/session/{session.pk}").status_code == 204
    return session.pk


@pytest.mark.parametrize("path", SESSION_PATHS)
def test_unknown_malformed_expired_and_deleted_ids_get_the_same_404(client, path):
    ids = [uuid.uuid4(), "not-a-uuid", "12345", _expired_id(), _deleted_id()]

    answers = [client.get(path.format(id=session_id)) for session_id in ids]

    assert {response.status_code for response in answers} == {404}
    assert {response.content for response in answers} == {b'{"detail":"Session not found."}'}


def test_an_expired_session_cannot_be_deleted_either(client):
    assert client.delete(f"/api/session/{_expired_id()}").status_code == 404


def test_no_endpoint_lists_sessions(client):
    SessionFactory()
    for path in ("/api/session", "/api/session/", "/api/sessions"):
        response = client.get(path)
        assert response.status_code in (404, 405), path
        assert "detail" in response.json()


def test_delete_removes_the_session_with_its_movies_and_viewings_only(client):
    doomed = WatchFactory(movie=EnrichedMovieFactory()).movie.session
    kept = WatchFactory(movie=MovieFactory()).movie.session

    response = client.delete(f"/api/session/{doomed.pk}")

    assert response.status_code == 204
    assert not Session.objects.filter(pk=doomed.pk).exists()
    assert not Movie.objects.filter(session=doomed).exists()
    assert not Watch.objects.filter(movie__session=doomed).exists()
    assert Watch.objects.filter(movie__session=kept).count() == 1


# --- Expiry: every read extends it, but writes at most hourly ------------------------


def test_polling_a_recently_read_session_is_a_single_read(client, django_assert_num_queries):
    session = SessionFactory(last_accessed=timezone.now() - timedelta(minutes=30))
    before = Session.objects.get(pk=session.pk)

    for _ in range(3):
        with django_assert_num_queries(1):
            assert client.get(f"/api/session/{session.pk}/status").status_code == 200

    after = Session.objects.get(pk=session.pk)
    assert (after.expires_at, after.last_accessed) == (before.expires_at, before.last_accessed)


def test_a_read_over_an_hour_after_the_last_extension_extends_the_expiry_once(
    client, settings, django_assert_num_queries
):
    settings.SESSION_TTL_DAYS = 30
    long_ago = timezone.now() - timedelta(hours=2)
    session = SessionFactory(last_accessed=long_ago, expires_at=long_ago + timedelta(days=30))
    updated_at = Session.objects.get(pk=session.pk).updated_at

    with django_assert_num_queries(2):  # the read, then one conditional UPDATE
        body = client.get(f"/api/session/{session.pk}/status").json()
    with django_assert_num_queries(1):  # extended: back to a plain read
        client.get(f"/api/session/{session.pk}/status")

    stored = Session.objects.get(pk=session.pk)
    assert abs(stored.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert body["expires_at"] == stored.expires_at.isoformat().replace("+00:00", "Z")
    assert stored.updated_at == updated_at  # a read is not a change: the analytics cache stays valid


# --- One error shape --------------------------------------------------------------


def test_a_wrong_method_answers_405_with_a_detail(client):
    session = SessionFactory()
    response = client.put(f"/api/session/{session.pk}/status")
    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "PUT" not allowed.'


def test_an_unknown_path_answers_json_404(client):
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_crash_answers_json_500_without_internals(monkeypatch):
    session = SessionFactory()

    def crash(session, **query):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "session_analytics_json", crash)
    response = Client(raise_request_exception=False).get(f"/api/session/{session.pk}/analytics")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}


def test_upload_errors_keep_their_detail(client):
    response = client.post("/api/upload", {})
    assert response.status_code == 400
    assert "files" in response.json()["detail"]


# --- Limits and CORS --------------------------------------------------------------


def test_reads_beyond_the_limit_get_429_with_retry_after(client, settings):
    settings.API_READ_RATE_LIMIT = (2, 3600)  # one window for the whole test
    session = SessionFactory()
    url = f"/api/session/{session.pk}/status"

    answers = [client.get(url) for _ in range(3)]

    assert [response.status_code for response in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "throttled" in answers[2].json()["detail"].lower()


def test_writes_have_their_own_stricter_budget(client, settings):
    settings.API_READ_RATE_LIMIT = (100, 60)
    settings.API_WRITE_RATE_LIMIT = (1, 3600)
    first, second = SessionFactory(), SessionFactory()

    assert client.delete(f"/api/session/{first.pk}").status_code == 204
    assert client.delete(f"/api/session/{second.pk}").status_code == 429
    assert client.post("/api/upload", {}).status_code == 429  # uploads share the write budget
    assert client.get(f"/api/session/{second.pk}/status").status_code == 200


def test_the_spa_origin_may_call_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]
    session = SessionFactory()

    preflight = client.options(
        f"/api/session/{session.pk}/status",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    other = client.get(f"/api/session/{session.pk}/status", HTTP_ORIGIN="http://evil.example")

    assert preflight["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "Access-Control-Allow-Origin" not in other


def test_the_spa_may_read_an_exports_file_name_and_retry_after(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]
    session = SessionFactory()

    response = client.get(f"/api/session/{session.pk}/export", HTTP_ORIGIN="http://localhost:3000")

    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"Content-Disposition", "Retry-After"} <= exposed


# --- OpenAPI ----------------------------------------------------------------------


def test_the_schema_describes_the_contract_paths(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/upload/",
        "/api/session/{session_id}/",
        "/api/session/{session_id}/status/",
        "/api/session/{session_id}/movies/",
        "/api/session/{session_id}/analytics/",
        "/api/session/{session_id}/export/",
        "/api/session/import/",
        "/api/test/session/{session_id}/enrichment-stats/",
    ):
        assert path in schema["paths"], path
    movie_parameters = {
        p["name"] for p in schema["paths"]["/api/session/{session_id}/movies/"]["get"]["parameters"]
    }
    assert {"page", "per_page", "genre", "director", "year_min", "rated", "ordering"} <= movie_parameters


def test_the_upload_is_described_as_multipart_files(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    content = schema["paths"]["/api/upload/"]["post"]["requestBody"]["content"]

    assert "multipart/form-data" in content
    reference = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    files = schema["components"]["schemas"][reference]["properties"]["files"]
    assert files["type"] == "array"
    assert files["items"]["format"] == "binary"


def test_swagger_ui_is_served(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()

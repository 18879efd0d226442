"""The /api/test/session/{id}/... checks developers use while enrichment runs."""

from decimal import Decimal

import pytest

from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_movies_summary_lists_the_first_ten_with_enrichment_fields(client):
    session = SessionFactory(total_movies=12)
    for n in range(12):
        EnrichedMovieFactory(session=session, title=f"Film {n:02d}")

    body = get(client, f"/api/test/session/{session.pk}/movies-summary")

    assert [movie["title"] for movie in body["movies"]] == [f"Film {n:02d}" for n in range(10)]
    assert body["total_movies"] == 12
    first = body["movies"][0]
    assert (first["tmdb_enriched"], first["genres"], first["directors"], first["runtime"]) == (
        True,
        ["Drama"],
        ["Agnès Varda"],
        100,
    )


def test_enrichment_stats_count_outcomes_and_unique_values(client):
    session = SessionFactory(total_movies=5, enriched_count=2, not_found_count=1, failed_count=1)
    EnrichedMovieFactory(
        session=session,
        genres=["Drama", "Crime"],
        directors=["A"],
        original_language="en",
        country="USA",
        runtime=120,
        rating=Decimal("4"),
    )
    EnrichedMovieFactory(
        session=session,
        genres=["Drama"],
        directors=["B"],
        original_language="fr",
        country="France",
        runtime=90,
        rating=Decimal("3"),
    )
    MovieFactory(session=session, enrichment_status="not_found")
    MovieFactory(session=session, enrichment_status="failed")
    MovieFactory(session=session, rating=Decimal("2"))

    body = get(client, f"/api/test/session/{session.pk}/enrichment-stats")

    assert body == {
        "session_id": str(session.pk),
        "status": "enriching",
        "progress_percent": 80.0,
        "total_movies": 5,
        "enriched": 2,
        "pending": 1,
        "not_found": 1,
        "tv": 0,
        "failed": 1,
        "unique_genres": 2,
        "unique_directors": 2,
        "unique_languages": 2,
        "unique_countries": 2,
        "films_with_runtime": 2,
        "average_runtime_minutes": 105.0,
        "total_runtime_hours": 3.5,
        "rated_films": 3,
        "average_rating": 3.0,
    }


def test_unenriched_movies_lists_the_first_twenty_and_counts_them_all(client):
    session = SessionFactory()
    EnrichedMovieFactory(session=session, title="Aaa enriched")
    MovieFactory(session=session, title="Lost", enrichment_status="not_found")
    MovieFactory(session=session, title="Broken", enrichment_status="failed", enrichment_error="TMDB 503")
    for n in range(20):
        MovieFactory(session=session, title=f"Pending {n:02d}")

    body = get(client, f"/api/test/session/{session.pk}/unenriched-movies")

    assert body["total_unenriched"] == 22
    assert len(body["movies"]) == 20
    assert [movie["title"] for movie in body["movies"][:3]] == ["Broken", "Lost", "Pending 00"]
    broken = body["movies"][0]
    assert (broken["enrichment_status"], broken["enrichment_error"]) == ("failed", "TMDB 503")

"""The fields statistics need travel through export and import, so an imported session's figures match."""

from datetime import date

import pytest

from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, WatchFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

STATISTICS_FIELDS = {
    "release_date": date(1962, 4, 11),
    "original_language_name": "French",
    "directors": ["Agnès Varda"],
    "director_genders": [1],
    "writers": ["Agnès Varda"],
    "cinematographers": ["Jean Rabier"],
    "composers": ["Michel Legrand"],
}


def test_export_then_import_keeps_crew_release_date_and_language_name(client):
    session = SessionFactory()
    movie = EnrichedMovieFactory(session=session, title="Cléo from 5 to 7", year=1962, **STATISTICS_FIELDS)
    WatchFactory(movie=movie, watched_date=date(2023, 4, 11))

    document = client.get(f"/api/session/{session.pk}/export").json()
    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 201, response.content
    imported = Movie.objects.get(session_id=response.json()["session_id"])
    assert {name: getattr(imported, name) for name in STATISTICS_FIELDS} == STATISTICS_FIELDS
    original = client.get(f"/api/session/{session.pk}/analytics?year=2023").json()
    again = client.get(f"/api/session/{imported.session_id}/analytics?year=2023").json()
    assert again["people"] == original["people"] and again["release_lag"] == original["release_lag"]

"""The fields statistics need (release date, crew) reach each movie, fetched or from the cache."""

from datetime import date

import pytest

from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film, session_with_movies

pytestmark = pytest.mark.django_db


def enriched(title, year):
    movie = session_with_movies([(title, year)]).movies.get()
    enriching.enrich_movie(movie.pk)
    movie.refresh_from_db()
    return movie


def test_release_date_and_writers_come_with_the_details_and_from_the_cache(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 24)
    details = next(
        f for f in fake_tmdb.films.values() if f["title"] == title and f["release_date"][:4] == str(year)
    )

    fetched = enriched(title, year)
    fake_tmdb.reset()
    cached = enriched(title, year)

    assert fetched.release_date == date.fromisoformat(details["release_date"])
    # The stand-in credits its first director with the screenplay too.
    assert fetched.writers == [fetched.directors[0]]
    assert len(fetched.director_genders) == len(fetched.directors)
    assert (cached.release_date, cached.writers) == (fetched.release_date, fetched.writers)
    assert fake_tmdb.stats().get("requests", 0) == 0

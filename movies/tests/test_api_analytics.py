"""GET /api/session/{id}/analytics: figures checked by hand, constant queries, cache invalidation."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F

from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    """Four films; the expected figures below are worked out from these by hand."""
    session = SessionFactory(total_movies=4, enriched_count=3)
    alpha = EnrichedMovieFactory(
        session=session,
        title="Alpha",
        year=1994,
        rating=Decimal("4.5"),
        liked=True,
        genres=["Drama", "Crime"],
        directors=["Director One"],
        cast=["Actor X", "Actor Y"],
        runtime=120,
        popularity=50.0,
        vote_average=8.0,
        original_language="en",
        production_countries=["USA"],
    )
    WatchFactory(movie=alpha, watched_date=date(2020, 1, 6), rating=Decimal("4.5"))  # a Monday
    WatchFactory(movie=alpha, watched_date=date(2021, 3, 7), rewatch=True)  # a Sunday
    beta = EnrichedMovieFactory(
        session=session,
        title="Beta",
        year=2001,
        rating=Decimal("3"),
        genres=["Drama"],
        directors=["Director Two"],
        cast=["Actor X"],
        runtime=90,
        popularity=10.0,
        vote_average=6.0,
        original_language="fr",
        production_countries=["France", "Belgium"],
    )
    WatchFactory(movie=beta, watched_date=date(2020, 1, 7))  # a Tuesday
    WatchFactory(movie=beta, watched_date=None)  # logged without a date: a viewing, but undated
    EnrichedMovieFactory(
        session=session,
        title="Gamma",
        year=2008,
        rating=None,
        genres=["Comedy"],
        directors=["Director One"],
        cast=["Actor Z"],
        runtime=100,
        popularity=30.0,
        vote_average=7.0,
        original_language="en",
        production_countries=["USA"],
    )
    MovieFactory(session=session, title="Delta", year=1999, rating=Decimal("2.5"))  # not found on TMDB
    # A miniseries logged as a film: no film statistic counts it.
    MovieFactory(session=session, title="Epsilon", year=1960, enrichment_status="tv")
    return session


def analytics_of(client, session):
    response = client.get(f"/api/session/{session.pk}/analytics")
    assert response.status_code == 200, response.content
    return response.json()


def test_totals(client, session):
    body = analytics_of(client, session)
    totals = body["totals"]

    assert body["coverage"]["tv_entries"] == 1  # Epsilon: counted apart, in no film figure
    assert totals == {
        "films": 4,
        "enriched_films": 3,
        "rated_films": 3,
        "average_rating": 3.33,  # (4.5 + 3 + 2.5) / 3
        "liked_films": 1,
        "viewings": 6,  # Alpha 2, Beta 2, Gamma and Delta once each (no diary entry)
        "rewatches": 1,
        "hours_watched": 8.7,  # (120 * 2 + 90 * 2 + 100) / 60; Delta's runtime is unknown
    }


def test_counts_by_genre_director_and_actor_with_average_ratings(client, session):
    body = analytics_of(client, session)

    assert body["genres"] == [
        {"name": "Drama", "films": 2, "rated_films": 2, "average_rating": 3.75},
        {"name": "Comedy", "films": 1, "rated_films": 0, "average_rating": None},
        {"name": "Crime", "films": 1, "rated_films": 1, "average_rating": 4.5},
    ]
    assert body["directors"] == [
        {"name": "Director One", "films": 2, "rated_films": 1, "average_rating": 4.5},
        {"name": "Director Two", "films": 1, "rated_films": 1, "average_rating": 3.0},
    ]
    assert [(actor["name"], actor["films"]) for actor in body["actors"]] == [
        ("Actor X", 2),
        ("Actor Y", 1),
        ("Actor Z", 1),
    ]


def test_counts_by_country_language_decade_and_year(client, session):
    body = analytics_of(client, session)

    assert [(country["name"], country["films"]) for country in body["countries"]] == [
        ("USA", 2),
        ("Belgium", 1),
        ("France", 1),
    ]
    # Each entry also carries your average rating now (and languages their code and name).
    assert [(language["name"], language["films"]) for language in body["languages"]] == [("en", 2), ("fr", 1)]
    assert [(decade["decade"], decade["films"]) for decade in body["decades"]] == [(1990, 2), (2000, 2)]
    assert [(year["year"], year["films"]) for year in body["release_years"]] == [
        (1994, 1),
        (1999, 1),
        (2001, 1),
        (2008, 1),
    ]


def test_watches_by_year_month_and_weekday(client, session):
    body = analytics_of(client, session)

    assert body["watches_by_year"] == [{"year": 2020, "viewings": 2}, {"year": 2021, "viewings": 1}]
    assert body["watches_by_month"] == [
        {"month": "2020-01", "viewings": 2},
        {"month": "2021-03", "viewings": 1},
    ]
    assert body["watches_by_weekday"] == [
        {"weekday": "Monday", "viewings": 1},
        {"weekday": "Tuesday", "viewings": 1},
        {"weekday": "Wednesday", "viewings": 0},
        {"weekday": "Thursday", "viewings": 0},
        {"weekday": "Friday", "viewings": 0},
        {"weekday": "Saturday", "viewings": 0},
        {"weekday": "Sunday", "viewings": 1},
    ]


def test_rating_distribution_lists_every_half_star(client, session):
    distribution = analytics_of(client, session)["rating_distribution"]

    assert [entry["rating"] for entry in distribution] == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]
    assert {entry["rating"]: entry["films"] for entry in distribution if entry["films"]} == {
        2.5: 1,
        3.0: 1,
        4.5: 1,
    }


def test_your_rating_against_tmdb(client, session):
    # Alpha: 4.5 stars = 9 of 10 against TMDB's 8; Beta: 3 stars = 6 against 6.
    assert analytics_of(client, session)["rating_vs_tmdb"] == {
        "films": 2,
        "average_rating_out_of_10": 7.5,
        "average_tmdb_vote": 7.0,
        "average_difference": 0.5,
        "correlation": 1.0,
    }


def test_runtime_and_popularity_summaries(client, session):
    body = analytics_of(client, session)

    assert body["runtime"] == {
        "films": 3,
        "total": 310.0,
        "average": 103.33,
        "median": 100.0,
        "minimum": 90.0,
        "maximum": 120.0,
    }
    assert body["popularity"] == {
        "films": 3,
        "total": 90.0,
        "average": 30.0,
        "median": 30.0,
        "minimum": 10.0,
        "maximum": 50.0,
    }


def test_most_and_least_popular_films(client, session):
    body = analytics_of(client, session)

    assert [film["title"] for film in body["most_popular"]] == ["Alpha", "Gamma", "Beta"]
    assert [film["title"] for film in body["least_popular"]] == ["Beta", "Gamma", "Alpha"]
    assert body["most_popular"][0] | {"id": None} == {
        "id": None,
        "title": "Alpha",
        "year": 1994,
        "tmdb_id": Movie.objects.get(title="Alpha").tmdb_id,
        "popularity": 50.0,
        "vote_average": 8.0,
        "rating": 4.5,
    }


def test_an_empty_session_has_zeroes_not_errors(client):
    body = analytics_of(client, SessionFactory())

    assert body["totals"]["films"] == 0
    assert body["totals"]["hours_watched"] == 0
    assert body["genres"] == [] and body["most_popular"] == []
    assert body["runtime"]["average"] is None


@pytest.mark.parametrize("count", [2, 40])
def test_the_number_of_queries_does_not_grow_with_the_movies(client, django_assert_num_queries, count):
    session = SessionFactory()
    for n, movie in enumerate(EnrichedMovieFactory.create_batch(count, session=session, rating=Decimal("3"))):
        WatchFactory(movie=movie, watched_date=date(2020, 1 + n % 12, 1))

    # The session, then one query per group of figures.
    with django_assert_num_queries(34):  # issue 24: highest rated, top films, films per week, lists (2)
        body = analytics_of(client, session)

    assert body["totals"]["films"] == count


def test_a_second_read_comes_from_the_cache(client, session, django_assert_num_queries):
    first = analytics_of(client, session)

    with django_assert_num_queries(1):  # the session's primary-key read only
        assert analytics_of(client, session) == first


def test_enrichment_progress_invalidates_the_cache(client, session):
    assert [genre["name"] for genre in analytics_of(client, session)["genres"]] == [
        "Drama",
        "Comedy",
        "Crime",
    ]

    # What an enrichment task does: store the film's TMDB data, then bump a counter with F().
    Movie.objects.filter(title="Delta").update(enrichment_status="enriched", genres=["Western"], tmdb_id=9)
    Session.objects.filter(pk=session.pk).update(enriched_count=F("enriched_count") + 1)

    body = analytics_of(client, session)
    assert body["totals"]["enriched_films"] == 4
    assert "Western" in [genre["name"] for genre in body["genres"]]

"""GET /api/session/{id}/analytics?year=: every new figure worked out by hand, for all time and each year
(the session: movies/tests/two_year_session.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, WatchFactory
from movies.tests.two_year_session import ALPHA_RELEASE, BETA_RELEASE, GAMMA_RELEASE, two_year_session
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return two_year_session()


def analytics_of(client, session, query=""):
    response = client.get(f"/api/session/{session.pk}/analytics{query}")
    assert response.status_code == 200, response.content
    return response.json()


def movie_id(title):
    return Movie.objects.get(title=title).pk


def viewing(number, day, title, year):
    return {"number": number, "watched_date": day, "movie_id": movie_id(title), "title": title, "year": year}


def extremes(body):
    return {
        name: None if film is None else (film["title"], film["value"])
        for name, film in body["highs_and_lows"].items()
    }


def lag(seen, released):
    return (seen - released).days


# --- All time -----------------------------------------------------------------------------------


def test_all_time_headline_counts_rewatches_by_earlier_entry(client, session):
    body = analytics_of(client, session)

    assert body["year"] is None and body["years"] == [2020, 2021]  # Epsilon's 2022 is TV
    assert body["headline"] == {
        "viewings": 7,  # seven diary entries of films (Epsilon's are TV)
        "watched_without_diary": 1,  # Zeta, marked watched only: counted apart
        "films": 5,
        "hours": 13.7,  # (120*2 + 90*2 + 150*2 + 100) / 60; Delta's runtime unknown
        "reviews": 2,  # Beta's entry, Zeta's review
        "likes": 1,
        "rated_films": 4,
        "average_rating": 3.5,  # (4.5 + 3 + 2.5 + 4) / 4
        "new_to_me": 4,
        "rewatches": 3,  # Alpha's and Gamma's second entries, Beta's flagged one
        "new_to_me_share": 0.571,  # 4 / 7
    }
    assert body["change"] is None
    assert body["coverage"] == {
        "films": 5,
        "tmdb_films": 4,
        "films_without_tmdb": 1,
        "tv_entries": 1,
        "undated_films": 1,
        "liked_only_films": 0,
    }
    # The original totals keep their rule: Zeta marked watched counts once as a viewing.
    assert body["totals"]["films"] == 5 and body["totals"]["viewings"] == 8  # Epsilon left out


def test_all_time_milestones_highs_and_lows(client, session):
    body = analytics_of(client, session)

    assert body["milestones"] == {
        "first": viewing(1, "2020-12-30", "Alpha", 2019),
        "last": viewing(7, "2021-02-01", "Gamma", 1985),
        "numbered": [],
    }
    assert extremes(body) == {
        "highest_rated": ("Alpha", 4.5),
        "lowest_rated": ("Delta", 2.5),
        "most_popular": ("Alpha", 5000),
        "most_obscure": ("Gamma", 20),
        "longest": ("Gamma", 150),
        "shortest": ("Beta", 90),
        "newest": ("Beta", 2020),
        "oldest": ("Gamma", 1985),
        "biggest_disagreement": ("Beta", -2.5),  # 3 stars = 6 against TMDB's 8.5
    }
    assert body["based_on"]["votes"] == 4 and body["based_on"]["release_dates"] == 4


def test_all_time_rhythm(client, session):
    rhythm = analytics_of(client, session)["rhythm"]

    assert rhythm["per_week"] == [
        {"week_start": "2020-12-28", "viewings": 4},
        {"week_start": "2021-01-04", "viewings": 0},
        {"week_start": "2021-01-11", "viewings": 0},  # Epsilon's TV entry is not a film
        {"week_start": "2021-01-18", "viewings": 0},
        {"week_start": "2021-01-25", "viewings": 2},
        {"week_start": "2021-02-01", "viewings": 1},
    ]
    assert rhythm["busiest_week"] == {"week_start": "2020-12-28", "viewings": 4}
    assert rhythm["quietest_week"] == {"week_start": "2021-02-01", "viewings": 1}
    assert rhythm["weeks_without_film"] == 3
    assert rhythm["busiest_weekday"] == {"weekday": "Saturday", "viewings": 2}
    assert rhythm["busiest_day"] == {"date": "2020-12-30", "viewings": 1}  # ties: the earliest
    assert rhythm["longest_day_streak"] == {"days": 4, "first": "2020-12-30", "last": "2021-01-02"}
    assert rhythm["longest_week_streak"] == {"weeks": 2, "first": "2021-01-25", "last": "2021-02-01"}


def test_all_time_people_places_lag_tags_and_watchlist(client, session):
    body = analytics_of(client, session)

    assert body["directors"] == [
        {"name": "Ann Dir", "films": 2, "rated_films": 2, "average_rating": 4.25},
        {"name": "Bob Dir", "films": 1, "rated_films": 1, "average_rating": 3.0},
        {"name": "Cy Dir", "films": 1, "rated_films": 0, "average_rating": None},
    ]
    people = body["people"]
    assert people["writers"] == [{"name": "W One", "films": 1, "rated_films": 1, "average_rating": 4.5}]
    assert [person["name"] for person in people["cinematographers"] + people["composers"]] == [
        "C One",
        "M One",
    ]
    # Alpha and Zeta by a woman, Beta by a man, Gamma's director's gender unknown.
    assert people["directed_by_women"] == {
        "films": 4,
        "by_women": 2,
        "unknown": 1,
        "not_by_women": 1,
        "share_by_women": 0.667,
    }
    assert [
        (entry["code"], entry["language"], entry["films"], entry["average_rating"])
        for entry in body["languages"]
    ] == [
        ("en", "English", 2, 3.5),
        ("fr", "French", 1, 4.5),
        ("ja", "Japanese", 1, None),
    ]
    assert [country["name"] for country in body["countries"]] == [
        "Belgium",
        "France",
        "Japan",
        "United Kingdom",
        "United States of America",
    ]
    assert [(decade["decade"], decade["films"], decade["average_rating"]) for decade in body["decades"]] == [
        (1980, 1, None),
        (2000, 1, 4.0),
        (2010, 2, 3.5),  # Alpha 4.5 and Delta 2.5
        (2020, 1, 3.0),
    ]
    lags = sorted(
        [
            lag(date(2020, 12, 30), ALPHA_RELEASE),
            lag(date(2020, 12, 31), BETA_RELEASE),
            lag(date(2021, 1, 31), GAMMA_RELEASE),
        ]
    )
    assert body["release_lag"] == {
        "films": 3,  # Delta has no release date, Zeta no dated viewing
        "average_days": round(sum(lags) / 3, 1),
        "median_days": float(lags[1]),
        "within_a_month": 1,  # Beta: released on Monday, seen on Thursday
        "within_a_month_share": 0.333,
    }
    assert body["tags"] == [{"tag": "cinema", "viewings": 2}, {"tag": "friends", "viewings": 1}]
    assert body["watchlist"] == {
        "size": 2,
        "oldest": [
            {"title": "Wanted", "year": 1999, "letterboxd_uri": "", "added_on": "2018-01-01"},
            {"title": "Later", "year": None, "letterboxd_uri": "", "added_on": "2020-05-05"},
        ],
    }


# --- 2020 ---------------------------------------------------------------------------------------


def test_2020(client, session):
    body = analytics_of(client, session, "?year=2020")

    assert body["year"] == 2020 and body["years"] == [2020, 2021]
    assert body["headline"] == {
        "viewings": 2,
        "watched_without_diary": 0,
        "films": 2,
        "hours": 3.5,
        "reviews": 1,
        "likes": 1,
        "rated_films": 2,
        "average_rating": 3.75,
        "new_to_me": 2,
        "rewatches": 0,
        "new_to_me_share": 1.0,
    }
    # Nothing in 2019: no average rating, no share to compare with.
    assert body["change"] == {
        "films": {"previous": 0, "difference": 2},
        "viewings": {"previous": 0, "difference": 2},
        "hours": {"previous": 0.0, "difference": 3.5},
        "average_rating": {"previous": None, "difference": None},
        "new_to_me": {"previous": 0, "difference": 2},
        "rewatches": {"previous": 0, "difference": 0},
        "new_to_me_share": {"previous": None, "difference": None},
    }
    assert body["coverage"] == {
        "films": 2,
        "tmdb_films": 2,
        "films_without_tmdb": 0,
        "tv_entries": 0,
        "undated_films": 1,  # Zeta, in all-time figures only
        "liked_only_films": 0,
    }
    assert body["milestones"] == {
        "first": viewing(1, "2020-12-30", "Alpha", 2019),
        "last": viewing(2, "2020-12-31", "Beta", 2020),
        "numbered": [],
    }
    assert extremes(body) == {
        "highest_rated": ("Alpha", 4.5),
        "lowest_rated": ("Beta", 3.0),
        "most_popular": ("Alpha", 5000),
        "most_obscure": ("Beta", 100),
        "longest": ("Alpha", 120),
        "shortest": ("Beta", 90),
        "newest": ("Beta", 2020),
        "oldest": ("Alpha", 2019),
        "biggest_disagreement": ("Beta", -2.5),
    }
    rhythm = body["rhythm"]
    # 2020's weeks: from Monday 30 December 2019 to Monday 28 December 2020, 53 of them.
    assert len(rhythm["per_week"]) == 53 and rhythm["per_week"][0]["week_start"] == "2019-12-30"
    assert rhythm["weeks_without_film"] == 52
    assert rhythm["busiest_week"] == rhythm["quietest_week"] == {"week_start": "2020-12-28", "viewings": 2}
    assert rhythm["busiest_weekday"] == {"weekday": "Wednesday", "viewings": 1}
    assert rhythm["busiest_day"] == {"date": "2020-12-30", "viewings": 1}
    assert rhythm["longest_day_streak"] == {"days": 2, "first": "2020-12-30", "last": "2020-12-31"}
    assert rhythm["longest_week_streak"] == {"weeks": 1, "first": "2020-12-28", "last": "2020-12-28"}
    assert body["people"]["directed_by_women"] == {
        "films": 2,
        "by_women": 1,
        "unknown": 0,
        "not_by_women": 1,
        "share_by_women": 0.5,
    }
    alpha_lag, beta_lag = lag(date(2020, 12, 30), ALPHA_RELEASE), lag(date(2020, 12, 31), BETA_RELEASE)
    assert body["release_lag"] == {
        "films": 2,
        "average_days": (alpha_lag + beta_lag) / 2,
        "median_days": (alpha_lag + beta_lag) / 2,
        "within_a_month": 1,
        "within_a_month_share": 0.5,
    }
    assert body["tags"] == [{"tag": "cinema", "viewings": 1}]
    assert body["watches_by_year"] == [{"year": 2020, "viewings": 2}]


# --- 2021 ---------------------------------------------------------------------------------------


def test_2021(client, session):
    body = analytics_of(client, session, "?year=2021")

    assert body["headline"] == {
        "viewings": 5,
        "watched_without_diary": 0,  # never in a year
        "films": 4,
        "hours": 8.5,  # (120 + 90 + 150*2) / 60
        "reviews": 0,
        "likes": 1,
        "rated_films": 3,
        "average_rating": 3.33,  # (4.5 + 3 + 2.5) / 3: the entries carry none, so the films' ratings
        "new_to_me": 2,  # Gamma's first entry and Delta
        "rewatches": 3,
        "new_to_me_share": 0.4,
    }
    assert body["change"] == {
        "films": {"previous": 2, "difference": 2},
        "viewings": {"previous": 2, "difference": 3},
        "hours": {"previous": 3.5, "difference": 5.0},
        "average_rating": {"previous": 3.75, "difference": -0.42},
        # Counts change by counts (2 new to me both years: ±0) where the share lost 60 points.
        "new_to_me": {"previous": 2, "difference": 0},
        "rewatches": {"previous": 0, "difference": 3},
        "new_to_me_share": {"previous": 1.0, "difference": -0.6},
    }
    assert body["coverage"] == {
        "films": 4,
        "tmdb_films": 3,
        "films_without_tmdb": 1,  # Delta
        "tv_entries": 1,  # Epsilon, kept apart
        "undated_films": 1,
        "liked_only_films": 0,
    }
    assert body["milestones"] == {
        "first": viewing(1, "2021-01-01", "Beta", 2020),
        "last": viewing(5, "2021-02-01", "Gamma", 1985),
        "numbered": [],
    }
    assert extremes(body) == {
        "highest_rated": ("Alpha", 4.5),
        "lowest_rated": ("Delta", 2.5),
        "most_popular": ("Alpha", 5000),
        "most_obscure": ("Gamma", 20),
        "longest": ("Gamma", 150),
        "shortest": ("Beta", 90),
        "newest": ("Beta", 2020),
        "oldest": ("Gamma", 1985),
        "biggest_disagreement": ("Beta", -2.5),
    }
    rhythm = body["rhythm"]
    weeks_with_film = [week for week in rhythm["per_week"] if week["viewings"]]
    assert weeks_with_film == [
        {"week_start": "2020-12-28", "viewings": 2},  # 1 and 2 January
        {"week_start": "2021-01-25", "viewings": 2},
        {"week_start": "2021-02-01", "viewings": 1},
    ]
    assert len(rhythm["per_week"]) == 53 and rhythm["weeks_without_film"] == 50
    assert rhythm["busiest_week"] == {"week_start": "2020-12-28", "viewings": 2}
    assert rhythm["quietest_week"] == {"week_start": "2021-02-01", "viewings": 1}
    assert rhythm["busiest_weekday"] == {"weekday": "Saturday", "viewings": 2}
    assert rhythm["busiest_day"] == {"date": "2021-01-01", "viewings": 1}
    assert rhythm["longest_day_streak"] == {"days": 3, "first": "2021-01-30", "last": "2021-02-01"}
    assert rhythm["longest_week_streak"] == {"weeks": 2, "first": "2021-01-25", "last": "2021-02-01"}
    assert [(person["name"], person["films"]) for person in body["directors"]] == [
        ("Ann Dir", 1),
        ("Bob Dir", 1),
        ("Cy Dir", 1),
    ]
    assert body["people"]["directed_by_women"] == {
        "films": 3,
        "by_women": 1,
        "unknown": 1,
        "not_by_women": 1,
        "share_by_women": 0.5,
    }
    assert body["release_lag"]["films"] == 3 and body["release_lag"]["within_a_month"] == 1
    assert body["release_lag"]["median_days"] == lag(date(2021, 1, 2), ALPHA_RELEASE)
    assert body["tags"] == [{"tag": "cinema", "viewings": 1}, {"tag": "friends", "viewings": 1}]
    assert body["totals"]["viewings"] == 5 and body["totals"]["rewatches"] == 1  # flagged only, as before


def test_films_released_in_a_year(client, session):
    body = analytics_of(client, session, "?released=2020")

    assert body["released"] == 2020
    assert (body["headline"]["films"], body["headline"]["viewings"], body["headline"]["rewatches"]) == (
        1,
        2,
        1,
    )
    assert analytics_of(client, session, "?year=2021&released=2020")["headline"]["viewings"] == 1


def test_numbered_milestones(client):
    session = SessionFactory()
    movie = EnrichedMovieFactory(session=session, title="Again")
    for day in range(1, 101):
        WatchFactory(movie=movie, watched_date=date(2022, 1, 1) + timedelta(days=day))

    milestones = analytics_of(client, session, "?year=2022")["milestones"]

    assert [(entry["number"], entry["watched_date"]) for entry in milestones["numbered"]] == [
        (50, "2022-02-20"),
        (100, "2022-04-11"),
    ]
    assert milestones["last"]["number"] == 100


@pytest.mark.parametrize("query", ["?year=abc", "?year=99", "?released=1.5", "?year=99999"])
def test_an_implausible_year_is_refused_naming_it(client, session, query):
    response = client.get(f"/api/session/{session.pk}/analytics{query}")

    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()["detail"]


@pytest.mark.parametrize("count", [2, 30])
def test_the_number_of_queries_of_a_year_does_not_grow_with_the_movies(
    client, django_assert_num_queries, count
):
    session = SessionFactory()
    for n, movie in enumerate(EnrichedMovieFactory.create_batch(count, session=session, rating=Decimal("3"))):
        WatchFactory(movie=movie, watched_date=date(2021, 1 + n % 12, 1))
        WatchFactory(movie=movie, watched_date=date(2020, 1 + n % 12, 1))

    with django_assert_num_queries(37):  # the session, one per group of figures (6 of issue 24)
        body = analytics_of(client, session, "?year=2021")

    assert body["headline"]["films"] == count


def test_each_year_is_cached_apart_and_a_correction_invalidates_them(
    client, session, django_assert_num_queries
):
    first = analytics_of(client, session, "?year=2021")
    assert analytics_of(client, session, "?year=2020") != first
    with django_assert_num_queries(1):
        assert analytics_of(client, session, "?year=2021") == first

    # A match correction rewrites a movie's TMDB data and touches its session.
    Movie.objects.filter(title="Delta").update(enrichment_status="enriched", runtime=60, tmdb_id=77)
    Session.objects.get(pk=session.pk).save(update_fields=["updated_at"])

    assert analytics_of(client, session, "?year=2021")["headline"]["hours"] == 9.5


def test_without_redis_the_answer_is_computed_afresh(client, session, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)

    assert analytics_of(client, session, "?year=2021")["headline"]["viewings"] == 5

"""The Pro-parity sections of GET …/analytics (issue 24), worked out by hand.

    Drama 1-5    France, fr   rated 4, 4, 4, 5, 3   directors Ann, Ann, Ann, Bob, Bob
    Comedy 1-5   USA, en      rated 2, 3, 3, 2, 5   directors Bob, Cy, Cy, Cy, Cy
    Drama 6      France, fr   unrated
    Horror       Japan, ja    rated 5               seen twice
One viewing each from 2 to 12 January 2023 (Drama 6 none), Horror again on the 13th. Drama 1 and
Comedy 1 are 2023 films.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from movies.tests.factories import EnrichedMovieFactory, WatchFactory
from movies.tests.helpers import analytics_answer
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

FRANCE, USA = ("France", "fr", "French"), ("United States of America", "en", "English")


@pytest.fixture
def session():
    session = SessionFactory(status="completed")
    films = [
        ("Drama 1", "4", "Ann", FRANCE, ["Drama"], 2023),
        ("Drama 2", "4", "Ann", FRANCE, ["Drama"], 2001),
        ("Drama 3", "4", "Ann", FRANCE, ["Drama"], 2001),
        ("Drama 4", "5", "Bob", FRANCE, ["Drama"], 2001),
        ("Drama 5", "3", "Bob", FRANCE, ["Drama"], 2001),
        ("Comedy 1", "2", "Bob", USA, ["Comedy"], 2023),
        ("Comedy 2", "3", "Cy", USA, ["Comedy"], 2001),
        ("Comedy 3", "3", "Cy", USA, ["Comedy"], 2001),
        ("Comedy 4", "2", "Cy", USA, ["Comedy"], 2001),
        ("Comedy 5", "5", "Cy", USA, ["Comedy"], 2001),
        ("Horror", "5", "Dee", ("Japan", "ja", "Japanese"), ["Horror"], 2001),
    ]
    for day, (title, rating, director, (country, code, language), genres, year) in enumerate(films):
        movie = EnrichedMovieFactory(
            session=session, title=title, year=year, rating=Decimal(rating), directors=[director],
            production_countries=[country], original_language=code, original_language_name=language,
            genres=genres, poster_path=f"/{title[0].lower()}{day}.jpg",
        )  # fmt: skip
        WatchFactory(movie=movie, watched_date=date(2023, 1, 2) + timedelta(days=day))
    WatchFactory(movie=movie, watched_date=date(2023, 1, 13))  # Horror again
    EnrichedMovieFactory(session=session, title="Drama 6", genres=["Drama"], production_countries=["France"])
    return session


def ranked(rows):
    return [(row["name"], row["films"], row["average_rating"]) for row in rows]


def test_highest_rated_names_need_the_stated_minimum_of_rated_films(client, session):
    highest = analytics_answer(client, session.pk)["highest_rated"]

    assert highest["minimum_rated_films"] == {
        "genres": 5, "countries": 5, "languages": 5, "directors": 3, "actors": 3,
    }  # fmt: skip
    # Horror and Japan have one rated film: below the minimum. Drama 6 is unrated: not counted.
    assert ranked(highest["genres"]) == [("Drama", 5, 4.0), ("Comedy", 5, 3.0)]
    assert ranked(highest["countries"]) == [("France", 5, 4.0), ("United States of America", 5, 3.0)]
    assert [(row["name"], row["language"], row["average_rating"]) for row in highest["languages"]] == [
        ("fr", "French", 4.0),
        ("en", "English", 3.0),
    ]
    # Bob: 5, 3 and 2; Cy: 3, 3, 2 and 5; Dee has one film.
    assert ranked(highest["directors"]) == [("Ann", 3, 4.0), ("Bob", 3, 3.33), ("Cy", 4, 3.25)]
    # Everyone's two actors, in all 11 rated films: 40 / 11.
    assert ranked(highest["actors"]) == [("Actor One", 11, 3.64), ("Actor Two", 11, 3.64)]


def test_top_films_rank_by_rating_then_viewings_with_posters(client, session):
    top = analytics_answer(client, session.pk, "?year=2023")["top_films"]

    assert [(film["title"], film["rating"], film["viewings"]) for film in top[:4]] == [
        ("Horror", 5.0, 2),
        ("Comedy 5", 5.0, 1),
        ("Drama 4", 5.0, 1),
        ("Drama 1", 4.0, 1),
    ]
    assert top[0]["poster_path"] == "/h10.jpg" and len(top) == 10


def test_films_released_in_the_year_and_films_per_week(client, session):
    year = analytics_answer(client, session.pk, "?year=2023")
    released = year["released_in_year"]

    assert released["films"] == 2
    top = [(film["title"], film["rating"]) for film in released["top"]]
    assert top == [("Drama 1", 4.0), ("Comedy 1", 2.0)]
    # Twelve viewings over 2023's 365 days: 52.1 weeks.
    assert year["films_per_week"] == {"viewings": 12, "weeks": 52.1, "average": 0.23}

    all_time = analytics_answer(client, session.pk)
    assert all_time["released_in_year"] is None
    # 2 to 13 January: 12 days, 12 / (12 / 7) = 7 a week.
    assert all_time["films_per_week"] == {"viewings": 12, "weeks": 1.7, "average": 7.0}

"""A small session spanning 2020 and 2021, whose statistics the tests work out by hand.

Diary dates (weekdays in comments):

    Alpha    2019-06-01 release  4.5, liked   entries 2020-12-30 Wed (tag cinema), 2021-01-02 Sat
    Beta     2020-12-28 release  3            entries 2020-12-31 Thu (review), 2021-01-01 Fri (flagged, tags)
    Gamma    1985-03-01 release  unrated      entries 2021-01-31 Sun, 2021-02-01 Mon
    Delta    not found on TMDB   2.5          entry   2021-01-30 Sat
    Zeta     2000-01-01 release  4            marked watched only (undated), reviewed
    Epsilon  TV                  5            entries 2021-01-15, 2022-03-01: never a film

Alpha's and Gamma's second entries are rewatches by an earlier entry (not flagged); Beta is released
and seen the same week; 30 Dec - 2 Jan and 30 Jan - 1 Feb are day streaks across a month boundary;
2021's weeks of 4, 11 and 18 January have no film (Epsilon's TV entry does not count).
"""

from datetime import date
from decimal import Decimal

from movies.models import WatchlistEntry
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

WOMAN, MAN, UNKNOWN = 1, 2, 0
ALPHA_RELEASE, BETA_RELEASE, GAMMA_RELEASE = date(2019, 6, 1), date(2020, 12, 28), date(1985, 3, 1)


def two_year_session():
    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=6, enriched_count=4)
    alpha = EnrichedMovieFactory(
        session=session,
        title="Alpha",
        year=2019,
        release_date=ALPHA_RELEASE,
        rating=Decimal("4.5"),
        liked=True,
        genres=["Drama"],
        directors=["Ann Dir"],
        director_genders=[WOMAN],
        cast=["Actor X"],
        writers=["W One"],
        cinematographers=["C One"],
        composers=["M One"],
        runtime=120,
        vote_count=5000,
        vote_average=7.0,
        original_language="fr",
        original_language_name="French",
        production_countries=["France", "Belgium"],
    )
    WatchFactory(movie=alpha, watched_date=date(2020, 12, 30), tags=["cinema"])
    WatchFactory(movie=alpha, watched_date=date(2021, 1, 2))
    beta = EnrichedMovieFactory(
        session=session,
        title="Beta",
        year=2020,
        release_date=BETA_RELEASE,
        rating=Decimal("3"),
        genres=["Comedy"],
        directors=["Bob Dir"],
        director_genders=[MAN],
        cast=["Actor X", "Actor Y"],
        runtime=90,
        vote_count=100,
        vote_average=8.5,
        original_language="en",
        original_language_name="English",
        production_countries=["United States of America"],
    )
    WatchFactory(movie=beta, watched_date=date(2020, 12, 31), review="Great")
    WatchFactory(movie=beta, watched_date=date(2021, 1, 1), rewatch=True, tags=["cinema", "friends"])
    gamma = EnrichedMovieFactory(
        session=session,
        title="Gamma",
        year=1985,
        release_date=GAMMA_RELEASE,
        rating=None,
        genres=["Drama", "Animation"],
        directors=["Cy Dir"],
        director_genders=[UNKNOWN],
        runtime=150,
        vote_count=20,
        vote_average=6.0,
        original_language="ja",
        original_language_name="Japanese",
        production_countries=["Japan"],
    )
    WatchFactory(movie=gamma, watched_date=date(2021, 1, 31))
    WatchFactory(movie=gamma, watched_date=date(2021, 2, 1))
    delta = MovieFactory(
        session=session, title="Delta", year=2010, rating=Decimal("2.5"), enrichment_status="not_found"
    )
    WatchFactory(movie=delta, watched_date=date(2021, 1, 30))
    EnrichedMovieFactory(
        session=session,
        title="Zeta",
        year=2000,
        release_date=date(2000, 1, 1),
        rating=Decimal("4"),
        marked_watched_on=date(2019, 5, 5),
        review="Old favourite",
        genres=["Comedy"],
        directors=["Ann Dir"],
        director_genders=[WOMAN],
        runtime=100,
        vote_count=300,
        vote_average=6.5,
        original_language="en",
        original_language_name="English",
        production_countries=["United Kingdom"],
    )
    epsilon = EnrichedMovieFactory(
        session=session, title="Epsilon", year=2016, rating=Decimal("5"), enrichment_status="tv", runtime=60
    )
    WatchFactory(movie=epsilon, watched_date=date(2021, 1, 15))
    WatchFactory(movie=epsilon, watched_date=date(2022, 3, 1))
    WatchlistEntry.objects.create(session=session, title="Later", year=None, added_on=date(2020, 5, 5))
    WatchlistEntry.objects.create(session=session, title="Wanted", year=1999, added_on=date(2018, 1, 1))
    return session

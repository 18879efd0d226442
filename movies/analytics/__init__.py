"""Statistics of one session, computed by PostgreSQL in a fixed number of aggregate queries.

Every function takes a Scope (scope.py: all time or one year, optionally one release year) and
returns plain data, ready to be cached and serialized. Nothing loops over movies in Python.
"""

from movies.analytics import catalog, diary, overview, pro, ratings, rhythm
from movies.analytics.progress import enrichment_stats
from movies.analytics.scope import Scope, materialized

__all__ = ["Scope", "enrichment_stats", "session_analytics"]


def session_analytics(scope):
    previous_year = None if scope.year is None else overview.headline_and_totals(scope.previous_year())[0]
    with materialized(scope) as tables:
        return _sections(tables, previous_year)


def _sections(scope, previous_year):
    headline, totals = overview.headline_and_totals(scope)
    coverage, based_on = overview.coverage(scope)
    people = catalog.people(scope)
    by_date = rhythm.watches_by_date(scope)
    whole_session = scope.year is None and scope.released is None
    return {
        "year": scope.year,
        "released": scope.released,
        "years": [entry["year"] for entry in by_date["watches_by_year"]]
        if whole_session
        else overview.years(scope.session_id),
        "coverage": coverage,
        "based_on": based_on,
        # The original sections, now for the scope.
        "totals": totals,
        "genres": catalog.counts_by_array(scope, "genres"),
        "directors": people["directors"],
        "actors": people["actors"],
        "countries": catalog.counts_by_array(scope, "production_countries"),
        "languages": catalog.languages(scope),
        "decades": catalog.counts_by_year(scope, "(year / 10) * 10", "decade"),
        "release_years": catalog.counts_by_year(scope, "year", "year"),
        **by_date,
        "rating_distribution": ratings.rating_distribution(scope),
        "rating_vs_tmdb": ratings.rating_vs_tmdb(scope),
        "runtime": ratings.summary(scope, "runtime"),
        "popularity": ratings.summary(scope, "popularity"),
        "most_popular": ratings.films_by_popularity(scope, most=True),
        "least_popular": ratings.films_by_popularity(scope, most=False),
        # Issue 13: what Letterboxd Pro shows, and more.
        "headline": headline,
        "change": None if previous_year is None else overview.change(headline, previous_year),
        "milestones": overview.milestones(scope),
        "highs_and_lows": ratings.highs_and_lows(scope),
        "rhythm": rhythm.rhythm(scope),
        "people": {
            **{role: names for role, names in people.items() if role not in ("directors", "actors")},
            "directed_by_women": catalog.directed_by_women(scope),
        },
        "release_lag": catalog.release_lag(scope),
        "tags": diary.tags(scope),
        "watchlist": diary.watchlist(scope),
        # Issue 24: the rest of what Letterboxd Pro shows.
        "highest_rated": pro.highest_rated(scope),
        "top_films": pro.top_films(scope),
        "released_in_year": pro.released_in_year(scope),
        "films_per_week": pro.films_per_week(scope),
        "lists": pro.lists(scope),
    }

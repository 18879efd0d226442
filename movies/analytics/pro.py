"""What Letterboxd Pro shows beside the counts: the highest-rated genres, countries, languages,
directors and actors (by your average rating, with a minimum of rated films), the year's top
films, the films released in the year, films per week on average, and the member's lists."""

from movies.analytics.scope import MOVIE, number, one, rows
from movies.models import FilmList, FilmListEntry

LISTS, LIST_ENTRIES = FilmList._meta.db_table, FilmListEntry._meta.db_table
TOP_LISTS = 5

TOP_RANKED = 10
TOP_FILMS = 10
# Rated films a name needs to be ranked by its average: Letterboxd does not document its own
# minimums, so these are ours, and the answer states them.
MINIMUM_RATED = {"genres": 5, "countries": 5, "languages": 5, "directors": 3, "actors": 3}
RANKED_COLUMNS = {
    "genres": "genres",
    "countries": "production_countries",
    "languages": "ARRAY[original_language]",
    "directors": "directors",
    "actors": '"cast"',
}


def highest_rated(scope):
    """Per dimension, the names whose rated films you rate highest on average (your current
    rating of each film), ties to the more films then by name; in one query."""
    ranked = " UNION ALL ".join(
        f"""(SELECT '{kind}' AS kind, name, count(*) AS films, avg(rating::float) AS average_rating,
                    max(language) AS language
             FROM (SELECT unnest({column}) AS name, rating, original_language_name AS language
                   FROM films WHERE rating IS NOT NULL) rated
             WHERE name IS NOT NULL AND name <> ''
             GROUP BY name HAVING count(*) >= {MINIMUM_RATED[kind]}
             ORDER BY average_rating DESC, films DESC, name LIMIT %(limit)s)"""
        for kind, column in RANKED_COLUMNS.items()
    )
    answer = {kind: [] for kind in RANKED_COLUMNS}
    for row in rows(scope, ranked, {"limit": TOP_RANKED}):
        kind = row.pop("kind")
        language = row.pop("language")
        entry = {**row, "average_rating": number(row["average_rating"])}
        if kind == "languages":
            entry["language"] = language or None
        answer[kind].append(entry)
    return {"minimum_rated_films": MINIMUM_RATED, **answer}


def top_films(scope):
    """The films you rate highest (current rating), then the most viewed, with their posters."""
    return [
        {**row, "rating": number(row["rating"], 1)}
        for row in rows(
            scope,
            """
            SELECT f.id, f.title, f.year, f.tmdb_id, f.poster_path, f.rating, count(v.movie_id) AS viewings
            FROM films f LEFT JOIN viewings v ON v.movie_id = f.id
            WHERE f.rating IS NOT NULL
            GROUP BY f.id, f.title, f.year, f.tmdb_id, f.poster_path, f.rating
            ORDER BY f.rating DESC, viewings DESC, f.title, f.id LIMIT %(limit)s
            """,
            {"limit": TOP_FILMS},
        )
    ]


def released_in_year(scope):
    """For a year: how many of its films were released that year (Letterboxd's year), and the
    first of them by your rating. Null for all time."""
    if scope.year is None:
        return None
    found = rows(
        scope,
        """
        SELECT id, title, year, tmdb_id, poster_path, rating, count(*) OVER () AS total
        FROM films WHERE year = %(film_year)s
        ORDER BY rating DESC NULLS LAST, title, id LIMIT %(limit)s
        """,
        {"film_year": scope.year, "limit": TOP_FILMS},
    )
    total = found[0]["total"] if found else 0
    for row in found:
        del row["total"]
    return {
        "films": total,
        "top": [{**row, "rating": number(row["rating"], 1)} for row in found],
    }


def films_per_week(scope):
    """Viewings (diary entries) per week on average: over the year's weeks so far for a year, over
    the weeks from the first dated viewing to the last for all time."""
    if scope.year is not None:
        span = "greatest(least(%(end)s::date, current_date) - %(start)s::date + 1, 1)"
    else:
        span = "max(watched_date) - min(watched_date) + 1"
    row = one(
        scope,
        f"""
        SELECT count(*) AS viewings, ({span}) / 7.0 AS weeks
        FROM viewings WHERE watched_date IS NOT NULL
        """,
    )
    weeks = row["weeks"]
    return {
        "viewings": row["viewings"],
        "weeks": number(weeks, 1),
        "average": number(row["viewings"] / float(weeks)) if weeks else None,
    }


def lists(scope):
    """The member's lists as they are now, whatever the year: how many, the biggest, and the films
    on most of them (with the session's movie when the member watched it)."""
    found = rows(
        scope,
        f"""
        SELECT 'list' AS kind, l.name AS title, NULL::int AS year, l.url, count(e.id) AS films,
               NULL::bigint AS movie_id, count(*) OVER () AS total
        FROM {LISTS} l LEFT JOIN {LIST_ENTRIES} e ON e.film_list_id = l.id
        WHERE l.session_id = %(session)s GROUP BY l.id ORDER BY films DESC, l.name LIMIT %(lists)s
        """,
        {"lists": TOP_LISTS},
    )
    listed = rows(
        scope,
        f"""
        SELECT min(e.title) AS title, min(e.year) AS year, e.key, count(DISTINCT e.film_list_id) AS lists,
               (SELECT m.id FROM {MOVIE} m WHERE m.session_id = %(session)s AND m.key = e.key) AS movie_id
        FROM {LIST_ENTRIES} e JOIN {LISTS} l ON l.id = e.film_list_id
        WHERE l.session_id = %(session)s
        GROUP BY e.key HAVING count(DISTINCT e.film_list_id) > 1
        ORDER BY lists DESC, title, e.key LIMIT %(films)s
        """,
        {"films": TOP_FILMS},
    )
    return {
        "count": found[0]["total"] if found else 0,
        "biggest": [{"name": row["title"], "url": row["url"], "films": row["films"]} for row in found],
        "most_listed": listed,
    }

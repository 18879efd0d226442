"""Statistics of one session, computed by PostgreSQL: a fixed number of aggregate queries.

Every function takes a session id and returns plain data (numbers as float or int),
ready to be cached and serialized. Nothing loops over movies in Python.
"""

from django.db import connection

from movies.models import Movie, Watch

MOVIE = Movie._meta.db_table
WATCH = Watch._meta.db_table
ENRICHED = Movie.EnrichmentStatus.ENRICHED
# Rows TMDB knows as TV are no films: counted apart, left out of every film statistic.
TV = Movie.EnrichmentStatus.TV
# Directors and actors are long-tailed: the API lists the most frequent.
TOP_PEOPLE = 50
TOP_FILMS = 10
HALF_STARS = [n / 2 for n in range(1, 11)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Diary entries per movie; a film logged in no diary entry was still watched once.
VIEWINGS_PER_MOVIE = f"""
    SELECT movie_id, count(*) AS viewings, count(*) FILTER (WHERE rewatch) AS rewatches
    FROM {WATCH} GROUP BY movie_id
"""


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _number(value, digits=2):
    return None if value is None else round(float(value), digits)


def session_analytics(session_id):
    return {
        "totals": totals(session_id),
        "genres": counts_by_array(session_id, "genres"),
        "directors": counts_by_array(session_id, "directors", limit=TOP_PEOPLE),
        "actors": counts_by_array(session_id, "cast", limit=TOP_PEOPLE),
        "countries": counts_by_array(session_id, "production_countries"),
        "languages": counts_by_value(session_id, "original_language", label="name"),
        "decades": counts_by_value(session_id, "(year / 10) * 10", label="decade", by_count=False),
        "release_years": counts_by_value(session_id, "year", label="year", by_count=False),
        **watches_by_date(session_id),
        "rating_distribution": rating_distribution(session_id),
        "rating_vs_tmdb": rating_vs_tmdb(session_id),
        "runtime": summary(session_id, "runtime"),
        "popularity": summary(session_id, "popularity"),
        "most_popular": films_by_popularity(session_id, most=True),
        "least_popular": films_by_popularity(session_id, most=False),
    }


def totals(session_id):
    [row] = _rows(
        f"""
        SELECT count(*) AS films,
               count(*) FILTER (WHERE m.enrichment_status = %s) AS enriched_films,
               (SELECT count(*) FROM {MOVIE} WHERE session_id = %s AND enrichment_status = %s) AS tv_entries,
               count(m.rating) AS rated_films,
               avg(m.rating) AS average_rating,
               count(*) FILTER (WHERE m.liked) AS liked_films,
               coalesce(sum(greatest(w.viewings, 1)), 0)::bigint AS viewings,
               coalesce(sum(w.rewatches), 0)::bigint AS rewatches,
               coalesce(sum(m.runtime * greatest(w.viewings, 1)), 0) AS minutes_watched
        FROM {MOVIE} m LEFT JOIN ({VIEWINGS_PER_MOVIE}) w ON w.movie_id = m.id
        WHERE m.session_id = %s AND m.enrichment_status <> %s
        """,
        [ENRICHED, session_id, TV, session_id, TV],
    )
    minutes = row.pop("minutes_watched")
    return {
        **row,
        "average_rating": _number(row["average_rating"]),
        "hours_watched": _number(minutes / 60, 1),
    }


def counts_by_array(session_id, column, limit=None):
    """Films per element of an array column (genres, people, countries), with their average rating."""
    return [
        {**row, "average_rating": _number(row["average_rating"])}
        for row in _rows(
            f"""
            SELECT name, count(*) AS films, count(m.rating) AS rated_films, avg(m.rating) AS average_rating
            FROM {MOVIE} m CROSS JOIN LATERAL unnest(m.{column}) AS name
            WHERE m.session_id = %s
            GROUP BY name ORDER BY films DESC, name LIMIT %s
            """,
            [session_id, limit],
        )
    ]


def counts_by_value(session_id, expression, *, label, by_count=True):
    """Films per value of a column or expression (most frequent first, or in value order).

    Unknown (null or empty) values are left out.
    """
    order = "films DESC, value" if by_count else "value"
    return _rows(
        f"""
        SELECT value AS {label}, count(*) AS films
        FROM (SELECT {expression} AS value FROM {MOVIE} WHERE session_id = %s AND enrichment_status <> %s) v
        WHERE value IS NOT NULL AND value::text <> ''
        GROUP BY value ORDER BY {order}
        """,
        [session_id, TV],
    )


def watches_by_date(session_id):
    """Diary entries per year, per month and per weekday (dated viewings only)."""
    rows = _rows(
        f"""
        SELECT year, month, weekday, count(*) AS viewings
        FROM (
            SELECT extract(year FROM w.watched_date)::int AS year,
                   to_char(w.watched_date, 'YYYY-MM') AS month,
                   extract(isodow FROM w.watched_date)::int AS weekday
            FROM {WATCH} w JOIN {MOVIE} m ON m.id = w.movie_id
            WHERE m.session_id = %s AND w.watched_date IS NOT NULL
        ) dated
        GROUP BY GROUPING SETS ((year), (month), (weekday))
        """,
        [session_id],
    )
    by_weekday = {row["weekday"]: row["viewings"] for row in rows if row["weekday"] is not None}
    return {
        "watches_by_year": sorted(
            ({"year": row["year"], "viewings": row["viewings"]} for row in rows if row["year"] is not None),
            key=lambda entry: entry["year"],
        ),
        "watches_by_month": sorted(
            (
                {"month": row["month"], "viewings": row["viewings"]}
                for row in rows
                if row["month"] is not None
            ),
            key=lambda entry: entry["month"],
        ),
        "watches_by_weekday": [
            {"weekday": name, "viewings": by_weekday.get(number, 0)}
            for number, name in enumerate(WEEKDAYS, start=1)
        ],
    }


def rating_distribution(session_id):
    """Films per rating, every half star from 0.5 to 5 listed."""
    counts = {
        float(row["rating"]): row["films"]
        for row in _rows(
            f"""
            SELECT rating, count(*) AS films FROM {MOVIE}
            WHERE session_id = %s AND rating IS NOT NULL GROUP BY rating
            """,
            [session_id],
        )
    }
    return [{"rating": stars, "films": counts.get(stars, 0)} for stars in HALF_STARS]


def rating_vs_tmdb(session_id):
    """Your rating (out of 5, doubled to TMDB's 10) against TMDB's vote average, for films with both."""
    [row] = _rows(
        f"""
        SELECT count(*) AS films,
               avg(rating * 2) AS average_rating_out_of_10,
               avg(vote_average) AS average_tmdb_vote,
               avg(rating * 2 - vote_average) AS average_difference,
               corr(rating::float, vote_average) AS correlation
        FROM {MOVIE}
        WHERE session_id = %s AND rating IS NOT NULL AND vote_average IS NOT NULL
        """,
        [session_id],
    )
    return {key: value if key == "films" else _number(value, 3) for key, value in row.items()}


def summary(session_id, column):
    """Count, total, mean, median, minimum and maximum of a numeric column; unknown values left out."""
    [row] = _rows(
        f"""
        SELECT count({column}) AS films, sum({column}) AS total, avg({column}) AS average,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}) AS median,
               min({column}) AS minimum, max({column}) AS maximum
        FROM {MOVIE} WHERE session_id = %s
        """,
        [session_id],
    )
    return {key: value if key == "films" else _number(value) for key, value in row.items()}


def films_by_popularity(session_id, *, most):
    direction = "DESC" if most else "ASC"
    return [
        {**row, "rating": _number(row["rating"], 1)}
        for row in _rows(
            f"""
            SELECT id, title, year, tmdb_id, popularity, vote_average, rating FROM {MOVIE}
            WHERE session_id = %s AND popularity IS NOT NULL
            ORDER BY popularity {direction}, title, id LIMIT %s
            """,
            [session_id, TOP_FILMS],
        )
    ]


def enrichment_stats(session_id):
    """How far enrichment got and what it found: counts and unique values, in one query."""
    [row] = _rows(
        f"""
        SELECT count(*) AS total_movies,
               count(*) FILTER (WHERE enrichment_status = 'enriched') AS enriched,
               count(*) FILTER (WHERE enrichment_status = 'pending') AS pending,
               count(*) FILTER (WHERE enrichment_status = 'not_found') AS not_found,
               count(*) FILTER (WHERE enrichment_status = 'failed') AS failed,
               count(*) FILTER (WHERE enrichment_status = 'tv') AS tv,
               (SELECT count(DISTINCT g) FROM {MOVIE} m, unnest(m.genres) g WHERE m.session_id = %s)
                   AS unique_genres,
               (SELECT count(DISTINCT d) FROM {MOVIE} m, unnest(m.directors) d WHERE m.session_id = %s)
                   AS unique_directors,
               count(DISTINCT nullif(original_language, '')) AS unique_languages,
               count(DISTINCT nullif(country, '')) AS unique_countries,
               count(runtime) AS films_with_runtime,
               avg(runtime) AS average_runtime_minutes,
               coalesce(sum(runtime), 0) / 60.0 AS total_runtime_hours,
               count(rating) AS rated_films,
               avg(rating) AS average_rating
        FROM {MOVIE} WHERE session_id = %s
        """,
        [session_id, session_id, session_id],
    )
    for key in ("average_runtime_minutes", "total_runtime_hours", "average_rating"):
        row[key] = _number(row[key])
    return row

"""The developers' check of enrichment: how far it got and what it found, over every movie of the
session (TV entries and films without TMDB data included)."""

from movies.analytics.scope import MOVIE, Scope, number, one


def enrichment_stats(session_id):
    """Counts and unique values, in one query."""
    row = one(
        Scope(session_id),
        f"""
        SELECT count(*) AS total_movies,
               count(*) FILTER (WHERE enrichment_status = 'enriched') AS enriched,
               count(*) FILTER (WHERE enrichment_status = 'pending') AS pending,
               count(*) FILTER (WHERE enrichment_status = 'not_found') AS not_found,
               count(*) FILTER (WHERE enrichment_status = 'failed') AS failed,
               count(*) FILTER (WHERE enrichment_status = 'tv') AS tv,
               (SELECT count(DISTINCT g) FROM {MOVIE} m, unnest(m.genres) g WHERE m.session_id = %(session)s)
                   AS unique_genres,
               (SELECT count(DISTINCT d) FROM {MOVIE} m, unnest(m.directors) d
                WHERE m.session_id = %(session)s)
                   AS unique_directors,
               count(DISTINCT nullif(original_language, '')) AS unique_languages,
               count(DISTINCT nullif(country, '')) AS unique_countries,
               count(runtime) AS films_with_runtime,
               avg(runtime) AS average_runtime_minutes,
               coalesce(sum(runtime), 0) / 60.0 AS total_runtime_hours,
               count(rating) AS rated_films,
               avg(rating) AS average_rating
        FROM {MOVIE} WHERE session_id = %(session)s
        """,
    )
    for key in ("average_runtime_minutes", "total_runtime_hours", "average_rating"):
        row[key] = number(row[key])
    return row

"""Finish, in a few bulk queries, the pending movies of a session that the caches already resolve."""

import json
from itertools import groupby

from django.db import connection
from django.db.models import F

from enrichment.matching.resolving import cached_resolutions
from movies.models import Film, Movie, TmdbFields
from sessions.models import Session

Status = Movie.EnrichmentStatus
TMDB_FIELDS = [field.name for field in TmdbFields._meta.fields]
PENDING_COPIES_SQL = f"""
    SELECT movie.session_id, movie.id, movie.title, movie.year, movie.letterboxd_uri
    FROM {Session._meta.db_table} AS session
    CROSS JOIN LATERAL (
        SELECT id, session_id, title, year, letterboxd_uri, enrichment_status
        FROM {Movie._meta.db_table}
        WHERE session_id = session.id AND key = %s AND letterboxd_uri = %s OFFSET 0
    ) AS movie
    WHERE session.status = %s AND movie.enrichment_status = %s
    ORDER BY movie.session_id
"""
COUNTER_OF = {
    Status.ENRICHED: "enriched_count",
    Status.NOT_FOUND: "not_found_count",
    Status.FAILED: "failed_count",
    Status.TV: "tv_count",
}


def finish_from_cache(session_id, rows, now):
    """Finish the pending movies among ``rows`` (id, title, year, uri) that the caches resolve.

    Every one gets its evidence; films get their cached fields. Returns the ids it finished.
    """
    resolved = cached_resolutions(rows, now)
    if not resolved:
        return set()
    ended = _store_evidence(resolved)
    ended[Status.ENRICHED] = copy_films_to_movies(
        [(movie_id, resolution.film.pk) for movie_id, resolution in resolved.items() if resolution.film], now
    )
    Session.objects.filter(pk=session_id).update(
        **{COUNTER_OF[status]: F(COUNTER_OF[status]) + count for status, count in ended.items() if count},
        updated_at=now,
    )
    return set(resolved)


def finish_copies(uri, now):
    """Finish, from the caches, every enriching session's pending movie of the Letterboxd film ``uri``.

    Called when a worker has just looked the film up: sessions sharing it advance at once, not when
    their own rounds reach it. Returns how many movies it finished.
    """
    finished = 0
    for session_id, movies in groupby(_pending_copies(uri), key=lambda row: row[0]):
        finished += len(finish_from_cache(session_id, [movie[1:] for movie in movies], now))
    return finished


def _pending_copies(uri):
    """(session id, movie id, title, year, uri) of the enriching sessions' pending movies of ``uri``.

    One probe of the unique (session, key) index per enriching session: a film's key is its URI.
    The fence (OFFSET 0) keeps the pending condition out of the probe: with it, the planner took
    a walk over every session's pending films (120 ms on a 2.6 M-film database whose statistics
    said no film was pending) for a probe of well under a millisecond.
    """
    with connection.cursor() as cursor:
        cursor.execute(PENDING_COPIES_SQL, [uri, uri, Session.Status.ENRICHING, Status.PENDING])
        return cursor.fetchall()


def _store_evidence(resolved):
    """One UPDATE ... FROM: each pending movie gets its evidence; those not enriched also end.

    Returns {status: movies ended in it} for not found and TV.
    """
    items = list(resolved.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Movie._meta.db_table} AS movie
            SET match_method = e.method, match_confidence = e.confidence,
                match_candidates = e.candidates::jsonb, match_reason = e.reason, tmdb_tv_id = e.tv_id,
                enrichment_status = CASE WHEN e.status = %s THEN movie.enrichment_status ELSE e.status END,
                enrichment_attempts = movie.enrichment_attempts + (e.status <> %s)::int
            FROM unnest(
                %s::bigint[], %s::text[], %s::float8[], %s::text[], %s::text[], %s::bigint[], %s::text[]
            ) AS e(movie_id, method, confidence, candidates, reason, tv_id, status)
            WHERE movie.id = e.movie_id AND movie.enrichment_status = %s
            RETURNING e.status
            """,
            [
                Status.ENRICHED,
                Status.ENRICHED,
                [movie_id for movie_id, _ in items],
                [r.evidence["match_method"] for _, r in items],
                [r.evidence["match_confidence"] for _, r in items],
                [json.dumps(r.evidence["match_candidates"]) for _, r in items],
                [r.evidence["match_reason"] for _, r in items],
                [r.evidence["tmdb_tv_id"] for _, r in items],
                [r.status for _, r in items],
                Status.PENDING,
            ],
        )
        statuses = [status for (status,) in cursor.fetchall()]
    return {status: statuses.count(status) for status in (Status.NOT_FOUND, Status.TV)}


def copy_films_to_movies(pairs, now):
    """One UPDATE ... FROM: each pending movie of ``pairs`` (movie id, tmdb id) gets its film's fields."""
    if not pairs:
        return 0
    quote = connection.ops.quote_name  # "cast" is an SQL keyword
    columns = [quote(Movie._meta.get_field(name).column) for name in TMDB_FIELDS]
    assignments = ", ".join(f"{column} = film.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Movie._meta.db_table} AS movie
            SET {assignments}, tmdb_id = film.tmdb_id, enrichment_status = %s, enriched_at = %s,
                enrichment_attempts = movie.enrichment_attempts + 1, enrichment_error = ''
            FROM unnest(%s::bigint[], %s::bigint[]) AS pair(movie_id, tmdb_id)
            JOIN {Film._meta.db_table} AS film ON film.tmdb_id = pair.tmdb_id
            WHERE movie.id = pair.movie_id AND movie.enrichment_status = %s
            """,
            [Status.ENRICHED, now, [pair[0] for pair in pairs], [pair[1] for pair in pairs], Status.PENDING],
        )
        return cursor.rowcount

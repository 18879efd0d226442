"""Deleting sessions with their films: one at its owner's request, the expired ones hourly (celery beat)."""

from django.db import connection, transaction
from django.utils import timezone

from movies.models import AmbiguousEntry, FilmList, FilmListEntry, Movie, ShareLink, Watch, WatchlistEntry
from movies.signals import sessions_deleting
from sessions.models import Session

CLEANUP_BATCH_SIZE = 200
# A cleanup batch also stops at this many movies, so one transaction's locks and the
# deferred foreign-key checks PostgreSQL queues for each deleted row stay bounded
# when the expired sessions are large (bench/cleanup.py, bench/scale.py measure it).
CLEANUP_BATCH_MOVIES = 2_000
# Movies and their viewings are deleted by id, this many at a time: a short id list keeps the
# planner on the indexes of movies_watch and movies_movie however large they grow. A sub-select
# of a whole batch's movies made it hash-join a full scan of every viewing in the deployment.
DELETE_CHUNK = 500


def delete_expired_sessions(*, now=None, batch_size=CLEANUP_BATCH_SIZE, batch_movies=CLEANUP_BATCH_MOVIES):
    """Delete sessions past their expiry, with their movies and viewings.

    Works in small batches (at most batch_size sessions and, unless one session
    alone has more, batch_movies movies), each in its own transaction, so memory
    stays flat and locks stay short however much has expired; every DELETE stays on
    an index, so a batch costs what it deletes, not what the deployment holds. Two runs at once
    are safe: a batch locks its rows with SKIP LOCKED, so each session is deleted
    once. Returns the number of sessions deleted.
    """
    now = now or timezone.now()
    deleted = 0
    while True:
        with transaction.atomic():
            candidates = list(
                Session.objects.filter(expires_at__lte=now)
                .order_by()
                .select_for_update(skip_locked=True)
                .values_list("id", "total_movies")[:batch_size]
            )
            if not candidates:
                return deleted
            ids = _within_movie_budget(candidates, batch_movies)
            _delete_sessions(ids)
        deleted += len(ids)


def _within_movie_budget(candidates, max_movies):
    """Ids of the first sessions whose movies add up to max_movies; at least one, however large."""
    ids, movies = [], 0
    for session_id, total_movies in candidates:
        if ids and movies + total_movies > max_movies:
            break
        ids.append(session_id)
        movies += total_movies
    return ids


def _delete_sessions(ids):
    # Plain DELETEs bottom-up: the ORM's cascade would first load every movie.
    sessions_deleting.send(sender=Session, session_ids=ids)
    watch, movie, session = Watch._meta.db_table, Movie._meta.db_table, Session._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {movie} WHERE session_id = ANY(%s) ORDER BY id", [ids])
        movie_ids = [movie_id for (movie_id,) in cursor.fetchall()]
        for start in range(0, len(movie_ids), DELETE_CHUNK):
            chunk = movie_ids[start : start + DELETE_CHUNK]
            cursor.execute(f"DELETE FROM {watch} WHERE movie_id = ANY(%s)", [chunk])
            cursor.execute(f"DELETE FROM {movie} WHERE id = ANY(%s)", [chunk])
        cursor.execute(
            f"DELETE FROM {FilmListEntry._meta.db_table} WHERE film_list_id IN"
            f" (SELECT id FROM {FilmList._meta.db_table} WHERE session_id = ANY(%s))",
            [ids],
        )
        for model in (WatchlistEntry, AmbiguousEntry, FilmList):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE session_id = ANY(%s)", [ids])
        # Its share links go with it: a token of a deleted session answers 404 as a revoked one does.
        cursor.execute(f"DELETE FROM {ShareLink._meta.db_table} WHERE session_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {session} WHERE id = ANY(%s)", [ids])


def delete_session(session):
    """Delete a session with its movies and viewings."""
    with transaction.atomic():
        _delete_sessions([session.pk])

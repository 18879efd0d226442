"""Writes on sessions."""

from django.db import connection, transaction
from django.utils import timezone

from movies.models import Movie, Watch
from sessions.models import Session

CLEANUP_BATCH_SIZE = 200


def delete_expired_sessions(*, now=None, batch_size=CLEANUP_BATCH_SIZE):
    """Delete sessions past their expiry, with their movies and viewings.

    Works in small batches, each in its own transaction, so memory stays flat
    and locks stay short however much has expired. Two runs at once are safe:
    a batch locks its rows with SKIP LOCKED, so each session is deleted once.
    Returns the number of sessions deleted.
    """
    now = now or timezone.now()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Session.objects.filter(expires_at__lte=now)
                .order_by()
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            _delete_sessions(ids)
        deleted += len(ids)


def _delete_sessions(ids):
    # Plain DELETEs bottom-up: the ORM's cascade would first load every movie.
    watch, movie, session = Watch._meta.db_table, Movie._meta.db_table, Session._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {watch} WHERE movie_id IN (SELECT id FROM {movie} WHERE session_id = ANY(%s))",
            [ids],
        )
        cursor.execute(f"DELETE FROM {movie} WHERE session_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {session} WHERE id = ANY(%s)", [ids])

"""Writes on sessions."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from movies.models import Movie, Watch, WatchlistEntry
from sessions.export.parsing import parse_export
from sessions.export.reading import UploadLimits
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment

CLEANUP_BATCH_SIZE = 200
# A cleanup batch also stops at this many movies, so one transaction's locks and the
# deferred foreign-key checks PostgreSQL queues for each deleted row stay bounded
# when the expired sessions are large (bench/cleanup.py measures it).
CLEANUP_BATCH_MOVIES = 10_000
BULK_BATCH_SIZE = 1000


def upload_limits():
    return UploadLimits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_files=settings.UPLOAD_MAX_FILES,
        max_rows=settings.UPLOAD_MAX_ROWS,
    )


def create_session_from_upload(*, files):
    """Store an uploaded export as a new session with one movie per film and one watch per viewing.

    Parses first (raising reading.UploadError for unusable input, before anything is stored),
    then writes everything in one transaction: a failure leaves no row behind. A session with
    movies ends "enriching" and announces itself to the enrichment app; an empty one is
    "completed" at once.
    """
    export = parse_export(files, upload_limits())
    with transaction.atomic():
        session = Session.objects.create(
            status=Session.Status.PROCESSING,
            total_movies=len(export.films),
            upload_metadata=export.metadata,
        )
        _store_films(session, export.films)
        _store_watchlist(session, export.watchlist)
        if export.films:
            session.status = Session.Status.ENRICHING
        else:
            session.status = Session.Status.COMPLETED
            session.completed_at = timezone.now()
        session.save(update_fields=["status", "completed_at", "updated_at"])
        if export.films:
            session_ready_for_enrichment.send(sender=Session, session_id=session.id)
    return session


def _store_films(session, films):
    movie_ids = _insert_rows(
        Movie,
        [
            {
                "session_id": session.id,
                "key": film.key,
                "title": film.title,
                "year": film.year,
                "letterboxd_uri": film.letterboxd_uri,
                "rating": film.rating,
                "watched_date": film.watched_date,
                "marked_watched_on": film.marked_watched_on,
                "rewatch": film.rewatch,
                "tags": film.tags,
                "review": film.review,
                "liked": film.liked,
            }
            for film in films
        ],
    )
    _insert_rows(
        Watch,
        [
            {
                "movie_id": movie_id,
                "letterboxd_uri": viewing.letterboxd_uri,
                "logged_date": viewing.logged_date,
                "watched_date": viewing.watched_date,
                "rating": viewing.rating,
                "rewatch": viewing.rewatch,
                "tags": viewing.tags,
                "review": viewing.review,
            }
            for movie_id, film in zip(movie_ids, films, strict=True)
            for viewing in film.viewings
        ],
    )


def _store_watchlist(session, rows):
    _insert_rows(
        WatchlistEntry,
        [
            {
                "session_id": session.id,
                "title": row.title,
                "year": row.year,
                "letterboxd_uri": row.uri,
                "added_on": row.date,
            }
            for row in rows
        ],
    )


def _insert_rows(model, rows):
    """INSERT rows (dicts by attname; missing columns take the model's defaults); their ids in order.

    What bulk_create does, without its per-value field preparation, which took three quarters of
    its time for a 3,000-film export (1.65 s against 0.5 s here; bench/upload.py): the values
    come from the parser already typed, and the database driver adapts them.
    """
    if not rows:
        return []
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # Rows may leave out different columns (an import's optional fields): each has its default.
    defaults = {field.attname: field.get_db_prep_save(field.get_default(), connection) for field in fields}
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = f"({', '.join(['%s'] * len(fields))})"
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK_BATCH_SIZE):
            batch = rows[start : start + BULK_BATCH_SIZE]
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({columns}) "
                f"VALUES {', '.join([placeholders] * len(batch))} RETURNING {model._meta.pk.column}",
                [row.get(name, defaults[name]) for row in batch for name in names],
            )
            ids += [pk for (pk,) in cursor.fetchall()]
    return ids


def delete_expired_sessions(*, now=None, batch_size=CLEANUP_BATCH_SIZE, batch_movies=CLEANUP_BATCH_MOVIES):
    """Delete sessions past their expiry, with their movies and viewings.

    Works in small batches (at most batch_size sessions and, unless one session
    alone has more, batch_movies movies), each in its own transaction, so memory
    stays flat and locks stay short however much has expired. Two runs at once
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
    watch, movie, session = Watch._meta.db_table, Movie._meta.db_table, Session._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {watch} WHERE movie_id IN (SELECT id FROM {movie} WHERE session_id = ANY(%s))",
            [ids],
        )
        cursor.execute(f"DELETE FROM {movie} WHERE session_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {WatchlistEntry._meta.db_table} WHERE session_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {session} WHERE id = ANY(%s)", [ids])


# Reads push a session's expiry forward, but write at most this often, so polling stays a read.
EXPIRY_EXTENSION_INTERVAL = timedelta(hours=1)


def extend_session_expiry(session, *, now=None):
    """Move expires_at to now + TTL if the last extension is over an hour old; True if it wrote.

    The UPDATE repeats the age test, so of many concurrent readers only one writes.
    A queryset update leaves updated_at alone: a read does not look like new data.
    """
    now = now or timezone.now()
    stale_before = now - EXPIRY_EXTENSION_INTERVAL
    if session.last_accessed > stale_before:
        return False
    expires_at = now + timedelta(days=settings.SESSION_TTL_DAYS)
    updated = Session.objects.filter(pk=session.pk, last_accessed__lte=stale_before).update(
        last_accessed=now, expires_at=expires_at
    )
    if updated:
        session.last_accessed, session.expires_at = now, expires_at
    return bool(updated)


def delete_session(session):
    """Delete a session with its movies and viewings."""
    with transaction.atomic():
        _delete_sessions([session.pk])


def create_session_from_export(*, movies, watchlist, metadata):
    """Recreate a session from an export of this API (already validated), without asking TMDB again.

    Movies keep their TMDB data: enriched and not-found films count as processed. Films the
    export left pending or failed are enriched anew, like an upload's; with none, the session
    is completed at once. The watchlist is stored as it came, in the same transaction.
    """
    processed = {Movie.EnrichmentStatus.ENRICHED, Movie.EnrichmentStatus.NOT_FOUND, Movie.EnrichmentStatus.TV}
    for movie in movies:
        if movie["enrichment_status"] not in processed:
            movie["enrichment_status"] = Movie.EnrichmentStatus.PENDING
    statuses = [movie["enrichment_status"] for movie in movies]
    pending = statuses.count(Movie.EnrichmentStatus.PENDING)
    with transaction.atomic():
        session = Session.objects.create(
            status=Session.Status.ENRICHING if pending else Session.Status.COMPLETED,
            completed_at=None if pending else timezone.now(),
            total_movies=len(movies),
            enriched_count=statuses.count(Movie.EnrichmentStatus.ENRICHED),
            not_found_count=statuses.count(Movie.EnrichmentStatus.NOT_FOUND),
            tv_count=statuses.count(Movie.EnrichmentStatus.TV),
            upload_metadata=metadata,
        )
        viewings_of = [movie.pop("watches", []) for movie in movies]
        # The serializer has typed every value already: the upload's fast INSERT fits
        # (bulk_create took 15 of 34 s of a 9,800-row import, profiled).
        movie_ids = _insert_rows(Movie, [{**movie, "session_id": session.id} for movie in movies])
        _insert_rows(
            Watch,
            [
                {**viewing, "movie_id": movie_id}
                for movie_id, viewings in zip(movie_ids, viewings_of, strict=True)
                for viewing in viewings
            ],
        )
        _insert_rows(WatchlistEntry, [{**entry, "session_id": session.id} for entry in watchlist])
        if pending:
            session_ready_for_enrichment.send(sender=Session, session_id=session.id)
    return session

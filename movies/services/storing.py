"""Storing a session's films: an uploaded export (read by sessions/export/) or an import of our JSON export.

This app owns it, not sessions/: the rows written are its own (movies, viewings, watchlist
entries), and sessions/ stays below it, the session record and the export reader.
"""

from django.db import connection, transaction
from django.utils import timezone

from movies.models import AmbiguousEntry, FilmList, FilmListEntry, Movie, Watch, WatchlistEntry
from sessions.export.parsing import parse_export
from sessions.models import Session
from sessions.services import upload_limits
from sessions.signals import session_ready_for_enrichment

BULK_BATCH_SIZE = 1000


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
        _store_unplaced(session, export.unplaced)
        _store_lists(session, export.lists)
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


def _store_unplaced(session, unplaced):
    """The diary entries naming two films, kept whole for the member to place."""
    _insert_rows(
        AmbiguousEntry,
        [
            {
                "session_id": session.id,
                "file": entry.file,
                "title": entry.title,
                "year": entry.year,
                "letterboxd_uri": entry.viewing.letterboxd_uri,
                "logged_date": entry.viewing.logged_date,
                "watched_date": entry.viewing.watched_date,
                "rating": entry.viewing.rating,
                "rewatch": entry.viewing.rewatch,
                "tags": entry.viewing.tags,
                "review": entry.viewing.review,
            }
            for entry in unplaced
        ],
    )


def _store_lists(session, film_lists):
    """The member's lists and their films; each list's fields by name, as the model has them."""
    list_fields, entry_fields = ["name", "url", "created_on"], ["position", "title", "year", "key"]
    list_ids = _insert_rows(
        FilmList,
        [{"session_id": session.id} | _fields(film_list, list_fields) for film_list in film_lists],
    )
    _insert_rows(
        FilmListEntry,
        [
            {"film_list_id": list_id} | _fields(film, entry_fields)
            for list_id, film_list in zip(list_ids, film_lists, strict=True)
            for film in film_list.films
        ],
    )


def _fields(record, names):
    return {name: getattr(record, name) for name in names}


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

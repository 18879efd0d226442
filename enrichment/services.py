"""Writes of the enrichment: enriching one movie, finishing movies from the cache, ending sessions.

Which movies are sent to the workers, and when, is enrichment/scheduling.py's job; finding lost
work is enrichment/recovery.py's.

PostgreSQL holds the truth (movie states, session counters); Celery only carries ids. Every
write is conditional, so a task that runs twice, a callback that fires twice or a reconciler
racing a worker changes nothing the second time.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from enrichment.matching import best_hit, fold_title, search_years
from enrichment.tmdb import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound, TmdbTransientError
from movies.models import Film, FilmLookup, Movie, TmdbFields
from sessions.models import Session

Status = Movie.EnrichmentStatus
TMDB_FIELDS = [field.name for field in TmdbFields._meta.fields]
COUNTER_OF = {
    Status.ENRICHED: "enriched_count",
    Status.NOT_FOUND: "not_found_count",
    Status.FAILED: "failed_count",
}
# A task waits in-process for a TMDB slot up to this long, else re-queues itself with that countdown.
MAX_SLOT_WAIT_SECONDS = 30
FOUND_LOOKUP_TTL = timedelta(days=30)
# TMDB grows every day: a title it did not know is asked again sooner.
NO_MATCH_LOOKUP_TTL = timedelta(days=7)
FILM_TTL = timedelta(days=30)
REJECTED_KEY_MESSAGE = (
    "TMDB rejected the API key (HTTP 401). Set TMDB_API_KEY to a valid TMDB v3 key or v4 read token, "
    "then re-run the enrichment. ({detail})"
)
UNREACHABLE_MESSAGE = (
    "TMDB could not be reached for {minutes} minutes, so the enrichment stopped. Nothing is lost: "
    "{left} films are still to do; re-run the enrichment (POST /api/session/{session_id}/reenrich) "
    "once TMDB answers again."
)
# Outcomes of enrich_movie besides the terminal states: the session stopped, or nothing to do.
STOPPED = "stopped"
SKIPPED = "skipped"


def finish_from_cache(session_id, rows, now):
    """Finish the pending movies among ``rows`` (id, title, year) that the cache resolves.

    Returns the ids of the movies it resolved.
    """
    keys = {movie_id: (fold_title(title), year) for movie_id, title, year in rows}
    fresh = Q(film__isnull=True) | Q(film__fetched_at__gt=now - FILM_TTL)
    resolved = dict(
        ((title, year), film_id)
        for title, year, film_id in FilmLookup.objects.filter(
            fresh, normalized_title__in={title for title, _ in keys.values()}, expires_at__gt=now
        ).values_list("normalized_title", "year", "film_id")
    )
    found = [(movie_id, resolved[key]) for movie_id, key in keys.items() if resolved.get(key)]
    not_found = [movie_id for movie_id, key in keys.items() if key in resolved and resolved[key] is None]
    if not found and not not_found:
        return set()
    enriched = _copy_films_to_movies(found, now)
    missing = Movie.objects.filter(pk__in=not_found, enrichment_status=Status.PENDING).update(
        enrichment_status=Status.NOT_FOUND, enrichment_attempts=F("enrichment_attempts") + 1
    )
    Session.objects.filter(pk=session_id).update(
        enriched_count=F("enriched_count") + enriched,
        not_found_count=F("not_found_count") + missing,
        updated_at=now,
    )
    return {movie_id for movie_id, _ in found} | set(not_found)


def _copy_films_to_movies(pairs, now):
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


def complete_finished(sessions, now):
    """Complete those of ``sessions`` with no pending movie left; returns how many."""
    pending = Movie.objects.filter(session=OuterRef("pk"), enrichment_status=Status.PENDING)
    return sessions.filter(~Exists(pending)).update(
        status=Session.Status.COMPLETED, completed_at=now, updated_at=now, eta_at=None, queue_position=None
    )


def enrich_movie(movie_id, *, client=None):
    """Find one movie on TMDB (or in the cache) and store what it says; returns the outcome.

    The outcome is the movie's terminal state, "skipped" when its session is no longer enriching,
    or "stopped" after TMDB rejected the key. Transient TMDB errors and a long wait for a slot
    propagate: the task retries them.
    """
    movie = (
        Movie.objects.filter(pk=movie_id)
        .values("enrichment_status", "title", "year", "session_id", "session__status")
        .first()
    )
    if movie is None:
        return SKIPPED  # its session was deleted
    if movie["enrichment_status"] != Status.PENDING:
        return movie["enrichment_status"]
    if movie["session__status"] != Session.Status.ENRICHING:
        return SKIPPED
    try:
        client = client or TmdbClient(max_wait_for_slot=MAX_SLOT_WAIT_SECONDS)
        film = resolve_film(movie["title"], movie["year"], client)
    except TmdbAuthError as exc:
        _stop_session_for_rejected_key(movie["session_id"], movie_id, exc)
        return STOPPED
    except TmdbNotFound:
        film = None
    except TmdbTransientError:
        raise
    except TmdbError as exc:  # any other 4xx: asking again will not help
        return _finish(movie_id, movie["session_id"], Status.FAILED, enrichment_error=str(exc)[:1000])
    if film is None:
        return _finish(movie_id, movie["session_id"], Status.NOT_FOUND)
    fields = {name: getattr(film, name) for name in TMDB_FIELDS}
    fields.update(tmdb_id=film.tmdb_id, enriched_at=timezone.now(), enrichment_error="")
    return _finish(movie_id, movie["session_id"], Status.ENRICHED, **fields)


def resolve_film(title, year, client):
    """The cached or fetched Film for a title and year, or None when TMDB has no such film."""
    normalized_title = fold_title(title)
    now = timezone.now()
    lookup = (
        FilmLookup.objects.select_related("film")
        .filter(normalized_title=normalized_title, year=year, expires_at__gt=now)
        .first()
    )
    if lookup is not None and (lookup.film is None or lookup.film.fetched_at > now - FILM_TTL):
        return lookup.film
    tmdb_id = lookup.film_id if lookup is not None else _search(client, title, year)
    film = None
    if tmdb_id is not None:
        film = Film.objects.filter(pk=tmdb_id, fetched_at__gt=now - FILM_TTL).first()
        if film is None:
            try:
                film = store_film(client.movie_details(tmdb_id))
            except TmdbNotFound:
                film = None  # removed from TMDB since the search
    remember_lookup(title, year, film)
    return film


def remember_lookup(title, year, film):
    """Cache what a search for (title, year) resolved to: a Film, or None for "no such film"."""
    now = timezone.now()
    FilmLookup.objects.update_or_create(
        normalized_title=fold_title(title),
        year=year,
        defaults={
            "film": film,
            "resolved_at": now,
            "expires_at": now + (FOUND_LOOKUP_TTL if film else NO_MATCH_LOOKUP_TTL),
        },
    )


def _search(client, title, year):
    for search_year in search_years(year):
        hit = best_hit(client.search_movie(title, search_year), title, year)
        if hit is not None:
            return hit.tmdb_id
    return None


def store_film(fields):
    """Cache a film's fields (tmdb.film_fields) for every session; returns the Film."""
    fields = dict(fields)
    film, _ = Film.objects.update_or_create(
        tmdb_id=fields.pop("tmdb_id"), defaults={**fields, "fetched_at": timezone.now()}
    )
    return film


def _finish(movie_id, session_id, status, *, attempts=None, **fields):
    """Move a pending movie to a terminal state and count it on its session, once.

    ``attempts`` is the movie's final attempt count; by default this attempt is added.
    """
    now = timezone.now()
    attempts = F("enrichment_attempts") + 1 if attempts is None else attempts
    with transaction.atomic():
        moved = Movie.objects.filter(pk=movie_id, enrichment_status=Status.PENDING).update(
            enrichment_status=status, enrichment_attempts=attempts, **fields
        )
        if moved:
            counter = COUNTER_OF[status]
            Session.objects.filter(pk=session_id).update(**{counter: F(counter) + 1}, updated_at=now)
    return status


def record_transient_error(movie_id, error):
    """Count a failed attempt on the movie and keep its error; after the last allowed one it is failed.

    Returns "failed" after the last attempt, "skipped" when the movie is gone or no longer
    pending, None when the caller should retry.
    """
    Movie.objects.filter(pk=movie_id, enrichment_status=Status.PENDING).update(
        enrichment_attempts=F("enrichment_attempts") + 1, enrichment_error=str(error)[:1000]
    )
    movie = (
        Movie.objects.filter(pk=movie_id)
        .values("enrichment_attempts", "enrichment_status", "session_id")
        .first()
    )
    if movie is None or movie["enrichment_status"] != Status.PENDING:
        return SKIPPED
    attempts = movie["enrichment_attempts"]
    if attempts < settings.TMDB_MAX_ATTEMPTS:
        return None
    return _finish(movie_id, movie["session_id"], Status.FAILED, attempts=attempts)


def retry_delay(retry_after=None):
    """A transient error is retried at the next free shared slot (TMDB's Retry-After, if it gave one).

    Backing off is the shared limiter's job: a 429 pushes every worker's next slot back, and a run
    of failures opens its circuit breaker. One film waiting on its own would leave slots unused.
    """
    return retry_after or 0


def _stop_session(session_id, message):
    """Fail an enriching session once with a message saying what to do; its other tasks then skip TMDB."""
    now = timezone.now()
    Session.objects.filter(pk=session_id, status=Session.Status.ENRICHING).update(
        status=Session.Status.FAILED,
        error_message=message,
        completed_at=now,
        updated_at=now,
        eta_at=None,
        queue_position=None,
    )


def _stop_session_for_rejected_key(session_id, movie_id, error):
    Movie.objects.filter(pk=movie_id).update(enrichment_error=str(error)[:1000])
    _stop_session(session_id, REJECTED_KEY_MESSAGE.format(detail=error))


def stop_for_outage(movie_id, outage_seconds):
    """TMDB has not answered for too long: stop the movie's session, saying so; returns STOPPED.

    Its pending movies stay pending, so re-enriching the session picks them up.
    """
    session_id = Movie.objects.filter(pk=movie_id).values_list("session_id", flat=True).first()
    if session_id is None:
        return SKIPPED
    left = Movie.objects.filter(session_id=session_id, enrichment_status__in=(Status.PENDING, Status.FAILED))
    message = UNREACHABLE_MESSAGE.format(
        minutes=max(1, round(outage_seconds / 60)), left=left.count(), session_id=session_id
    )
    _stop_session(session_id, message)
    return STOPPED

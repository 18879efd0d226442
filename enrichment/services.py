"""Writes of the enrichment: dispatching a session's chord, enriching one movie, finishing sessions.

PostgreSQL holds the truth (movie states, session counters); Celery only carries ids. Every
write is conditional, so a task that runs twice, a callback that fires twice or a reconciler
racing a worker changes nothing the second time.
"""

import random
from datetime import timedelta

from celery import chord, signature
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from enrichment.cached import COUNTER_OF, TMDB_FIELDS, finish_from_cache
from enrichment.resolving import resolve
from enrichment.tmdb import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound, TmdbTransientError
from movies.models import Movie
from sessions.models import Session

Status = Movie.EnrichmentStatus
# A task waits in-process for a TMDB slot up to this long, else re-queues itself with that countdown.
MAX_SLOT_WAIT_SECONDS = 30
MAX_RETRY_DELAY_SECONDS = 300
# No progress in any session for this long means the queued work was lost, not just waiting.
STALL_AFTER = timedelta(minutes=10)
REJECTED_KEY_MESSAGE = (
    "TMDB rejected the API key (HTTP 401). Set TMDB_API_KEY to a valid TMDB v3 key or v4 read token, "
    "then re-run the enrichment. ({detail})"
)
# Outcomes of enrich_movie besides the terminal states: the session stopped, or nothing to do.
STOPPED = "stopped"
SKIPPED = "skipped"
ENRICH_MOVIE_TASK = "enrichment.tasks.enrich_movie"
FINALIZE_SESSION_TASK = "enrichment.tasks.finalize_session"


def dispatch_enrichment(session_id, *, movie_ids=None):
    """Mark the session enriching and enrich its pending movies (or the given ones).

    Movies whose film the cross-session cache already knows are finished here in a few bulk
    queries, so an upload of known films completes in seconds; the others go to a chord of
    enrich_movie tasks with finalize_session as its callback. The chord leaves on commit, so a
    caller's transaction is visible to the workers. Returns how many movies were taken on
    (finished from the cache or queued); with none left pending, the session is completed.
    """
    movies = Movie.objects.filter(session_id=session_id)
    if movie_ids is None:
        movies = movies.filter(enrichment_status=Status.PENDING)
    else:
        movies = movies.filter(pk__in=movie_ids)
    rows = list(movies.order_by("pk").values_list("pk", "title", "year", "letterboxd_uri"))
    now = timezone.now()
    sessions = Session.objects.filter(pk=session_id)
    with transaction.atomic():
        if rows:
            sessions.update(
                status=Session.Status.ENRICHING,
                enrichment_started_at=now,
                completed_at=None,
                error_message="",
                updated_at=now,
            )
        finished = finish_from_cache(session_id, rows, now)
        queued = [movie_id for movie_id, *_ in rows if movie_id not in finished]
        if not queued:
            _complete(sessions.exclude(status=Session.Status.COMPLETED), timezone.now())
            return len(rows)
        # Tasks are named, not imported: tasks.py imports this module.
        work = chord(
            (signature(ENRICH_MOVIE_TASK, args=(movie_id,), immutable=True) for movie_id in queued),
            signature(FINALIZE_SESSION_TASK, args=(str(session_id),), immutable=True),
        )
        transaction.on_commit(work.apply_async)
    return len(rows)


def _complete(sessions, now):
    """Complete those of ``sessions`` with no pending movie left; returns how many."""
    pending = Movie.objects.filter(session=OuterRef("pk"), enrichment_status=Status.PENDING)
    return sessions.filter(~Exists(pending)).update(
        status=Session.Status.COMPLETED, completed_at=now, updated_at=now
    )


def finalize_session(session_id):
    """The chord's callback: an enriching session whose movies have all ended is completed."""
    return bool(
        _complete(Session.objects.filter(pk=session_id, status=Session.Status.ENRICHING), timezone.now())
    )


def enrich_movie(movie_id, *, client=None):
    """Find one movie on TMDB (or in the cache) and store what it says; returns the outcome.

    The outcome is the movie's terminal state, "skipped" when its session is no longer enriching,
    or "stopped" after TMDB rejected the key. Transient TMDB errors and a long wait for a slot
    propagate: the task retries them.
    """
    movie = (
        Movie.objects.filter(pk=movie_id)
        .values("enrichment_status", "title", "year", "letterboxd_uri", "session_id", "session__status")
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
        resolution = resolve(movie["title"], movie["year"], movie["letterboxd_uri"], client)
    except TmdbAuthError as exc:
        _stop_session_for_rejected_key(movie["session_id"], movie_id, exc)
        return STOPPED
    except TmdbNotFound as exc:
        return _finish(movie_id, movie["session_id"], Status.NOT_FOUND, match_reason=str(exc)[:300])
    except TmdbTransientError:
        raise
    except TmdbError as exc:  # any other 4xx: asking again will not help
        return _finish(movie_id, movie["session_id"], Status.FAILED, enrichment_error=str(exc)[:1000])
    return _finish(movie_id, movie["session_id"], resolution.status, **movie_fields(resolution))


def movie_fields(resolution):
    """The fields a movie takes from its Resolution: the evidence, and the film's when enriched."""
    fields = dict(resolution.evidence)
    film = resolution.film
    if film is not None:
        fields.update({name: getattr(film, name) for name in TMDB_FIELDS})
        fields.update(tmdb_id=film.tmdb_id, enriched_at=timezone.now(), enrichment_error="")
    return fields


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

    Returns (outcome, attempts): outcome is "failed" after the last attempt, None when the caller
    should retry.
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
        return SKIPPED, 0
    attempts = movie["enrichment_attempts"]
    if attempts < settings.TMDB_MAX_ATTEMPTS:
        return None, attempts
    return _finish(movie_id, movie["session_id"], Status.FAILED, attempts=attempts), attempts


def retry_delay(attempts, retry_after=None):
    """Exponential backoff from TMDB_RETRY_BACKOFF_SECONDS, never sooner than TMDB's Retry-After."""
    base = settings.TMDB_RETRY_BACKOFF_SECONDS
    backoff = base * 2 ** max(0, attempts - 1) + random.uniform(0, base)  # jitter spreads a burst of retries
    return min(MAX_RETRY_DELAY_SECONDS, max(retry_after or 0, backoff))


def _stop_session_for_rejected_key(session_id, movie_id, error):
    """Fail the session once with a message saying what to fix; its other tasks then skip TMDB."""
    Movie.objects.filter(pk=movie_id).update(enrichment_error=str(error)[:1000])
    Session.objects.filter(pk=session_id, status=Session.Status.ENRICHING).update(
        status=Session.Status.FAILED,
        error_message=REJECTED_KEY_MESSAGE.format(detail=error),
        completed_at=timezone.now(),
        updated_at=timezone.now(),
    )


def reconcile_sessions(*, now=None):
    """Heal what a lost message leaves behind; the beat runs it every minute.

    Completes enriching sessions whose movies have all ended (their chord callback was lost).
    When no enriching session has progressed for STALL_AFTER, the workers are idle although
    movies are pending: their tasks were lost, so the pending movies are queued again. (While
    any session progresses, quiet sessions are only waiting their turn in the queue.)
    Returns {"completed": n, "requeued": movies queued again}.
    """
    now = now or timezone.now()
    enriching = Session.objects.filter(status=Session.Status.ENRICHING)
    completed = _complete(enriching, now)
    requeued = 0
    if not enriching.filter(updated_at__gte=now - STALL_AFTER).exists():
        for session_id in enriching.values_list("pk", flat=True):
            requeued += dispatch_enrichment(session_id)
    return {"completed": completed, "requeued": requeued}

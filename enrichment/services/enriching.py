"""Writes of the enrichment: enriching one movie, ending sessions.

Which movies are sent to the workers, and when, is enrichment/queueing/scheduling.py's job; finding lost
work is enrichment/queueing/recovery.py's; finishing the movies the caches already resolve is
enrichment/services/cached.py's; matching a title to a TMDB film is enrichment/matching/resolving.py's.

PostgreSQL holds the truth (movie states, session counters); Celery only carries ids. Every
write is conditional, so a task that runs twice, a callback that fires twice or a reconciler
racing a worker changes nothing the second time.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from enrichment.matching.resolving import resolve
from enrichment.queueing import pace
from enrichment.queueing.lookups import claimed, film_key
from enrichment.services.cached import COUNTER_OF, TMDB_FIELDS, finish_copies
from enrichment.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound, TmdbTransientError
from movies.models import Movie
from sessions.models import Session

Status = Movie.EnrichmentStatus
# A task waits in-process for a TMDB slot up to this long, else re-queues itself with that countdown.
MAX_SLOT_WAIT_SECONDS = 30
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


def complete_finished(sessions, now):
    """Complete those of ``sessions`` with no pending movie left; returns how many."""
    pending = Movie.objects.filter(session=OuterRef("pk"), enrichment_status=Status.PENDING)
    return sessions.filter(~Exists(pending)).update(
        status=Session.Status.COMPLETED, completed_at=now, updated_at=now, eta_at=None, queue_position=None
    )


def enrich_movie(movie_id, *, client=None):
    """Find one movie on TMDB (or in the cache) and store what it says; returns the outcome.

    The outcome is the movie's terminal state, "skipped" when its session is no longer enriching,
    or "stopped" after TMDB rejected the key. Transient TMDB errors, a long wait for a slot and the
    same film being looked up for another session (LookedUpElsewhere) propagate: the task retries them.
    Other sessions' pending movies of the same film are finished with it.
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
    client = client or TmdbClient(max_wait_for_slot=MAX_SLOT_WAIT_SECONDS)
    sent_before = client.requests_sent
    try:
        with claimed(film_key(movie["title"], movie["year"], movie["letterboxd_uri"])):
            resolution = resolve(movie["title"], movie["year"], movie["letterboxd_uri"], client)
    except TmdbAuthError as exc:
        _stop_session_for_rejected_key(movie["session_id"], movie_id, exc)
        return STOPPED
    except TmdbNotFound as exc:
        status, fields = Status.NOT_FOUND, {"match_reason": str(exc)[:300]}
    except TmdbTransientError:
        pace.record_failed_attempt(client.requests_sent - sent_before)
        raise
    except TmdbError as exc:  # any other 4xx: asking again will not help
        status, fields = Status.FAILED, {"enrichment_error": str(exc)[:1000]}
    else:
        status, fields = resolution.status, movie_fields(resolution)
    pace.record_film(client.requests_sent - sent_before)
    outcome = _finish(movie_id, movie["session_id"], status, **fields)
    if status != Status.FAILED and movie["letterboxd_uri"]:
        finish_copies(movie["letterboxd_uri"], timezone.now())
    return outcome


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
    A hint past TMDB_RETRY_AFTER_MAX_SECONDS is an outage: the breaker's probe says when to go on.
    """
    return min(retry_after or 0, settings.TMDB_RETRY_AFTER_MAX_SECONDS)


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


def estimate_unknown(movie_id):
    """TMDB is out of service: the movie's session has no ETA until the estimates are refreshed."""
    Session.objects.filter(status=Session.Status.ENRICHING, eta_at__isnull=False, movies__pk=movie_id).update(
        eta_at=None
    )


def stop_for_outage(movie_id, outage_seconds):
    """TMDB has not answered for too long: stop the movie's session, saying so; returns STOPPED.

    Its pending movies stay pending, so re-enriching the session picks them up. Only a session that
    has itself waited TMDB_OUTAGE_GIVE_UP_SECONDS is stopped: one started late in an outage (or just
    after it, before the breaker's probe) waits its turn; None then, and the caller retries.
    """
    movie = Movie.objects.filter(pk=movie_id).values("session_id", "session__enrichment_started_at").first()
    if movie is None:
        return SKIPPED
    session_id, started = movie["session_id"], movie["session__enrichment_started_at"]
    if started is not None:
        outage_seconds = min(outage_seconds, (timezone.now() - started).total_seconds())
    if outage_seconds < settings.TMDB_OUTAGE_GIVE_UP_SECONDS:
        return None
    left = Movie.objects.filter(session_id=session_id, enrichment_status__in=(Status.PENDING, Status.FAILED))
    message = UNREACHABLE_MESSAGE.format(
        minutes=max(1, round(outage_seconds / 60)), left=left.count(), session_id=session_id
    )
    _stop_session(session_id, message)
    return STOPPED

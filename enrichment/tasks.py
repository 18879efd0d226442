"""Celery tasks: thin wrappers that take ids and call one service.

A chord's callback runs only when every header task has *returned*, so enrich_movie returns its
outcome as a small string and raises only to retry. A database error (PostgreSQL restarting) is
transient like a TMDB 5xx: every task retries it with a backoff instead of failing for good.
"""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from enrichment.queueing import idle, recovery, scheduling
from enrichment.queueing.lookups import LookedUpElsewhere
from enrichment.services import enriching
from enrichment.task_names import (
    CONTINUE_ENRICHMENT,
    ENRICH_MOVIE,
    RECONCILE_SESSIONS,
    START_ENRICHMENT,
    USE_IDLE_BUDGET,
)
from enrichment.tmdb.client import TmdbTransientError
from enrichment.tmdb.ratelimit import RateLimitWaitTooLong

DATABASE_ERRORS = (OperationalError, InterfaceError)
# With the backoff doubling from 1 s to at most 30 s: about ten minutes of database outage.
MAX_DATABASE_RETRIES = 25
DATABASE_RETRY = {
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "max_retries": MAX_DATABASE_RETRIES,
}


@shared_task(name=START_ENRICHMENT, acks_late=True, **DATABASE_RETRY)
def start_enrichment(session_id):
    # The cache pass and the first rounds take a worker seconds for a large export: the upload's
    # response does not wait for them.
    return scheduling.dispatch_enrichment(session_id)


@shared_task(name=ENRICH_MOVIE, bind=True, max_retries=None, acks_late=True)
def enrich_movie(self, movie_id):
    try:
        return enriching.enrich_movie(movie_id)
    except RateLimitWaitTooLong as wait:
        if wait.outage_seconds is not None:
            enriching.estimate_unknown(movie_id)  # no ETA holds while TMDB does not answer
        if wait.outage_seconds is not None and wait.outage_seconds >= settings.TMDB_OUTAGE_GIVE_UP_SECONDS:
            stopped = enriching.stop_for_outage(movie_id, wait.outage_seconds)
            if stopped is not None:
                return stopped
        # Waiting for the shared budget is not a failed attempt: come back when the slot is due.
        raise self.retry(countdown=wait.wait) from None
    except LookedUpElsewhere as elsewhere:
        # Another session's task is looking this film up: its answer will serve this movie too.
        raise self.retry(countdown=elsewhere.wait) from None
    except TmdbTransientError as error:
        outcome = enriching.record_transient_error(movie_id, error)
        if outcome is not None:
            return outcome
        raise self.retry(countdown=enriching.retry_delay(error.retry_after)) from None
    except DATABASE_ERRORS as error:
        if self.request.retries >= MAX_DATABASE_RETRIES:
            raise  # the movie stays pending: the reconciler sends it again later
        raise self.retry(countdown=min(30, 2 ** min(self.request.retries, 5)), exc=error) from None


@shared_task(name=CONTINUE_ENRICHMENT, acks_late=True, **DATABASE_RETRY)
def continue_enrichment(session_id):
    return scheduling.continue_enrichment(session_id)


@shared_task(name=RECONCILE_SESSIONS, **DATABASE_RETRY)
def reconcile_sessions():
    return recovery.reconcile_sessions()


# No retry, no acks_late: a lost pass costs nothing, the beat starts the next one within seconds.
@shared_task(name=USE_IDLE_BUDGET, ignore_result=True)
def use_idle_budget():
    outcome, _ = idle.run_pass()
    if outcome == idle.MORE:
        use_idle_budget.apply_async()
    return outcome

"""Celery tasks: thin wrappers that take ids and call one service.

A chord's callback runs only when every header task has *returned*, so enrich_movie returns its
outcome as a small string and raises only to retry.
"""

from celery import shared_task

from enrichment import services
from enrichment.ratelimit import RateLimitWaitTooLong
from enrichment.tmdb import TmdbTransientError


@shared_task(acks_late=True)
def start_enrichment(session_id):
    # Publishing a chord takes about 1.5 ms a movie (seconds for a large export): a worker
    # does it, so the upload's response does not wait for it.
    return services.dispatch_enrichment(session_id)


@shared_task(bind=True, max_retries=None, acks_late=True)
def enrich_movie(self, movie_id):
    try:
        return services.enrich_movie(movie_id)
    except RateLimitWaitTooLong as wait:
        # Waiting for the shared budget is not a failed attempt: come back when the slot is due.
        raise self.retry(countdown=wait.wait) from None
    except TmdbTransientError as error:
        outcome, attempts = services.record_transient_error(movie_id, error)
        if outcome is not None:
            return outcome
        raise self.retry(countdown=services.retry_delay(attempts, error.retry_after)) from None


@shared_task(acks_late=True)
def finalize_session(session_id):
    return services.finalize_session(session_id)


@shared_task
def reconcile_sessions():
    return services.reconcile_sessions()

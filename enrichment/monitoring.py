"""Reads for operators (the staff API): workers, queue, TMDB budget, sessions enriching, movie errors."""

from django.db.models import F

from config.celery_app import FILM_QUEUE
from config.celery_app import app as celery_app
from enrichment.tmdb import ratelimit
from movies.models import Movie
from sessions.models import PROCESSED_COUNT, Session

Status = Movie.EnrichmentStatus
ERROR_STATUSES = (Status.FAILED, Status.NOT_FOUND)
# What the errors endpoint shows of each such movie.
ERROR_FIELDS = (
    "id",
    "title",
    "year",
    "letterboxd_uri",
    "enrichment_status",
    "enrichment_attempts",
    "enrichment_error",
)
# The status page lists this many enriching sessions, the longest running first.
LISTED_ENRICHING_SESSIONS = 20


def worker_status(*, ping_timeout=1.0):
    """What an operator checks first when enrichment seems stuck."""
    replies = celery_app.control.ping(timeout=ping_timeout)
    enriching = Session.objects.filter(status=Session.Status.ENRICHING)
    bucket = ratelimit.state()
    return {
        "workers": sorted(name for reply in replies for name in reply),
        "queue": queue_length(celery_app.conf.task_default_queue),
        "film_queue": queue_length(FILM_QUEUE),
        "sessions_enriching": enriching.count(),
        "enriching": list(
            enriching.order_by(F("enrichment_started_at").asc(nulls_first=True)).values(
                "id",
                "total_movies",
                "not_found_count",
                "failed_count",
                "enrichment_started_at",
                "updated_at",
                # Named as in the status answer (where enriched_count is processed_count, too).
                processed_count=PROCESSED_COUNT,
                matched_count=F("enriched_count"),
            )[:LISTED_ENRICHING_SESSIONS]
        ),
        "rate_limiter": {
            "tokens": bucket.tokens,
            "capacity": bucket.capacity,
            "refill_per_second": bucket.refill_per_second,
            "blocked_until": bucket.blocked_until,
            "breaker_open_since": bucket.breaker_open_since,
        },
    }


def queue_length(name):
    """Tasks waiting in a queue (every priority), and those reserved by workers but unacknowledged
    (of every queue: Redis keeps them together), which includes tasks held back by a retry countdown.
    """
    with celery_app.connection_for_read() as connection:
        channel = connection.default_channel
        # Not passive: a queue no task was ever sent to does not exist yet, and is simply empty.
        _, waiting, _ = channel.queue_declare(queue=name)
        reserved = channel.client.hlen(channel.unacked_key)
    return {"name": name, "waiting": waiting, "reserved": reserved}


def session_errors(session_id):
    """The movies of a session that failed or were not found, with their last error; failed first."""
    return (
        Movie.objects.filter(session_id=session_id, enrichment_status__in=ERROR_STATUSES)
        .order_by("enrichment_status", "title", "pk")
        .only(*ERROR_FIELDS)
    )

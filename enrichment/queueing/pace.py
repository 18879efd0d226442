"""What a film has cost in TMDB requests lately: the ETA's requests per film, measured.

The shared budget counts requests, the work counts films. A film TMDB finds at once costs two
(search, details); one it lacks, a TV entry or a title one year off costs up to five, and how
many of those an export holds varies, and an attempt TMDB answered with a 5xx spent its
requests too before the film is tried again. Each film looked up, and each failed attempt, pushes
"requests:films" (films 1 or 0) onto a short Redis list that every worker shares; the ETA divides
the shared rate by the requests per film over that list. Redis keeps nothing on disk: when it
has lost the list (a restart), the searches the film cache remembers with their cost say it, and
only a deployment that never looked a film up assumes two.
"""

import logging

import redis
from django.db.models import Avg, Count

from enrichment.tmdb.ratelimit import redis_client

logger = logging.getLogger(__name__)

KEY = "enrichment:requests-per-film"
RECENT_ENTRIES = 200  # films looked up and failed attempts, latest first
MEASURED_AFTER = 20  # films; fewer say little
ASSUMED = 2.0
# Films the caches answer cost nothing, but their tasks still take workers' time.
FLOOR = 0.5


def record_film(requests):
    """Count a film looked up with ``requests`` TMDB requests (best effort: an ETA is not worth a retry)."""
    _record(requests, films=1)


def record_failed_attempt(requests):
    """Count the requests of an attempt that failed transiently: its film will be looked up again."""
    _record(requests, films=0)


def _record(requests, films):
    try:
        with redis_client().pipeline() as pipe:
            pipe.lpush(KEY, f"{requests}:{films}")
            pipe.ltrim(KEY, 0, RECENT_ENTRIES - 1)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("Could not record TMDB requests for the ETA: %s", exc)


def requests_per_film():
    """TMDB requests per film over the latest entries; else over the latest searches the film cache
    remembers; ASSUMED while too few films are known to either."""
    try:
        entries = redis_client().lrange(KEY, 0, -1)
    except redis.RedisError:
        entries = []
    requests = films = 0
    for entry in entries:
        count, _, finished = entry.decode().partition(":")
        requests += int(count)
        films += int(finished or 1)  # written before failed attempts were counted
    if films < MEASURED_AFTER:
        requests, films = _latest_searches()
    if films < MEASURED_AFTER:
        return ASSUMED
    return max(FLOOR, requests / films)


def _latest_searches():
    """(requests, films) of the latest RECENT_ENTRIES searches the film cache remembers with their cost."""
    # Imported here: this module is imported before Django's apps are ready (the limiter's tests
    # import it in freshly spawned processes), and models cannot be.
    from movies.models import FilmLookup

    latest = FilmLookup.objects.filter(requests__isnull=False).order_by("-resolved_at")[:RECENT_ENTRIES]
    measured = FilmLookup.objects.filter(pk__in=latest.values("pk")).aggregate(
        requests=Avg("requests"), films=Count("pk")
    )
    return (measured["requests"] or 0) * measured["films"], measured["films"]


def reset():
    """Forget the measure (tests and benchmarks start from the assumption)."""
    redis_client().delete(KEY)

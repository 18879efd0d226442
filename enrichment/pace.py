"""What a film has cost in TMDB requests lately: the ETA's requests per film, measured.

The shared budget counts requests, the work counts films. A film TMDB finds at once costs two
(search, details); one it lacks, a TV entry or a title one year off costs up to five, and how
many of those an export holds varies. Each film looked up pushes its count onto a short Redis
list that every worker shares; the ETA divides the shared rate by their mean. Until enough
films were measured, it assumes two.
"""

import logging

import redis

from enrichment.ratelimit import redis_client

logger = logging.getLogger(__name__)

KEY = "enrichment:requests-per-film"
RECENT_FILMS = 200
MEASURED_AFTER = 20  # films; fewer say little
ASSUMED = 2.0
# Films the caches answer cost nothing, but their tasks still take workers' time.
FLOOR = 0.5


def record_film(requests):
    """Count a film looked up with ``requests`` TMDB requests (best effort: an ETA is not worth a retry)."""
    try:
        with redis_client().pipeline() as pipe:
            pipe.lpush(KEY, requests)
            pipe.ltrim(KEY, 0, RECENT_FILMS - 1)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("Could not record a film's TMDB requests: %s", exc)


def requests_per_film():
    """Mean TMDB requests of the last RECENT_FILMS films looked up, or ASSUMED while too few are known."""
    try:
        counts = [int(count) for count in redis_client().lrange(KEY, 0, -1)]
    except redis.RedisError:
        return ASSUMED
    if len(counts) < MEASURED_AFTER:
        return ASSUMED
    return max(FLOOR, sum(counts) / len(counts))


def reset():
    """Forget the measure (tests and benchmarks start from the assumption)."""
    redis_client().delete(KEY)

"""One TMDB lookup of a film at a time, whichever sessions hold it.

Sessions that share films (one export uploaded twice, friends' exports, 20 members of one club)
each send their own movie of that film to the workers. Without a claim, the same film is searched
once per session when their rounds coincide, which spends the shared budget several times over.
A worker about to look a film up claims its key in Redis; a worker that finds the claim taken
leaves the film to that lookup and comes back shortly, by when the caches answer it (and
services.cached.finish_copies has usually finished it already).

The claim is only an economy: when Redis cannot say, the film is looked up as before.
"""

import logging
import uuid
from contextlib import contextmanager, suppress

import redis

from enrichment.matching.titles import fold_title
from enrichment.tmdb.ratelimit import redis_client

logger = logging.getLogger(__name__)

KEY_PREFIX = "enrichment:lookup:"
# Longer than any lookup: a slot wait (30 s at most, then the task re-queues and lets go) and
# five requests of TMDB_TIMEOUT_SECONDS. A worker killed mid-lookup holds it no longer than this.
CLAIM_SECONDS = 120
# How soon a film left to another session's lookup is tried again (two requests take about 0.5 s
# of the budget; a round of eight, 2 s).
COME_BACK_SECONDS = 3
# Deletes the claim only while it is still this worker's (it may have expired and been re-taken).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LookedUpElsewhere(Exception):
    """Another worker is looking this film up now: try again in ``wait`` seconds."""

    def __init__(self, wait=COME_BACK_SECONDS):
        super().__init__(f"looked up by another session's task; again in {wait} s")
        self.wait = wait


def film_key(title, year, uri):
    """What identifies a film across sessions: its Letterboxd URI, else its folded title and year."""
    return uri or f"{fold_title(title)}\x1f{year or ''}"


@contextmanager
def claimed(key):
    """Hold the lookup of ``key`` for the block; raises LookedUpElsewhere when another holds it."""
    token = uuid.uuid4().hex
    name = KEY_PREFIX + key
    try:
        client = redis_client()
        taken = client.set(name, token, nx=True, ex=CLAIM_SECONDS)
    except redis.RedisError as exc:
        logger.warning("Lookup claims unavailable (%s): looking the film up without one", exc)
        yield
        return
    if not taken:
        raise LookedUpElsewhere()
    try:
        yield
    finally:
        with suppress(redis.RedisError):  # else it expires by itself
            client.eval(_RELEASE, 1, name, token)

"""Is every service the API and the workers depend on reachable? (GET /api/health: enrichment/api/)"""

import redis
from django.conf import settings
from django.db import connections
from kombu import Connection

TIMEOUT_SECONDS = 2
# Written by every Redis check: a PING answers even when Redis refuses writes (maxmemory reached
# with noeviction, a read-only replica), and then the limiter, the broker and the ETA all stall.
WRITE_PROBE_KEY = "health:write-probe"
WRITE_PROBE_TTL_SECONDS = 60


def check_database(connection=None):
    connection = connection or connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis(url=None):
    """Redis answers and accepts a write (an OOM or READONLY refusal raises, naming itself)."""
    client = redis.Redis.from_url(
        url or settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.set(WRITE_PROBE_KEY, "1", ex=WRITE_PROBE_TTL_SECONDS)
    finally:
        client.close()


def redis_writable():
    """Whether Redis takes writes now (the pages say enrichment is paused while it does not)."""
    try:
        check_redis()
    except redis.RedisError:
        return False
    return True


def check_broker(url=None):
    url = url or settings.CELERY_BROKER_URL
    with Connection(url, connect_timeout=TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    if url.startswith(("redis://", "rediss://")):
        check_redis(url)  # a broker that cannot take a message is down too


CHECKS = {"database": check_database, "redis": check_redis, "broker": check_broker}


def run_checks():
    """Each service's state: {"database": {"ok": True}, "redis": {"ok": False, "error": "..."}}."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "down"; say which and why
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            results[name] = {"ok": True}
    return results

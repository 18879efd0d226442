"""Is every service the API and the workers depend on reachable? (GET /api/health: enrichment/api/)"""

import redis
from django.conf import settings
from django.db import connections
from kombu import Connection

TIMEOUT_SECONDS = 2


def check_database(connection=None):
    connection = connection or connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis(url=None):
    client = redis.Redis.from_url(
        url or settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def check_broker(url=None):
    with Connection(url or settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)


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

"""GET /api/health: is every service the API and the workers depend on reachable?"""

import redis
from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from kombu import Connection

TIMEOUT_SECONDS = 2
REAL_TMDB_URL = "https://api.themoviedb.org/"


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


def tmdb_mode():
    """Which TMDB enrichment talks to: "real", or "fake" (a stand-in such as `manage.py fake_tmdb`)."""
    real = settings.TMDB_API_BASE_URL.startswith(REAL_TMDB_URL)
    mode = {"mode": "real" if real else "fake", "base_url": settings.TMDB_API_BASE_URL}
    if not real:
        mode["warning"] = "Enrichment uses a local TMDB stand-in: films and their data are invented."
    return mode


def health(request):
    checks = run_checks()
    down = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if not down else "unavailable", "checks": checks, "tmdb": tmdb_mode()}
    if down:
        body["detail"] = f"Unavailable: {', '.join(down)}."
    return JsonResponse(body, status=503 if down else 200)

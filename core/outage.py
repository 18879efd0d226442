"""Degrade instead of failing while PostgreSQL or Redis is down.

PostgreSQL holds every answer, so while it is unreachable each API request gets
a JSON 503 with Retry-After (DatabaseOutageMiddleware), never a 500; the bounded
connect timeout (DATABASE_CONNECT_TIMEOUT) keeps it from hanging. Redis only
counts rate limits and caches statistics: while it is down those fail open
(core/throttling.py, core/cache.py) and the reads answer from PostgreSQL.
"""

import logging
import math
import time

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

RETRY_AFTER_SECONDS = 15
# An outage fails every request: one warning per part this often is enough to see it.
LOG_EVERY_SECONDS = 10

logger = logging.getLogger(__name__)
_last_logged = {}


def log_outage(part, error, consequence):
    """Warn that `part` is unreachable and what is done instead, at most once per LOG_EVERY_SECONDS."""
    now = time.monotonic()
    if now - _last_logged.get(part, -math.inf) >= LOG_EVERY_SECONDS:
        _last_logged[part] = now
        logger.warning("%s unavailable (%s: %s); %s", part, type(error).__name__, error, consequence)


def service_unavailable(detail):
    response = JsonResponse({"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """A request that meets an unreachable or failing database is answered 503, not 500.

    The transaction of a write in progress is rolled back by PostgreSQL, so nothing
    is half-stored; Django drops the broken connection at the end of the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log_outage("PostgreSQL", exception, "answering 503")
        return service_unavailable("The database is unavailable; try again in a moment.")

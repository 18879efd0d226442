"""Per-client request limits, counted in Redis so every API process shares them.

Reads (GET, HEAD, OPTIONS) and writes (uploads, imports, deletes) have their own
budgets: writes are far stricter, since an upload parses a whole export and
starts TMDB work. Limits come from settings API_READ_RATE_LIMIT and
API_WRITE_RATE_LIMIT as (requests, seconds), read at request time.

A fixed-window counter: one INCR per request (and an EXPIRE when it creates
the window's key). DRF's own throttles keep a list of every request time in the
cache and rewrite it on each request, which costs more the higher the limit, and
status polling needs a high one. The price: a client may send up to twice its
budget across a window boundary.

A client is its address (DRF's get_ident): the socket's, or with NUM_PROXIES
trusted proxies in front, the address the outermost of them saw. Anything a
client writes in X-Forwarded-For before that is ignored, so it cannot buy
itself fresh budgets.

While Redis is down the limits fail open: requests pass uncounted, with a
warning in the log (core/outage.py).
"""

import functools
import time

import redis
from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from core.outage import log_outage


def client_address(request):
    """The client's address as every limit counts it (DRF's get_ident with NUM_PROXIES); also
    django-axes's, for failed admin logins (settings AXES_CLIENT_IP_CALLABLE)."""
    return BaseThrottle().get_ident(request)


@functools.cache
def _redis(location):
    # Thread-safe, with its own connection pool; never waits long for a Redis that is gone.
    timeout = settings.REDIS_TIMEOUT_SECONDS
    return redis.Redis.from_url(location, socket_connect_timeout=timeout, socket_timeout=timeout)


def count_in_window(name, seconds, add=1):
    """Add `add` to `name`'s counter of the current `seconds`-long window (0 reads it); returns the
    count, None while Redis is down (limits fail open, logged), and the seconds the window has left."""
    now = time.time()
    window = int(now // seconds)
    retry_after = (window + 1) * seconds - now
    key = f"{settings.CACHES['throttle']['KEY_PREFIX']}:{name}:{window}"
    client = _redis(settings.CACHES["throttle"]["LOCATION"])
    try:
        count = client.incrby(key, add)
        if count == add and add:
            # Each window has its own key: should this EXPIRE be lost, the key lingers
            # unused, and nobody is locked out.
            client.expire(key, int(seconds) + 1)
    except redis.RedisError as error:
        log_outage("Redis (rate limits)", error, "API rate limits not enforced")
        return None, retry_after
    return count, retry_after


class _MethodRateThrottle(BaseThrottle):
    scope = None
    setting_name = None

    def applies_to(self, request):
        raise NotImplementedError

    def allow_request(self, request, view):
        if not self.applies_to(request):
            return True
        limit, seconds = getattr(settings, self.setting_name)
        count, self.retry_after = count_in_window(f"{self.scope}:{self.get_ident(request)}", seconds)
        return count is None or count <= limit

    def wait(self):
        return self.retry_after


class ReadRateThrottle(_MethodRateThrottle):
    scope = "read"
    setting_name = "API_READ_RATE_LIMIT"

    def applies_to(self, request):
        return request.method in SAFE_METHODS


class WriteRateThrottle(_MethodRateThrottle):
    scope = "write"
    setting_name = "API_WRITE_RATE_LIMIT"

    def applies_to(self, request):
        return request.method not in SAFE_METHODS

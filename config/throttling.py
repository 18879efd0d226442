"""Per-client request limits, counted in Redis so every API process shares them.

Reads (GET, HEAD, OPTIONS) and writes (uploads, imports, deletes) have their own
budgets: writes are far stricter, since an upload parses a whole export and
starts TMDB work. Limits come from settings API_READ_RATE_LIMIT and
API_WRITE_RATE_LIMIT as (requests, seconds), read at request time.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle


class _MethodRateThrottle(SimpleRateThrottle):
    cache = caches["throttle"]
    setting_name = None

    def __init__(self):
        # The rate is read per request (not at import) so settings overrides apply.
        self.num_requests, self.duration = getattr(settings, self.setting_name)
        self.rate = f"{self.num_requests}/{self.duration}s"

    def applies_to(self, request):
        raise NotImplementedError

    def get_cache_key(self, request, view):
        if not self.applies_to(request):
            return None  # not counted by this throttle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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

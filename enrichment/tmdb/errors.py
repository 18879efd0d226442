"""The typed failures of a TMDB call (enrichment/tmdb/client.py raises them, the services sort them)."""


class TmdbError(Exception):
    """Any failed TMDB call. ``status`` is the HTTP status (None without an answer)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class TmdbAuthError(TmdbError):
    """401: the API key is wrong. Nothing will succeed until someone fixes it."""


class TmdbNotFound(TmdbError):
    """404: no such resource."""


class TmdbTransientError(TmdbError):
    """Worth retrying: 429, 5xx, timeouts, broken connections. ``retry_after`` is TMDB's hint, if any."""

    def __init__(self, message, status=None, retry_after=None):
        super().__init__(message, status)
        self.retry_after = retry_after


class TmdbMalformedAnswer(TmdbTransientError):
    """An answer we cannot use: a redirect, not JSON, too large, or without the fields we rely on.

    A proxy or a broken TMDB front answers like this for a while; it counts toward the shared
    circuit breaker and toward the film's attempts like a 5xx, so nothing waits on it for ever.
    """

"""The Redis cache, failing open: while Redis is down a read is a miss and a write is skipped."""

import functools

from django.core.cache.backends.redis import RedisCache
from redis import RedisError

from core.outage import log_outage


def _fail_open(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            log_outage("Redis (cache)", error, "computing without the cache")
            return fallback(*args, **kwargs)

    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, for values that can always be computed again (statistics)."""

    get = _fail_open(RedisCache.get, _default)
    get_many = _fail_open(RedisCache.get_many, lambda *args, **kwargs: {})
    set = _fail_open(RedisCache.set, lambda *args, **kwargs: None)
    add = _fail_open(RedisCache.add, lambda *args, **kwargs: False)
    delete = _fail_open(RedisCache.delete, lambda *args, **kwargs: False)

"""The Redis cache, made unable to turn a Redis outage into errors or slow pages.

A cache only saves work: while Redis is away every read is a miss and every write is dropped, so
pages are computed afresh instead of answering 500. After a failure the process leaves Redis alone
for a few seconds, because a Redis that hangs (rather than refusing connections) would otherwise
cost each cache call its own time-out, several per page.

What this cannot do: a delete dropped during an outage leaves the old value in a Redis that comes
back with its data, until the value expires. Cached values must carry a timeout.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Seconds the cache is bypassed after Redis failed: short, so that a restarted Redis is used again soon.
BYPASS_SECONDS = 5.0

# BusyLoadingError (Redis reading its data back after a restart) is a ConnectionError too.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

_MISSING = object()


class _Breaker:
    """Shared by the threads of a process: one failure is enough for all of them to skip Redis."""

    def __init__(self):
        self._lock = threading.Lock()
        self.open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: Exception) -> None:
        with self._lock:
            already_open = self.is_open()
            self.open_until = time.monotonic() + BYPASS_SECONDS
        if not already_open:
            logger.warning("Redis cache unavailable, serving without it for %s s: %s", BYPASS_SECONDS, error)


breaker = _Breaker()


class TolerantRedisCacheClient(RedisCacheClient):
    def _call(self, operation: str, miss, *args):
        if breaker.is_open():
            return miss
        try:
            return getattr(super(), operation)(*args)
        except UNAVAILABLE as error:
            breaker.trip(error)
            return miss

    def get(self, key, default):
        return self._call("get", default, key, default)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def add(self, key, value, timeout):
        return self._call("add", False, key, value, timeout)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta):
        value = self._call("incr", _MISSING, key, delta)
        if value is _MISSING:
            # What a missing key raises: while Redis is away the cache is empty.
            raise ValueError(f"Key '{key}' not found.")
        return value


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

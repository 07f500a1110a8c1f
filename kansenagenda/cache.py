"""A Redis cache that fails open: when Redis is unreachable the site keeps answering.

The cache only ever holds things that can be recomputed (dashboard figures, throttle counters), so
losing it is a slowdown, not an outage. On a Redis error this backend logs once, answers as an empty
cache (every read misses, every write is dropped: the caller recomputes) and leaves Redis alone for
``RETRY_SECONDS``; then it tries Redis again and, when it answers, logs the recovery. Nothing is kept in
the process: with several replicas, a process-local fallback would serve figures that differ per replica
and would outlive the outage with stale values. ``state()`` tells /health/ whether the cache is degraded.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0
OK = "ok"
DEGRADED = "degraded"


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    # RedisError covers ConnectionError and TimeoutError; OSError covers sockets refused before redis-py wraps them.
    return (redis.exceptions.RedisError, OSError)


class FailOpenRedisCache(RedisCache):
    _WRAPPED = (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    )

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a stopped Redis must cost milliseconds per request, not the default socket timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self._fallback = DummyCache(f"failopen-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    # --- state ----------------------------------------------------------------------------------
    def state(self) -> str:
        return DEGRADED if self._down_since is not None else OK

    def _use_redis(self) -> bool:
        return self._down_since is None or time.monotonic() >= self._retry_at

    def _mark_down(self, exc: BaseException) -> None:
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = time.monotonic()
            self._retry_at = time.monotonic() + RETRY_SECONDS
        if first:  # log once per outage, not once per request
            logger.error("Cache (Redis) unreachable, caching nothing until it is back: %r", exc)

    def _mark_up(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            was_down, self._down_since = self._down_since, None
        if was_down is not None:
            logger.warning("Cache (Redis) reachable again after %.0f s", time.monotonic() - was_down)

    def _call(self, name: str, *args, **kwargs):
        if self._use_redis():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except _redis_errors() as exc:
                self._mark_down(exc)
            else:
                self._mark_up()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def ping(self) -> str:
        """For /health/: try Redis now (ignoring the back-off) and report ``ok`` or ``degraded``."""
        try:
            self._cache.get_client(write=False).ping()
        except _redis_errors() as exc:
            self._mark_down(exc)
            return DEGRADED
        self._mark_up()
        return OK


def _make(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in FailOpenRedisCache._WRAPPED:
    setattr(FailOpenRedisCache, _name, _make(_name))


def cache_state() -> str:
    """``ok``, ``degraded`` (Redis down, nothing cached) or ``local`` (no Redis configured)."""
    from django.core.cache import caches

    default = caches["default"]
    if isinstance(default, FailOpenRedisCache):
        return default.ping()
    return "local"

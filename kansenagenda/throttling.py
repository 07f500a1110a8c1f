"""API throttles that count in one cache round trip and fail open.

DRF's ``SimpleRateThrottle`` keeps a list of timestamps per user and reads and writes it on every request (two
round trips to Redis, and a list that grows with the rate). These count requests per fixed window instead: on
Redis one pipelined ``INCR`` + ``EXPIRE`` (one round trip); on any other cache ``add`` + ``incr``. A throttle that
cannot count (cache down) lets the request through and logs it (``kansenagenda.api._FailOpen``).
"""

from __future__ import annotations

import time

from rest_framework import throttling


def count_in_window(cache, key: str, seconds: int) -> int:
    """Add one to the counter of ``key``, which lives ``seconds``; the new count."""
    redis_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if redis_client is not None:
        full_key = cache.make_and_validate_key(key)
        pipe = redis_client(full_key, write=True).pipeline()
        pipe.incr(full_key)
        pipe.expire(full_key, seconds, nx=True)
        return int(pipe.execute()[0])
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1


class FixedWindowMixin:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = time.time()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        if count_in_window(self.cache, f"{self.key}:{window}", int(self.duration) + 1) > self.num_requests:
            return self.throttle_failure()
        return True

    def wait(self):
        return max(0.0, self.window_end - self.now)


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass

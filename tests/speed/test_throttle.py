"""API throttles: counted per fixed window in one cache round trip, the limit still holds (kansenagenda/throttling.py)."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIRequestFactory

from kansenagenda.api import AnonRateThrottle, UserRateThrottle
from kansenagenda.throttling import count_in_window


class _User:
    is_authenticated = True

    def __init__(self, pk):
        self.pk = pk


def _request(user):
    request = APIRequestFactory().get("/api/v1/agendas/")
    request.user = user
    return request


@pytest.fixture(autouse=True)
def _rates(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    yield
    cache.clear()


def test_the_user_limit_holds_per_user():
    results = [UserRateThrottle().allow_request(_request(_User(1)), None) for _ in range(4)]
    assert results == [True, True, True, False]
    refused = UserRateThrottle()
    assert refused.allow_request(_request(_User(1)), None) is False
    assert 0 < refused.wait() <= 60
    assert UserRateThrottle().allow_request(_request(_User(2)), None) is True  # someone else is not throttled


def test_the_anonymous_limit_holds():
    class Anonymous:
        is_authenticated = False

    results = [AnonRateThrottle().allow_request(_request(Anonymous()), None) for _ in range(3)]
    assert results == [True, True, False]


@pytest.mark.parametrize("backend", ["configured", "locmem"])
def test_count_in_window_counts_and_expires(backend):
    store = cache if backend == "configured" else LocMemCache("throttle-test", {})
    assert [count_in_window(store, "throttle-test-key", 60) for _ in range(3)] == [1, 2, 3]
    store.delete("throttle-test-key")
    assert count_in_window(store, "throttle-test-key", 60) == 1


def test_one_round_trip_on_redis(settings):
    """On Redis the count is one pipelined INCR + EXPIRE: a single round trip, however many requests came before."""
    client_getter = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_getter is None:
        pytest.skip("the configured cache is not Redis (REDIS_URL unset)")
    calls = []
    client = client_getter(cache.make_and_validate_key("x"), write=True)
    original = type(client.pipeline()).execute

    def counting(self, *args, **kwargs):
        calls.append(len(self.command_stack))
        return original(self, *args, **kwargs)

    type(client.pipeline()).execute = counting
    try:
        count_in_window(cache, "throttle-round-trip", 60)
        count_in_window(cache, "throttle-round-trip", 60)
    finally:
        type(client.pipeline()).execute = original
    assert calls == [2, 2]  # one execute (round trip) per request, holding INCR and EXPIRE

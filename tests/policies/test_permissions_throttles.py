"""Composition with async operands, throttle settings and the async throttle path (unit level)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from django_bolt import permissions, throttling


class Sync(permissions.BasePermission):
    def __init__(self, value: bool = True) -> None:
        self.value = value
        self.calls = 0

    def has_permission(self, request, view):
        self.calls += 1
        return self.value

    def has_object_permission(self, request, view, obj):
        return obj == "ok"


class Async(Sync):
    async def has_permission(self, request, view):
        self.calls += 1
        return self.value


def resolve(value):
    return asyncio.run(value) if asyncio.iscoroutine(value) else value


@pytest.mark.parametrize("left", [Sync, Async])
@pytest.mark.parametrize("right", [Sync, Async])
@pytest.mark.parametrize(("a", "b"), [(True, True), (True, False), (False, True), (False, False)])
def test_and_or_not_with_sync_and_async_operands(left, right, a, b):
    for operator, expected in (("&", a and b), ("|", a or b)):
        op1, op2 = left(a), right(b)
        combined = (permissions.AND if operator == "&" else permissions.OR)(op1, op2)
        assert bool(resolve(combined.has_permission(None, None))) is expected
        # Short-circuit like Python's and/or: the second operand runs only when it decides.
        assert op2.calls == (1 if (a if operator == "&" else not a) else 0)
    assert resolve(permissions.NOT(left(a)).has_permission(None, None)) is (not a)


def test_composition_classes_match_drf_semantics():
    composed = (permissions.IsAuthenticated | permissions.IsAdminUser) & ~permissions.IsAdminUser
    instance = composed()
    assert isinstance(instance, permissions.AND) and isinstance(instance.op2, permissions.NOT)
    assert permissions.IsAuthenticated & permissions.AllowAny == permissions.IsAuthenticated & permissions.AllowAny
    # OR on objects: an operand only counts if it also grants has_permission.
    request = SimpleNamespace(method="GET")
    either = permissions.OR(Sync(False), Sync(True))
    assert either.has_object_permission(request, None, "ok") is True
    assert permissions.OR(Sync(False), Sync(False)).has_object_permission(request, None, "ok") is False


def test_throttle_rates_follow_settings():
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "3/hour", "user": None}}):
        assert (throttling.AnonRateThrottle().num_requests, throttling.AnonRateThrottle().duration) == (3, 3600)
        assert throttling.UserRateThrottle().rate is None
    with pytest.raises(ImproperlyConfigured, match="No default throttle rate set for 'custom' scope"):
        type("Custom", (throttling.SimpleRateThrottle,), {"scope": "custom"})()
    with pytest.raises(ImproperlyConfigured, match="You must set either `.scope` or `.rate`"):
        throttling.SimpleRateThrottle()


def fake_request(addr: str = "10.1.1.1", xff: str | None = None):
    headers = {} if xff is None else {"x-forwarded-for": xff}
    user = SimpleNamespace(is_authenticated=False)
    return SimpleNamespace(raw=SimpleNamespace(client=(addr, 5)), headers=headers, user=user, META={})


def test_async_path_records_and_refuses():
    class Twice(throttling.AnonRateThrottle):
        rate = "2/min"

    cache.clear()
    try:
        results = [asyncio.run(Twice().aallow_request(fake_request(), None)) for _ in range(3)]
        assert results == [True, True, False]
        assert len(cache.get("throttle_anon_10.1.1.1")) == 2
        # Another address has its own budget.
        assert asyncio.run(Twice().aallow_request(fake_request("10.1.1.2"), None)) is True
    finally:
        cache.clear()


def test_overridden_allow_request_is_honoured_by_the_async_path():
    class Never(throttling.SimpleRateThrottle):
        # No rate (the fast path would allow), but allow_request is overridden.
        scope = "never"
        THROTTLE_RATES = {"never": None}

        def allow_request(self, request, view):
            return False

    assert asyncio.run(Never().aallow_request(fake_request(), None)) is False


def test_wait_spreads_remaining_window():
    throttle = type("T", (throttling.SimpleRateThrottle,), {"rate": "3/min"})()
    throttle.now, throttle.history = 100.0, [90.0, 80.0]
    assert throttle.wait() == pytest.approx((60 - 20) / 2)
    throttle.history = [99.0, 98.0, 97.0, 96.0]
    assert throttle.wait() is None


def test_network_cache_is_not_called_on_the_event_loop():
    """With a network cache, a check on the loop is refused (SynchronousOnlyOperation), so the pipeline re-runs it
    in the sync bridge; aallow_request goes to the bridge directly. An in-process cache stays inline."""
    from django.core.exceptions import SynchronousOnlyOperation

    from django_bolt.sync import inline_sync

    class Network(throttling.AnonRateThrottle):
        rate = "5/min"
        cache = type("FakeRedis", (), {"get": lambda self, key, default=None: [], "set": lambda *a: None})()

    async def on_loop(throttle):
        return throttle.allow_request(fake_request(), None)

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(on_loop(Network()))
    assert Network().allow_request(fake_request(), None) is True
    with inline_sync():
        assert asyncio.run(Network().aallow_request(fake_request(), None)) is True
    cache.clear()
    assert asyncio.run(on_loop(type("Local", (throttling.AnonRateThrottle,), {"rate": "5/min"})())) is True
    cache.clear()


def test_scoped_async_path():
    class Scoped(throttling.ScopedRateThrottle):
        THROTTLE_RATES = {"uploads": "1/day"}

    view, unscoped = SimpleNamespace(throttle_scope="uploads"), SimpleNamespace()
    cache.clear()
    try:
        assert [asyncio.run(Scoped().aallow_request(fake_request(), view)) for _ in range(2)] == [True, False]
        assert asyncio.run(Scoped().aallow_request(fake_request(), unscoped)) is True
        assert cache.get("throttle_uploads_10.1.1.1") is not None
    finally:
        cache.clear()

"""Throttling parity: anon/user/scoped rates, 429 body and Retry-After, client identity and the cache format."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from compat.harness import Call
from django_bolt.test import BoltClient
from tests.policies import fixtures
from tests.policies.parity import PolicyParity

fast_hasher, users = fixtures.fast_hasher, fixtures.users


@pytest.fixture
def parity(db) -> PolicyParity:
    return PolicyParity()


def as_user(users, name: str) -> dict[str, str]:
    return {"Authorization": f"Token {users.tokens[name]}"}


def test_anon_rate(parity, users):
    parity.assert_same(
        Call("GET", "/throttle/anon/"),
        Call("POST", "/throttle/anon/", {}),
        Call("GET", "/throttle/anon/"),
        Call("GET", "/throttle/anon/"),
        # Users are not counted by the anonymous throttle.
        Call("GET", "/throttle/anon/", headers=as_user(users, "alice")),
    )


def test_user_rate(parity, users):
    alice, admin = as_user(users, "alice"), as_user(users, "admin")
    parity.assert_same(
        Call("GET", "/throttle/user/", headers=alice),
        Call("GET", "/throttle/user/", headers=alice),
        Call("GET", "/throttle/user/", headers=alice),
        Call("GET", "/throttle/user/", headers=admin),
        # Anonymous clients are counted by address.
        Call("GET", "/throttle/user/"),
        Call("GET", "/throttle/user/"),
        Call("GET", "/throttle/user/"),
        # Authentication failures are reported before throttling.
        Call("GET", "/throttle/user/", headers={"Authorization": "Token nope"}),
    )


def test_two_throttles_longest_wait(parity, users):
    parity.assert_same(*(Call("GET", "/throttle/both/") for _ in range(4)))


def test_scoped(parity, users):
    parity.assert_same(
        *(Call("GET", "/throttle/burst/") for _ in range(2)),
        # Views sharing a scope share the budget.
        *(Call("GET", "/throttle/burst2/") for _ in range(2)),
        Call("GET", "/throttle/other/"),
        Call("GET", "/throttle/other/"),
        # Without a throttle_scope the view is not throttled.
        *(Call("GET", "/throttle/unscoped/") for _ in range(5)),
    )


def test_forwarded_for_cannot_reset_the_budget_without_num_proxies(parity, users):
    # Deliberate deviation (docs/deviations.md): DRF uses the X-Forwarded-For header as the identity when
    # NUM_PROXIES is unset, so a client can spoof a fresh budget; bolt uses the peer address.
    cache.clear()
    client = BoltClient(parity.bolt_urlconf)
    statuses = [client.get("/throttle/anon/", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(6)]
    assert statuses[-1] == 429 and 429 in statuses[:5]
    cache.clear()


@pytest.mark.parametrize("num_proxies", [0, 1, 2])
def test_num_proxies(db, users, num_proxies):
    parity = PolicyParity(settings={"REST_FRAMEWORK": {"NUM_PROXIES": num_proxies}})
    spoofed = {"X-Forwarded-For": "6.6.6.6, 10.0.0.1"}
    parity.assert_same(
        Call("GET", "/throttle/anon/", headers=spoofed),
        Call("GET", "/throttle/anon/", headers=spoofed),
        Call("GET", "/throttle/anon/", headers={"X-Forwarded-For": "7.7.7.7, 10.0.0.1"}),
        Call("GET", "/throttle/anon/"),
        Call("GET", "/throttle/anon/", headers={"X-Forwarded-For": "10.0.0.1"}),
    )


def test_cache_entries_match_drf(parity, users):
    """The same keys and history format as DRF, so a shared cache enforces one budget across both."""
    keys = {}
    for side, runner in (("drf", parity._drf), ("bolt", parity._bolt)):
        cache.clear()
        with parity_settings(parity, side):
            runner(Call("GET", "/throttle/user/", headers=as_user(users, "alice")))
            runner(Call("GET", "/throttle/anon/"))
        keys[side] = {key: cache.get(key) for key in (f"throttle_user_{users.alice.pk}", "throttle_anon_127.0.0.1")}
    cache.clear()
    for side in ("drf", "bolt"):
        history = keys[side][f"throttle_user_{users.alice.pk}"]
        assert isinstance(history, list) and len(history) == 1 and isinstance(history[0], float)
        assert len(keys[side]["throttle_anon_127.0.0.1"]) == 1


def test_budget_shared_with_drf(parity, users):
    """One request through DRF, one through bolt: the third (either side) is refused."""
    cache.clear()
    try:
        with parity_settings(parity, "drf"):
            assert parity._drf(Call("GET", "/throttle/anon/")).status == 200
        with parity_settings(parity, "bolt"):
            assert parity._bolt(Call("GET", "/throttle/anon/")).status == 200
            refused = parity._bolt(Call("GET", "/throttle/anon/"))
        assert refused.status == 429
        assert refused.json()["detail"].startswith("Request was throttled. Expected available in ")
        assert 59 <= int(refused.headers["Retry-After"]) <= 60
    finally:
        cache.clear()


def parity_settings(parity: PolicyParity, side: str):
    from django.test import override_settings

    if side == "drf":
        return override_settings(ROOT_URLCONF=parity.drf_urlconf)
    return override_settings(ROOT_BOLTCONF=parity.bolt_urlconf)

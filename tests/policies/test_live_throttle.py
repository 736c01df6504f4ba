"""Throttle budgets hold across runbolt processes sharing Redis (DRF's cache keys and history format)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from django_bolt.pytest_plugin import LiveServer
from tests.policies.live_urls import LIVE_RATE

pytestmark = [pytest.mark.live, pytest.mark.redis]

# Django's RedisCache key for the "live" scope and this client: KEY_PREFIX:VERSION:key.
CACHE_KEY = "bolt-tests:1:throttle_live_127.0.0.1"


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis(host="127.0.0.1", port=6379)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379 (run scripts/services.sh)")
    client.delete(CACHE_KEY)
    yield client
    client.delete(CACHE_KEY)


def fetch(url: str) -> tuple[int, dict, dict[str, str]]:
    # A new connection per request: the processes accept from one shared socket.
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        return response.status, json.loads(response.read()), {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def test_budget_shared_by_two_processes(redis_client):
    # Two servers (as two processes or two machines behind a balancer) and one Redis; requests alternate between
    # them, one at a time (DRF's throttle is read-modify-write: concurrent requests could race past the budget).
    redis_settings = "tests.settings_redis"
    with LiveServer(settings_module=redis_settings) as first, LiveServer(settings_module=redis_settings) as second:
        servers = [first, second]
        results = [fetch(f"{servers[i % 2].url}/live/throttled/") for i in range(2 * LIVE_RATE)]
    allowed = [body["pid"] for status, body, _ in results if status == 200]
    # The Redis round-trips ran in the sync bridge, not on the engine's worker thread.
    assert {body["throttle_thread"].split("_")[0] for status, body, _ in results if status == 200} == {"bolt-sync"}
    refused = [(body, headers) for status, body, headers in results if status == 429]
    # With a per-process cache each process would allow LIVE_RATE requests: twice the budget.
    assert len(allowed) == LIVE_RATE
    assert len(refused) == LIVE_RATE
    assert len(set(allowed)) == 2, "both processes allowed requests"
    body, headers = refused[0]
    assert body["detail"].startswith("Request was throttled. Expected available in ")
    assert 1 <= int(headers["retry-after"]) <= 60
    # DRF's history format: newest timestamp first, one entry per allowed request.
    import pickle

    history = pickle.loads(redis_client.get(CACHE_KEY))
    assert len(history) == LIVE_RATE and history == sorted(history, reverse=True)

"""Prometheus metrics from a live runbolt (issue 14): every process's requests summed in one scrape, latency
histograms, in-flight and sync-bridge gauges, worker restarts by reason, and counters that survive recycling."""

import http.client
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from django_bolt.pytest_plugin import LiveServer

from .live import wait_for

pytestmark = pytest.mark.live

HELLO = 'route="hello"'


def get(server, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def scrape(server) -> dict[str, float]:
    status, text = get(server, "/metrics")
    assert status == 200
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def test_two_processes_are_counted_in_one_scrape():
    with LiveServer(["--processes", "2", "--metrics-path", "/metrics"]) as server:
        with ThreadPoolExecutor(8) as pool:
            # New connections spread over both processes; some land on each.
            list(pool.map(lambda _: get(server, "/hello"), range(60)))
            list(pool.map(lambda _: get(server, "/missing-page"), range(5)))
            # A route whose converter refuses the path, then Django's 404: unrouted, as Django answered.
            list(pool.map(lambda _: get(server, "/only-even/3"), range(2)))
            list(pool.map(lambda _: get(server, "/boom"), range(3)))
        samples = scrape(server)
        assert samples[f'bolt_requests_total{{{HELLO},code="200"}}'] == 60
        assert samples['bolt_requests_total{route="(unrouted)",code="404"}'] == 7
        assert samples['bolt_requests_total{route="boom",code="500"}'] == 3
        assert samples[f"bolt_request_duration_seconds_count{{{HELLO}}}"] == 60
        assert samples[f'bolt_request_duration_seconds_bucket{{{HELLO},le="+Inf"}}'] == 60
        assert 0 < samples[f"bolt_request_duration_seconds_sum{{{HELLO}}}"] < 60
        assert samples["bolt_processes"] == 2
        assert samples["bolt_requests_in_flight"] == 0
        # In flight and the sync bridge, seen while slow requests run.
        with ThreadPoolExecutor(4) as pool:
            slow = [pool.submit(get, server, "/slow/1500/") for _ in range(2)]
            blocking = [pool.submit(get, server, "/sleep-sync?ms=1500") for _ in range(2)]
            assert wait_for(lambda: scrape(server)["bolt_requests_in_flight"] == 4, 5)
            assert scrape(server)["bolt_sync_bridge_busy"] == 2
            assert all(f.result()[0] == 200 for f in slow + blocking)
        assert wait_for(lambda: scrape(server)["bolt_sync_bridge_busy"] == 0, 5)
        pid = int(re.findall(r"Bolt worker process (\d+)", "".join(server.output))[0])
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: scrape(server)['bolt_worker_restarts_total{reason="crash"}'] == 1)
        # The killed process's counts stay: counters never go backwards.
        assert scrape(server)[f'bolt_requests_total{{{HELLO},code="200"}}'] == 60


def test_counters_survive_recycling():
    args = ["--max-requests", "15", "--metrics-path", "/metrics"]
    with LiveServer(args) as server:
        sent, deadline = 0, time.monotonic() + 30
        while scrape(server)['bolt_worker_restarts_total{reason="recycle"}'] < 2 and time.monotonic() < deadline:
            for _ in range(10):
                assert get(server, "/hello")[0] == 200
            sent += 10
            time.sleep(0.2)
        assert scrape(server)['bolt_worker_restarts_total{reason="recycle"}'] >= 2
        assert scrape(server)[f'bolt_requests_total{{{HELLO},code="200"}}'] == sent


def test_metrics_are_off_unless_asked_for():
    with LiveServer() as server:
        assert get(server, "/metrics")[0] == 404

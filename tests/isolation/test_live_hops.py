"""Sync bridge calls the engine waits for itself (`SyncHop`), on a real runbolt with the bridge in thread mode:
results and exceptions reach the action, the request's context and thread follow it, and a request whose client
has gone still runs to its end."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.isolation.settings"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = str(tmp_path_factory.mktemp("hops") / "hops.sqlite3")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "ISOLATION_DB": database, "ISOLATION_SYNC_MODE": "thread"}
    migrate = [sys.executable, "-m", "django", "migrate", "--noinput"]
    done = subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    saved = {key: os.environ.get(key) for key in ("ISOLATION_DB", "ISOLATION_SYNC_MODE")}
    os.environ.update(ISOLATION_DB=database, ISOLATION_SYNC_MODE="thread")
    try:
        with LiveServer(settings_module=SETTINGS, cwd=str(ROOT)) as live:
            live.database = database
            yield live
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def get(server, path):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_results_exceptions_and_context_cross_the_engine_waited_hops(server):
    for _ in range(3):  # a second and third request on the same worker: nothing left over
        status, body = get(server, "/isolation/hops/")
        assert status == 200, body
        assert body["engine_steps"] is True and body["task_after_sleep"] is True
        probes = [probe for probe, _ in body["seen"]]
        assert probes == ["set-before-the-hop", "set-before-the-hop", "set-between-hops", "set-between-hops"]
        threads = {thread for _, thread in body["seen"]}
        assert len(threads) == 1 and threads != {body["worker_thread"]}  # one leased bridge thread, all along
        assert body["caught"] == "lookup raised in the bridge"
        assert body["probe"] == "set-between-hops"


def test_an_api_exception_raised_in_a_hop_answers_as_drf_does(server):
    status, body = get(server, "/isolation/hops/?fail=not_found")
    assert (status, body) == (404, {"detail": "no such thing"})


def test_a_request_whose_client_left_during_a_hop_still_runs_to_its_end(server):
    payload = json.dumps({"token": "left-early"}).encode()
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /isolation/slow_create/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        time.sleep(0.02)  # the first bridge call is under way
    deadline = time.monotonic() + 5
    names: list = []
    while time.monotonic() < deadline:
        with sqlite3.connect(server.database) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM testapp_item WHERE name = 'left-early'")]
        if names:
            break
        time.sleep(0.05)
    assert names == ["left-early"]
    status, body = get(server, "/isolation/hops/")  # and the worker serves on
    assert status == 200 and body["engine_steps"] is True


def test_a_task_started_before_a_hop_runs_during_it(tmp_path, monkeypatch):
    # A fresh server: its worker loop has never been driven, so only the engine's poke after the first step runs it.
    monkeypatch.setenv("ISOLATION_DB", str(tmp_path / "background.sqlite3"))
    monkeypatch.setenv("ISOLATION_SYNC_MODE", "thread")
    with LiveServer(settings_module=SETTINGS, cwd=str(ROOT)) as fresh:
        status, body = get(fresh, "/isolation/background/")
    assert (status, body) == (200, {"ran_during_the_hop": True})

"""
Kept counts on a real runbolt: each bridge thread has its own SQLite connection, so a page counted on one must
be counted again on every other after a write — made through the server (another thread's connection) or by
another process. The table is large enough (100,000 rows, a count of ~0.4 ms) for its count to be kept.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.fastpath.live_settings"
TABLE = "testapp_item"
ROWS = 100_000


def call(server: LiveServer, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        payload = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json"} if payload else {})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def counts(server: LiveServer, times: int = 12) -> set[int]:
    """The counts of `times` first pages (spread over the bridge threads and their connections)."""
    return {call(server, "GET", "/paged/")[1]["count"] for _ in range(times)}


def test_every_connection_counts_again_after_a_write(tmp_path, monkeypatch):
    database = tmp_path / "fastpath.sqlite3"
    monkeypatch.setenv("FASTPATH_DB", str(database))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    outside = sqlite3.connect(database)
    insert = (
        f"INSERT INTO {TABLE} (name, description, price, quantity, is_active, created_at)"
        " VALUES (?, '', 1, 1, 1, '2026-01-01 00:00:00')"
    )
    outside.executemany(insert, [(f"Item {i}",) for i in range(ROWS)])
    outside.commit()
    try:
        with LiveServer(["--workers", "1"], settings_module=SETTINGS, cwd=str(ROOT)) as server:
            assert counts(server) == {ROWS}
            outside.execute(insert, ("From another process",))
            outside.commit()
            assert counts(server) == {ROWS + 1}
            status, created = call(
                server, "POST", "/paged/", {"name": "Through the server", "price": "2.00", "quantity": 2}
            )
            assert status == 201, created
            assert counts(server) == {ROWS + 2}
            outside.execute(f"DELETE FROM {TABLE} WHERE name LIKE 'Item %'")
            outside.commit()
            assert counts(server) == {2}
            # Every thread's kept page statement reads the rows as they are now (it holds no old snapshot).
            names = {tuple(row["name"] for row in call(server, "GET", "/paged/")[1]["results"]) for _ in range(12)}
            assert names == {("From another process", "Through the server")}
            status, _ = call(server, "DELETE", f"/paged/{created['id']}/")
            assert status == 204
            assert counts(server) == {1}
    finally:
        outside.close()

"""
A database outage ends without a restart, in both sync modes: when PostgreSQL drops the server's connections
(``pg_terminate_backend``, as a restart or failover does), a request that meets a dead persistent connection
answers 503 with ``Retry-After`` (Bolt's ``DatabaseUnavailable``) and the next one reconnects and answers 200;
in thread mode with ``CONN_MAX_AGE=0`` each request opens its own connection and never meets a dead one. (Before,
``SYNC_MODE="inline"`` answered 500 "the connection is closed" until the server was restarted.)
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys

import pytest

from django_bolt.pytest_plugin import LiveServer
from tests.isolation.test_live_isolation import ROOT, SETTINGS, call, postgres_database  # noqa: F401

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def terminate_backends(database: str) -> int:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=bolt password=bolt dbname=postgres", autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database.split(":", 1)[1]],
        ).fetchall()
    return len(rows)


@pytest.mark.parametrize("conn_max_age", ["none", "0"])
@pytest.mark.parametrize("sync_mode", ["thread", "inline"])
def test_requests_recover_after_the_database_drops_its_connections(
    postgres_database,  # noqa: F811
    monkeypatch,
    sync_mode,
    conn_max_age,
):
    monkeypatch.setenv("ISOLATION_DB", postgres_database)
    monkeypatch.setenv("ISOLATION_SYNC_MODE", sync_mode)
    monkeypatch.setenv("ISOLATION_CONN_MAX_AGE", conn_max_age)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    with LiveServer(["--workers", "1"], settings_module=SETTINGS, cwd=str(ROOT)) as server:
        assert call(server, "GET", "/isolation/count/") == (200, {"count": 0, "acount": 0})
        for _ in range(3):
            assert terminate_backends(postgres_database) >= 1
            status, retry_after, body = get_count(server)
            if conn_max_age == "none" or sync_mode == "inline":  # inline keeps the worker's connection
                assert (status, retry_after) == (503, "1")
                assert body == {"detail": "The database is unavailable, try again shortly."}
                assert call(server, "GET", "/isolation/count/") == (200, {"count": 0, "acount": 0})
            else:
                assert (status, body) == (200, {"count": 0, "acount": 0})


def get_count(server) -> tuple[int, str | None, dict]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("GET", "/isolation/count/")
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After"), json.loads(response.read())
    finally:
        connection.close()

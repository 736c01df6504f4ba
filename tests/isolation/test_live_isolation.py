"""Each request in its own context, on a real runbolt: two processes, two workers each, hundreds of concurrent
requests using Django's async ORM, `sync_to_async`, a ContextVar and translation."""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer
from tests.isolation.test_client_isolation import check_orm_answer

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.isolation.settings"
ORM_REQUESTS = 240
CONTEXT_REQUESTS = 160


def call(server, method, path, body=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        payload = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json"} if payload else {})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


@pytest.fixture
def postgres_database():
    psycopg = pytest.importorskip("psycopg")
    name = f"bolt_isolation_{os.getpid()}"
    try:
        admin = psycopg.connect("host=127.0.0.1 port=5432 user=bolt password=bolt dbname=postgres", autocommit=True)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not running: {error}")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres:{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def item_names(database: str) -> list[str]:
    if database.startswith("postgres:"):
        import psycopg

        dsn = f"host=127.0.0.1 port=5432 user=bolt password=bolt dbname={database.split(':', 1)[1]}"
        with psycopg.connect(dsn) as conn:
            return sorted(row[0] for row in conn.execute("SELECT name FROM testapp_item"))
    with sqlite3.connect(database) as conn:
        return sorted(row[0] for row in conn.execute("SELECT name FROM testapp_item"))


def serve_and_check(database: str, sync_mode: str, monkeypatch) -> None:
    monkeypatch.setenv("ISOLATION_DB", database)
    monkeypatch.setenv("ISOLATION_SYNC_MODE", sync_mode)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    migrate = [sys.executable, "-m", "django", "migrate", "--noinput"]
    done = subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr

    tokens = [f"req{i:04d}" for i in range(ORM_REQUESTS)]
    languages = ["fr", "de", "es", "nl"]
    with LiveServer(["--processes", "2", "--workers", "2"], settings_module=SETTINGS, cwd=str(ROOT)) as server:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=32) as pool:
            orm = [
                pool.submit(
                    call,
                    server,
                    "POST",
                    "/isolation/orm/",
                    {"token": t, "language": languages[i % 4], "timezone": "Europe/Paris" if i % 2 else "UTC"},
                )
                for i, t in enumerate(tokens)
            ]
            context = [
                pool.submit(call, server, "GET", f"/isolation/context/?set=leak{i}&language=fr")
                for i in range(CONTEXT_REQUESTS)
            ]
            orm_results = [future.result(timeout=120) for future in orm]
            context_results = [future.result(timeout=120) for future in context]
        elapsed = time.monotonic() - started
        output = "".join(server.output)

    failures = [(status, body) for status, body in orm_results + context_results if status != 200]
    assert not failures, (failures[:3], output[-3000:])
    for index, (token, (_, body)) in enumerate(zip(tokens, orm_results, strict=True)):
        check_orm_answer(body, token, languages[index % 4])
        if sync_mode == "thread":
            assert body["threads"] != [body["worker_thread"]]  # on a bridge thread, not the worker
        else:
            assert body["threads"] == [body["worker_thread"]]
    assert {json.dumps(body) for _, body in context_results} == {json.dumps({"probe": None, "language": "en-us"})}
    # Exactly one row per request survived: every create, update, delete and transaction landed once.
    assert item_names(database) == tokens
    total = ORM_REQUESTS + CONTEXT_REQUESTS
    engine = "postgresql" if database.startswith("postgres:") else "sqlite"
    print(f"\n{engine}/{sync_mode}: {total} requests in {elapsed:.2f} s ({total / elapsed:.0f}/s)")
    assert "would deadlock" not in output


@pytest.mark.parametrize("sync_mode", ["thread", "inline"])
def test_sqlite(tmp_path, monkeypatch, sync_mode):
    serve_and_check(str(tmp_path / "isolation.sqlite3"), sync_mode, monkeypatch)


@pytest.mark.postgres
def test_postgresql(postgres_database, monkeypatch):
    serve_and_check(postgres_database, "thread", monkeypatch)

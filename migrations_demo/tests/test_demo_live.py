"""
The demo as ``make demo`` runs it: ``migrate`` and ``seed_demo`` on a fresh SQLite file, then ``runbolt`` with
``demo.settings``, fetched over real HTTP.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from django_bolt.pytest_plugin import LiveServer

DEMO_DIR = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=DEMO_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def fetch(url: str, method: str = "GET", token: str | None = None, data: Any = None) -> tuple[int, Any, Any]:
    """``(status, headers, parsed JSON body)``; the headers are looked up case-insensitively."""
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, method=method, data=body)
    if token:
        request.add_header("Authorization", f"Token {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.mark.live
def test_runbolt_serves_the_migrated_endpoints(tmp_path, monkeypatch):
    database = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("DEMO_DATABASE", str(database))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "demo.settings")
    env = dict(os.environ)
    manage("migrate", "--noinput", env=env)
    first = manage("seed_demo", env=env)
    assert first == manage("seed_demo", env=env)  # idempotent: same rows, same tokens
    assert first.startswith("catalog: 3 authors, 5 books, 4 reviews")
    tokens = dict(line.split()[0::3] for line in first.splitlines()[1:])

    # Two processes, two workers each: several bridge threads and processes write to the file at once.
    args = ["--processes", "2", "--workers", "2"]
    with LiveServer(args, cwd=str(DEMO_DIR), settings_module="demo.settings") as server:
        status, headers, body = fetch(f"{server.url}/api/books/?search=pratchett&ordering=-price")
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        assert body["count"] == 2
        assert [(book["title"], book["price"], book["author"]["name"]) for book in body["results"]] == [
            ("Small Gods", "9.99", "Terry Pratchett"),
            ("Guards! Guards!", "9.50", "Terry Pratchett"),
        ]
        small_gods = body["results"][0]
        assert small_gods["in_stock"] is False

        status, _, body = fetch(f"{server.url}/api/books/{small_gods['id']}/restock/", "POST", tokens["alice"])
        assert (status, body) == (403, {"detail": "You do not have permission to perform this action."})
        status, _, body = fetch(f"{server.url}/api/books/{small_gods['id']}/restock/", "POST", tokens["admin"])
        assert (status, body["in_stock"]) == (200, True)

        status, _, body = fetch(f"{server.url}/api/")
        assert body == {
            "authors": f"{server.url}/api/authors/",
            "books": f"{server.url}/api/books/",
            "reviews": f"{server.url}/api/reviews/",
        }
        # Moved with its DRF classes kept (the compat step).
        status, headers, body = fetch(f"{server.url}/api/reviews/?ordering=id")
        assert (status, headers["Content-Type"], body["count"]) == (200, "application/json", 4)
        assert headers["X-Frame-Options"] == "DENY"  # the engine applies XFrameOptionsMiddleware's header
        # Not migrated: DRF's token view and the admin, through runbolt's fall-through to ROOT_URLCONF.
        status, _, body = fetch(
            f"{server.url}/api/token/", "POST", data={"username": "alice", "password": "demo-password"}
        )
        assert (status, body) == (200, {"token": tokens["alice"]})
        with urllib.request.urlopen(f"{server.url}/admin/login/", timeout=10) as page:
            assert page.status == 200 and b"csrfmiddlewaretoken" in page.read()
        # The OpenAPI document of everything runbolt serves, from a Bolt route.
        request = urllib.request.Request(f"{server.url}/api/schema/")
        request.add_header("Accept", "application/vnd.oai.openapi+json")
        with urllib.request.urlopen(request, timeout=30) as response:
            document = json.loads(response.read())
        assert {"/api/books/{id}/restock/", "/api/reviews/", "/api/token/"} <= set(document["paths"])
        assert document["info"]["title"] == "Catalog API"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{server.url}/api/no-such-thing/", timeout=10)
        assert missing.value.code == 404 and b"<h1>Not Found</h1>" in missing.value.read()

        # Concurrent writers on SQLite: the bridge's threads each hold a connection; WAL, IMMEDIATE transactions
        # and the busy timeout of demo/settings.py make them wait for each other instead of failing.
        def create(i: int) -> int:
            return fetch(f"{server.url}/api/authors/", "POST", tokens["bob"], {"name": f"Writer {i}"})[0]

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(create, range(40)))
        assert statuses == [201] * 40
        assert fetch(f"{server.url}/api/authors/?search=writer")[2]["count"] == 40

    # The write went through runbolt's own connection to the file.
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT in_stock FROM catalog_book WHERE id = ?", [small_gods["id"]]).fetchone()
    assert row == (1,)

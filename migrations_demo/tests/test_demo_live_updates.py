"""
``catalog.bolt_live``: book changes over server-sent events and a WebSocket with a readers' chat — in process
through the test client, and through a live runbolt with an independent WebSocket client.
"""

from __future__ import annotations

import http.client
import json
import os

import pytest
from test_demo_live import DEMO_DIR, fetch, manage
from websockets.sync.client import connect

from django_bolt.pytest_plugin import LiveServer
from django_bolt.test import BoltClient


@pytest.fixture
def bolt(bolt_engine, catalog):
    return BoltClient(engine=bolt_engine)


def new_book(catalog, isbn="9780000000001"):
    return {"title": "Roadside Picnic", "isbn": isbn, "price": "8.50", "author_id": catalog.authors["Stanisław Lem"].pk}


def test_socket_hears_book_changes_made_through_the_api(bolt, catalog):
    with bolt.websocket_connect("/ws/catalog/") as ws:
        writer = BoltClient(engine=bolt.engine)
        writer.credentials(**catalog.auth("bob"))
        created = writer.post("/api/books/", new_book(catalog), format="json")
        assert created.status_code == 201
        assert ws.receive_json() == {
            "type": "book.created",
            "book": {"id": created.json()["id"], "title": "Roadside Picnic", "isbn": "9780000000001", "in_stock": True},
        }
        writer.delete(f"/api/books/{created.json()['id']}/")
        assert ws.receive_json()["type"] == "book.deleted"


def test_chat_needs_a_signed_in_reader(bolt, catalog):
    with bolt.websocket_connect("/ws/catalog/") as anonymous:
        anonymous.send_json({"text": "hello?"})
        assert anonymous.receive_json() == {"type": "error", "detail": "Sign in to chat."}
        reader = BoltClient(engine=bolt.engine)
        reader.credentials(**catalog.auth("alice"))
        with reader.websocket_connect("/ws/catalog/") as alice:
            alice.send_json({"text": "  Solaris is wonderful  "})
            message = {"type": "chat", "user": "alice", "text": "Solaris is wonderful"}
            assert alice.receive_json() == message
            assert anonymous.receive_json() == message


def test_live_routes_stay_out_of_the_schema(bolt):
    document = bolt.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    assert not {"/api/live/books/", "/ws/catalog/"} & set(document["paths"])


@pytest.mark.live
def test_live_server_streams_changes_to_sse_and_websocket(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "demo.settings")
    env = dict(os.environ)
    manage("migrate", "--noinput", env=env)
    tokens = dict(line.split()[0::3] for line in manage("seed_demo", env=env).splitlines()[1:])
    with LiveServer(cwd=str(DEMO_DIR), settings_module="demo.settings") as server:
        events = http.client.HTTPConnection(server.host, server.port, timeout=10)
        events.request("GET", "/api/live/books/", headers={"Accept": "text/event-stream"})
        stream = events.getresponse()
        assert (stream.status, stream.headers["Content-Type"]) == (200, "text/event-stream")
        with connect(f"ws://{server.host}:{server.port}/ws/catalog/") as ws:
            author = fetch(f"{server.url}/api/authors/", "POST", tokens["bob"], {"name": "Arkady Strugatsky"})[2]
            status, _, book = fetch(
                f"{server.url}/api/books/",
                "POST",
                tokens["bob"],
                {"title": "Hard to Be a God", "isbn": "9780000000002", "price": "9.00", "author_id": author["id"]},
            )
            assert status == 201
            assert json.loads(ws.recv(timeout=10)) == {
                "type": "book.created",
                "book": {"id": book["id"], "title": "Hard to Be a God", "isbn": "9780000000002", "in_stock": True},
            }
        lines = []
        while len(lines) < 4:
            lines.append(stream.readline().decode().rstrip("\n"))
        assert lines[0] == "event: book.created"
        assert lines[1] == f"id: {book['id']}"
        assert json.loads(lines[2].removeprefix("data: "))["title"] == "Hard to Be a God"
        events.close()

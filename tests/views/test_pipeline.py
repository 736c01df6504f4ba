"""The async pipeline: sync/async policies, the sync bridge, ATOMIC_REQUESTS, sessions, Django responses."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from django.db import connection

from compat.app.models import Book


def test_async_and_db_authenticators(client):
    assert client.get("/who/", headers={"X-User": "ann"}).status_code == 403  # authenticated, AsyncAllow refuses
    response = client.get("/who/", headers={"X-Allow": "yes", "X-User": "ann"})
    assert (response.status_code, response.json()) == (200, {"user": "ann", "auth": "tok"})
    Book.objects.create(title="key", price=Decimal("1.00"))
    book = Book.objects.get()
    response = client.get("/who/", headers={"X-Allow": "yes", "X-Book": "key"})
    assert response.json() == {"user": "key", "auth": book.pk}


def test_permission_denied_without_credentials_challenges(client):
    response = client.get("/who/")
    # Nobody authenticated the request and the first authenticator has a challenge: 401, not 403.
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Custom"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_sync_permission_reading_the_database(client):
    assert client.get("/db-guarded/").status_code == 403
    Book.objects.create(title="key", price=Decimal("1.00"))
    assert client.get("/db-guarded/").json() == {"ok": True}


def test_async_throttle(client):
    response = client.get("/throttled/")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json() == {"detail": "Request was throttled. Expected available in 1 second."}


def test_django_response_passthrough(client):
    response = client.get("/plain/")
    assert response.status_code == 200
    assert response.content == b"plain text"
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["X-Extra"] == "1"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_session_saved_like_session_middleware(client):
    first = client.post("/session/")
    assert first.json() == {"visits": 1}
    assert "sessionid" in first.headers.get("Set-Cookie", "")
    assert "Cookie" in first.headers["Vary"]
    assert client.post("/session/").json() == {"visits": 2}
    assert client.get("/session/").json() == {"visits": 2}


@pytest.fixture
def atomic_requests():
    connection.settings_dict["ATOMIC_REQUESTS"] = True
    yield
    connection.settings_dict["ATOMIC_REQUESTS"] = False


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("atomic_requests")
def test_atomic_requests_through_the_client(client):
    assert client.post("/fail/api/").status_code == 400
    assert client.post("/fail/crash/").status_code == 500
    assert not Book.objects.exists()
    assert client.post("/fail/ok/").status_code == 201
    assert Book.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("atomic_requests")
def test_session_saved_after_the_rolled_back_transaction(client):
    response = client.post("/session/refuse/")
    assert response.status_code == 400
    assert "sessionid" in response.headers.get("Set-Cookie", "")
    assert client.get("/session/").json() == {"visits": 1}


@pytest.mark.django_db(transaction=True)
def test_without_atomic_requests_partial_writes_stay(client):
    assert client.post("/fail/api/").status_code == 400
    assert Book.objects.count() == 1


class FakeRaw:
    """The RawRequest attributes a view reads, for calling a view without the engine."""

    def __init__(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> None:
        self.method, self.path, self.body = method, path, body
        self.query_string = ""
        self.headers = headers or {}
        self.path_params: dict = {}
        self.client, self.server, self.scheme = ("127.0.0.1", 1), ("testserver", 80), "http"

    def header(self, name: str):
        return self.headers.get(name)

    def query_items(self):
        return []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("atomic_requests")
def test_atomic_requests_on_the_thread_pool():
    """Outside the test client, the whole dispatch runs in one bridge thread inside atomic()."""
    from tests.views.views import CreateThenFail

    view = CreateThenFail.as_view()
    response = asyncio.run(view(FakeRaw("POST", "/fail/api/"), how="api"))
    assert response.status_code == 400
    with pytest.raises(RuntimeError):
        asyncio.run(view(FakeRaw("POST", "/fail/crash/"), how="crash"))
    assert not Book.objects.exists()
    assert asyncio.run(view(FakeRaw("POST", "/fail/ok/"), how="ok")).status_code == 201
    assert Book.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_actions_on_the_thread_pool():
    """Outside the test client, ORM work runs on the bridge's pool threads (their own connections)."""
    from tests.views.views import BookViewSet

    Book.objects.create(title="dune", price=Decimal("1.00"))
    list_view = BookViewSet.as_view({"get": "list", "post": "create"})
    response = asyncio.run(list_view(FakeRaw("GET", "/books/")))
    assert [item["title"] for item in response.data] == ["dune"]
    body = b'{"title": "emma", "price": "2.00"}'
    created = asyncio.run(list_view(FakeRaw("POST", "/books/", body, {"content-type": "application/json"})))
    assert created.status_code == 201
    assert Book.objects.get(title="emma").author == "async-hook"
    detail = BookViewSet.as_view({"get": "retrieve", "delete": "destroy"})
    assert asyncio.run(detail(FakeRaw("DELETE", "/books/emma/"), pk="emma")).status_code == 204
    assert list(Book.objects.values_list("title", flat=True)) == ["dune"]

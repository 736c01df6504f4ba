"""
Byte for byte: the same requests through DRF and through Bolt give the same status, body bytes, headers and
database content afterwards. (The other test modules assert the expected values on each side; this one diffs
the two sides directly.) Each request runs in a savepoint that is rolled back, so both sides start from the same
rows and ids.
"""

from __future__ import annotations

from typing import Any

import pytest
from catalog.models import Author, Book, Review
from django.db import transaction

HEADERS = ("Content-Type", "Allow", "Vary", "WWW-Authenticate", "Location")


def header(response: Any, name: str) -> str | None:
    value = response.headers.get(name)
    if name == "Vary" and value:
        # DRF adds "Accept" when a view has several renderers (its default: JSON + the browsable API). Bolt has
        # no browsable API, so its views have one renderer and no "Vary: Accept" (docs/migration-guide.md).
        value = ", ".join(part for part in value.split(", ") if part != "Accept") or None
    return value


def exchange(client: Any, catalog: Any, method: str, path: str, data: Any, user: str | None) -> tuple[Any, Any]:
    """The response, and the catalog's rows as the request left them."""
    if user:
        client.credentials(**catalog.auth(user))
    kwargs = {"format": "json"} if data is not None and method not in ("get", "delete") else {}
    with transaction.atomic():
        response = getattr(client, method)(path, data, **kwargs)
        rows = (
            list(Author.objects.order_by("id").values_list()),
            list(Book.objects.order_by("id").values_list()),
            list(Review.objects.order_by("id").values_list()),
        )
        transaction.set_rollback(True)
    return response, rows


CALLS = [
    ("get", "/api/books/", None, None),
    ("get", "/api/books/", {"page": 2, "page_size": 3, "ordering": "-published"}, None),
    ("get", "/api/books/", {"search": "le guin", "ordering": "title"}, None),
    ("get", "/api/books/", {"page": 7}, None),
    ("get", "/api/books/{solaris}/", None, None),
    ("get", "/api/books/{solaris}/reviews/", None, None),
    ("get", "/api/books/999/", None, None),
    ("get", "/api/authors/", {"search": "ter"}, None),
    (
        "post",
        "/api/books/",
        {"title": "Fiasco", "isbn": "9780156307307", "price": "13.00", "author_id": "{lem}"},
        "alice",
    ),
    ("post", "/api/books/", {"title": "", "price": "0", "author_id": 999, "in_stock": "maybe"}, "alice"),
    ("post", "/api/books/", {"title": "Fiasco"}, None),
    ("patch", "/api/books/{solaris}/", {"price": "14.20"}, "bob"),
    ("put", "/api/books/{solaris}/", {"title": "Solaris"}, "bob"),
    ("delete", "/api/books/{solaris}/", None, "bob"),
    (
        "put",
        "/api/books/{small_gods}/",
        {"title": "Small Gods", "isbn": "9780062237378", "price": "5.00", "author_id": "{lem}"},
        "bob",
    ),
    ("post", "/api/books/{small_gods}/restock/", None, "admin"),
    ("post", "/api/books/{small_gods}/restock/", None, "alice"),
    ("delete", "/api/authors/{lem}/", None, "alice"),
    ("delete", "/api/authors/", None, "alice"),
    ("post", "/api/authors/", {"name": "Stanisław Lem", "country": "PL"}, "alice"),
]


@pytest.mark.parametrize(("method", "path", "data", "user"), CALLS, ids=[f"{c[0]} {c[1]}" for c in CALLS])
def test_same_bytes(new_client, catalog, method, path, data, user):
    ids = {
        "solaris": catalog.book("Solaris").pk,
        "small_gods": catalog.book("Small Gods").pk,
        "lem": catalog.authors["Stanisław Lem"].pk,
    }
    path = path.format(**ids)
    if isinstance(data, dict):
        data = {key: int(value.format(**ids)) if value == "{lem}" else value for key, value in data.items()}
    drf, drf_rows = exchange(new_client("drf"), catalog, method, path, data, user)
    bolt, bolt_rows = exchange(new_client("bolt"), catalog, method, path, data, user)
    assert bolt_rows == drf_rows
    assert bolt.status_code == drf.status_code
    assert bolt.content == drf.content
    assert {name: header(bolt, name) for name in HEADERS} == {name: header(drf, name) for name in HEADERS}


@pytest.mark.parametrize("path", ["/api/books/", "/api/books/{solaris}/", "/api/authors/"])
def test_same_metadata(new_client, catalog, path):
    """OPTIONS: the same field descriptions for the forms (``actions``), except the browsable API's media type."""
    path = path.format(solaris=catalog.book("Solaris").pk)
    drf, bolt = new_client("drf"), new_client("bolt")
    for client in (drf, bolt):
        client.credentials(**catalog.auth("alice"))
    drf_body, bolt_body = drf.options(path).json(), bolt.options(path).json()
    assert drf_body.pop("renders") == ["application/json", "text/html"]
    assert bolt_body.pop("renders") == ["application/json"]
    assert "actions" in bolt_body
    assert bolt_body == drf_body

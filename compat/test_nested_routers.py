"""drf-nested-routers registers Bolt viewsets unchanged: nested lists, lookups, creation under the parent and the
parent's 404s answer as they do with DRF viewsets."""

from __future__ import annotations

import pytest

from compat.harness import Call, Parity
from tests.serializers_app.models import Author, Book


@pytest.fixture
def authors(db):
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    Book.objects.create(title="First", author=ann)
    Book.objects.create(title="Second", author=ann)
    other = Book.objects.create(title="Other", author=bob)
    return ann.pk, bob.pk, other.pk


def test_nested_routes_answer_as_drf(authors):
    ann, bob, bobs_book = authors
    Parity("compat.nested_drf_urls", "compat.nested_bolt_urls").assert_same(
        Call("GET", f"/authors/{ann}/books/"),
        Call("GET", f"/authors/{bob}/books/{bobs_book}/"),
        Call("GET", f"/authors/{ann}/books/{bobs_book}/"),  # not under this author: 404
        Call("POST", f"/authors/{bob}/books/", {"title": "Third"}),
        Call("POST", f"/authors/{bob}/books/", {"title": ""}),
        Call("DELETE", f"/authors/{ann}/books/{bobs_book}/"),
        Call("GET", "/authors/"),
        db=lambda: list(Book.objects.order_by("id").values_list("title", "author_id")),
    )

"""ModelViewSet + DefaultRouter: the CRUD actions, extra actions and routing behave exactly like DRF's."""

from __future__ import annotations

from compat.conftest import book_rows
from compat.harness import Call, Parity


def test_list_and_retrieve(parity, books):
    parity.assert_same(
        Call("GET", "/books/"),
        Call("GET", f"/books/{books[0].pk}/"),
        Call("GET", "/books/999/"),
        Call("GET", "/books/abc/"),
        Call("GET", "/books/?title=co"),
        Call("HEAD", "/books/"),
    )


def test_create(parity, books):
    parity.assert_same(
        Call("POST", "/books/", {"title": "solaris", "author": "Lem", "price": "12.00", "published": "1961-06-01"}),
        Call("POST", "/books/", {"title": "", "price": "abc", "genre": "poetry"}),
        Call("POST", "/books/", {}),
        Call("POST", "/books/", {"title": "x" * 60, "price": "123456.00"}),
        Call("POST", "/books/", {"title": "form", "price": "1.00"}, format="multipart"),
        db=book_rows,
    )


def test_create_body_errors(parity, books):
    parity.assert_same(
        Call("POST", "/books/", b'{"title": ', content_type="application/json"),
        Call("POST", "/books/", b"[1, 2]", content_type="application/json"),
        Call("POST", "/books/", b"title=x", content_type="text/plain"),
        Call("POST", "/books/", b"", content_type="application/json"),
        Call("POST", "/books/", b'{"title": NaN}', content_type="application/json"),
        Call("POST", "/books/", b"\xff\xfe", content_type="application/json"),
        Call("POST", "/books/", b"title=x&price=2.5", content_type="application/x-www-form-urlencoded"),
        db=book_rows,
    )


def test_update_and_destroy(parity, books):
    pk = books[0].pk
    parity.assert_same(
        Call("PUT", f"/books/{pk}/", {"title": "dune2", "price": "10.00"}),
        Call("PUT", f"/books/{pk}/", {"title": "dune3"}),
        Call("PATCH", f"/books/{pk}/", {"author": "F. Herbert"}),
        Call("PATCH", f"/books/{pk}/", {"price": "-"}),
        Call("DELETE", f"/books/{pk}/"),
        Call("DELETE", f"/books/{pk}/"),
        Call("GET", f"/books/{pk}/"),
        db=book_rows,
    )


def test_method_not_allowed_and_options(parity, books):
    parity.assert_same(
        Call("POST", f"/books/{books[0].pk}/", {"title": "x"}),
        Call("DELETE", "/books/"),
        Call("PATCH", "/titles/dune/", {"title": "x"}),
        Call("OPTIONS", f"/books/{books[0].pk}/", exact_bytes=False),
        Call("OPTIONS", "/books/"),
        Call("OPTIONS", "/titles/"),
    )


def test_extra_actions(parity, books):
    pk = books[2].pk
    parity.assert_same(
        Call("POST", f"/books/{pk}/publish/"),
        Call("GET", f"/books/{pk}/publish/"),
        Call("POST", "/books/999/publish/"),
        Call("GET", "/books/cheap/"),
        Call("DELETE", "/books/cheap/"),
        Call("POST", "/books/cheap/"),
        Call("PUT", f"/books/{pk}/set-price/", {"price": "7.00"}),
        db=book_rows,
    )


def test_lookup_field_and_regex(parity, books):
    parity.assert_same(
        Call("GET", "/titles/"),
        Call("GET", "/titles/dune/"),
        Call("GET", "/titles/nothing/"),
        Call("GET", "/titles/Dune/", status_only=True),
        Call("GET", "/titles/42/", status_only=True),
    )


def test_api_root(books):
    # DRF's APIRootView takes its policies from the defaults (browsable renderer, session auth): bolt's root
    # gets no authenticators here, and Vary (Accept because of the browsable renderer) is not compared.
    parity = Parity(settings={"BOLT": {"DEFAULT_AUTHENTICATION_CLASSES": [], "DEFAULT_PERMISSION_CLASSES": []}})
    parity.assert_same(
        Call("GET", "/", ignore_headers=("Vary",)),
        Call("GET", "/.json", ignore_headers=("Vary",)),
    )


def test_format_suffixes_and_negotiation(parity, books):
    pk = books[0].pk
    parity.assert_same(
        Call("GET", "/books.json"),
        Call("GET", f"/books/{pk}.json"),
        Call("GET", f"/books/{pk}.xml"),
        Call("GET", "/books/?format=json"),
        Call("GET", "/books/?format=yaml"),
        Call("GET", "/books/", headers={"Accept": "text/html"}),
        Call("GET", "/books/", headers={"Accept": "application/json; indent=4"}),
        Call("GET", "/books/", headers={"Accept": "text/html, application/*;q=0.5"}),
    )

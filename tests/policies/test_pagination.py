"""Pagination settings, async companions and OpenAPI helpers (compared with DRF's where it has them)."""

from __future__ import annotations

import asyncio

import pytest
from django.test import override_settings
from rest_framework import filters as drf_filters
from rest_framework import pagination as drf_pagination

from compat.app.models import Book
from compat.harness import bolt_client
from django_bolt import filters, pagination
from tests.policies import fixtures

books = fixtures.books
URLS = "tests.policies.custom_urls"


@pytest.fixture
def client(db):
    with override_settings(ROOT_BOLTCONF=URLS):
        yield bolt_client(URLS)


def test_page_size_and_default_class_settings(client, books):
    assert isinstance(client.get("/books/").json(), list)
    rest = {"DEFAULT_PAGINATION_CLASS": "django_bolt.pagination.PageNumberPagination", "PAGE_SIZE": 3}
    with override_settings(REST_FRAMEWORK=rest):
        page = client.get("/books/?page=3").json()
        assert page["count"] == 7 and len(page["results"]) == 1
        assert page["previous"] == "http://testserver/books/?page=2" and page["next"] is None
        # PAGE_SIZE also drives LimitOffsetPagination's default limit; BOLT wins over REST_FRAMEWORK.
        with override_settings(BOLT={"PAGE_SIZE": 2}):
            limited = client.get("/paged-books/").json()
            assert len(limited["results"]) == 2 and limited["next"] == "http://testserver/paged-books/?limit=2&offset=2"
    # No PAGE_SIZE: pagination is off even with a paginator.
    assert isinstance(client.get("/paged-books/").json(), list)


def test_invalid_page_body(client, books):
    rest = {"DEFAULT_PAGINATION_CLASS": "django_bolt.pagination.PageNumberPagination", "PAGE_SIZE": 3}
    with override_settings(REST_FRAMEWORK=rest):
        response = client.get("/books/?page=9")
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


class Paginated(pagination.PageNumberPagination):
    page_size = 2


def test_apaginate_queryset(books, rf_request):
    from django_bolt.sync import inline_sync

    paginator = Paginated()
    # inline_sync: the bridge runs on this thread, inside the test's transaction (as under the test client).
    with inline_sync():
        page = asyncio.run(paginator.apaginate_queryset(Book.objects.order_by("id"), rf_request("/x/?page=2")))
    assert [book.title for book in page] == ["emma", "contact"]
    response = paginator.get_paginated_response(["a", "b"])
    assert response.data["count"] == 7 and response.data["next"] == "http://testserver/x/?page=3"


@pytest.fixture
def rf_request(db):
    from django_bolt.request import Request

    class Raw:
        method = "GET"
        scheme = "http"
        body = b""
        client = ("127.0.0.1", 1)
        server = ("testserver", 80)
        path_params: dict = {}

        def __init__(self, target: str) -> None:
            self.path, _, self.query_string = target.partition("?")
            self.headers = {"host": "testserver"}

        def header(self, name: str) -> str | None:
            return self.headers.get(name)

        def query_items(self) -> list[tuple[str, str]]:
            from urllib.parse import parse_qsl

            return parse_qsl(self.query_string, keep_blank_values=True)

    return lambda target: Request(Raw(target))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (pagination.PageNumberPagination, drf_pagination.PageNumberPagination),
        (pagination.LimitOffsetPagination, drf_pagination.LimitOffsetPagination),
        (pagination.CursorPagination, drf_pagination.CursorPagination),
    ],
)
def test_schemas_match_drf(ours, theirs, monkeypatch):
    # monkeypatch restores the class's own default (DRF's PageNumberPagination declares it): `del` removed it,
    # failing later tests that document a paginated view (drf-spectacular reads it).
    for cls in (ours, theirs):
        monkeypatch.setattr(cls, "page_size_query_param", "size", raising=False)
    schema = {"type": "array"}
    assert ours().get_paginated_response_schema(schema) == theirs().get_paginated_response_schema(schema)
    assert ours().get_schema_operation_parameters(None) == theirs().get_schema_operation_parameters(None)


def test_filter_schemas_match_drf():
    for ours, theirs in (
        (filters.SearchFilter, drf_filters.SearchFilter),
        (filters.OrderingFilter, drf_filters.OrderingFilter),
    ):
        assert ours().get_schema_operation_parameters(None) == theirs().get_schema_operation_parameters(None)


def test_search_terms_match_drf():
    for text in ("a b", "a,b  c", '"x y" z', "'q r',s", ",,a,,", ""):
        assert filters.search_smart_split(text) == drf_filters.search_smart_split(text)


@pytest.mark.parametrize(
    ("target", "headers", "overrides"),
    [
        ("/books/?page=2", {"host": "testserver"}, {}),
        ("/b%C3%BCcher/caf\u00e9/?q=\u00fc&page=2", {"host": "api.example.com:8443"}, {"ALLOWED_HOSTS": ["*"]}),
        (
            "/books/",
            {"host": "internal", "x-forwarded-host": "public.example.com", "x-forwarded-proto": "https"},
            {
                "ALLOWED_HOSTS": ["public.example.com", "internal"],
                "USE_X_FORWARDED_HOST": True,
                "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            },
        ),
        ("/books/", {}, {"ALLOWED_HOSTS": ["testserver"]}),  # no Host: SERVER_NAME and port
    ],
)
def test_a_pages_absolute_uri_is_djangos(rf_request, settings, target, headers, overrides):
    from django_bolt.utils.http import absolute_uri, build_django_request

    for name, value in overrides.items():
        setattr(settings, name, value)
    request = rf_request(target)
    request.raw.headers = headers
    assert absolute_uri(request) == build_django_request(request).build_absolute_uri()
    assert request.build_absolute_uri() == build_django_request(request).build_absolute_uri()


def test_a_disallowed_host_fails_as_djangos_does(rf_request, settings):
    from django.core.exceptions import DisallowedHost

    from django_bolt.utils.http import absolute_uri

    settings.ALLOWED_HOSTS = ["good.example.com"]
    request = rf_request("/books/?page=2")
    request.raw.headers = {"host": "evil.example.com"}
    with pytest.raises(DisallowedHost):
        absolute_uri(request)

"""
Byte-for-byte parity with DRF for retrieve and list through the compiled fast path and every fallback: plain
models, select_related, custom and overridden hooks, 404s, bad lookup values, ordering, pagination, filters.
DRF's ModelViewSet runs through Django's test client, ours through ``BoltClient``, over the same rows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from django_bolt import prepared_queries as queries
from tests.app.models import Item

PATHS = [
    "/items/",
    "/items/{i[0]}/",
    "/items/{i[3]}/",
    "/items/999999/",
    "/items/abc/",
    "/items/%201/",
    "/items/0x1/",
    "/items/-1/",
    "/items/99999999999999999999/",
    "/by-price/",
    "/by-price/{i[4]}/",
    "/by-price/{i[2]}/",  # inactive: filtered out by the class queryset
    "/by-name/Item%202/",
    "/by-name/%C3%9Cn%C3%AFcode%20%E2%80%94%20item/",
    "/by-name/nope/",
    "/active/",
    "/active/{i[1]}/",
    "/active/{i[2]}/",
    "/pass/",
    "/pass/{i[1]}/",
    "/in-place/",
    "/in-place/{i[2]}/",
    "/in-place/{i[1]}/",
    "/filtered/",
    "/filtered/{i[0]}/",
    "/filtered/{i[7]}/",
    "/object-hook/{i[1]}/",
    "/searched/",
    "/searched/?search=Item%202",
    "/searched/?ordering=-price",
    "/searched/{i[1]}/?search=zzz",
    "/searched/{i[1]}/",
    "/paged/",
    "/paged/?page=2",
    "/paged/?page=9",
    "/paged/{i[5]}/",
    "/paged-books/",
    "/paged-books/?page=2",
    "/paged-books/?page=last",
    "/extra/",
    "/extra/{i[1]}/",
    "/books/",
    "/books/{b[0]}/",
    "/books/{b[1]}/",
    "/books/999/",
    "/prefetched/",
    "/prefetched/{b[0]}/",
    "/guarded/{b[0]}/",
    "/guarded/{b[1]}/",
    "/guarded/{b[2]}/",  # the async permission refuses
    "/guarded/{b[3]}/",  # the sync permission refuses
]


def _path(template: str, items: list, books: list) -> str:
    return template.format(i=[item.pk for item in items], b=[book.pk for book in books])


@pytest.mark.parametrize("template", PATHS)
def test_same_bytes_as_drf(template, drf, bolt, items, books):
    path = _path(template, items, books)
    # The second request compiles (the count while Django runs it), the third is served from the compiled SQL
    # where the route allows it.
    for _ in range(3):
        theirs, ours = drf.get(path), bolt.get(path)
        assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content), path
        assert ours.headers.get("Content-Type") == theirs.headers.get("Content-Type")


@pytest.mark.parametrize(
    "template",
    ["/items/{i[2]}/", "/items/", "/by-price/", "/books/{b[0]}/", "/by-name/Item%203/", "/paged/?page=2"],
)
def test_same_sql_as_drf(template, drf, bolt, items, books):
    """The compiled statement is the one Django runs for the same request: same SQL, same parameters."""
    path = _path(template, items, books)
    bolt.get(path)  # compile
    with CaptureQueriesContext(connection) as theirs:
        drf.get(path)
    with CaptureQueriesContext(connection) as ours:
        bolt.get(path)
    # DRF reads model instances; for a plain serializer (items) ours reads just the serialized columns.
    if template.startswith("/books/"):
        assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in theirs.captured_queries]
    else:
        assert len(ours.captured_queries) == len(theirs.captured_queries)


@pytest.mark.parametrize("number", ["x", "0", "-1", "1.5", "", "last", "2", "9"])
def test_a_page_runs_as_many_queries_as_drfs(number, drf, bolt, items):
    """Django's ``Paginator.page`` refuses a number that is not a positive integer before it counts (no query);
    a page past the end is one query on both sides (DRF's count, our page, which tells it is past the end)."""
    path = f"/paged/?page={number}"
    for _ in range(3):  # seen, compiled, served compiled
        with CaptureQueriesContext(connection) as theirs:
            drf_answer = drf.get(path)
        with CaptureQueriesContext(connection) as ours:
            bolt_answer = bolt.get(path)
        assert (bolt_answer.status_code, bolt_answer.content) == (drf_answer.status_code, drf_answer.content)
        assert len(ours.captured_queries) == len(theirs.captured_queries), [q["sql"] for q in ours.captured_queries]


def test_an_empty_table_answers_its_empty_first_page_in_one_query(drf, bolt, db):
    for _ in range(3):
        for path in ("/paged/", "/paged/?page=1", "/paged/?page=2"):
            with CaptureQueriesContext(connection) as theirs:
                drf_answer = drf.get(path)
            with CaptureQueriesContext(connection) as ours:
                bolt_answer = bolt.get(path)
            assert (bolt_answer.status_code, bolt_answer.content) == (drf_answer.status_code, drf_answer.content)
            assert len(ours.captured_queries) == len(theirs.captured_queries) == 1


ROUTES = [
    # (path, object hits, column hits) for the second request
    ("/items/{i[0]}/", 1, 0),
    ("/items/", 0, 1),
    ("/by-price/", 0, 1),
    ("/by-name/Item%201/", 1, 0),
    ("/pass/{i[0]}/", 1, 0),
    ("/pass/", 0, 1),
    ("/books/{b[0]}/", 1, 0),
    ("/guarded/{b[0]}/", 1, 0),
    # The hooks below change the queryset (or the object): Django's path.
    ("/active/{i[0]}/", 0, 0),
    ("/active/", 0, 0),
    ("/in-place/{i[0]}/", 0, 0),
    ("/in-place/", 0, 0),
    ("/filtered/{i[0]}/", 0, 0),
    ("/filtered/", 0, 0),
    ("/searched/?search=Item", 0, 0),
    ("/searched/?ordering=price", 0, 0),
    ("/paged/", 0, 1),  # the page read as the columns of a compiled slice
    ("/extra/{i[0]}/", 0, 0),
    ("/extra/", 0, 0),
    ("/prefetched/{b[0]}/", 0, 0),
    ("/items/abc/", 0, 0),
    ("/items/99999999999999999999/", 0, 0),
]


@pytest.mark.parametrize(("template", "objects", "columns"), ROUTES)
def test_route_taken(template, objects, columns, bolt, items, books):
    path = _path(template, items, books)
    bolt.get(path)
    before = queries.stats.copy()
    bolt.get(path)
    # A retrieve is served by the compiled lookup: as an instance, or as the row's columns (plain serializers).
    assert queries.stats["object"] + queries.stats["row"] - before["object"] - before["row"] == objects
    assert queries.stats["columns"] - before["columns"] == columns


def test_object_hook_is_called(bolt, items):
    # get_object overridden: its result is what is serialized, and the default lookup inside it still works.
    response = bolt.get(f"/object-hook/{items[0].pk}/")
    assert response.json()["name"] == items[0].name.upper()


@pytest.mark.parametrize("zone", ["America/Chicago", "Europe/London", "Asia/Kolkata"])
def test_same_bytes_in_other_time_zones(zone, drf, bolt, items):
    with override_settings(TIME_ZONE=zone):
        for path in ("/items/", f"/items/{items[5].pk}/", "/by-price/"):
            theirs, ours = drf.get(path), bolt.get(path)
            assert ours.content == theirs.content, (zone, path)
    with override_settings(TIME_ZONE="America/Chicago"):
        body = bolt.get("/items/").content
    assert b"-06:00" in body and b"-05:00" in body


def test_a_partial_page_tells_its_total(drf, bolt, items):
    # The page is read first: one with fewer rows than the page size is the last, and its total needs no COUNT;
    # an empty one past the first is past the end (404 without a COUNT). Full pages are counted; "last" and a bad
    # number take the count-first path.
    assert len(items) % 3, "the last page must be partial"
    last = f"/paged/?page={-(-len(items) // 3)}"
    paths = [
        "/paged/",
        "/paged/?page=2",
        last,
        "/paged/?page=last",
        "/paged/?page=99",
        "/paged/?page=0",
        "/paged/?page=x",
    ]
    for _ in range(2):  # compiled on the second sighting
        for path in paths:
            bolt.get(path)
    for path in paths:
        before = queries.stats.copy()
        with CaptureQueriesContext(connection) as theirs:
            expected = drf.get(path)
        with CaptureQueriesContext(connection) as ours:
            response = bolt.get(path)
        assert (response.status_code, response.content) == (expected.status_code, expected.content), path
        told = queries.stats["counted_by_page"] - before["counted_by_page"]
        assert told == (path in (last, "/paged/?page=99")), path
        if response.status_code == 200:
            assert len(ours.captured_queries) == len(theirs.captured_queries) - told, path
        else:
            assert len(ours.captured_queries) == len(theirs.captured_queries), path


def test_page_count_sees_writes(drf, bolt, items):
    for _ in range(3):
        bolt.get("/paged/?page=2")
    Item.objects.filter(pk=items[0].pk).delete()
    assert bolt.get("/paged/?page=2").content == drf.get("/paged/?page=2").content
    assert bolt.get("/paged/?page=2").json()["count"] == len(items) - 1

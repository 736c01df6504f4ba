"""The compiled SQL is built once and reused; bridge hops per action; writes, settings and errors stay exact."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from django_bolt import prepared_lookups as lookups
from django_bolt import prepared_queries as queries
from django_bolt import sync
from django_bolt.generics import get_object_or_404
from django_bolt.utils import sql_rows
from tests.app.models import Item


def _count_as_sql():
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def test_sql_is_compiled_once(bolt, items):
    queries._templates.clear()
    with _count_as_sql() as as_sql:
        for _ in range(2):  # compiled on the second sighting
            assert bolt.get(f"/items/{items[0].pk}/").status_code == 200
            assert bolt.get("/items/").status_code == 200
        first = as_sql.call_count
        assert first > 0
        for item in items:
            assert bolt.get(f"/items/{item.pk}/").json()["id"] == item.pk
        assert len(bolt.get("/items/").json()) == len(items)
        assert bolt.get("/items/999999/").status_code == 404
        assert as_sql.call_count == first


def test_each_request_runs_one_query(bolt, items, books):
    bolt.get(f"/books/{books[0].pk}/")
    with CaptureQueriesContext(connection) as ctx:
        body = bolt.get(f"/books/{books[0].pk}/").json()
    assert len(ctx.captured_queries) == 1  # select_related: the author came with the book
    assert body["author_name"] == "Herbert"


def _hops():
    return mock.patch.object(sync, "is_inline", wraps=sync.is_inline)


def test_retrieve_and_list_take_one_bridge_hop(bolt, items, books):
    bolt.get(f"/items/{items[0].pk}/")
    with _hops() as hops:
        bolt.get(f"/items/{items[0].pk}/")
    assert hops.call_count == 1
    with _hops() as hops:
        bolt.get("/items/")
    assert hops.call_count == 1
    # An async object permission is awaited on the loop: fetch + sync checks, then serialization.
    with _hops() as hops:
        assert bolt.get(f"/guarded/{books[0].pk}/").status_code == 200
    assert hops.call_count == 2


def test_writes_show_up_in_the_next_requests(bolt, items):
    assert len(bolt.get("/items/").json()) == len(items)
    created = bolt.post(
        "/items/", {"name": "Fresh", "price": "3.50", "quantity": 2, "is_active": True}, format="json"
    ).json()
    listed = bolt.get("/items/").json()
    assert [row["id"] for row in listed] == [item.pk for item in items] + [created["id"]]
    assert bolt.get(f"/items/{created['id']}/").json() == created
    patched = bolt.patch(f"/items/{created['id']}/", {"name": "Renamed"}, format="json").json()
    assert patched["name"] == "Renamed"
    assert Item.objects.get(pk=created["id"]).name == "Renamed"
    assert bolt.get(f"/items/{created['id']}/").json()["name"] == "Renamed"
    assert bolt.delete(f"/items/{created['id']}/").status_code == 204
    assert not Item.objects.filter(pk=created["id"]).exists()
    assert bolt.get(f"/items/{created['id']}/").status_code == 404
    assert len(bolt.get("/items/").json()) == len(items)


def test_bad_values_do_not_disable_the_cache(bolt, items):
    queries._templates.clear()
    for _ in range(2):
        assert bolt.get("/items/abc/").status_code == 404
        assert bolt.get("/items/99999999999999999999/").status_code == 404
    bolt.get(f"/items/{items[1].pk}/")
    before = queries.stats["row"]  # a plain-column serializer: the row's columns, no instance
    assert bolt.get(f"/items/{items[2].pk}/").json()["id"] == items[2].pk
    assert queries.stats["row"] == before + 1


def test_settings_change_recompiles(bolt, items):
    bolt.get(f"/items/{items[0].pk}/")
    compiled = queries.stats["row_compiled"]
    with override_settings(TIME_ZONE="Europe/Paris"):
        for _ in range(2):
            body = bolt.get(f"/items/{items[0].pk}/").json()
    assert queries.stats["row_compiled"] == compiled + 1
    assert body["created_at"].endswith("+01:00")


def test_list_columns_are_resolved_once_per_statement(bolt, items):
    from django_bolt.serializers.plans import lists

    for _ in range(3):
        bolt.get("/items/")
    resolved = dict(lists._resolved_columns)
    first = bolt.get("/items/").json()
    assert lists._resolved_columns == resolved  # nothing resolved again
    with override_settings(TIME_ZONE="Europe/Paris"):
        for _ in range(2):
            paris = bolt.get("/items/").json()
    assert {row["created_at"][-1] for row in first} == {"Z"}
    assert {row["created_at"][-6:] for row in paris} <= {"+01:00", "+02:00"}
    assert bolt.get("/items/").json() == first


def _tagged(source):
    queryset = source.all()
    queries.mark_source(queryset, source)
    return queryset


def test_multiple_objects_like_django(items):
    Item.objects.filter(pk=items[1].pk).update(name=items[0].name)
    source = Item.objects.all()
    for _ in range(2):
        lookups.get_object(_tagged(source), "name", items[2].name)  # compile
    with pytest.raises(MultipleObjectsReturned) as ours:
        lookups.get_object(_tagged(source), "name", items[0].name)
    with pytest.raises(MultipleObjectsReturned) as theirs:
        get_object_or_404(source.all(), name=items[0].name)
    assert str(ours.value) == str(theirs.value)
    Item.objects.update(name="same")
    with pytest.raises(MultipleObjectsReturned, match="it returned 8!"):
        lookups.get_object(_tagged(source), "name", "same")


def test_not_found_like_django(items):
    source = Item.objects.all()
    for _ in range(2):
        lookups.get_object(_tagged(source), "pk", str(items[0].pk))
    with pytest.raises(Http404, match="^No Item matches the given query.$"):
        lookups.get_object(_tagged(source), "pk", "999999")
    # Values Django refuses are left to Django's path (which answers a bare 404 in get_object_or_404).
    assert lookups.get_object(_tagged(source), "pk", "abc") is queries.MISS
    with pytest.raises(Http404):
        get_object_or_404(source.all(), pk="abc")


def test_source_changed_in_place_is_not_served_stale(items):
    source = Item.objects.filter(is_active=True)
    assert lookups.get_object(_tagged(source), "pk", str(items[0].pk)) is queries.MISS  # first sighting
    assert lookups.get_object(_tagged(source), "pk", str(items[0].pk)) == items[0]
    source.query.add_q(Q(is_active=False))
    # The class-level queryset now matches nothing: its old template must not be used.
    assert lookups.get_object(_tagged(source), "pk", str(items[0].pk)) is queries.MISS


def test_shapes_that_never_compile_stop_being_tried(items):
    source = Item.objects.filter(pk__in=[])  # always empty: Django answers without a query
    for _ in range(queries._MAX_FAILURES + 4):
        assert lookups.get_object(_tagged(source), "pk", str(items[0].pk)) is queries.MISS
    key = ("object", id(source), "pk", (), "default", queries._generation)
    assert queries._templates[key] == (source, None)
    with pytest.raises(Http404):
        get_object_or_404(_tagged(source), pk=items[0].pk)
    assert lookups.get_object(_tagged(Item.objects.none()), "pk", "1") is queries.MISS


def test_querysets_made_per_request_are_not_compiled(items):
    compiled = queries.stats["object_compiled"]
    for item in items:
        source = Item.objects.filter(quantity__gte=0)  # a new source queryset each time
        assert lookups.get_object(_tagged(source), "pk", str(item.pk)) is queries.MISS
    assert queries.stats["object_compiled"] == compiled


def test_querysets_overriding_their_methods_keep_them(items):
    calls = []

    class Logged(Item.objects.all().__class__):
        def get(self, *args, **kwargs):
            calls.append(kwargs)
            return super().get(*args, **kwargs)

    source = Logged(model=Item)
    for _ in range(3):
        assert lookups.get_object(_tagged(source), "pk", str(items[0].pk)) is queries.MISS
        assert get_object_or_404(_tagged(source), pk=str(items[0].pk)) == items[0]
    assert len(calls) == 3


def test_tagged_querysets_pickle_and_copy_without_their_source(items):
    import copy
    import pickle

    source = Item.objects.order_by("id")
    source._fetch_all = None  # the views forbid evaluating a class-level queryset: pickling must not try
    tagged = _tagged(source)
    restored = pickle.loads(pickle.dumps(tagged))
    assert list(restored) == items
    assert queries._source_of(restored) is None
    assert queries._source_of(copy.deepcopy(tagged)) is None
    assert queries._source_of(tagged) is source


def test_permission_answering_with_an_awaitable(bolt, items):
    even = next(item for item in items if item.quantity % 2 == 0)
    odd = next(item for item in items if item.quantity % 2)
    assert bolt.get(f"/awaitable-perm/{even.pk}/").json()["id"] == even.pk
    refused = bolt.get(f"/awaitable-perm/{odd.pk}/")
    assert (refused.status_code, refused.json()) == (403, {"detail": "Awaitable says no."})


def test_custom_adata_is_awaited(bolt, items):
    assert bolt.get(f"/custom-adata/{items[0].pk}/").json() == {"wrapped": items[0].pk}


def _spy_sqlite_cursor():
    return mock.patch.object(sql_rows, "fetch_sqlite", wraps=sql_rows.fetch_sqlite)


def test_sqlite_statements_run_on_the_connection_itself(bolt, items):
    for _ in range(2):  # compiled on the second sighting
        bolt.get(f"/items/{items[0].pk}/")
        bolt.get("/items/")
    with (
        _spy_sqlite_cursor() as plain,
        mock.patch.object(sql_rows._engine, "read_sqlite_rows", wraps=sql_rows._engine.read_sqlite_rows) as engine,
    ):
        for item in items:
            assert bolt.get(f"/items/{item.pk}/").json()["id"] == item.pk
        assert [row["id"] for row in bolt.get("/items/").json()] == [item.pk for item in items]
    # The rows of the retrieves and of the list are read by the engine on the same connection.
    assert (plain.call_count, engine.call_count) == (0, len(items) + 1)


def test_plain_cursor_leaves_logging_and_execute_wrappers_their_queries(bolt, items):
    path = f"/items/{items[0].pk}/"
    for _ in range(2):
        bolt.get(path)
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with _spy_sqlite_cursor() as plain:
        with connection.execute_wrapper(wrapper):
            assert bolt.get(path).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert bolt.get(path).status_code == 200
    assert plain.call_count == 0
    assert len(seen) == 1 and len(ctx.captured_queries) == 1


def test_plain_cursor_raises_django_database_errors(items):
    from django.db import OperationalError

    connection.ensure_connection()
    with pytest.raises(OperationalError):
        sql_rows.fetch_sqlite(connection, 'SELECT * FROM "no_such_table" WHERE "id" = %s', (1,))


def test_pages_count_and_rows_from_compiled_statements(bolt, items):
    pages = ["/paged/", "/paged/?page=2", "/paged/?page=last"]
    for _ in range(2):  # compiled on the second sighting
        first = [bolt.get(path).json() for path in pages]
    before = queries.stats.copy()
    assert [bolt.get(path).json() for path in pages] == first
    assert queries.stats["count"] - before["count"] == 3
    # A serializer of plain columns reads the page's columns; no instances are built.
    assert queries.stats["columns"] - before["columns"] == 3
    assert queries.stats["page"] - before["page"] == 0
    assert first[0]["count"] == len(items) and [row["id"] for row in first[0]["results"]] == [i.pk for i in items[:3]]
    # New and deleted rows are seen at once: the statements are re-executed, their results not kept.
    Item.objects.filter(pk=items[0].pk).delete()
    Item.objects.create(name="Newest", price=1, quantity=1)
    again = bolt.get("/paged/").json()
    assert again["count"] == len(items)
    assert [row["id"] for row in again["results"]] == [i.pk for i in items[1:4]]
    assert bolt.get("/paged/?page=99").status_code == 404


def test_count_statement_is_djangos(items):
    from django_bolt import prepared_pages

    source = Item.objects.filter(quantity__gte=10).order_by("id")
    expected = source.count()

    def tagged():
        queryset = source.all()
        queries.mark_source(queryset, source)
        return queryset

    with CaptureQueriesContext(connection) as django_path:
        source.all().count()
    counts = [prepared_pages.count(tagged()) for _ in range(3)]
    assert counts == [None, expected, expected]  # seen, compiled while Django counts, re-executed
    with CaptureQueriesContext(connection) as ours:
        prepared_pages.count(tagged())
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in django_path.captured_queries]


@pytest.mark.parametrize(
    ("lookup_field", "values"),
    [
        ("pk", ["3", 7, "99999999999999999999", "-1", "abc"]),
        ("name", ["Ünïcode — item", "", "x" * 300]),
        ("is_active", ["1", True, "false", "maybe"]),
    ],
)
def test_condition_compiles_like_django(items, lookup_field, values):
    """The per-request condition (column compiled once, value side per request) is Django's own SQL, and a
    value Django refuses is refused the same way."""
    from django.db import connections

    db = connections["default"]
    source = Item.objects.order_by("id")
    queryset = source.all()
    queries.mark_source(queryset, source)
    signature = queries._signature(queryset)
    template = lookups._build_object_query(queryset, lookup_field, values[0], "default", signature)
    compiler = template.for_connection(db)[0]

    def compiled(compile_, value):
        try:
            return compile_(template.lookup_class(template.lhs, value))
        except Exception as exc:
            return type(exc)

    for value in values * 2:  # the second round reads the cached column side
        ours = compiled(lambda lookup: template.condition(lookup, compiler, db), value)
        assert ours == compiled(compiler.compile, value)


def test_pages_of_a_serializer_reading_relations_are_instances(bolt, books):
    for _ in range(2):  # compiled on the second sighting
        first = bolt.get("/paged-books/?page=2").json()
    before = queries.stats.copy()
    assert bolt.get("/paged-books/?page=2").json() == first
    assert queries.stats["page"] - before["page"] == 1  # the page's rows, as instances with their authors
    assert queries.stats["columns"] - before["columns"] == 0
    assert [row["author_name"] for row in first["results"]] == [book.author.name for book in books[3:6]]


def test_retrieve_reads_the_rows_columns_when_nothing_needs_the_instance(bolt, items, books):
    for _ in range(2):  # compiled on the second sighting
        bolt.get(f"/items/{items[0].pk}/")
        bolt.get(f"/books/{books[0].pk}/")
    before = queries.stats.copy()
    assert bolt.get(f"/items/{items[3].pk}/").json()["name"] == "Ünïcode — item"
    assert bolt.get("/items/999999/").json() == {"detail": "No Item matches the given query."}
    assert queries.stats["row"] - before["row"] == 2
    # A serializer reading a relation, or an object permission, needs the instance.
    assert bolt.get(f"/books/{books[1].pk}/").status_code == 200
    assert bolt.get(f"/guarded/{books[0].pk}/").status_code == 200
    assert queries.stats["row"] - before["row"] == 2
    assert queries.stats["object"] - before["object"] >= 2
    # The row is read again for each request: changes show at once.
    Item.objects.filter(pk=items[3].pk).update(name="Renamed")
    assert bolt.get(f"/items/{items[3].pk}/").json()["name"] == "Renamed"

"""A paginator's COUNT on SQLite is answered again while the database is unchanged, and only then."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext

from django_bolt.utils import sqlite_counts
from tests.app.models import Item

PAGE = "/paged/"  # page size 3: the first page is full, so it is counted


def _statements():
    """Record what the driver itself executes on this connection (the plain cursor bypasses Django's logging)."""
    seen: list[str] = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(seen.append)
    return seen


def _counts(seen: list[str]) -> int:
    return sum(statement.startswith("SELECT COUNT(") for statement in seen)


@pytest.fixture(autouse=True)
def _untraced(monkeypatch):
    # The fixtures' tables are small: their counts are kept only with no threshold.
    monkeypatch.setattr(sqlite_counts, "KEEP_AFTER", 0.0)
    yield
    if connection.connection is not None:
        connection.connection.set_trace_callback(None)


# Counts are kept only outside transactions: these tests commit (pytest-django flushes the tables afterwards).
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unchanged_database_answers_the_count_again(bolt, items):
    for _ in range(3):  # compiled on the second sighting, then kept
        assert bolt.get(PAGE).json()["count"] == len(items)
    seen = _statements()
    for _ in range(3):
        assert bolt.get(PAGE).json()["count"] == len(items)
    assert _counts(seen) == 0
    assert seen.count("PRAGMA data_version") == 3


def test_a_count_faster_than_the_check_is_run_again(bolt, items, monkeypatch):
    monkeypatch.setattr(sqlite_counts, "KEEP_AFTER", 1.0)
    for _ in range(3):
        bolt.get(PAGE)
    seen = _statements()
    for _ in range(3):
        assert bolt.get(PAGE).json()["count"] == len(items)
    assert _counts(seen) == 3
    assert "PRAGMA data_version" not in seen
    # Grown slower than the threshold: kept from the next count on.
    monkeypatch.setattr(sqlite_counts, "KEEP_AFTER", 0.0)
    for _ in range(4):
        assert bolt.get(PAGE).json()["count"] == len(items)
    assert _counts(seen) == 3 + 2


def test_the_connections_own_writes_are_counted_again(bolt, items):
    for _ in range(3):
        bolt.get(PAGE)
    seen = _statements()
    Item.objects.create(name="Added", price=1, quantity=1)
    assert bolt.get(PAGE).json()["count"] == len(items) + 1
    Item.objects.filter(pk=items[0].pk).update(quantity=5)  # a change that leaves the count alone still recounts
    assert bolt.get(PAGE).json()["count"] == len(items) + 1
    Item.objects.filter(pk__in=[items[0].pk, items[1].pk]).delete()
    assert bolt.get(PAGE).json()["count"] == len(items) - 1
    assert _counts(seen) == 3


def test_another_connections_commit_is_counted_again(bolt, items):
    for _ in range(3):
        assert bolt.get(PAGE).json()["count"] == len(items)
    other = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        other.execute(
            f"INSERT INTO {Item._meta.db_table} (name, description, price, quantity, is_active, created_at)"
            " VALUES ('Elsewhere', '', 1, 1, 1, '2026-01-01 00:00:00')"
        )
        other.commit()
        assert bolt.get(PAGE).json()["count"] == len(items) + 1
        other.execute(f"DELETE FROM {Item._meta.db_table} WHERE name = 'Elsewhere'")
        other.commit()
        assert bolt.get(PAGE).json()["count"] == len(items)
    finally:
        other.close()


def test_a_schema_change_changes_the_state():
    connection.ensure_connection()
    raw = connection.connection
    before = sqlite_counts._state(connection, raw)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bolt_kept_counts_probe (x integer)")
        cursor.execute("DROP TABLE bolt_kept_counts_probe")
    assert sqlite_counts._state(connection, raw)[1] != before[1]


def test_query_logging_sees_every_count(bolt, items):
    for _ in range(3):
        bolt.get(PAGE)
    with CaptureQueriesContext(connection) as logged:
        bolt.get(PAGE)
        bolt.get(PAGE)
    assert sum(q["sql"].startswith("SELECT COUNT(") for q in logged.captured_queries) == 2


def test_a_rolled_back_count_is_not_kept(bolt, items):
    # Regression: a count kept inside a transaction outlived its rollback (total_changes does not go back).
    for _ in range(3):
        assert bolt.get(PAGE).json()["count"] == len(items)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Item.objects.create(name="Undone", price=1, quantity=1)
        assert bolt.get(PAGE).json()["count"] == len(items) + 1
        raise Undo
    assert bolt.get(PAGE).json()["count"] == len(items)
    seen = _statements()
    with transaction.atomic():
        assert bolt.get(PAGE).json()["count"] == len(items)
    assert _counts(seen) == 1  # inside a transaction the count runs


@pytest.mark.parametrize(
    "where",
    [
        "created_at < STRFTIME('%%Y-%%m-%%d %%H:%%M:%%f', 'NOW')",  # Django's Now() on SQLite
        "created_at < CURRENT_TIMESTAMP",
        "quantity > ABS(RANDOM()) %% 2",
    ],
)
def test_a_count_that_can_change_with_the_same_data_is_not_kept(items, where):
    connection.ensure_connection()
    sql = f'SELECT COUNT(*) AS "__count" FROM "{Item._meta.db_table}" WHERE {where}'
    seen = _statements()
    for _ in range(3):
        sqlite_counts.count_rows(connection, sql, ())
    assert _counts(seen) == 3
    plain = f'SELECT COUNT(*) AS "__count" FROM "{Item._meta.db_table}" WHERE quantity > %s'
    for _ in range(3):
        assert sqlite_counts.count_rows(connection, plain, (-1,)) == [(len(items),)]
    assert _counts(seen) == 3 + 1


def test_in_memory_and_shared_cache_databases_are_not_kept():
    file_db = connections["default"]
    memory = DatabaseWrapper({**file_db.settings_dict, "NAME": ":memory:"}, alias="kept-memory")
    shared = DatabaseWrapper({**file_db.settings_dict, "NAME": "file:kept?mode=memory&cache=shared"}, alias="kept-s")
    assert sqlite_counts._keeps_counts(file_db)
    assert not sqlite_counts._keeps_counts(memory)
    assert not sqlite_counts._keeps_counts(shared)

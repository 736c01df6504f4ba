"""
Running a compiled statement and reading its rows as Django's compiler does (``SQLCompiler.execute_sql(MULTI)``
and ``apply_converters``), for the statements ``django_bolt.prepared_queries`` and ``prepared_pages`` reuse.

When Django's cursor wrapper would add nothing but overhead, the statement runs on the driver's own cursor: on
SQLite in its qmark form (converted once, as the wrapper converts it every time), on PostgreSQL on the cursor
Django's ``create_cursor`` makes (with its time-zone loader), ~17 µs a statement less. With query logging, an
``execute_wrapper`` or a broken transaction, Django's cursor runs it. Database errors are Django's either way.
On SQLite, the columns of a list, a page or a retrieved row can be read by the engine straight into their output
dicts (``SqliteRows``, ``_engine.read_sqlite_rows``).
"""

from __future__ import annotations

import asyncio
import re
import sys
from functools import cache
from itertools import chain
from typing import Any

from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE

from django_bolt import _engine

# Django's SQLite cursor wrapper turns "format" placeholders into qmarks with this pattern.
_FORMAT_QMARK = re.compile(r"(?<!%)%s")
_MAX_ENTRIES = 2048


def fetch(connection: Any, sql: str, params: tuple, psycopg_times: bool = False) -> Any:
    """Rows of ``sql``, fetched as ``SQLCompiler.execute_sql(MULTI)`` does (same cursor wrapper and logging).
    ``psycopg_times``: see ``_psycopg_timestamptz``."""
    vendor = connection.vendor
    if vendor in _PLAIN_VENDORS and _plain_cursor_will_do(connection):
        if vendor == "sqlite":
            return fetch_sqlite(connection, sql, params)
        return fetch_driver(connection, sql, params, psycopg_times)
    cursor = connection.cursor()
    try:
        if psycopg_times and vendor == "postgresql":
            _psycopg_timestamptz(connection, cursor.cursor)
        cursor.execute(sql, params)
    except Exception:
        cursor.close()
        raise
    sentinel = connection.features.empty_fetchmany_value
    chunks = []
    try:
        while True:
            rows = cursor.fetchmany(GET_ITERATOR_CHUNK_SIZE)
            if rows == sentinel:
                break
            chunks.append(rows)
    finally:
        cursor.close()
    return chain.from_iterable(chunks)


def _psycopg_timestamptz(connection: Any, cursor: Any) -> None:
    """
    Read ``timestamptz`` columns with psycopg's own loader (C code in psycopg-binary) on this cursor instead of
    the Python subclass Django registers, when they give the same value: Django's only sets the result's tzinfo to
    the connection's time zone, which is already psycopg's when the two agree (``timezone.utc`` with ``USE_TZ``
    and no database ``TIME_ZONE``). For values the caller turns into data, not model instances.
    """
    adapters = getattr(cursor, "adapters", None)  # None: psycopg 2
    if _TIMESTAMPTZ is None or adapters is None or connection.timezone is not connection.connection.info.timezone:
        return
    adapters.register_loader(*_TIMESTAMPTZ)


def _psycopg_timestamptz_loader() -> tuple[int, type] | None:
    try:
        import psycopg
        from psycopg.types.datetime import TimestamptzLoader
    except ImportError:  # no psycopg 3: Django's path
        return None
    return psycopg.adapters.types["timestamptz"].oid, TimestamptzLoader


_TIMESTAMPTZ = _psycopg_timestamptz_loader()


def _plain_cursor_will_do(connection: Any) -> bool:
    """
    True when Django's cursor wrapper would add nothing but overhead: no query logging (DEBUG,
    ``CaptureQueriesContext``), no ``execute_wrapper``, no broken transaction, and not on a running event loop
    (Django raises ``SynchronousOnlyOperation`` there: its own path does). Connects first, as ``cursor()`` does.
    """
    if asyncio.events._get_running_loop() is not None:
        return False
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    return not connection.queries_logged and not connection.execute_wrappers and not connection.needs_rollback


_PLAIN_VENDORS = ("sqlite", "postgresql")


def fetch_driver(connection: Any, sql: str, params: tuple, psycopg_times: bool = False) -> Any:
    """``fetch`` on the cursor Django's ``CursorWrapper`` would wrap (the backend's ``create_cursor``), database
    errors translated as the wrapper translates them."""
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = connection.create_cursor()
        try:
            if psycopg_times:
                _psycopg_timestamptz(connection, cursor)
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()


_qmark_sql: dict[str, str] = {}


def fetch_sqlite(connection: Any, sql: str, params: tuple) -> Any:
    """``fetch`` on SQLite's own cursor: the statement in qmark style (converted once, as Django's cursor
    wrapper converts it every time), database errors translated by Django's wrapper as on its path."""
    qmark = _qmark(sql)
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            return cursor.execute(qmark, params).fetchall()
        finally:
            cursor.close()


def _qmark(sql: str) -> str:
    qmark = _qmark_sql.get(sql)
    if qmark is None:
        if len(_qmark_sql) >= _MAX_ENTRIES:
            _qmark_sql.clear()
        qmark = _qmark_sql[sql] = _FORMAT_QMARK.sub("?", sql).replace("%%", "%")
    return qmark


def converted(rows: Any, converters: list, connection: Any) -> Any:
    """``SQLCompiler.apply_converters``."""
    for row in map(list, rows):
        for pos, (convs, expression) in converters:
            value = row[pos]
            for convert in convs:
                value = convert(value, expression, connection)
            row[pos] = value
        yield row


class SqliteRows:
    """
    A SQLite statement whose rows are not read yet: ``read`` has the engine read them straight into output
    dicts; iterating it fetches them as ``fetch`` does (the path for every other consumer, and the fallback).
    """

    __slots__ = ("connection", "sql", "params")

    def __init__(self, connection: Any, sql: str, params: tuple) -> None:
        self.connection, self.sql, self.params = connection, sql, params

    def __iter__(self) -> Any:
        return iter(fetch(self.connection, self.sql, self.params))

    def read(self, keys: tuple, columns: tuple) -> list | None:
        """The output dicts of the rows (``_engine.read_sqlite_rows``), or ``None``: iterate instead."""
        connection = self.connection
        if not _plain_cursor_will_do(connection):
            return None
        raw = connection.connection
        # A connection class of the application's own (OPTIONS "factory") may read differently: its path.
        if raw.__class__ is not _Connection or raw.row_factory is not None or raw.text_factory is not str:
            return None
        connection.validate_thread_sharing()
        detect_types, statements = _reading(connection)
        return _engine.read_sqlite_rows(
            raw, _qmark(self.sql), self.params, keys, columns, detect_types, _converters, _known(), statements
        )


def deferred(connection: Any, sql: str, params: tuple, psycopg_times: bool = False) -> Any:
    """``fetch``'s rows, or on SQLite (when the engine can read them) a ``SqliteRows`` that reads them later."""
    if _reads_sqlite and connection.vendor == "sqlite":
        return SqliteRows(connection, sql, params)
    return fetch(connection, sql, params, psycopg_times)


def _reading(connection: Any) -> tuple[int, Any]:
    """
    ``(detect_types, statements)`` for this connection, kept per connection: the ``detect_types`` Django opened
    it with (its params, OPTIONS included), and the engine's keeper of its prepared statements when the
    connection is persistent (``CONN_MAX_AGE=None``; one closed after each request would gain nothing).
    """
    raw = connection.connection
    known = connection.__dict__.get("_bolt_sqlite_reading")
    if known is None or known[0] is not raw:
        detect_types = connection.get_connection_params().get("detect_types", 0)
        statements = _engine.SqliteStatements(raw) if connection.close_at is None else None
        known = connection._bolt_sqlite_reading = (raw, detect_types, statements)
    return known[1], known[2]


@cache
def _known() -> tuple[Any, Any, Any] | None:
    """
    Django's SQLite converters the engine may stand in for: ``(code, parse_datetime)`` of its
    ``decoder(parse_datetime)`` (the engine reads the stored text itself) and the converter Django registered
    for "bool", ``b"1".__eq__`` (the engine compares the bytes; ``None`` if another took its place since).
    """
    try:
        from django.db.backends.sqlite3 import base
    except ImportError:  # pragma: no cover - Python built without sqlite3
        return None
    boolean = _converters.get("BOOL")
    if getattr(boolean, "__self__", None) != b"1" or getattr(boolean, "__name__", None) != "__eq__":
        boolean = None
    return base.decoder(base.parse_datetime).__code__, base.parse_datetime, boolean


def _load_reader() -> tuple[bool, Any, Any]:
    # The engine reads a private CPython field of sqlite3.Connection: only on the versions checked for it.
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        return False, None, None
    try:
        import _sqlite3
    except ImportError:  # pragma: no cover - Python built without sqlite3
        return False, None, None
    return bool(_engine.sqlite_reader_load(_sqlite3.__file__)), _sqlite3.converters, _sqlite3.Connection


_reads_sqlite, _converters, _Connection = _load_reader()

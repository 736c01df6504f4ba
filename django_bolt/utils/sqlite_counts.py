"""
A paginator's ``COUNT`` on SQLite, kept while the database is unchanged.

``PageNumberPagination`` counts the whole queryset for every full page; on a large table that is most of the
request (SQLite counts a million rows in ~4 ms, with a ``LIKE`` filter in ~50 ms). SQLite tells cheaply
whether anything changed since a given moment, so a count taken earlier on the same connection can be answered
again exactly:

* ``PRAGMA data_version`` changes when another connection (another thread's, another process's) commits;
* ``PRAGMA schema_version`` changes with any schema change;
* the connection's own ``total_changes`` grows with each row it inserts, updates or deletes (committed or not,
  even rolled back).

A count taken inside a transaction is not kept: rolling back undoes rows without changing ``total_changes``.
Nor is one whose statement calls a function other than a few deterministic built-ins: ``'now'``, ``random()``
or an application's own function (or ``CURRENT_TIMESTAMP``) can change the answer while the data stays the same.

When all three equal what they were just before the count ran, the count's answer is unchanged. Reading them
costs a few microseconds, more than counting a small table: a count is kept only once it has taken longer than
``KEEP_AFTER`` (a table that grows past it starts being kept). Not for in-memory or shared-cache databases
(connections sharing one cache do not see each other's commits in ``data_version``), nor when Django's cursor
wrapper has work to do (query logging, ``execute_wrapper``): the statement then runs as usual.
"""

from __future__ import annotations

import re
from time import perf_counter
from typing import Any

from django_bolt.utils import sql_rows

_KEPT = "_bolt_kept_counts"
_KEEPS = "_bolt_keeps_counts"
_MAX_ENTRIES = 256
# Seconds: a count that ran faster is run again rather than kept.
KEEP_AFTER = 50e-6
_CHEAP = object()
# Words a statement may put before "(" and still depend on its data alone: SQL keywords and deterministic
# built-ins. Anything else (strftime('now'), random(), a registered function) keeps the count uncached.
_PURE = frozenset(
    "and as between by cast coalesce count escape exists from having ifnull in instr is join length like lower max "
    "min not nullif on or select substr trim upper using where".split()
)
_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_CALLS = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_CLOCK = re.compile(r"\bcurrent_(?:date|time|timestamp)\b", re.IGNORECASE)
_pure_sql: dict[str, bool] = {}


def count_rows(connection: Any, sql: str, params: tuple) -> list:
    """The rows of the ``COUNT`` statement ``sql`` (as ``sql_rows.fetch`` reads them), kept per connection while
    the database is unchanged."""
    if not _keeps_counts(connection) or not _deterministic(sql) or not sql_rows._plain_cursor_will_do(connection):
        return list(sql_rows.fetch(connection, sql, params))
    raw = connection.connection
    if raw.in_transaction:
        return list(sql_rows.fetch_sqlite(connection, sql, params))
    kept = connection.__dict__.get(_KEPT)
    if kept is None or kept[0] is not raw:  # a new connection: its data_version starts afresh
        kept = connection.__dict__[_KEPT] = (raw, {})
    entries = kept[1]
    key = (sql, params)
    entry = entries.get(key)
    state = None if entry is _CHEAP else _state(connection, raw)
    if entry is not None and entry is not _CHEAP and entry[1] == state:
        return entry[0]
    started = perf_counter()
    rows = list(sql_rows.fetch_sqlite(connection, sql, params))
    if perf_counter() - started < KEEP_AFTER:
        entry = _CHEAP
    elif state is None:  # grown past KEEP_AFTER: kept from the next count on (the state must precede it)
        entry = None
    else:
        entry = (rows, state)
    if len(entries) >= _MAX_ENTRIES:
        entries.clear()
    entries[key] = entry
    return rows


def _deterministic(sql: str) -> bool:
    """Whether ``sql`` calls nothing but ``_PURE`` words and reads no clock (string literals and quoted names set
    aside)."""
    known = _pure_sql.get(sql)
    if known is None:
        bare = _LITERALS.sub(" ", sql)
        known = all(name.lower() in _PURE for name in _CALLS.findall(bare)) and not _CLOCK.search(bare)
        if len(_pure_sql) >= _MAX_ENTRIES:
            _pure_sql.clear()
        _pure_sql[sql] = known
    return known


def _keeps_counts(connection: Any) -> bool:
    if connection.vendor != "sqlite":
        return False
    known = connection.__dict__.get(_KEEPS)
    if known is None:
        name = str(connection.settings_dict.get("NAME") or "")
        known = not connection.is_in_memory_db() and "cache=shared" not in name
        connection.__dict__[_KEEPS] = known
    return known


def _state(connection: Any, raw: Any) -> tuple[int, int, int]:
    # Read before the count runs: a commit landing between the two changes data_version for the next check.
    with connection.wrap_database_errors:
        cursor = raw.cursor()
        try:
            data_version = cursor.execute("PRAGMA data_version").fetchone()[0]
            schema_version = cursor.execute("PRAGMA schema_version").fetchone()[0]
        finally:
            cursor.close()
    return data_version, schema_version, raw.total_changes

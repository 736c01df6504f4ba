"""The engine reads a SQLite statement's rows into output dicts exactly as ``build_rows`` over ``sqlite3``'s rows
would build them, on Django's own connection, and leaves everything it does not read exactly to Python."""

from __future__ import annotations

import datetime
import decimal
import sqlite3

import pytest
from django.db import DatabaseError, connection, transaction

from django_bolt import _engine
from django_bolt.serializers.plans.convert import IDENTITY, RUST_DATETIME
from django_bolt.utils import sql_rows
from tests.app.models import Item

pytestmark = pytest.mark.django_db

KEYS = ("n", "price", "note", "data", "flag", "moment", "day", "tagged", "point")
SELECT = 'SELECT n, price, note, data, flag, moment, day, tagged AS "tagged [upper]", point FROM reader_values'


def _slow(value):
    # What a fused datetime column's own function gives (any value the engine leaves to it).
    if isinstance(value, datetime.datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    return f"slow:{value!r}"


COLUMNS = tuple((RUST_DATETIME, None, _slow, None) if key == "moment" else (IDENTITY,) for key in KEYS)


@pytest.fixture
def table():
    sqlite3.register_converter("POINT", lambda raw: tuple(map(float, raw.split(b";"))))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE reader_values (n integer, price decimal, note varchar(20), data blob, flag bool,"
            " moment datetime, day date, tagged text, point point)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE reader_values")
    del sqlite3.converters["POINT"]


def _insert(*rows):
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO reader_values VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def _both(sql=SELECT, params=(), columns=COLUMNS, keys=KEYS):
    """(the engine's read, build_rows over the rows sqlite3 gives) for the same statement."""
    engine = sql_rows.SqliteRows(connection, sql, params).read(keys, columns)
    python = _engine.build_rows(list(sql_rows.fetch(connection, sql, params)), keys, columns)
    return engine, python


@pytest.fixture(autouse=True)
def _upper_converter():
    sqlite3.register_converter("upper", lambda raw: raw.decode().upper())
    yield
    del sqlite3.converters["UPPER"]


def test_every_kind_of_value_is_what_sqlite3_gives(table):
    _insert(
        (2**63 - 1, 12.5, "héllo ☃", b"\x00\xff", True, "2024-02-29 23:59:59.000001", "2024-02-29", "abc", "1;2"),
        (-7, 0.1, "", b"", False, "2024-01-01 10:00:00", "1999-12-31", "", "0.5;-3"),
        (None, None, None, None, None, None, None, None, None),
        (0, 3, "x", b"y", 1, "2024-01-01T10:00:00", "2024-01-01", "ÿ", "4;4"),
    )
    engine, python = _both()
    assert engine == python
    assert [type(value) for value in engine[0].values()] == [type(value) for value in python[0].values()]
    assert engine[0]["moment"] == "2024-02-29T23:59:59.000001Z"
    assert engine[0]["flag"] is True and engine[1]["flag"] is False
    assert engine[0]["tagged"] == "ABC" and engine[0]["point"] == (1.0, 2.0)
    assert engine[0]["day"] == datetime.date(2024, 2, 29)


def test_a_bool_column_reads_as_djangos_converter_does_and_a_replaced_one_is_called(table):
    _insert(*((1, 1, "", b"", flag, None, None, None, None) for flag in (True, False, "1", "yes", 1.0, 2)))
    engine, python = _both()
    assert engine == python
    assert [row["flag"] for row in engine] == [True, False, True, False, True, False]  # 1.0 is stored as 1
    django_bool = sqlite3.converters["BOOL"]
    sqlite3.register_converter("bool", lambda raw: f"own {raw.decode()}")
    try:
        engine, python = _both()
    finally:
        sqlite3.converters["BOOL"] = django_bool
    assert engine == python and engine[0]["flag"] == "own 1"


@pytest.mark.parametrize(
    "stored",
    [
        "2024-01-01 10:00:00.123",  # Django writes six digits; others are Python's to read
        "2024-01-01 10:00:00+02:00",
        "2024-01-01 10:00",
        "not a date",
        "0001-01-01 00:00:00",
        "9999-12-31 23:59:59.999999",
    ],
)
def test_datetimes_not_in_django_form_take_the_converter(table, stored):
    _insert((1, 1, "", b"", True, stored, None, None, None))
    engine, python = _both()
    assert engine == python
    assert engine[0]["moment"] == python[0]["moment"]


def test_an_impossible_datetime_raises_as_on_pythons_path(table):
    _insert((1, 1, "", b"", True, "2023-02-29 10:00:00", None, None, None))
    with pytest.raises(ValueError) as engine:
        sql_rows.SqliteRows(connection, SELECT, ()).read(KEYS, COLUMNS)
    with pytest.raises(ValueError) as python:
        _engine.build_rows(list(sql_rows.fetch(connection, SELECT, ())), KEYS, COLUMNS)
    assert str(engine.value) == str(python.value)


def test_parameters_of_sqlite3s_plain_types_are_bound(table):
    _insert((1, 1.5, "a", b"", True, None, None, None, None), (2, 2.5, "b", b"", False, None, None, None, None))
    for params in [(2,), (2.5,), ("b",)]:
        sql = SELECT + " WHERE " + {int: "n", float: "price", str: "note"}[type(params[0])] + " = %s"
        engine, python = _both(sql, params)
        assert engine == python and [row["n"] for row in engine] == [2]
    engine, python = _both(SELECT + " WHERE n IS %s", (None,))
    assert engine == python == []


@pytest.mark.parametrize("param", [True, decimal.Decimal("1.5"), datetime.date(2024, 1, 1), b"b", 2**63])
def test_other_parameter_types_are_left_to_sqlite3s_adapters(table, param):
    _insert((1, 1.5, "a", b"b", True, None, None, None, None))
    assert sql_rows.SqliteRows(connection, SELECT + " WHERE n = %s", (param,)).read(KEYS, COLUMNS) is None


def test_rows_written_in_the_open_transaction_are_read(table):
    with transaction.atomic():
        _insert((5, 1, "mine", b"", True, None, None, None, None))
        engine, python = _both()
    assert engine == python and engine[0]["note"] == "mine"


def test_what_the_engine_cannot_read_exactly_is_left_to_python(table):
    rows = sql_rows.SqliteRows
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO reader_values (n, note) VALUES (1, CAST(x'ff' AS TEXT))")
    # Text that is not UTF-8: sqlite3 raises, Django translates.
    assert rows(connection, SELECT, ()).read(KEYS, COLUMNS) is None
    with pytest.raises(DatabaseError):
        list(rows(connection, SELECT, ()))
    # A failing statement, several statements, a write, a column count that differs.
    assert rows(connection, "SELECT * FROM no_such_table", ()).read(("a",), ((IDENTITY,),)) is None
    assert rows(connection, "SELECT 1; SELECT 2", ()).read(("a",), ((IDENTITY,),)) is None
    update = "UPDATE reader_values SET n = 2 RETURNING n"
    assert rows(connection, update, ()).read(("n",), ((IDENTITY,),)) is None
    assert [row["n"] for row in rows(connection, "SELECT n FROM reader_values", ()).read(("n",), ((IDENTITY,),))] == [1]
    assert rows(connection, "SELECT n, note FROM reader_values", ()).read(("n",), ((IDENTITY,),)) is None


class _Traced(sqlite3.Connection):
    """A connection class an application may open through OPTIONS["factory"]."""

    def cursor(self, *args, **kwargs):
        return super().cursor(*args, **kwargs)


def test_a_connection_class_of_the_applications_own_is_left_to_python(tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings = {**connection.settings_dict, "NAME": str(tmp_path / "own.sqlite3"), "OPTIONS": {"factory": _Traced}}
    own = DatabaseWrapper(settings, alias="own_class")
    own.ensure_connection()
    try:
        assert type(own.connection) is _Traced
        own.connection.execute("CREATE TABLE t (x)")
        own.connection.execute("INSERT INTO t VALUES (1)")
        rows = sql_rows.SqliteRows(own, "SELECT x FROM t", ())
        assert rows.read(("x",), ((IDENTITY,),)) is None
        assert list(rows) == [(1,)]
    finally:
        own.close()


def test_a_row_or_text_factory_is_left_to_python(table):
    _insert((1, 1, "a", b"", True, None, None, None, None))
    raw = connection.connection
    raw.text_factory = bytes
    try:
        assert sql_rows.SqliteRows(connection, SELECT, ()).read(KEYS, COLUMNS) is None
    finally:
        raw.text_factory = str


@pytest.fixture
def engine_reads(monkeypatch):
    """What each of the engine's reads answered (``None``: left to Python's path)."""
    answered = []
    read = _engine.read_sqlite_rows

    def spy(*args):
        answered.append(read(*args))
        return answered[-1]

    monkeypatch.setattr(sql_rows._engine, "read_sqlite_rows", spy)
    return answered


def test_list_endpoints_read_their_rows_through_the_engine(bolt, items, engine_reads):
    for _ in range(3):  # compiled on the second sighting
        body = bolt.get("/items/").json()
    assert [row["id"] for row in body] == sorted(item.pk for item in items)
    assert engine_reads and all(rows is not None for rows in engine_reads)
    Item.objects.filter(pk=items[0].pk).update(name="renamed")
    assert bolt.get("/items/").json()[0]["name"] == "renamed"


def test_pages_read_their_rows_through_the_engine(bolt, items, engine_reads):
    for _ in range(3):  # compiled on the second sighting
        first = bolt.get("/paged/").json()
    ordered = sorted(items, key=lambda item: item.pk)
    assert first["count"] == len(items) and [row["id"] for row in first["results"]] == [i.pk for i in ordered[:3]]
    last = bolt.get(f"/paged/?page={(len(items) + 2) // 3}").json()  # a short page tells the total
    assert (last["count"], len(last["results"])) == (len(items), len(items) % 3 or 3)
    assert engine_reads and all(rows is not None for rows in engine_reads)


def test_a_retrieved_row_is_read_through_the_engine(bolt, items, engine_reads):
    for _ in range(3):  # compiled on the second sighting
        assert bolt.get(f"/items/{items[0].pk}/").json()["name"] == items[0].name
    missing = bolt.get("/items/999999/")
    assert (missing.status_code, missing.json()) == (404, {"detail": "No Item matches the given query."})
    assert len(engine_reads) >= 2 and engine_reads[-1] == [] and all(rows is not None for rows in engine_reads)


def test_the_handle_is_the_connections_and_cleared_on_close():
    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE t (x)")
    raw.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
    assert _engine.sqlite_handle_address(raw) != 0
    rows = _engine.read_sqlite_rows(raw, "SELECT x FROM t", (), ("x",), ((IDENTITY,),), 0, sqlite3.converters, None)
    assert rows == [{"x": 1}, {"x": 2}]
    raw.close()
    assert _engine.sqlite_handle_address(raw) == 0
    assert _engine.read_sqlite_rows(raw, "SELECT 1", (), ("x",), ((IDENTITY,),), 0, {}, None) is None
    assert _engine.read_sqlite_rows(object(), "SELECT 1", (), ("x",), ((IDENTITY,),), 0, {}, None) is None


def _read(raw, sql, statements, keys=("x",)):
    return _engine.read_sqlite_rows(
        raw, sql, (), keys, ((IDENTITY,),) * len(keys), 3, sqlite3.converters, None, statements
    )


def test_a_persistent_connection_keeps_its_statements_reset(tmp_path):
    path = tmp_path / "kept.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("CREATE TABLE t (x)")
    raw.execute("INSERT INTO t VALUES (1)")
    statements = _engine.SqliteStatements(raw)
    assert _read(raw, "SELECT x FROM t", statements) == [{"x": 1}]
    assert len(statements) == 1
    # Reset after reading: no lock is held, another connection writes at once (no busy wait allowed).
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO t VALUES (2)")
    other.execute("COMMIT")
    assert _read(raw, "SELECT x FROM t", statements) == [{"x": 1}, {"x": 2}]
    assert len(statements) == 1
    other.close()
    raw.close()
    assert _read(raw, "SELECT x FROM t", statements) is None
    del statements  # finalizes what it kept: SQLite then frees the closed handle


def test_a_statement_compiled_again_while_read_is_left_to_python(tmp_path):
    raw = sqlite3.connect(tmp_path / "schema.sqlite3", isolation_level=None)
    raw.execute("CREATE TABLE t (x text)")
    raw.execute("INSERT INTO t VALUES ('2024-01-01 00:00:00')")
    statements = _engine.SqliteStatements(raw)
    assert _read(raw, "SELECT x FROM t", statements) == [{"x": "2024-01-01 00:00:00"}]
    # The same text now names a datetime column: the kept statement is compiled again on its first step.
    raw.execute("DROP TABLE t")
    raw.execute("CREATE TABLE t (x datetime)")
    raw.execute("INSERT INTO t VALUES ('2024-01-01 00:00:00')")
    assert _read(raw, "SELECT x FROM t", statements) is None
    assert len(statements) == 0
    assert _read(raw, "SELECT x FROM t", statements) == [{"x": datetime.datetime(2024, 1, 1)}]
    raw.close()


def test_statements_are_kept_for_their_own_connection_only(tmp_path):
    one, two = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    one.execute("CREATE TABLE t (x)")
    two.execute("CREATE TABLE t (x)")
    two.execute("INSERT INTO t VALUES (2)")
    statements = _engine.SqliteStatements(one)
    assert _read(two, "SELECT x FROM t", statements) == [{"x": 2}]
    assert len(statements) == 0
    with pytest.raises(TypeError):
        _engine.SqliteStatements(object())

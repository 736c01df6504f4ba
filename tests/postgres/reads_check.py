"""Run by test_reads.py under tests.postgres.settings: Bolt's compiled reads run on the driver's cursor unless
Django's wrapper has work to do (logging, an execute wrapper), raise Django's errors, and their column reads of
``timestamptz`` values use psycopg's own loader where it gives Django's values — answering DRF's bytes in every
case. Prints "ok".
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import ProgrammingError, connection  # noqa: E402
from django.db.backends.postgresql import psycopg_any  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import policies_bench  # noqa: E402
from django_bolt.test import BoltClient  # noqa: E402
from django_bolt.utils import sql_rows  # noqa: E402
from tests.app.models import Item  # noqa: E402

call_command("migrate", verbosity=0)
# Instants around DST changes and at odd offsets, with and without microseconds.
MOMENTS = [
    datetime(2024, 3, 10, 6, 59, 59, 999999, tzinfo=UTC),
    datetime(2024, 3, 10, 7, 0, tzinfo=UTC),
    datetime(2024, 11, 3, 5, 30, 0, 1, tzinfo=UTC),
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC),
] + [datetime(2025, 6, 1, tzinfo=UTC) + timedelta(minutes=37 * i, microseconds=i) for i in range(20)]
Item.objects.all().delete()
for index, moment in enumerate(MOMENTS):
    item = Item.objects.create(name=f"item{index}", price=Decimal("1.50"), quantity=index)
    Item.objects.filter(pk=item.pk).update(created_at=moment)
FIRST = Item.objects.order_by("pk").first().pk

django_loads: list = []
_load = psycopg_any.BaseTzLoader.load


def counted_load(self, data):
    django_loads.append(data)
    return _load(self, data)


psycopg_any.BaseTzLoader.load = counted_load


def compare(path: str, drf_path: str) -> int:
    """Same bytes from Bolt at ``path`` and DRF at ``drf_path``; how many values Bolt read with Django's loader."""
    drf = Client().get(drf_path)
    first = BoltClient().get(path)  # the first request of a plan may take Django's path while compiling it
    django_loads.clear()
    bolt = BoltClient().get(path)
    for answer in (first, bolt):
        assert drf.status_code == answer.status_code == 200, (path, drf.status_code, answer.status_code)
        assert answer.content == drf.content, (path, answer.content[:300], drf.content[:300])
    return len(django_loads)


# Bolt's native serializer, and DRF's through compat, against DRF's viewset.
PATHS = [
    ("/vs/items/", "/vs/items/"),
    (f"/vs/items/{FIRST}/", f"/vs/items/{FIRST}/"),
    ("/vs/compat-items/", "/vs/items/"),
    (f"/vs/compat-items/{FIRST + 3}/", f"/vs/items/{FIRST + 3}/"),
]
for zone in ("UTC", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"):
    with override_settings(TIME_ZONE=zone):
        for path, drf_path in PATHS:
            assert compare(path, drf_path) == 0, (zone, path)  # psycopg's loader: Django's only relabels with UTC

# The driver's cursor, unless Django's wrapper has work to do.
with mock.patch.object(sql_rows, "fetch_driver", wraps=sql_rows.fetch_driver) as plain:
    for path, drf_path in PATHS:
        compare(path, drf_path)
    assert plain.call_count >= len(PATHS), plain.call_count
    plain.reset_mock()
    with CaptureQueriesContext(connection) as logged:
        assert BoltClient().get(PATHS[1][0]).status_code == 200
    assert plain.call_count == 0 and len(logged.captured_queries) == 1
try:
    sql_rows.fetch_driver(connection, 'SELECT * FROM "no_such_table" WHERE "id" = %s', (1,))
except ProgrammingError:  # Django's, as its cursor wrapper raises it
    pass
else:
    raise AssertionError("no error from a missing table")

with override_settings(USE_TZ=False):  # Django's loader makes naive datetimes: it stays
    for path, drf_path in PATHS:
        assert compare(path, drf_path) > 0, path

# A database TIME_ZONE: Django reads values in that zone, as psycopg's loader does on that session.
connection.close()
connection.settings_dict["TIME_ZONE"] = "Asia/Kathmandu"
for cached in ("timezone", "timezone_name"):
    connection.__dict__.pop(cached, None)
with override_settings(TIME_ZONE="Europe/Paris"):
    for path, drf_path in PATHS:
        compare(path, drf_path)
    assert str(Item.objects.get(pk=FIRST).created_at.tzinfo) == "Asia/Kathmandu"
# A full page and its count in one statement (the count a scalar subquery of the page's SELECT), answering DRF's
# bytes as rows come and go; a short page tells its own total; with query logging the statement is Django's.
key = policies_bench.seed()  # 100 rows at least: pages of 20
auth = {"HTTP_AUTHORIZATION": f"Token {key}"}


def page_matches(number: int) -> dict:
    path = f"/policies/items?page={number}"
    drf, bolt = Client().get(path, **auth), BoltClient().get(path, **auth)
    assert (bolt.status_code, bolt.content) == (drf.status_code, drf.content), (number, bolt.content[:300])
    return bolt.json() if bolt.status_code == 200 else {}


for _ in range(2):  # compiled on the second sighting
    page_matches(2)
total = Item.objects.count()
statements: list[str] = []
_fetch = sql_rows.fetch


def spied_fetch(connection, sql, *args, **kwargs):
    statements.append(sql)
    return _fetch(connection, sql, *args, **kwargs)


with mock.patch.object(sql_rows, "fetch", spied_fetch):
    assert page_matches(2)["count"] == total
assert [sql for sql in statements if "COUNT(" in sql] == [statements[-1]]  # one statement: the page and its count
assert statements[-1].startswith('SELECT (SELECT COUNT(*) AS "__count" FROM')
Item.objects.create(name="one more", price=Decimal("2.00"), quantity=1)
assert page_matches(1)["count"] == total + 1
assert page_matches((total + 1) // 20 + 1)["count"] == total + 1  # the last page, short
assert page_matches(99) == {}  # past the end: 404 on both
with CaptureQueriesContext(connection) as logged:
    page_matches(2)
counts = [q["sql"] for q in logged.captured_queries if "COUNT(" in q["sql"]]
assert len(counts) == 2 and counts[0].startswith("SELECT COUNT(")  # DRF's count; Bolt's page with its count
assert counts[1].startswith("SELECT (SELECT COUNT(")
try:
    sql_rows.fetch(connection, 'SELECT (SELECT COUNT(*) FROM "no_such_table"), 1', ())
except ProgrammingError:  # Django's, as its cursor wrapper raises it
    pass
else:
    raise AssertionError("no error from a missing table")
print("ok")

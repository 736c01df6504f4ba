"""
Reading a list's rows on SQLite: ``sqlite3``'s cursor (``fetch``) then the engine's dicts (``build_rows``), against
the engine reading the rows itself into the dicts (``sql_rows.SqliteRows``, ``_engine.read_sqlite_rows``, with
the connection's kept statement). In process, on a temporary file database with the HTTP benchmark's ``Item``
rows and serializer; the same dicts asserted; medians of interleaved rounds.

    PYTHONPATH=. .venv/bin/python bench/sqlite_rows_bench.py [--rows 100] [--reads 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["FASTPATH_DB"] = str(Path(folder) / "rows.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.fastpath.live_settings"  # persistent connections
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connections

        from bench import viewsets_bench
        from django_bolt import serializers
        from django_bolt.serializers.plans import lists
        from django_bolt.serializers.plans.compile import read_plan
        from django_bolt.utils import sql_rows
        from tests.app.models import Item

        viewsets_bench.seed(options.rows)
        serializer = viewsets_bench._serializer(serializers)
        plan = read_plan(serializer())
        values = Item.objects.order_by("id").values_list(*plan.attnames)
        fetched = lists.fetch_columns(values)
        sql, params = values.query.sql_with_params()
        connection = connections["default"]

        def through_sqlite3() -> list:
            rows = sql_rows.fetch(connection, sql, params)
            return lists.build_rows(plan, lists.FetchedColumns(rows, fetched.converters, connection))

        def by_the_engine() -> list:
            rows = sql_rows.SqliteRows(connection, sql, params)
            return lists.build_rows(plan, lists.FetchedColumns(rows, fetched.converters, connection))

        assert by_the_engine() == through_sqlite3() and len(through_sqlite3()) == options.rows

        def timed(read) -> float:
            started = time.perf_counter()
            for _ in range(options.reads):
                read()
            return (time.perf_counter() - started) / options.reads * 1e6

        python, engine = [], []
        for _ in range(options.rounds):
            python.append(timed(through_sqlite3))
            engine.append(timed(by_the_engine))
        print(
            f"{options.rows} rows into dicts: {statistics.median(python):,.1f} µs through sqlite3's cursor, "
            f"{statistics.median(engine):,.1f} µs read by the engine (medians of {options.rounds} interleaved rounds)"
        )


if __name__ == "__main__":
    main()

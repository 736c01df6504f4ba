"""
Reading a list's rows on SQLite: ``sqlite3``'s cursor (``fetch``) then the engine's dicts (``build_rows``), against
the engine reading the rows itself into the dicts (``sql_rows.SqliteRows``, ``_engine.read_sqlite_rows``, with
the connection's kept statement). In process, on a temporary file database with the HTTP benchmark's ``Item``
rows and serializer; the same dicts asserted; medians of interleaved rounds.

    PYTHONPATH=. .venv/bin/python bench/sqlite_rows_bench.py [--rows 100] [--reads 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.in_process import interleaved_medians, per_call_us, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "rows.sqlite3")
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

        python, engine = interleaved_medians(
            options.rounds,
            lambda: per_call_us(through_sqlite3, options.reads),
            lambda: per_call_us(by_the_engine, options.reads),
        )
        print(
            f"{options.rows} rows into dicts: {python:,.1f} µs through sqlite3's cursor, "
            f"{engine:,.1f} µs read by the engine (medians of {options.rounds} interleaved rounds)"
        )


if __name__ == "__main__":
    main()

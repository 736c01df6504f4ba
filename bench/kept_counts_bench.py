"""
A page of a large SQLite table, with the paginator's count kept while the database is unchanged
(``django_bolt.utils.sqlite_counts``) and counted on every request. In process, through ``BoltClient`` (the
same pipeline as the server), on a temporary file database with ``--rows`` items; medians of interleaved rounds.

    PYTHONPATH=. .venv/bin/python bench/kept_counts_bench.py [--rows 200000] [--requests 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.in_process import ROOT, interleaved_medians, per_call_us, setup_django

PAGE = "/paged/?page=2"  # tests.fastpath's paginated Item viewset (pages of 3): a full page, so it is counted


def prepare(database: Path, rows: int) -> None:
    env = {**os.environ, "FASTPATH_DB": str(database), "DJANGO_SETTINGS_MODULE": "tests.fastpath.live_settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO testapp_item (name, description, price, quantity, is_active, created_at)"
            " VALUES (?, '', 1, 1, 1, '2026-01-01 00:00:00')",
            ((f"Item {i}",) for i in range(rows)),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "kept_counts.sqlite3"
        prepare(database, options.rows)
        setup_django(database)
        from django_bolt.test import BoltClient
        from django_bolt.utils import sqlite_counts
        from tests.app.models import Item

        client = BoltClient("tests.fastpath.bolt_urls")
        kept_after = sqlite_counts.KEEP_AFTER

        def timed(keep: bool) -> float:
            # With no threshold a count is never kept; a write makes the one kept before count again.
            sqlite_counts.KEEP_AFTER = kept_after if keep else float("inf")
            Item.objects.filter(pk=1).update(quantity=1)
            for _ in range(5):
                assert client.get(PAGE).json()["count"] == options.rows
            return per_call_us(lambda: client.get(PAGE), options.requests)

        kept, counted = interleaved_medians(options.rounds, lambda: timed(True), lambda: timed(False))
        print(
            f"page of {options.rows:,} rows: {counted:,.0f} µs a request counted every time, "
            f"{kept:,.0f} µs with the count kept (medians of {options.rounds} interleaved rounds)"
        )


if __name__ == "__main__":
    main()

"""Bolt's compiled reads on PostgreSQL (django_bolt/utils/sql_rows.py): the driver's cursor, Django's errors,
psycopg's own ``timestamptz`` loader where it gives Django's values, DRF's bytes in every case — checked in a
subprocess on a database of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.isolation.test_live_isolation import postgres_database  # noqa: F401

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


def test_compiled_reads_answer_drfs_bytes(postgres_database):  # noqa: F811
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.postgres.settings",
        "BOLT_TEST_PG_DB": postgres_database.split(":", 1)[1],
        "PYTHONPATH": str(ROOT),
    }
    script = Path(__file__).with_name("reads_check.py")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-4000:]

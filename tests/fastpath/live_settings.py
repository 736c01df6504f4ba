"""Settings for the fast-path live test: the fast-path routes on a file database named by the environment."""

import os

from tests.settings import *  # noqa: F403

ROOT_BOLTCONF = "tests.fastpath.bolt_urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("FASTPATH_DB", "fastpath.sqlite3"),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30},
        "CONN_MAX_AGE": None,
    }
}
BOLT = {"SYNC_MODE": "thread", "SYNC_WORKERS": 4}

"""Settings for the live isolation test: the test app on a database named by the environment."""

import os

from tests.settings import *  # noqa: F403

ROOT_BOLTCONF = "tests.isolation.bolt_urls"
USE_I18N = True
LANGUAGE_CODE = "en-us"

if os.environ.get("ISOLATION_DB", "").startswith("postgres:"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["ISOLATION_DB"].split(":", 1)[1],
            "USER": "bolt",
            "PASSWORD": "bolt",
            "HOST": "127.0.0.1",
            "PORT": "5432",
            # ISOLATION_CONN_MAX_AGE: "none" keeps connections open across requests (persistent).
            "CONN_MAX_AGE": None
            if os.environ.get("ISOLATION_CONN_MAX_AGE") == "none"
            else int(os.environ.get("ISOLATION_CONN_MAX_AGE", "0")),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ISOLATION_DB", "isolation.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30},
        }
    }
BOLT = {"SYNC_MODE": os.environ.get("ISOLATION_SYNC_MODE", "thread"), "SYNC_WORKERS": 4}

"""The HTTP bench's Bolt and DRF twins (same serializer definition) on a PostgreSQL database named by the
environment (`BOLT_TEST_PG_DB`), with psycopg 3 and no pool."""

import os

from bench.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("BOLT_TEST_PG_DB", "bolt_test"),
        "USER": "bolt",
        "PASSWORD": "bolt",
        "HOST": "127.0.0.1",
        "PORT": "5432",
    }
}

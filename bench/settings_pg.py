"""The bench on PostgreSQL (`make services` starts it): psycopg 3 with Django's connection pool, both sides."""

from bench.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "bolt_bench",
        "USER": "bolt",
        "PASSWORD": "bolt",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        # Django's pool (psycopg_pool); it replaces persistent connections (CONN_MAX_AGE stays 0).
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 16}},
    }
}

"""Settings of the peer project: the same SQLite rows as bench/settings.py, the peers' own apps. This directory is
the whole Python path of a peer server (it never sees this repository's `django_bolt`: django-bolt 0.13 uses the
same import name)."""

from pathlib import Path

BENCH = Path(__file__).resolve().parents[2]

SECRET_KEY = "bench-peers-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "items", "django_bolt"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "peersite.ninja_urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BENCH / "results" / "bench.sqlite3",
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# django-bolt logs each request on `django.server` (INFO); runbolt and gunicorn log none by default: quiet it too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.server": {"handlers": [], "level": "WARNING", "propagate": False}},
}

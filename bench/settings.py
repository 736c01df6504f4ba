"""Settings shared by the Bolt and DRF sides of the HTTP benchmarks (same apps, same database)."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "bench-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "rest_framework.authtoken",
    "django_bolt",
    "tests.app",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.drf_urls"
ROOT_BOLTCONF = "bench.bolt_urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "results" / "bench.sqlite3",
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        # Both sides keep their connections (gunicorn's worker, Bolt's bridge threads), as production does.
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}

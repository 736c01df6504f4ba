"""Settings of the migrations demo: a DRF project moving endpoint by endpoint to Bolt."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "migrations-demo-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_bolt",
    "catalog",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "demo.urls"
ROOT_BOLTCONF = "demo.bolt_urls"

# SQLite allows one writer at a time: WAL lets readers run beside it, IMMEDIATE transactions and a busy timeout
# make concurrent writers wait instead of failing with "database is locked".
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        # DEMO_DATABASE: another file (the live test serves a temporary copy).
        "NAME": os.environ.get("DEMO_DATABASE") or BASE_DIR / "demo.sqlite3",
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
STATIC_URL = "static/"
TIME_ZONE = "UTC"

# The catalog's viewsets name their policies (authentication, permissions, pagination, filters) themselves, so
# the DRF and the Bolt versions configure them the same way. A project relying on REST_FRAMEWORK's DEFAULT_*
# classes adds a BOLT dict with the same keys naming django_bolt classes (see docs/migration-guide.md).
REST_FRAMEWORK: dict = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {"TITLE": "Catalog API", "VERSION": "1.0.0"}
BOLT = {
    # SQLite answers in microseconds, less than a hand-off to the sync bridge's threads costs: run the ORM work on
    # the worker thread itself (docs/runbolt.md). Keep the default "thread" with a network database.
    "SYNC_MODE": "inline",
}

"""An ordinary Django + DRF project (admin, sessions, messages, static files, the default MIDDLEWARE) with one
Bolt route: what runbolt must serve whole, falling through to Django for everything Bolt does not route."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import BASE_DIR

DEBUG = os.environ.get("FALLTHROUGH_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
ROOT_URLCONF = "tests.fallthrough.urls"
ROOT_BOLTCONF = "tests.fallthrough.bolt_urls"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "fallthrough" / "static"]
if os.environ.get("FALLTHROUGH_DB"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["FALLTHROUGH_DB"],
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30},
        }
    }
WSGI_APPLICATION = "tests.fallthrough.wsgi.application"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
}
BOLT = {"SYNC_MODE": os.environ.get("FALLTHROUGH_SYNC_MODE", "thread")}

"""
Settings of the tasks example: a small DRF project (projects and their tasks, token authentication, an owner-only
permission, django-filter, limit/offset pagination) moved to Bolt in four steps. ``TASKS_STEP`` picks the step
(docs/example-tasks.md):

0. the DRF project as it was; ``runbolt`` serves it all through the fall-through;
1. the viewsets on Bolt's base class, every DRF class kept (compat);
2. serializers, permission and policies ported to Bolt's own classes (``BOLT``'s ``DEFAULT_*`` keys);
3. the end state: the DRF API deleted from ``urls.py``.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "tasks-example-not-secret"
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
    "django_filters",
    "django_bolt",
    "tasks",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

STEP = os.environ.get("TASKS_STEP", "3")
# (ROOT_URLCONF, ROOT_BOLTCONF) of each step.
STEPS = {
    "0": ("tasksite.urls", "tasksite.bolt_urls_step0"),
    "1": ("tasksite.urls", "tasksite.bolt_urls_step1"),
    "2": ("tasksite.urls", "tasksite.bolt_urls"),
    "3": ("tasksite.urls_end", "tasksite.bolt_urls"),
}
ROOT_URLCONF, ROOT_BOLTCONF = STEPS[STEP]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
}
if STEP in ("2", "3"):  # policies ported: Bolt's own defaults (manage.py bolt_report lists these keys)
    BOLT = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["django_bolt.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["django_bolt.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["django_bolt.renderers.JSONRenderer"],
        "DEFAULT_FILTER_BACKENDS": ["django_bolt.filters.DjangoFilterBackend"],
        "DEFAULT_PAGINATION_CLASS": "django_bolt.pagination.LimitOffsetPagination",
        "SYNC_MODE": "inline",
    }
else:
    BOLT = {"SYNC_MODE": "inline"}  # SQLite: the ORM on the worker thread (docs/runbolt.md)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TASKS_DATABASE") or BASE_DIR / "tasks.sqlite3",
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
# Server errors in runbolt's output (Django's default sends them only to mail_admins when DEBUG is off).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

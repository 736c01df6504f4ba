"""The smallest django_bolt project: one ViewSet over an in-memory list, no database models.

cd examples/minimal && DJANGO_SETTINGS_MODULE=settings python -m django runbolt --port 8000
"""

SECRET_KEY = "example-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "django_bolt"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "bolt_urls"
ROOT_BOLTCONF = "bolt_urls"
USE_TZ = True
BOLT = {"DEFAULT_AUTHENTICATION_CLASSES": [], "UNAUTHENTICATED_USER": None}

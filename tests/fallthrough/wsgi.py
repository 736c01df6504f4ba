"""The same project under gunicorn: the reference runbolt's fall-through is compared with."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.fallthrough.settings")
application = get_wsgi_application()

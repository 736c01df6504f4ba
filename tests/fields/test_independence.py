"""The native modules never import DRF (it is only the reference twin in tests)."""

import subprocess
import sys

CODE = """
import sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"], USE_TZ=True)
django.setup()
import django_bolt.status, django_bolt.exceptions, django_bolt.settings, django_bolt.fields
import django_bolt.relations, django_bolt.validators
from django_bolt.utils import html, json, urls, representation, serializer_helpers
from django_bolt.settings import api_settings
api_settings.DATETIME_FORMAT
loaded = sorted(name for name in sys.modules if name == "rest_framework" or name.startswith("rest_framework."))
print(",".join(loaded))
"""


def test_no_rest_framework_import():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""

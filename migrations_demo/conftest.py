"""
Lets the repository's single ``pytest`` run (settings: ``tests.settings``) collect the demo's tests.

* The demo's directory goes on ``sys.path``, so ``catalog`` and ``demo`` import as they do under ``manage.py``.
* Its apps join ``INSTALLED_APPS`` the way Django's own tests swap apps in (``override_settings``, which
  repopulates the app registry). pytest-django has already set Django up with ``tests.settings`` when this file
  is imported, but no test database exists yet, so it is created with the catalog's tables.

Run with the demo's own settings (``pytest migrations_demo --ds=demo.settings``) nothing needs adding.
"""

import sys
from pathlib import Path

from django.apps import apps
from django.test import override_settings

DEMO_DIR = Path(__file__).resolve().parent
DEMO_APPS = ["catalog"]

if str(DEMO_DIR) not in sys.path:
    # Appended, not prepended: `migrations_demo/tests` must not shadow the repository's `tests` package.
    sys.path.append(str(DEMO_DIR))

_missing = [app for app in DEMO_APPS if not apps.is_installed(app)]
if _missing:
    from django.conf import settings

    # Never disabled: the apps stay installed for the whole session, like apps listed in the settings.
    override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, *_missing]).enable()

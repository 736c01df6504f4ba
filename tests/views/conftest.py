"""Fixtures of the view tests: a private test database and a client on ``tests.views.urls``."""

from __future__ import annotations

import os

import pytest
from django.test import override_settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A test database of this process's own: other suites may run at the same time on this machine."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"/tmp/bolt_views_{os.getpid()}.sqlite3"


@pytest.fixture
def client(db):
    from compat.harness import bolt_client

    with override_settings(ROOT_BOLTCONF="tests.views.urls"):
        yield bolt_client("tests.views.urls")

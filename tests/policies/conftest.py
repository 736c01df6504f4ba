"""Fixtures of the policy tests: a private test database (other suites may run at the same time)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"/tmp/bolt_policies_{os.getpid()}.sqlite3"

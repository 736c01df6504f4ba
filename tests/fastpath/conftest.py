"""Fixtures of the fast-path tests: a private test database, both clients, and the reference rows."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A test database of this process's own: other suites may run at the same time on this machine."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"/tmp/bolt_fastpath_{os.getpid()}.sqlite3"


_bolt = {}


@pytest.fixture
def bolt(db):
    from django_bolt.test import BoltClient

    if "client" not in _bolt:
        _bolt["client"] = BoltClient("tests.fastpath.bolt_urls")
    return _bolt["client"]


@pytest.fixture
def drf(db):
    with override_settings(ROOT_URLCONF="tests.fastpath.drf_urls"):
        yield Client()


@pytest.fixture
def items(db):
    from tests.app.models import Item

    created = [
        Item.objects.create(
            name=f"Item {i}" if i != 4 else "Ünïcode — item",
            description=f"About {i}",
            price=Decimal(i * 37 % 100) + Decimal("0.25"),
            quantity=i * 11 % 97,
            is_active=i % 3 != 0,
        )
        for i in range(1, 9)
    ]
    base = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
    for n, item in enumerate(created):
        # Spread over the year: both sides of daylight saving time.
        Item.objects.filter(pk=item.pk).update(created_at=base + timedelta(days=47 * n, minutes=item.pk))
    return list(Item.objects.order_by("id"))


@pytest.fixture
def books(db):
    from tests.serializers_app.models import Author, Book

    herbert = Author.objects.create(name="Herbert")
    forbidden = Author.objects.create(name="Forbidden")
    return [
        Book.objects.create(title="Dune", author=herbert, rating=4.5, pages=412),
        Book.objects.create(title="Orphan", author=None, rating=0.1),
        Book.objects.create(title="Banned", author=forbidden, pages=12),
        Book.objects.create(title="Secret", author=herbert),
    ]

"""Fixtures of the parity tests."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from compat.app.models import Book
from compat.harness import Parity


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A test database of this process's own: other suites may run at the same time on this machine."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"/tmp/bolt_compat_{os.getpid()}.sqlite3"


@pytest.fixture
def parity(db) -> Parity:
    return Parity()


@pytest.fixture
def books(db) -> list[Book]:
    return [
        Book.objects.create(title="dune", author="Herbert", price=Decimal("9.50"), genre="fic"),
        Book.objects.create(title="cosmos", author="Sagan", price=Decimal("120.00"), genre="doc"),
        Book.objects.create(title="emma", author="Austen", price=Decimal("4.25"), in_stock=False),
    ]


def book_rows() -> list[tuple]:
    """The table's content, for DB-state comparison."""
    return list(Book.objects.order_by("id").values_list("id", "title", "author", "price", "in_stock", "genre"))

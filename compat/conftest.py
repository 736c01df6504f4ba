"""Fixtures of the parity tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compat.app.models import Book
from compat.harness import Parity


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

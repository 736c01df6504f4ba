"""
Fixtures of the demo's API tests. (This directory has no ``__init__.py`` on purpose: pytest-django puts
``migrations_demo`` first on ``sys.path`` when it is named on the command line, and a ``tests`` package here would
then hide the repository's ``tests`` package, which holds the settings.)

``api`` is the client the tests are written against — django_bolt's public ``both_api_client`` fixture,
parametrized over the two implementations of the migrated endpoints: DRF's ``APIClient`` over ``demo.urls`` and
Bolt's ``BoltClient`` over ``demo.bolt_urls`` (the Rust engine, in process). A test taking ``api`` runs once per
implementation and asserts the same status, body and database state on both. ``drf_api`` is for endpoints not
migrated yet.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

import pytest
from catalog.models import Author, Book, Review
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

DRF_URLCONF = "demo.urls"
BOLT_URLCONF = "demo.bolt_urls"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A test database of this process's own: other suites may run at the same time on this machine."""
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"/tmp/bolt_demo_{os.getpid()}.sqlite3"


@pytest.fixture(autouse=True)
def demo_urls(settings: Any) -> None:
    """The demo's URLconfs; both matter to each side, since ``reverse()`` reads them to build URLs."""
    settings.ROOT_URLCONF = DRF_URLCONF
    settings.ROOT_BOLTCONF = BOLT_URLCONF
    # seed_demo sets passwords: the default hasher would cost most of each test's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def bolt_engine() -> Any:
    """The engine compiled from ``demo.bolt_urls``, once per session (as ``runbolt`` does at start-up)."""
    from django_bolt.conf import build_engine

    return build_engine(BOLT_URLCONF)


def make_client(kind: str, bolt_engine: Any, **kwargs: Any) -> Any:
    if kind == "drf":
        from rest_framework.test import APIClient

        return APIClient(**kwargs)
    from django_bolt.test import BoltClient

    return BoltClient(engine=bolt_engine, **kwargs)


@pytest.fixture
def new_client(bolt_engine: Any) -> Any:
    """``new_client("drf" | "bolt", **kwargs)``: a fresh client of either implementation."""
    return lambda kind, **kwargs: make_client(kind, bolt_engine, **kwargs)


@pytest.fixture
def bolt_api_engine(bolt_engine: Any) -> Any:
    """django_bolt's ``both_api_client`` uses the session's engine."""
    return bolt_engine


@pytest.fixture
def api_kind(api_implementation: str) -> str:
    return api_implementation


@pytest.fixture
def api(both_api_client: Any, catalog: Catalog) -> Any:
    """An anonymous client of one implementation: django_bolt's ``both_api_client`` (see the module docstring)."""
    return both_api_client


@pytest.fixture
def make_api(api_kind: str, bolt_engine: Any, catalog: Catalog) -> Any:
    """``make_api(**kwargs)``: another client of the same implementation as ``api``, e.g. ``enforce_csrf_checks``."""
    return lambda **kwargs: make_client(api_kind, bolt_engine, **kwargs)


@pytest.fixture
def drf_api(catalog: Catalog) -> Any:
    """A client of the DRF implementation only (endpoints not migrated yet)."""
    from rest_framework.test import APIClient

    return APIClient()


@dataclass
class Catalog:
    """The seeded rows, by natural key."""

    authors: dict[str, Author]
    books: dict[str, Book]
    users: dict[str, Any]
    tokens: dict[str, str]

    def book(self, title: str) -> Book:
        return self.books[title]

    def auth(self, username: str) -> dict[str, str]:
        """Header for ``client.credentials(**...)``."""
        return {"HTTP_AUTHORIZATION": f"Token {self.tokens[username]}"}


@pytest.fixture
def catalog(db: None) -> Catalog:
    """The demo's own seed data (``manage.py seed_demo``), in the test transaction."""
    call_command("seed_demo", stdout=io.StringIO())
    users = {user.username: user for user in get_user_model().objects.all()}
    return Catalog(
        authors={author.name: author for author in Author.objects.all()},
        books={book.title: book for book in Book.objects.all()},
        users=users,
        tokens={token.user.username: token.key for token in Token.objects.select_related("user")},
    )


def _book_rows() -> list[tuple]:
    return list(
        Book.objects.order_by("id").values_list("id", "title", "isbn", "price", "published", "in_stock", "author_id")
    )


def _review_rows() -> list[tuple]:
    return list(Review.objects.order_by("id").values_list("id", "book_id", "user__username", "rating", "comment"))


@pytest.fixture
def book_rows() -> Any:
    """``book_rows()``: the books table, for comparing database effects."""
    return _book_rows


@pytest.fixture
def review_rows() -> Any:
    """``review_rows()``: the reviews table."""
    return _review_rows

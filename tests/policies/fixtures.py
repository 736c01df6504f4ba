"""Fixtures shared by the policy tests (imported by the test modules)."""

from __future__ import annotations

import base64
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.middleware.csrf import _get_new_csrf_string

from compat.app.models import Book


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    # Password checks happen on every Basic request: keep them cheap in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def session_for(user: User) -> str:
    """A saved session logged in as ``user`` (what ``login()`` stores); returns its key."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


@pytest.fixture
def users(db: Any) -> SimpleNamespace:
    from rest_framework.authtoken.models import Token

    alice = User.objects.create_user("alice", password="pw-alice")
    admin = User.objects.create_user("admin", password="pw-admin", is_staff=True)
    bob = User.objects.create_user("bob", password="pw-bob", is_active=False)
    csrf = _get_new_csrf_string()
    return SimpleNamespace(
        alice=alice,
        admin=admin,
        bob=bob,
        tokens={user.username: Token.objects.create(user=user).key for user in (alice, admin, bob)},
        sessions={user.username: session_for(user) for user in (alice, bob)},
        csrf=csrf,
    )


@pytest.fixture
def books(db: Any) -> list[Book]:
    rows = [
        ("dune", "Herbert", "9.50", "fic", True),
        ("cosmos", "Sagan", "120.00", "doc", True),
        ("emma", "Austen", "4.25", "fic", False),
        ("contact", "Sagan", "9.50", "fic", True),
        ("persuasion", "Austen", "7.00", "fic", True),
        ("pale blue dot", "Sagan", "15.00", "doc", False),
        ("children of dune", "Herbert", "11.00", "fic", True),
    ]
    return [
        Book.objects.create(title=title, author=author, price=Decimal(price), genre=genre, in_stock=in_stock)
        for title, author, price, genre, in_stock in rows
    ]


def book_rows() -> list[tuple]:
    return list(Book.objects.order_by("id").values_list("id", "title", "author", "price", "in_stock", "genre"))

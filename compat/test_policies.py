"""The shipped policies (Session/Basic/Token authentication, IsAuthenticated, PageNumberPagination) vs DRF."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from compat.conftest import book_rows
from compat.harness import Call


@pytest.fixture
def alice(db):
    user = User.objects.create_user("alice", password="secret")
    Token.objects.create(user=user, key="a" * 40)
    return user


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_default_policies(parity, books, alice):
    parity.assert_same(
        Call("GET", "/default/"),
        Call("GET", "/default/", headers=basic("alice", "secret")),
        Call("GET", "/default/", headers=basic("alice", "wrong")),
        Call("GET", "/default/", headers={"Authorization": "Basic"}),
        Call("GET", "/default/", headers={"Authorization": "Basic !!!"}),
        Call("GET", "/default/", login="alice"),
        Call("POST", "/default/", {"title": "basic", "price": "1.00"}, headers=basic("alice", "secret")),
        Call("DELETE", "/default/"),
        db=book_rows,
    )


def test_is_authenticated_and_pagination(parity, books, alice):
    parity.assert_same(
        Call("GET", "/private/"),
        Call("DELETE", "/private/"),
        Call("GET", "/private/", login="alice"),
        Call("GET", "/private/?page=2", login="alice"),
        Call("GET", "/private/?page=9", login="alice"),
        Call("GET", "/private/?page=last", headers=basic("alice", "secret")),
        Call("GET", f"/private/{books[0].pk}/", headers=basic("alice", "secret")),
    )


def test_token_authentication(parity, alice):
    parity.assert_same(
        Call("GET", "/token/"),
        Call("GET", "/token/", headers={"Authorization": "Token " + "a" * 40}),
        Call("GET", "/token/", headers={"Authorization": "Token nope"}),
        Call("GET", "/token/", headers={"Authorization": "Token"}),
        Call("GET", "/token/", headers={"Authorization": "Token a b"}),
    )


def test_session_writes_skip_csrf_in_the_test_client(parity, alice):
    # DRF's APIClient does not enforce CSRF unless asked; the bolt test client must behave the same.
    parity.assert_same(Call("POST", "/default/", {"title": "s", "price": "1.00"}, login="alice"), db=book_rows)

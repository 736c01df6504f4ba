"""A default ``list`` with synchronous authenticators: authentication, permissions and the list share one bridge
call (django_bolt.pipeline), with the answers of the ordinary pipeline."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings

from compat.harness import bolt_client
from django_bolt import sync
from tests.policies import fixtures

fast_hasher, users, books = fixtures.fast_hasher, fixtures.users, fixtures.books

URLS = "tests.policies.custom_urls"


@pytest.fixture
def client(db):
    with override_settings(ROOT_BOLTCONF=URLS):
        yield bolt_client(URLS)


def _bridge_calls():
    # Under the test client every run_sync checks is_inline() once.
    return mock.patch.object(sync, "is_inline", wraps=sync.is_inline)


def _token(users, name):
    return {"Authorization": f"Token {users.tokens[name]}"}


def test_token_permission_and_list_in_one_bridge_call(client, users, books):
    with _bridge_calls() as calls:
        response = client.get("/token-books/", headers=_token(users, "alice"))
    assert response.status_code == 200
    assert [row["title"] for row in response.json()] == [book.title for book in books]
    assert calls.call_count == 1


def test_refusals_are_the_pipelines(client, users, books):
    anonymous = client.get("/token-books/")
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    wrong = client.get("/token-books/", headers={"Authorization": "Token nope"})
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "Invalid token."})
    inactive = client.get("/token-books/", headers=_token(users, "bob"))
    assert (inactive.status_code, inactive.json()) == (401, {"detail": "User inactive or deleted."})
    malformed = client.get("/token-books/", headers={"Authorization": "Token a b"})
    assert malformed.status_code == 401


def test_an_async_permission_carries_on_on_the_loop(client, users, books):
    # IsAuthenticated & (AsyncNever | StaffByDB): the composed check answers with an awaitable in the bridge.
    assert client.get("/token-books-async-permission/", headers=_token(users, "admin")).status_code == 200
    refused = client.get("/token-books-async-permission/", headers=_token(users, "alice"))
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )
    assert client.get("/token-books-async-permission/").status_code == 401

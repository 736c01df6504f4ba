"""Permission parity: built-in classes, composition, custom sync/async classes, model and object permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from compat.harness import Call
from tests.policies import fixtures
from tests.policies.fixtures import book_rows
from tests.policies.parity import PolicyParity

fast_hasher, users, books = fixtures.fast_hasher, fixtures.users, fixtures.books


@pytest.fixture
def parity(db) -> PolicyParity:
    return PolicyParity()


def as_user(users, name: str | None) -> dict[str, str]:
    return {} if name is None else {"Authorization": f"Token {users.tokens[name]}"}


@pytest.mark.parametrize(
    "name",
    [
        "authenticated",
        "admin",
        "readonly",
        "admin-or-readonly",
        "not-authenticated",
        "refuses",
        "auth-and-refuses",
        "both-listed",
    ],
)
def test_view_permissions(parity, users, name):
    calls = []
    for who in (None, "alice", "admin"):
        for method in ("GET", "POST", "PUT", "DELETE"):
            calls.append(
                Call(
                    method,
                    f"/perm/{name}/",
                    {"x": 1} if method in ("POST", "PUT") else None,
                    headers=as_user(users, who),
                )
            )
    parity.assert_same(*calls)


def test_without_authenticators_401_becomes_403(parity, users):
    parity.assert_same(Call("GET", "/perm/silent/"), Call("POST", "/perm/silent/", {}))


def test_object_permissions_and_or(parity, users, books):
    cheap, dear = books[0].pk, books[1].pk
    calls = []
    for name in ("cheap", "admin-or-cheap"):
        for who in (None, "alice", "admin"):
            for pk in (cheap, dear):
                calls.append(Call("GET", f"/perm/{name}/books/{pk}/", headers=as_user(users, who)))
                calls.append(Call("PATCH", f"/perm/{name}/books/{pk}/", {"author": "X"}, headers=as_user(users, who)))
            calls.append(Call("GET", f"/perm/{name}/books/", headers=as_user(users, who)))
    parity.assert_same(*calls, db=book_rows)


def grant(user, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="compat_app", codename__in=codenames))


def test_model_permissions(parity, users, books):
    grant(users.alice, "add_book", "delete_book")
    pk = books[0].pk
    calls = []
    for name in ("model", "model-anon"):
        for who in (None, "alice", "admin"):
            headers = as_user(users, who)
            calls += [
                Call("GET", f"/perm/{name}/books/", headers=headers),
                Call("POST", f"/perm/{name}/books/", {"title": "new", "price": "1.00"}, headers=headers),
                Call("PATCH", f"/perm/{name}/books/{pk}/", {"author": "Y"}, headers=headers),
                Call("OPTIONS", f"/perm/{name}/books/", headers=headers),
            ]
    calls.append(Call("DELETE", f"/perm/model/books/{pk}/", headers=as_user(users, "alice")))
    pairs = parity.assert_same(*calls, db=book_rows)
    # Alice may add and delete (not change); anonymous users may only read the "model-anon" list.
    statuses = [pair.bolt.status for pair in pairs]
    assert statuses[4:8] == [200, 201, 403, 200]
    assert statuses[12:16] == [200, 401, 401, 200]
    assert statuses[-1] == 204


def test_object_permissions_hide_or_refuse(parity, users, books):
    # ModelBackend grants no object permissions: reads become 404; writes 403 (read allowed) or 404.
    grant(users.alice, "change_book")
    pk = books[0].pk
    parity.assert_same(
        Call("GET", f"/perm/object/books/{pk}/", headers=as_user(users, "alice")),
        Call("PATCH", f"/perm/object/books/{pk}/", {"author": "Z"}, headers=as_user(users, "alice")),
        Call("DELETE", f"/perm/object/books/{pk}/", headers=as_user(users, "alice")),
        Call("GET", f"/perm/object/books/{pk}/"),
        Call("GET", "/perm/object/books/", headers=as_user(users, "alice")),
        db=book_rows,
    )

"""Authentication parity: Session (with CSRF), Basic, Token, RemoteUser and the 401-vs-403 rule, against DRF."""

from __future__ import annotations

import base64

import pytest

from compat.harness import Call
from tests.policies import fixtures
from tests.policies.fixtures import basic
from tests.policies.parity import PolicyParity

fast_hasher, users = fixtures.fast_hasher, fixtures.users


@pytest.fixture
def parity(db) -> PolicyParity:
    return PolicyParity()


def token(key: str, keyword: str = "Token") -> dict[str, str]:
    return {"Authorization": f"{keyword} {key}"}


def test_anonymous_requests_401_or_403(parity, users):
    # The first authenticator decides: a challenge (Basic, Token) gives 401 + WWW-Authenticate, Session 403.
    parity.assert_same(
        *(Call("GET", f"/auth/{scheme}/") for scheme in ("session", "basic", "token", "default", "token-session")),
        Call("GET", "/auth/none/"),
        Call("POST", "/auth/token/", {"x": 1}),
        *(Call("GET", f"/auth/{scheme}/open/") for scheme in ("session", "basic", "token", "default", "none")),
    )


def test_basic(parity, users):
    parity.assert_same(
        Call("GET", "/auth/basic/", headers=basic("alice", "pw-alice")),
        Call("GET", "/auth/basic/", headers=basic("alice", "wrong")),
        Call("GET", "/auth/basic/", headers=basic("nobody", "pw")),
        Call("GET", "/auth/basic/", headers=basic("bob", "pw-bob")),
        Call("GET", "/auth/basic/", headers={"Authorization": "Basic"}),
        Call("GET", "/auth/basic/", headers={"Authorization": "Basic a b"}),
        Call("GET", "/auth/basic/", headers={"Authorization": "Basic !!!notbase64"}),
        Call("GET", "/auth/basic/", headers={"Authorization": "Basic " + base64.b64encode(b"nocolon").decode()}),
        Call(
            "GET",
            "/auth/basic/",
            headers={"Authorization": "Basic " + base64.b64encode("zoë:pw".encode("latin-1")).decode()},
        ),
        Call("GET", "/auth/basic/", headers={"Authorization": "Bearer abc"}),
        # Failed credentials are a 401 even where anyone may enter: DRF authenticates eagerly.
        Call("GET", "/auth/basic/open/", headers=basic("alice", "wrong")),
        Call("GET", "/auth/default/", headers=basic("alice", "pw-alice")),
        Call("GET", "/auth/default/", headers=basic("alice", "wrong")),
        Call("POST", "/auth/basic/", {"a": 1}, headers=basic("alice", "pw-alice")),
    )


def test_token(parity, users):
    alice = users.tokens["alice"]
    parity.assert_same(
        Call("GET", "/auth/token/", headers=token(alice)),
        Call("GET", "/auth/token/", headers=token(alice, "token")),
        Call("GET", "/auth/token/", headers=token("f" * 40)),
        Call("GET", "/auth/token/", headers=token(users.tokens["bob"])),
        Call("GET", "/auth/token/", headers={"Authorization": "Token"}),
        Call("GET", "/auth/token/", headers={"Authorization": f"Token {alice} extra"}),
        Call("GET", "/auth/token/", headers={"Authorization": f"Bearer {alice}"}),
        Call("GET", "/auth/token/open/", headers=token("bad")),
        Call("POST", "/auth/token/", {"x": 1}, headers=token(alice)),
        Call("GET", "/auth/token-session/", headers=token("bad")),
        Call("GET", "/auth/token-session/", headers=token(alice)),
    )


def test_session_reads(parity, users):
    alice = {"Cookie": f"sessionid={users.sessions['alice']}"}
    parity.assert_same(
        Call("GET", "/auth/session/", headers=alice),
        Call("GET", "/auth/default/", headers=alice),
        Call("GET", "/auth/session/", headers={"Cookie": f"sessionid={users.sessions['bob']}"}),
        Call("GET", "/auth/session/", headers={"Cookie": "sessionid=doesnotexist"}),
        Call("GET", "/auth/token-session/", headers=alice),
        Call("GET", "/auth/session/open/", headers=alice),
        Call("GET", "/auth/session/open/"),
    )


def test_session_csrf(db, users):
    parity = PolicyParity(enforce_csrf=True)
    session = f"sessionid={users.sessions['alice']}"
    with_cookie = {"Cookie": f"{session}; csrftoken={users.csrf}"}
    parity.assert_same(
        # Unsafe method, authenticated session: the CSRF check runs.
        Call("POST", "/auth/session/", {"x": 1}, headers={"Cookie": session}),
        Call("POST", "/auth/session/", {"x": 1}, headers=with_cookie),
        Call("POST", "/auth/session/", {"x": 1}, headers={**with_cookie, "X-CSRFToken": "x" * 32}),
        Call("POST", "/auth/session/", {"x": 1}, headers={**with_cookie, "X-CSRFToken": users.csrf}),
        Call(
            "POST",
            "/auth/session/",
            {"x": 1, "csrfmiddlewaretoken": users.csrf},
            format="multipart",
            headers=with_cookie,
        ),
        Call("POST", "/auth/default/", {"x": 1}, headers={"Cookie": session}),
        # Safe method, or no authenticated session: no check.
        Call("GET", "/auth/session/", headers={"Cookie": session}),
        Call("POST", "/auth/session/open/", {"x": 1}),
        Call("POST", "/auth/session/open/", {"x": 1}, headers={"Cookie": f"sessionid={users.sessions['bob']}"}),
    )


def test_remote_user(db, users):
    backends = {"AUTHENTICATION_BACKENDS": ["django.contrib.auth.backends.RemoteUserBackend"]}
    PolicyParity(settings=backends).assert_same(
        Call("GET", "/auth/remote/", headers={"Remote-User": "alice"}),
        Call("GET", "/auth/remote/", headers={"Remote-User": "bob"}),
        Call("GET", "/auth/remote/"),
        Call("GET", "/auth/remote/open/"),
    )


def test_test_clients_skip_csrf_by_default(parity, users):
    # DRF's APIClient and BoltClient both mark their requests exempt unless enforce_csrf_checks=True.
    session = f"sessionid={users.sessions['alice']}"
    pairs = parity.assert_same(Call("POST", "/auth/session/", {"x": 1}, headers={"Cookie": session}))
    assert pairs[0].bolt.status == 200

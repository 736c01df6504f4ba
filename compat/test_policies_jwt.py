"""JWT parity with simplejwt: authentication errors, token endpoints, and tokens accepted across both."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from compat.harness import Call
from tests.policies import fixtures
from tests.policies.parity import PolicyParity

fast_hasher, users = fixtures.fast_hasher, fixtures.users


@pytest.fixture
def parity(db) -> PolicyParity:
    return PolicyParity()


def bearer(token: object, kind: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{kind} {token}"}


@pytest.fixture
def tokens(users):
    """Tokens made by simplejwt itself (the reference issuer)."""
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

    refresh = RefreshToken.for_user(users.alice)
    expired = AccessToken.for_user(users.alice)
    expired.set_exp(lifetime=timedelta(minutes=-1))
    ghost = AccessToken()
    ghost["user_id"] = "999999"
    no_user = AccessToken()
    return {
        "access": str(refresh.access_token),
        "refresh": str(refresh),
        "expired": str(expired),
        "inactive": str(AccessToken.for_user(users.bob)),
        "ghost": str(ghost),
        "no_user": str(no_user),
    }


def test_authentication(parity, tokens):
    access = tokens["access"]
    parity.assert_same(
        Call("GET", "/auth/jwt/", headers=bearer(access)),
        Call("GET", "/auth/jwt/"),
        Call("GET", "/auth/jwt/", headers=bearer(tokens["expired"])),
        Call("GET", "/auth/jwt/", headers=bearer(access[:-4] + "abcd")),
        Call("GET", "/auth/jwt/", headers=bearer("not.a.jwt")),
        Call("GET", "/auth/jwt/", headers=bearer(tokens["refresh"])),
        Call("GET", "/auth/jwt/", headers=bearer(tokens["inactive"])),
        Call("GET", "/auth/jwt/", headers=bearer(tokens["ghost"])),
        Call("GET", "/auth/jwt/", headers=bearer(tokens["no_user"])),
        Call("GET", "/auth/jwt/", headers={"Authorization": "Bearer"}),
        Call("GET", "/auth/jwt/", headers={"Authorization": f"Bearer {access} extra"}),
        Call("GET", "/auth/jwt/", headers=bearer(access, "JWT")),
        Call("GET", "/auth/jwt/", headers=bearer(access, "bearer")),
        Call("GET", "/auth/jwt/open/", headers=bearer(tokens["expired"])),
        Call("POST", "/auth/jwt/", {"a": 1}, headers=bearer(access)),
    )


def test_settings(db, users):
    # simplejwt freezes SIMPLE_JWT at import (module constants, stale api_settings references), so a settings
    # override can only be checked on our side; the expected answers are simplejwt's for those settings.
    from django.test import override_settings
    from rest_framework_simplejwt.tokens import AccessToken

    from compat.harness import bolt_client

    token = AccessToken()
    token["uid"] = str(users.alice.pk)
    token["user_id"] = "999999"
    settings = {
        "AUTH_HEADER_TYPES": ("JWT", "Bearer"),
        "USER_ID_CLAIM": "uid",
        "ACCESS_TOKEN_LIFETIME": timedelta(hours=1),
    }
    with override_settings(SIMPLE_JWT=settings, ROOT_BOLTCONF="tests.policies.bolt_urls"):
        client = bolt_client("tests.policies.bolt_urls")
        assert client.get("/auth/jwt/", headers=bearer(token, "JWT")).json()["user"] == "alice"
        assert client.get("/auth/jwt/", headers=bearer(token, "Bearer")).json()["user"] == "alice"
        anonymous = client.get("/auth/jwt/")
        assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == 'JWT realm="api"'
        pair = client.post("/jwt/obtain/", {"username": "alice", "password": "pw-alice"}, format="json").json()
        claims = AccessToken(pair["access"], verify=False).payload
        assert claims["uid"] == str(users.alice.pk) and claims["exp"] - claims["iat"] == 3600


def test_obtain_errors(parity, users):
    parity.assert_same(
        Call("POST", "/jwt/obtain/", {"username": "alice", "password": "wrong"}),
        Call("POST", "/jwt/obtain/", {"username": "bob", "password": "pw-bob"}),
        Call("POST", "/jwt/obtain/", {"username": "alice"}),
        Call("POST", "/jwt/obtain/", {}),
        Call("POST", "/jwt/obtain/", {"username": "", "password": ""}),
        Call("GET", "/jwt/obtain/"),
    )


def test_refresh_and_verify_errors(parity, tokens):
    parity.assert_same(
        Call("POST", "/jwt/refresh/", {"refresh": tokens["access"]}),
        Call("POST", "/jwt/refresh/", {"refresh": "garbage"}),
        Call("POST", "/jwt/refresh/", {}),
        Call("POST", "/jwt/verify/", {"token": tokens["access"]}),
        Call("POST", "/jwt/verify/", {"token": tokens["refresh"]}),
        Call("POST", "/jwt/verify/", {"token": tokens["expired"]}),
        Call("POST", "/jwt/verify/", {"token": tokens["access"][:-2]}),
        Call("POST", "/jwt/verify/", {}),
    )


def test_issued_tokens_work_on_both_sides(parity, users):
    """Pairs obtained from bolt authenticate on DRF/simplejwt and the other way round."""
    pairs, _ = parity.run(Call("POST", "/jwt/obtain/", {"username": "alice", "password": "pw-alice"}))
    drf_pair, bolt_pair = pairs[0].drf, pairs[0].bolt
    assert drf_pair.status == bolt_pair.status == 200
    drf_tokens, bolt_tokens = json.loads(drf_pair.body), json.loads(bolt_pair.body)
    assert set(drf_tokens) == set(bolt_tokens) == {"refresh", "access"}

    import jwt as pyjwt
    from django.conf import settings

    claims = pyjwt.decode(bolt_tokens["access"], settings.SECRET_KEY, algorithms=["HS256"])
    assert set(claims) == {"token_type", "exp", "iat", "jti", "user_id"}
    assert claims["token_type"] == "access" and claims["user_id"] == str(users.alice.pk)
    assert claims["exp"] - claims["iat"] == 300

    for access in (drf_tokens["access"], bolt_tokens["access"]):
        pairs = parity.assert_same(Call("GET", "/auth/jwt/", headers=bearer(access)))
        assert pairs[0].bolt.status == 200
    for refresh in (drf_tokens["refresh"], bolt_tokens["refresh"]):
        pairs, _ = parity.run(Call("POST", "/jwt/refresh/", {"refresh": refresh}))
        for outcome in (pairs[0].drf, pairs[0].bolt):
            assert outcome.status == 200 and set(json.loads(outcome.body)) == {"access"}
        pairs = parity.assert_same(Call("POST", "/jwt/verify/", {"token": refresh}))
        assert pairs[0].bolt.body == b"{}"


def test_rotation(db, users):
    from django.test import override_settings
    from rest_framework_simplejwt.tokens import RefreshToken

    from compat.harness import bolt_client

    refresh = RefreshToken.for_user(users.alice)
    with override_settings(SIMPLE_JWT={"ROTATE_REFRESH_TOKENS": True}, ROOT_BOLTCONF="tests.policies.bolt_urls"):
        response = bolt_client("tests.policies.bolt_urls").post(
            "/jwt/refresh/", {"refresh": str(refresh)}, format="json"
        )
    assert response.status_code == 200
    rotated = RefreshToken(response.json()["refresh"])
    assert rotated["jti"] != refresh["jti"] and rotated["user_id"] == str(users.alice.pk)


def test_stateless_user(parity, tokens):
    parity.assert_same(
        Call("GET", "/auth/jwt-stateless/", headers=bearer(tokens["access"])),
        Call("GET", "/auth/jwt-stateless/", headers=bearer(tokens["ghost"])),
        Call("GET", "/auth/jwt-stateless/", headers=bearer(tokens["no_user"])),
        Call("GET", "/auth/jwt-stateless/", headers=bearer(tokens["expired"])),
    )


def test_sliding_tokens(parity, users, tokens):
    pairs, _ = parity.run(Call("POST", "/jwt/sliding/", {"username": "alice", "password": "pw-alice"}))
    issued = [json.loads(outcome.body) for outcome in (pairs[0].drf, pairs[0].bolt)]
    assert [set(body) for body in issued] == [{"token"}, {"token"}]
    for body in issued:
        # A sliding token from either side refreshes on both.
        refreshed, _ = parity.run(Call("POST", "/jwt/sliding/refresh/", {"token": body["token"]}))
        assert refreshed[0].drf.status == refreshed[0].bolt.status == 200
    parity.assert_same(
        Call("POST", "/jwt/sliding/refresh/", {"token": tokens["access"]}),
        Call("POST", "/jwt/sliding/refresh/", {"token": "x"}),
        Call("POST", "/jwt/sliding/", {"username": "alice", "password": "no"}),
    )

"""SIMPLE_JWT is read with simplejwt's names; its dotted paths map to django_bolt.jwt (no DRF import)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from django_bolt.jwt import tokens
from django_bolt.jwt.authentication import default_user_authentication_rule
from django_bolt.jwt.settings import jwt_settings


def test_defaults_and_simplejwt_paths():
    assert jwt_settings.SIGNING_KEY == "django-bolt-tests-not-secret"
    assert jwt_settings.AUTH_TOKEN_CLASSES == [tokens.AccessToken]
    simplejwt_paths = {
        "AUTH_TOKEN_CLASSES": ("rest_framework_simplejwt.tokens.SlidingToken",),
        "USER_AUTHENTICATION_RULE": "rest_framework_simplejwt.authentication.default_user_authentication_rule",
        "SIGNING_KEY": "other-key-of-at-least-32-bytes-length",
        "ACCESS_TOKEN_LIFETIME": timedelta(seconds=30),
    }
    with override_settings(SIMPLE_JWT=simplejwt_paths):
        assert jwt_settings.AUTH_TOKEN_CLASSES == [tokens.SlidingToken]
        assert jwt_settings.USER_AUTHENTICATION_RULE is default_user_authentication_rule
        token = tokens.AccessToken()
        assert token["exp"] - token["iat"] == 30
        # Signed with the new key: simplejwt configured the same way accepts it.
        from rest_framework_simplejwt.backends import TokenBackend

        decoded = TokenBackend("HS256", "other-key-of-at-least-32-bytes-length").decode(str(token))
        assert decoded["jti"] == token["jti"]
    assert jwt_settings.SIGNING_KEY == "django-bolt-tests-not-secret"


def test_removed_settings_fail_loudly():
    from unittest import mock

    from django.conf import settings

    from django_bolt.jwt.settings import JWTSettings

    # Patched without setting_changed: simplejwt's own receiver would raise first.
    with mock.patch.object(settings, "SIMPLE_JWT", {"SECRET_KEY": "x"}, create=True):
        with pytest.raises(RuntimeError, match="The 'SECRET_KEY' setting has been removed"):
            _ = JWTSettings().ALGORITHM


def test_wrong_token_type_and_expiry_messages():
    refresh = tokens.RefreshToken()
    with pytest.raises(tokens.TokenError, match="Token has wrong type"):
        tokens.AccessToken(str(refresh))
    refresh.set_exp(lifetime=timedelta(seconds=-5))
    with pytest.raises(tokens.TokenError, match="Token is expired"):
        tokens.RefreshToken(str(refresh))
    assert tokens.UntypedToken(str(tokens.AccessToken())).payload["token_type"] == "access"

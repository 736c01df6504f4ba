"""
Token classes: ``AccessToken``, ``RefreshToken``, ``SlidingToken``, ``UntypedToken`` — simplejwt's claims
and validation, so tokens interoperate with a simplejwt deployment sharing the signing key.

``Token(raw)`` decodes and verifies (raising ``TokenError`` with a user-facing message); ``Token()`` builds a
new one with ``token_type``, ``exp``, ``iat`` and ``jti``; ``str(token)`` signs it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from django_bolt.jwt import state
from django_bolt.jwt.exceptions import ExpiredTokenError, TokenBackendError, TokenBackendExpiredToken, TokenError
from django_bolt.jwt.settings import jwt_settings
from django_bolt.jwt.utils import aware_utcnow, datetime_from_epoch, datetime_to_epoch, get_md5_hash_password

BLACKLIST_APP = "rest_framework_simplejwt.token_blacklist"
logger = logging.getLogger("django_bolt.jwt")


class _Lifetime:
    """A token class's lifetime, read from ``SIMPLE_JWT`` when used (override with a plain timedelta)."""

    def __init__(self, setting: str) -> None:
        self.setting = setting

    def __get__(self, instance: Any, owner: type | None = None) -> timedelta:
        return getattr(jwt_settings, self.setting)


def blacklist_enabled() -> bool:
    """Whether simplejwt's blacklist app (its tables are reused) is installed."""
    return BLACKLIST_APP in settings.INSTALLED_APPS


class Token:
    """A JWT being validated (``Token(raw)``) or built (``Token()``); claims via ``token["claim"]``."""

    token_type: str | None = None
    lifetime: Any = None

    def __init__(self, token: Any = None, verify: bool = True) -> None:
        if self.token_type is None or self.lifetime is None:
            raise TokenError(_("Cannot create token with no type or lifetime"))
        self.token = token
        self.current_time = aware_utcnow()
        if token is not None:
            try:
                self.payload = self.get_token_backend().decode(token, verify=verify)
            except TokenBackendExpiredToken as e:
                raise ExpiredTokenError(_("Token is expired")) from e
            except TokenBackendError as e:
                raise TokenError(_("Token is invalid")) from e
            if verify:
                self.verify()
        else:
            self.payload = {jwt_settings.TOKEN_TYPE_CLAIM: self.token_type}
            self.set_exp(from_time=self.current_time, lifetime=self.lifetime)
            self.set_iat(at_time=self.current_time)
            self.set_jti()

    def __repr__(self) -> str:
        return repr(self.payload)

    def __getitem__(self, key: str) -> Any:
        return self.payload[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.payload[key] = value

    def __delitem__(self, key: str) -> None:
        del self.payload[key]

    def __contains__(self, key: str) -> bool:
        return key in self.payload

    def get(self, key: str, default: Any = None) -> Any:
        return self.payload.get(key, default)

    def __str__(self) -> str:
        """The signed, encoded token."""
        return self.get_token_backend().encode(self.payload)

    def verify(self) -> None:
        """Checks beyond the signature: expiry, ``jti`` presence, token type. Override to add more."""
        self.check_exp()
        if jwt_settings.JTI_CLAIM is not None and jwt_settings.JTI_CLAIM not in self.payload:
            raise TokenError(_("Token has no id"))
        if jwt_settings.TOKEN_TYPE_CLAIM is not None:
            self.verify_token_type()

    def verify_token_type(self) -> None:
        try:
            token_type = self.payload[jwt_settings.TOKEN_TYPE_CLAIM]
        except KeyError as e:
            raise TokenError(_("Token has no type")) from e
        if self.token_type != token_type:
            raise TokenError(_("Token has wrong type"))

    def set_jti(self) -> None:
        """A fresh unique id (``jti``)."""
        self.payload[jwt_settings.JTI_CLAIM] = uuid4().hex

    def set_exp(self, claim: str = "exp", from_time: datetime | None = None, lifetime: timedelta | None = None) -> None:
        from_time = self.current_time if from_time is None else from_time
        lifetime = self.lifetime if lifetime is None else lifetime
        self.payload[claim] = datetime_to_epoch(from_time + lifetime)

    def set_iat(self, claim: str = "iat", at_time: datetime | None = None) -> None:
        self.payload[claim] = datetime_to_epoch(self.current_time if at_time is None else at_time)

    def check_exp(self, claim: str = "exp", current_time: datetime | None = None) -> None:
        """Raise ``TokenError`` if ``claim`` is missing or in the past (``LEEWAY`` allowed)."""
        current_time = self.current_time if current_time is None else current_time
        try:
            claim_value = self.payload[claim]
        except KeyError as e:
            raise TokenError(_("Token has no '{}' claim").format(claim)) from e
        if datetime_from_epoch(claim_value) <= current_time - self.get_token_backend().get_leeway():
            raise TokenError(_("Token '{}' claim has expired").format(claim))

    def outstand(self) -> Any:
        """Record the token in the outstanding list (blacklistable tokens only)."""
        return None

    @classmethod
    def for_user(cls, user: Any) -> Token:
        """A new token for ``user`` (its ``USER_ID_FIELD`` as a string in ``USER_ID_CLAIM``)."""
        if hasattr(user, "is_active") and not user.is_active:
            logger.warning("Creating token for inactive user: %s.", getattr(user, "pk", None))
        token = cls()
        token[jwt_settings.USER_ID_CLAIM] = str(getattr(user, jwt_settings.USER_ID_FIELD))
        if jwt_settings.CHECK_REVOKE_TOKEN:
            token[jwt_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
        return token

    def get_token_backend(self) -> Any:
        return state.get_token_backend()


class BlacklistMixin:
    """
    With simplejwt's ``token_blacklist`` app installed, tokens are recorded as outstanding when issued and
    refused once blacklisted (its ``OutstandingToken``/``BlacklistedToken`` tables). Without it, no-ops.
    """

    payload: dict[str, Any]
    current_time: datetime

    def verify(self, *args: Any, **kwargs: Any) -> None:
        if blacklist_enabled():
            self.check_blacklist()
        super().verify(*args, **kwargs)  # type: ignore[misc]

    def check_blacklist(self) -> None:
        from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

        if BlacklistedToken.objects.filter(token__jti=self.payload[jwt_settings.JTI_CLAIM]).exists():
            raise TokenError(_("Token is blacklisted"))

    def _outstanding(self) -> Any:
        from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{jwt_settings.USER_ID_FIELD: self.payload.get(jwt_settings.USER_ID_CLAIM)})
        except user_model.DoesNotExist:
            user = None
        return OutstandingToken.objects.get_or_create(
            jti=self.payload[jwt_settings.JTI_CLAIM],
            defaults={
                "user": user,
                "created_at": self.current_time,
                "token": str(self),
                "expires_at": datetime_from_epoch(self.payload["exp"]),
            },
        )

    def blacklist(self) -> Any:
        """Blacklist this token (recording it as outstanding first if needed)."""
        if not blacklist_enabled():
            raise AttributeError("blacklist() needs the rest_framework_simplejwt.token_blacklist app")
        from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

        outstanding, _created = self._outstanding()
        return BlacklistedToken.objects.get_or_create(token=outstanding)

    def outstand(self) -> Any:
        return self._outstanding() if blacklist_enabled() else None

    @classmethod
    def for_user(cls, user: Any) -> Any:
        token = super().for_user(user)  # type: ignore[misc]
        if blacklist_enabled():
            from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

            OutstandingToken.objects.create(
                user=user,
                jti=token[jwt_settings.JTI_CLAIM],
                token=str(token),
                created_at=token.current_time,
                expires_at=datetime_from_epoch(token["exp"]),
            )
        return token


class SlidingToken(BlacklistMixin, Token):
    """One token for both access and refresh: usable until ``exp``, refreshable until ``refresh_exp``."""

    token_type = "sliding"
    lifetime = _Lifetime("SLIDING_TOKEN_LIFETIME")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.token is None:
            self.set_exp(
                jwt_settings.SLIDING_TOKEN_REFRESH_EXP_CLAIM,
                from_time=self.current_time,
                lifetime=jwt_settings.SLIDING_TOKEN_REFRESH_LIFETIME,
            )


class AccessToken(Token):
    token_type = "access"
    lifetime = _Lifetime("ACCESS_TOKEN_LIFETIME")


class RefreshToken(BlacklistMixin, Token):
    token_type = "refresh"
    lifetime = _Lifetime("REFRESH_TOKEN_LIFETIME")
    access_token_class = AccessToken

    @property
    def no_copy_claims(self) -> tuple[str, ...]:
        """Claims an access token made from this refresh token gets fresh values for."""
        return (jwt_settings.TOKEN_TYPE_CLAIM, "exp", jwt_settings.JTI_CLAIM, "jti", "iat")

    @property
    def access_token(self) -> AccessToken:
        """A new access token carrying this token's claims (except ``no_copy_claims``)."""
        access = self.access_token_class()
        access.set_exp(from_time=self.current_time)
        no_copy = self.no_copy_claims
        for claim, value in self.payload.items():
            if claim not in no_copy:
                access[claim] = value
        return access


class UntypedToken(Token):
    """Validates signature and expiry of any token type (the verify endpoint)."""

    token_type = "untyped"
    lifetime = timedelta(seconds=0)

    def verify_token_type(self) -> None:
        pass

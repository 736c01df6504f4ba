"""
``JWTAuthentication``: ``Authorization: Bearer <jwt>`` (simplejwt's header types, errors and user lookup).

The token is decoded and verified on the event loop (an HMAC, microseconds); only the user lookup goes to
the sync bridge. ``JWTStatelessUserAuthentication`` skips the lookup and returns a ``TokenUser``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from django_bolt.authentication import HTTP_HEADER_ENCODING, BaseAuthentication
from django_bolt.jwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from django_bolt.jwt.settings import jwt_settings
from django_bolt.jwt.utils import get_md5_hash_password
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import is_async_callable


def auth_header_types() -> tuple[str, ...]:
    types = jwt_settings.AUTH_HEADER_TYPES
    return tuple(types) if isinstance(types, (list, tuple)) else (types,)


def _validation_does_io() -> bool:
    """Whether validating a token may wait on I/O: a JWKS fetch, or a blacklist query for sliding tokens."""
    from django_bolt.jwt.tokens import blacklist_enabled

    return bool(jwt_settings.JWK_URL) or blacklist_enabled()


def default_user_authentication_rule(user: Any) -> bool:
    """Who may obtain/refresh tokens: an existing user, active unless ``CHECK_USER_IS_ACTIVE`` is off."""
    return user is not None and (not jwt_settings.CHECK_USER_IS_ACTIVE or user.is_active)


class JWTAuthentication(BaseAuthentication):
    """Authenticates with a JWT of one of ``AUTH_TOKEN_CLASSES`` in the ``AUTH_HEADER_NAME`` header."""

    www_authenticate_realm = "api"
    media_type = "application/json"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_model = get_user_model()

    def _validated(self, request: Any) -> Any:
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        return self.get_validated_token(raw_token)

    def authenticate(self, request: Any) -> Any:
        validated_token = self._validated(request)
        if validated_token is None:
            return None
        return self.get_user(validated_token), validated_token

    async def aauthenticate(self, request: Any) -> Any:
        if type(self).authenticate is not JWTAuthentication.authenticate or _validation_does_io():
            return await super().aauthenticate(request)
        validated_token = self._validated(request)
        if validated_token is None:
            return None
        get_user = self.get_user
        if is_async_callable(get_user):
            return await get_user(validated_token), validated_token
        if type(self).get_user is JWTStatelessUserAuthentication.get_user:
            return get_user(validated_token), validated_token
        return await run_sync(get_user, validated_token), validated_token

    def authenticate_header(self, request: Any) -> str:
        return f'{auth_header_types()[0]} realm="{self.www_authenticate_realm}"'

    def get_header(self, request: Any) -> bytes | None:
        """The raw ``AUTH_HEADER_NAME`` header (a ``META`` key, ``HTTP_AUTHORIZATION`` by default)."""
        name = jwt_settings.AUTH_HEADER_NAME
        if name.startswith("HTTP_"):
            # Same value as META[name], without building META.
            header = request.headers.get(name[5:].replace("_", "-"))
        else:
            header = request.META.get(name)
        if isinstance(header, str):
            header = header.encode(HTTP_HEADER_ENCODING, errors="replace")
        return header

    def get_raw_token(self, header: bytes) -> bytes | None:
        """The token after a known header type, ``None`` for another scheme."""
        parts = header.split()
        if not parts:
            return None
        if parts[0] not in {kind.encode(HTTP_HEADER_ENCODING) for kind in auth_header_types()}:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Authorization header must contain two space-delimited values"), code="bad_authorization_header"
            )
        return parts[1]

    def get_validated_token(self, raw_token: bytes) -> Any:
        """The first of ``AUTH_TOKEN_CLASSES`` that accepts the token; 401 listing every refusal otherwise."""
        messages = []
        for token_class in jwt_settings.AUTH_TOKEN_CLASSES:
            try:
                return token_class(raw_token)
            except TokenError as e:
                messages.append(
                    {"token_class": token_class.__name__, "token_type": token_class.token_type, "message": e.args[0]}
                )
        raise InvalidToken({"detail": _("Given token not valid for any token type"), "messages": messages})

    def get_user(self, validated_token: Any) -> Any:
        """The user named by the token's ``USER_ID_CLAIM`` (a database read)."""
        try:
            user_id = validated_token[jwt_settings.USER_ID_CLAIM]
        except KeyError as e:
            raise InvalidToken(_("Token contained no recognizable user identification")) from e
        try:
            user = self.user_model.objects.get(**{jwt_settings.USER_ID_FIELD: user_id})
        except self.user_model.DoesNotExist as e:
            raise AuthenticationFailed(_("User not found"), code="user_not_found") from e
        if jwt_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        if jwt_settings.CHECK_REVOKE_TOKEN:
            if validated_token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
                raise AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
        return user


class JWTStatelessUserAuthentication(JWTAuthentication):
    """JWT authentication without a database read: the user is a ``TOKEN_USER_CLASS`` built from the claims."""

    def get_user(self, validated_token: Any) -> Any:
        if jwt_settings.USER_ID_CLAIM not in validated_token:
            raise InvalidToken(_("Token contained no recognizable user identification"))
        return jwt_settings.TOKEN_USER_CLASS(validated_token)


JWTTokenUserAuthentication = JWTStatelessUserAuthentication

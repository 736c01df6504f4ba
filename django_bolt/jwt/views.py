"""
The token endpoints as bolt views: obtain (pair or sliding), refresh, verify, blacklist.

``POST`` validates in the sync bridge (password hashing and user reads are blocking); a ``TokenError``
becomes the 401 ``{"detail": ..., "code": "token_not_valid"}`` with ``WWW-Authenticate: Bearer realm="api"``.
"""

from __future__ import annotations

from typing import Any

from django_bolt import generics, status
from django_bolt.jwt.authentication import auth_header_types
from django_bolt.jwt.exceptions import InvalidToken, TokenError
from django_bolt.jwt.settings import import_path, jwt_settings
from django_bolt.response import Response
from django_bolt.sync import run_sync


class TokenViewBase(generics.GenericAPIView):
    permission_classes: Any = ()
    authentication_classes: Any = ()
    serializer_class: Any = None
    # The SIMPLE_JWT key naming the serializer (read per request, so setting overrides apply).
    _serializer_setting = ""
    www_authenticate_realm = "api"

    def get_serializer_class(self) -> Any:
        """``serializer_class`` if set, else the serializer named by the view's setting."""
        if self.serializer_class:
            return self.serializer_class
        path = getattr(jwt_settings, self._serializer_setting)
        try:
            return import_path(path) if isinstance(path, str) else path
        except ImportError as e:
            raise ImportError(f"Could not import serializer '{path}'") from e

    def get_authenticate_header(self, request: Any) -> str:
        return f'{auth_header_types()[0]} realm="{self.www_authenticate_realm}"'

    async def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        try:
            await run_sync(serializer.is_valid, raise_exception=True)
        except TokenError as e:
            raise InvalidToken(e.args[0]) from e
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class TokenObtainPairView(TokenViewBase):
    """Takes user credentials; returns an access and a refresh token."""

    _serializer_setting = "TOKEN_OBTAIN_SERIALIZER"


class TokenRefreshView(TokenViewBase):
    """Takes a refresh token; returns a new access token."""

    _serializer_setting = "TOKEN_REFRESH_SERIALIZER"


class TokenObtainSlidingView(TokenViewBase):
    """Takes user credentials; returns a sliding token."""

    _serializer_setting = "SLIDING_TOKEN_OBTAIN_SERIALIZER"


class TokenRefreshSlidingView(TokenViewBase):
    """Takes a sliding token; returns it refreshed while its refresh period lasts."""

    _serializer_setting = "SLIDING_TOKEN_REFRESH_SERIALIZER"


class TokenVerifyView(TokenViewBase):
    """Takes a token; answers 200 ``{}`` if it is valid."""

    _serializer_setting = "TOKEN_VERIFY_SERIALIZER"


class TokenBlacklistView(TokenViewBase):
    """Takes a refresh token and blacklists it (needs simplejwt's ``token_blacklist`` app)."""

    _serializer_setting = "TOKEN_BLACKLIST_SERIALIZER"


token_obtain_pair = TokenObtainPairView.as_view()
token_refresh = TokenRefreshView.as_view()
token_obtain_sliding = TokenObtainSlidingView.as_view()
token_refresh_sliding = TokenRefreshSlidingView.as_view()
token_verify = TokenVerifyView.as_view()
token_blacklist = TokenBlacklistView.as_view()

"""Token errors (internal) and the API errors they become: simplejwt's classes, codes and bodies."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from django_bolt import exceptions, status


class TokenError(Exception):
    """A token that is malformed, badly signed, expired or of the wrong type (message is user-facing)."""


class ExpiredTokenError(TokenError):
    pass


class TokenBackendError(Exception):
    pass


class TokenBackendExpiredToken(TokenBackendError):
    pass


class DetailDictMixin:
    """Errors whose body is a dict: ``{"detail": ..., "code": ...}`` plus any extra keys given."""

    default_detail: Any
    default_code: str

    def __init__(self, detail: dict[str, Any] | str | None = None, code: str | None = None) -> None:
        body: dict[str, Any] = {"detail": self.default_detail, "code": self.default_code}
        if isinstance(detail, dict):
            body.update(detail)
        elif detail is not None:
            body["detail"] = detail
        if code is not None:
            body["code"] = code
        super().__init__(body)  # type: ignore[call-arg]


class AuthenticationFailed(DetailDictMixin, exceptions.AuthenticationFailed):
    pass


class InvalidToken(AuthenticationFailed):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Token is invalid or expired")
    default_code = "token_not_valid"

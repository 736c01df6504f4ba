"""The process-wide ``TokenBackend`` built from the settings (rebuilt when ``SIMPLE_JWT`` changes)."""

from __future__ import annotations

from typing import Any

_backend: Any = None


def get_token_backend() -> Any:
    global _backend
    if _backend is None:
        from django_bolt.jwt.backends import TokenBackend
        from django_bolt.jwt.settings import jwt_settings as s

        _backend = TokenBackend(
            s.ALGORITHM, s.SIGNING_KEY, s.VERIFYING_KEY, s.AUDIENCE, s.ISSUER, s.JWK_URL, s.LEEWAY, s.JSON_ENCODER
        )
    return _backend


def reset() -> None:
    global _backend
    _backend = None

"""Signing and verifying JWTs with PyJWT, with simplejwt's algorithm list and error mapping."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from functools import cached_property
from typing import Any

import jwt
from django.utils.translation import gettext_lazy as _
from jwt import ExpiredSignatureError, InvalidAlgorithmError, InvalidTokenError, algorithms

from django_bolt.jwt.exceptions import TokenBackendError, TokenBackendExpiredToken

ALLOWED_ALGORITHMS = {
    "HS256",
    "HS384",
    "HS512",
    "RS256",
    "RS384",
    "RS512",
    "ES256",
    "ES384",
    "ES512",
}.union(algorithms.requires_cryptography)


class TokenBackend:
    """Encodes payloads and decodes (verifies) tokens for one algorithm and key pair."""

    def __init__(
        self,
        algorithm: str,
        signing_key: str | None = None,
        verifying_key: str = "",
        audience: str | Iterable | None = None,
        issuer: str | None = None,
        jwk_url: str | None = None,
        leeway: float | int | timedelta | None = None,
        json_encoder: type[json.JSONEncoder] | None = None,
    ) -> None:
        self._validate_algorithm(algorithm)
        self.algorithm = algorithm
        self.signing_key = signing_key
        self.verifying_key = verifying_key
        self.audience = audience
        self.issuer = issuer
        self.jwks_client = jwt.PyJWKClient(jwk_url) if jwk_url else None
        self.leeway = leeway
        self.json_encoder = json_encoder

    @cached_property
    def prepared_signing_key(self) -> Any:
        return self._prepare_key(self.signing_key)

    @cached_property
    def prepared_verifying_key(self) -> Any:
        return self._prepare_key(self.verifying_key)

    def _prepare_key(self, key: str | None) -> Any:
        # Parsing a PEM key is slow: do it once, not per token.
        if key is None or not getattr(jwt.PyJWS, "get_algorithm_by_name", None):
            return key
        return jwt.PyJWS().get_algorithm_by_name(self.algorithm).prepare_key(key)

    def _validate_algorithm(self, algorithm: str) -> None:
        if algorithm not in ALLOWED_ALGORITHMS:
            raise TokenBackendError(_("Unrecognized algorithm type '{}'").format(algorithm))
        if algorithm in algorithms.requires_cryptography and not algorithms.has_crypto:
            raise TokenBackendError(_("You must have cryptography installed to use {}.").format(algorithm))

    def get_leeway(self) -> timedelta:
        if self.leeway is None:
            return timedelta(seconds=0)
        if isinstance(self.leeway, (int, float)):
            return timedelta(seconds=self.leeway)
        if isinstance(self.leeway, timedelta):
            return self.leeway
        raise TokenBackendError(
            _("Unrecognized type '{}', 'leeway' must be of type int, float or timedelta.").format(type(self.leeway))
        )

    def get_verifying_key(self, token: Any) -> Any:
        if self.algorithm.startswith("HS"):
            return self.prepared_signing_key
        if self.jwks_client:
            try:
                return self.jwks_client.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientError as e:
                raise TokenBackendError(_("Token is invalid")) from e
        return self.prepared_verifying_key

    def encode(self, payload: dict[str, Any]) -> str:
        """The signed token for ``payload`` (plus ``aud``/``iss`` when configured)."""
        claims = payload.copy()
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        token = jwt.encode(claims, self.prepared_signing_key, algorithm=self.algorithm, json_encoder=self.json_encoder)
        return token.decode("utf-8") if isinstance(token, bytes) else token

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        """The payload of a valid token; ``TokenBackendError`` (or ``…ExpiredToken``) otherwise."""
        try:
            return jwt.decode(
                token,
                self.get_verifying_key(token),
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.get_leeway(),
                options={"verify_aud": self.audience is not None, "verify_signature": verify},
            )
        except InvalidAlgorithmError as e:
            raise TokenBackendError(_("Invalid algorithm specified")) from e
        except ExpiredSignatureError as e:
            raise TokenBackendExpiredToken(_("Token is expired")) from e
        except InvalidTokenError as e:
            raise TokenBackendError(_("Token is invalid")) from e

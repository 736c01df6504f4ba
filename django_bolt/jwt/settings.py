"""
``jwt_settings``: the ``SIMPLE_JWT`` setting with simplejwt's names and defaults, read lazily.

Dotted paths naming simplejwt's own classes (``rest_framework_simplejwt.tokens.AccessToken``…) resolve to the
equivalents in this package, so a migrated project keeps its ``SIMPLE_JWT`` dict unchanged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

_SIMPLEJWT = "rest_framework_simplejwt."
_OURS = "django_bolt.jwt."

DEFAULTS: dict[str, Any] = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "ROTATE_REFRESH_TOKENS": False,
    "BLACKLIST_AFTER_ROTATION": False,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    # None means settings.SECRET_KEY, read when used.
    "SIGNING_KEY": None,
    "VERIFYING_KEY": "",
    "AUDIENCE": None,
    "ISSUER": None,
    "JSON_ENCODER": None,
    "JWK_URL": None,
    "LEEWAY": 0,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "AUTH_HEADER_NAME": "HTTP_AUTHORIZATION",
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "USER_AUTHENTICATION_RULE": "django_bolt.jwt.authentication.default_user_authentication_rule",
    "AUTH_TOKEN_CLASSES": ("django_bolt.jwt.tokens.AccessToken",),
    "TOKEN_TYPE_CLAIM": "token_type",
    "JTI_CLAIM": "jti",
    "TOKEN_USER_CLASS": "django_bolt.jwt.models.TokenUser",
    "SLIDING_TOKEN_REFRESH_EXP_CLAIM": "refresh_exp",
    "SLIDING_TOKEN_LIFETIME": timedelta(minutes=5),
    "SLIDING_TOKEN_REFRESH_LIFETIME": timedelta(days=1),
    "TOKEN_OBTAIN_SERIALIZER": "django_bolt.jwt.serializers.TokenObtainPairSerializer",
    "TOKEN_REFRESH_SERIALIZER": "django_bolt.jwt.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "django_bolt.jwt.serializers.TokenVerifySerializer",
    "TOKEN_BLACKLIST_SERIALIZER": "django_bolt.jwt.serializers.TokenBlacklistSerializer",
    "SLIDING_TOKEN_OBTAIN_SERIALIZER": "django_bolt.jwt.serializers.TokenObtainSlidingSerializer",
    "SLIDING_TOKEN_REFRESH_SERIALIZER": "django_bolt.jwt.serializers.TokenRefreshSlidingSerializer",
    "CHECK_REVOKE_TOKEN": False,
    "REVOKE_TOKEN_CLAIM": "hash_password",
    "CHECK_USER_IS_ACTIVE": True,
}

IMPORT_STRINGS = ("AUTH_TOKEN_CLASSES", "JSON_ENCODER", "TOKEN_USER_CLASS", "USER_AUTHENTICATION_RULE")

REMOVED_SETTINGS = ("AUTH_HEADER_TYPE", "AUTH_TOKEN_CLASS", "SECRET_KEY", "TOKEN_BACKEND_CLASS")

SETTINGS_DOC = "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html"


def import_path(path: Any) -> Any:
    """Import a dotted path; simplejwt's own paths map to this package (no DRF import at runtime)."""
    if not isinstance(path, str):
        return path
    if path.startswith(_SIMPLEJWT):
        path = _OURS + path[len(_SIMPLEJWT) :]
    return import_string(path)


class JWTSettings:
    """Attribute access to ``SIMPLE_JWT`` over ``DEFAULTS``; cached until the setting changes."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        user_settings = getattr(settings, "SIMPLE_JWT", None) or {}
        for name in REMOVED_SETTINGS:
            if name in user_settings:
                raise RuntimeError(
                    f"The '{name}' setting has been removed. Please refer to '{SETTINGS_DOC}' for available settings."
                )
        return user_settings

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_") or attr not in DEFAULTS:
            raise AttributeError(f"Invalid Simple JWT setting: '{attr}'")
        if attr not in self._cache:
            value = self.user_settings.get(attr, DEFAULTS[attr])
            if attr == "SIGNING_KEY" and value is None:
                value = settings.SECRET_KEY
            if attr in IMPORT_STRINGS:
                value = [import_path(v) for v in value] if isinstance(value, (list, tuple)) else import_path(value)
            self._cache[attr] = value
        return self._cache[attr]

    def reload(self) -> None:
        self._cache.clear()


jwt_settings = JWTSettings()
# simplejwt's name, for code ported from it.
api_settings = jwt_settings


def _reload(*args: Any, setting: str, **kwargs: Any) -> None:
    if setting in ("SIMPLE_JWT", "SECRET_KEY"):
        jwt_settings.reload()
        from django_bolt.jwt import state

        state.reset()


setting_changed.connect(_reload)

"""The serializers of the token endpoints (obtain pair/sliding, refresh, verify, blacklist), as simplejwt's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext_lazy as _

from django_bolt import exceptions, serializers
from django_bolt.jwt.settings import jwt_settings
from django_bolt.jwt.tokens import RefreshToken, SlidingToken, Token, UntypedToken, blacklist_enabled


class PasswordField(serializers.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("style", {})
        kwargs["style"]["input_type"] = "password"
        kwargs["write_only"] = True
        super().__init__(*args, **kwargs)


class TokenObtainSerializer(serializers.Serializer):
    """Checks ``<USERNAME_FIELD>``/``password`` with Django's backends; ``self.user`` is the result."""

    token_class: type[Token] | None = None
    default_error_messages = {"no_active_account": _("No active account found with the given credentials")}

    @property
    def username_field(self) -> str:
        return get_user_model().USERNAME_FIELD

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = serializers.CharField(write_only=True)
        self.fields["password"] = PasswordField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        credentials = {self.username_field: attrs[self.username_field], "password": attrs["password"]}
        if "request" in self.context:
            credentials["request"] = self.context["request"]
        self.user = authenticate(**credentials)
        if not jwt_settings.USER_AUTHENTICATION_RULE(self.user):
            raise exceptions.AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account")
        return {}

    @classmethod
    def get_token(cls, user: Any) -> Token:
        """The token issued for ``user``; override to add claims."""
        return cls.token_class.for_user(user)  # type: ignore[union-attr]


class TokenObtainPairSerializer(TokenObtainSerializer):
    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        data = super().validate(attrs)
        refresh = self.get_token(self.user)
        data["refresh"] = str(refresh)
        data["access"] = str(refresh.access_token)
        if jwt_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, self.user)
        return data


class TokenObtainSlidingSerializer(TokenObtainSerializer):
    token_class = SlidingToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        data = super().validate(attrs)
        data["token"] = str(self.get_token(self.user))
        if jwt_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, self.user)
        return data


class TokenRefreshSerializer(serializers.Serializer):
    """A refresh token in, a new access token out (and a rotated refresh token with ``ROTATE_REFRESH_TOKENS``)."""

    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)
    token_class = RefreshToken
    default_error_messages = {"no_active_account": _("No active account found for the given token.")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.payload.get(jwt_settings.USER_ID_CLAIM, None)
        if user_id:
            # As simplejwt: a user deleted since the token was issued is an error (DoesNotExist).
            user = get_user_model().objects.get(**{jwt_settings.USER_ID_FIELD: user_id})
            if user and not jwt_settings.USER_AUTHENTICATION_RULE(user):
                raise exceptions.AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account")
        data = {"access": str(refresh.access_token)}
        if jwt_settings.ROTATE_REFRESH_TOKENS:
            if jwt_settings.BLACKLIST_AFTER_ROTATION and blacklist_enabled():
                refresh.blacklist()
            refresh.set_jti()
            refresh.set_exp()
            refresh.set_iat()
            refresh.outstand()
            data["refresh"] = str(refresh)
        return data


class TokenRefreshSlidingSerializer(serializers.Serializer):
    token = serializers.CharField()
    token_class = SlidingToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        token = self.token_class(attrs["token"])
        token.check_exp(jwt_settings.SLIDING_TOKEN_REFRESH_EXP_CLAIM)
        token.set_exp()
        token.set_iat()
        return {"token": str(token)}


class TokenVerifySerializer(serializers.Serializer):
    """Accepts any valid token (signature, expiry; blacklist when rotation blacklists)."""

    token = serializers.CharField(write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        token = UntypedToken(attrs["token"])
        if jwt_settings.BLACKLIST_AFTER_ROTATION and blacklist_enabled():
            from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

            if BlacklistedToken.objects.filter(token__jti=token.get(jwt_settings.JTI_CLAIM)).exists():
                raise exceptions.ValidationError(_("Token is blacklisted"))
        return {}


class TokenBlacklistSerializer(serializers.Serializer):
    refresh = serializers.CharField(write_only=True)
    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refresh = self.token_class(attrs["refresh"])
        if blacklist_enabled():
            refresh.blacklist()
        return {}

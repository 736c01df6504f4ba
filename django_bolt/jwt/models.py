"""``TokenUser``: a user backed by a validated token, without a database row (stateless authentication)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import models as auth_models
from django.db.models.manager import EmptyManager
from django.utils.functional import cached_property

from django_bolt.jwt.settings import jwt_settings


class TokenUser:
    """Modelled on ``AnonymousUser``, but authenticated; claims become attributes (id, username, is_staff…)."""

    # Tokens are only issued to active users.
    is_active = True

    _groups = EmptyManager(auth_models.Group)
    _user_permissions = EmptyManager(auth_models.Permission)

    def __init__(self, token: Any) -> None:
        self.token = token

    def __str__(self) -> str:
        return f"TokenUser {self.id}"

    @cached_property
    def id(self) -> Any:
        return self.token[jwt_settings.USER_ID_CLAIM]

    @cached_property
    def pk(self) -> Any:
        return self.id

    @cached_property
    def username(self) -> str:
        return self.token.get("username", "")

    @cached_property
    def is_staff(self) -> bool:
        return self.token.get("is_staff", False)

    @cached_property
    def is_superuser(self) -> bool:
        return self.token.get("is_superuser", False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenUser):
            return NotImplemented
        return self.id == other.id

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.id)

    def save(self) -> None:
        raise NotImplementedError("Token users have no DB representation")

    def delete(self) -> None:
        raise NotImplementedError("Token users have no DB representation")

    def set_password(self, raw_password: str) -> None:
        raise NotImplementedError("Token users have no DB representation")

    def check_password(self, raw_password: str) -> None:
        raise NotImplementedError("Token users have no DB representation")

    @property
    def groups(self) -> Any:
        return self._groups

    @property
    def user_permissions(self) -> Any:
        return self._user_permissions

    def get_group_permissions(self, obj: Any = None) -> set:
        return set()

    def get_all_permissions(self, obj: Any = None) -> set:
        return set()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, module: str) -> bool:
        return False

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_username(self) -> str:
        return self.username

    def __getattr__(self, attr: str) -> Any:
        """Other claims of the token read as attributes (``user.email`` → the ``email`` claim)."""
        return self.token.get(attr, None)

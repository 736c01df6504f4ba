"""
Permission policies: DRF's classes and their ``&``, ``|`` and ``~`` composition.

A permission answers ``has_permission(request, view)`` before the handler runs and
``has_object_permission(request, view, obj)`` from ``get_object()``. Either method may be written sync or
``async def``; the view pipeline awaits whatever comes back. Composed permissions keep that property: an
operand returning an awaitable makes the composed result an awaitable too, and the evaluation short-circuits
in the same order as DRF's ``and``/``or``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SynchronousOnlyOperation
from django.http import Http404

from django_bolt import exceptions
from django_bolt.sync import run_sync

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


# -- sync-or-async boolean combinators ---------------------------------------------------------------------


async def _finish(rest: Callable[[], Any]) -> bool:
    # Already on the event loop: a sync operand that reads the database must go to the bridge.
    try:
        result = rest()
    except SynchronousOnlyOperation:
        result = await run_sync(rest)
    return bool(await result) if inspect.isawaitable(result) else bool(result)


async def _await_and(pending: Any, rest: Callable[[], Any]) -> bool:
    return await _finish(rest) if await pending else False


async def _await_or(pending: Any, rest: Callable[[], Any]) -> bool:
    return True if await pending else await _finish(rest)


async def _await_not(pending: Any) -> bool:
    return not await pending


def _and(first: Any, rest: Callable[[], Any]) -> Any:
    """``first and rest()``, where either side may be an awaitable (then the result is one)."""
    if inspect.isawaitable(first):
        return _await_and(first, rest)
    return rest() if first else False


def _or(first: Any, rest: Callable[[], Any]) -> Any:
    """``first or rest()``, where either side may be an awaitable (then the result is one)."""
    if inspect.isawaitable(first):
        return _await_or(first, rest)
    return first if first else rest()


def _not(value: Any) -> Any:
    return _await_not(value) if inspect.isawaitable(value) else not value


# -- composition ---------------------------------------------------------------------------------------------


class OperationHolderMixin:
    """``&``, ``|`` and ``~`` on permission classes (and on already-composed holders)."""

    def __and__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, self, other)

    def __or__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, self, other)

    def __rand__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, other, self)

    def __ror__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, other, self)

    def __invert__(self) -> SingleOperandHolder:
        return SingleOperandHolder(NOT, self)


class SingleOperandHolder(OperationHolderMixin):
    """A not-yet-instantiated ``~Permission``: calling it builds the ``NOT`` instance."""

    def __init__(self, operator_class: type, op1_class: Any) -> None:
        self.operator_class = operator_class
        self.op1_class = op1_class

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.operator_class(self.op1_class(*args, **kwargs))


class OperandHolder(OperationHolderMixin):
    """A not-yet-instantiated ``A & B`` / ``A | B``: calling it builds the operator instance."""

    def __init__(self, operator_class: type, op1_class: Any, op2_class: Any) -> None:
        self.operator_class = operator_class
        self.op1_class = op1_class
        self.op2_class = op2_class

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.operator_class(self.op1_class(*args, **kwargs), self.op2_class(*args, **kwargs))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, OperandHolder)
            and self.operator_class == other.operator_class
            and self.op1_class == other.op1_class
            and self.op2_class == other.op2_class
        )

    def __hash__(self) -> int:
        return hash((self.operator_class, self.op1_class, self.op2_class))


class AND:
    """Both operands must allow."""

    def __init__(self, op1: Any, op2: Any) -> None:
        self.op1 = op1
        self.op2 = op2

    def has_permission(self, request: Any, view: Any) -> Any:
        return _and(self.op1.has_permission(request, view), lambda: self.op2.has_permission(request, view))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> Any:
        return _and(
            self.op1.has_object_permission(request, view, obj),
            lambda: self.op2.has_object_permission(request, view, obj),
        )


class OR:
    """Either operand allows. For objects, an operand counts only if it also grants ``has_permission``."""

    def __init__(self, op1: Any, op2: Any) -> None:
        self.op1 = op1
        self.op2 = op2

    def has_permission(self, request: Any, view: Any) -> Any:
        return _or(self.op1.has_permission(request, view), lambda: self.op2.has_permission(request, view))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> Any:
        # Without the has_permission guard, `IsAdminUser | ObjectOwner` would let any owner through a view
        # whose list-level check they failed (DRF's semantics since 3.14).
        def side(op: Any) -> Callable[[], Any]:
            return lambda: _and(op.has_permission(request, view), lambda: op.has_object_permission(request, view, obj))

        return _or(side(self.op1)(), side(self.op2))


class NOT:
    """Inverts its operand."""

    def __init__(self, op1: Any) -> None:
        self.op1 = op1

    def has_permission(self, request: Any, view: Any) -> Any:
        return _not(self.op1.has_permission(request, view))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> Any:
        return _not(self.op1.has_object_permission(request, view, obj))


class BasePermissionMetaclass(OperationHolderMixin, type):
    pass


class BasePermission(metaclass=BasePermissionMetaclass):
    """Base of permission classes. Override either hook (sync or ``async def``); both allow by default."""

    def has_permission(self, request: Any, view: Any) -> Any:
        """``True`` to let the request reach the handler. Set ``message``/``code`` for the 403 body."""
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> Any:
        """``True`` to allow access to ``obj`` (called by ``get_object()``)."""
        return True


# -- concrete policies ---------------------------------------------------------------------------------------


class AllowAny(BasePermission):
    """Everyone; states the intent more clearly than an empty ``permission_classes``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return True


class IsAuthenticated(BasePermission):
    """Authenticated users only."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


class IsAdminUser(BasePermission):
    """Staff users only (``user.is_staff``)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_staff)


class IsAuthenticatedOrReadOnly(BasePermission):
    """Anyone may read (GET/HEAD/OPTIONS); writing needs an authenticated user."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.method in SAFE_METHODS or (request.user and request.user.is_authenticated))


_MODEL_PERMS_MAP: dict[str, list[str]] = {
    "GET": [],
    "OPTIONS": [],
    "HEAD": [],
    "POST": ["%(app_label)s.add_%(model_name)s"],
    "PUT": ["%(app_label)s.change_%(model_name)s"],
    "PATCH": ["%(app_label)s.change_%(model_name)s"],
    "DELETE": ["%(app_label)s.delete_%(model_name)s"],
}


class DjangoModelPermissions(BasePermission):
    """
    Django's model permissions (``app.add_model``, ``change``, ``delete``) by HTTP method, for an
    authenticated user. The view must have ``queryset`` or ``get_queryset()``. ``has_perms`` reads the
    database; the pipeline runs it in the sync bridge.
    """

    # Override to require "view" permissions for reads, or custom codes.
    perms_map: dict[str, list[str]] = _MODEL_PERMS_MAP
    authenticated_users_only = True

    def get_required_permissions(self, method: str, model_cls: Any) -> list[str]:
        """The permission names needed for ``method`` on ``model_cls``; 405 for an unmapped method."""
        if method not in self.perms_map:
            raise exceptions.MethodNotAllowed(method)
        names = {"app_label": model_cls._meta.app_label, "model_name": model_cls._meta.model_name}
        return [perm % names for perm in self.perms_map[method]]

    def _queryset(self, view: Any) -> Any:
        assert hasattr(view, "get_queryset") or getattr(view, "queryset", None) is not None, (
            f"Cannot apply {type(self).__name__} on a view that does not set `.queryset` or have a "
            "`.get_queryset()` method."
        )
        if hasattr(view, "get_queryset"):
            queryset = view.get_queryset()
            assert queryset is not None, f"{type(view).__name__}.get_queryset() returned None"
            return queryset
        return view.queryset

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or (not user.is_authenticated and self.authenticated_users_only):
            return False
        # The DefaultRouter's API root has no model: it opts out.
        if getattr(view, "_ignore_model_permissions", False):
            return True
        model = self._queryset(view).model
        return user.has_perms(self.get_required_permissions(request.method, model))


class DjangoModelPermissionsOrAnonReadOnly(DjangoModelPermissions):
    """``DjangoModelPermissions``, but anonymous users may read."""

    authenticated_users_only = False


class DjangoObjectPermissions(DjangoModelPermissions):
    """
    Per-object permissions through ``user.has_perms(perms, obj)`` (needs an object-aware auth backend such
    as django-guardian). An object the user cannot even read answers 404 rather than 403.
    """

    perms_map: dict[str, list[str]] = _MODEL_PERMS_MAP

    def get_required_object_permissions(self, method: str, model_cls: Any) -> list[str]:
        """The object permission names needed for ``method``; 405 for an unmapped method."""
        if method not in self.perms_map:
            raise exceptions.MethodNotAllowed(method)
        names = {"app_label": model_cls._meta.app_label, "model_name": model_cls._meta.model_name}
        return [perm % names for perm in self.perms_map[method]]

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        model_cls = self._queryset(view).model
        user = request.user
        if user.has_perms(self.get_required_object_permissions(request.method, model_cls), obj):
            return True
        # Not allowed: hide the object's existence (404) unless the user may at least read it (403).
        if request.method in SAFE_METHODS:
            raise Http404
        if not user.has_perms(self.get_required_object_permissions("GET", model_cls), obj):
            raise Http404
        return False

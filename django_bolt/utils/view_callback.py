"""
What ``as_view`` checks when a view class is wired to a route, the attributes of the callback it returns, and how
that callback makes the view instance of each request and hands the engine its entry.

The checks refuse at start-up what would fail on every request (a sync handler, a sync override of a hook the
pipeline awaits, an unknown ``initkwargs`` key, an evaluated class-level queryset); the attributes are those
Django, DRF tooling (drf-spectacular) and the engine read (``bolt_methods``: which methods the engine may answer
405 for itself).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.views.generic import View

from django_bolt.utils.awaitables import adopt_async_wrapper


def _check_async_handler(cls: type, name: str, handler: Any) -> None:
    if not inspect.iscoroutinefunction(handler):
        raise ImproperlyConfigured(
            f"{cls.__qualname__}.{name}() must be declared `async def`: django_bolt views run on an event loop. "
            "Do blocking work (the ORM) with `await run_sync(fn, ...)` from django_bolt.sync."
        )


# Pipeline methods that dispatch awaits unconditionally, so an override must be ``async def`` too. (``get_object``,
# ``initial``, ``perform_authentication``, ``check_permissions`` and ``check_throttles`` may be overridden sync:
# the pipeline awaits their result only when it is awaitable.)
AWAITED_HOOKS = (
    "dispatch",
    "options",
    "check_object_permissions",
    "list",
    "create",
    "retrieve",
    "update",
    "partial_update",
    "destroy",
)


def check_awaited_hooks(cls: type) -> None:
    """Refuse at start-up a sync override the pipeline would await (a 500 on every request otherwise)."""
    for name in AWAITED_HOOKS:
        handler = adopt_async_wrapper(cls, name)
        if handler is not None and inspect.isfunction(handler) and not inspect.iscoroutinefunction(handler):
            owner = next(klass for klass in cls.__mro__ if name in vars(klass))
            raise ImproperlyConfigured(
                f"{owner.__qualname__}.{name}() (used by {cls.__qualname__}) must be declared `async def`: "
                "django_bolt awaits it on an event loop. Do blocking work (the ORM) with `await run_sync(fn, ...)` "
                "from django_bolt.sync or the ORM's async methods."
            )


def _guard_queryset(cls: type) -> None:
    # A class-level queryset evaluated once would be cached and served to every later request.
    queryset = getattr(cls, "queryset", None)
    if isinstance(queryset, models.query.QuerySet):

        def force_evaluation() -> None:
            raise RuntimeError(
                "Do not evaluate the `.queryset` attribute directly, as the result will be cached and reused "
                "between requests. Use `.all()` or call `.get_queryset()` instead."
            )

        queryset._fetch_all = force_evaluation


def _check_initkwargs(cls: type, initkwargs: dict) -> None:
    for key in initkwargs:
        if key in cls.http_method_names:
            raise TypeError(f"The method name {key} is not accepted as a keyword argument to {cls.__name__}().")
        if not hasattr(cls, key):
            raise TypeError(
                f"{cls.__name__}() received an invalid keyword {key!r}. as_view only accepts arguments that are "
                "already attributes of the class."
            )


def _pipeline_may_refuse(cls: type, initkwargs: dict) -> bool:
    """True if authentication, permissions or throttles could answer before the 405 check."""
    try:
        policies = {
            name: initkwargs.get(name, getattr(cls, name, ()))
            for name in ("authentication_classes", "permission_classes", "throttle_classes")
        }
    except ImportError:
        # A policy module that isn't importable yet: assume it may refuse.
        return True
    if policies["authentication_classes"] or policies["throttle_classes"]:
        return True
    return not all(_is_allow_any(permission) for permission in policies["permission_classes"])


def _is_allow_any(permission: Any) -> bool:
    """Bolt's ``AllowAny``, or DRF's (a team's classes kept through compat)."""
    from django_bolt.permissions import AllowAny

    drf = sys.modules.get("rest_framework.permissions")
    return permission is AllowAny or (drf is not None and permission is drf.AllowAny)


def _engine_methods(cls: type, initkwargs: dict, methods: list[str]) -> list[str]:
    """
    The methods the engine passes to the view (``bolt_methods``); it answers 405 itself for the others.

    DRF authenticates, checks permissions and throttles *before* it looks for the handler, so a wrong method
    from an anonymous client gets 401/403/429, not 405 — even a method outside ``http_method_names``. The
    engine's shortcut is only used when that pipeline cannot refuse; otherwise every method (``*``) reaches the
    view, which answers exactly as DRF does, with this route's own ``Allow``.
    """
    if _pipeline_may_refuse(cls, initkwargs):
        return ["*"]
    return [method.upper() for method in methods]


def _decorate_view(view: Any, cls: type, initkwargs: dict, methods: list[str]) -> None:
    """The attributes Django, DRF tooling (drf-spectacular) and the engine read from a view callback."""
    view.cls = cls
    view.view_class = cls
    view.initkwargs = initkwargs
    view.view_initkwargs = initkwargs
    view.csrf_exempt = True
    view.login_required = False
    view.bolt_methods = _engine_methods(cls, initkwargs, methods)
    view.__doc__ = cls.__doc__
    view.__module__ = cls.__module__
    view.__name__ = cls.__name__
    view.__qualname__ = cls.__qualname__


def instance_factory(cls: type, initkwargs: dict[str, Any], state: dict[str, Any] | None = None) -> Callable[[], Any]:
    """``cls(**initkwargs)`` (then the attributes in ``state`` set) as a function of no arguments. Django's
    ``View.__init__`` only sets each keyword as an attribute: for a class that keeps it, and no name naming a
    descriptor of the class, the instance's ``__dict__`` is filled in one step."""
    state = state or {}
    names = [*initkwargs, *state]
    if cls.__init__ is not View.__init__ or any(  # type: ignore[misc]
        hasattr(type(inspect.getattr_static(cls, name, None)), "__set__") for name in names
    ):

        def made() -> Any:
            view = cls(**initkwargs)
            for name, value in state.items():
                setattr(view, name, value)
            return view

        return made
    new = cls.__new__
    values = {**initkwargs, **state}

    def instance() -> Any:
        view = new(cls)
        view.__dict__.update(values)
        return view

    return instance


def mark_entry(view: Any, enter: Callable[..., Any]) -> None:
    """Give the engine ``view``'s entry, ``enter(request, args, kwargs, direct=False)``: what ``await view(request,
    *args, **kwargs)`` does for a Bolt request, without the callback's own coroutine; with ``direct``, the
    engine's handler takes the answer as it comes (a Response, or the finished triple: ``pipeline.dispatch``).
    It names its view, so a wrapper that copies the callback's attributes (``functools.wraps``) is still called
    itself."""
    enter.view = view  # type: ignore[attr-defined]
    view.bolt_enter = enter

"""Adapting views to the engine's calling convention.

The engine calls `handler(raw_request)` and expects `(status, headers, body)` back, directly or from an
awaitable. A view is called as `view(request, **path_kwargs)` and may return a `Response`, a Django
`HttpResponse`, a plain dict/list (sent as JSON) or a ready triple.
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from django_bolt._runtime import NoMatch
from django_bolt.finish import Triple, respond
from django_bolt.request import Request
from django_bolt.response import Response

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def view_methods(view: Callable[..., Any]) -> list[str]:
    """The methods a view answers, in `Allow` order; the engine answers 405 for the rest."""
    return list(getattr(view, "bolt_methods", None) or ALL_METHODS)


def check_async(view: Callable[..., Any], regex: str) -> None:
    if not inspect.iscoroutinefunction(view):
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        if view_class is not None:
            from django_bolt.viewsets import drf_class_message

            message = drf_class_message(view_class, "view")
            if message:
                raise ImproperlyConfigured(f"Route {regex!r}: {message}")
        name = view_class.__qualname__ if view_class is not None else getattr(view, "__qualname__", repr(view))
        raise ImproperlyConfigured(
            f"The view {name} for route {regex!r} is synchronous. Bolt views run on the engine's worker thread and "
            "must be `async def`; move blocking work into `await django_bolt.sync.run_sync(...)`."
        )


_path_params = operator.attrgetter("path_params")


def kwargs_builder(
    python_converters: dict[str, Any] | None, default_kwargs: dict[str, Any] | None
) -> Callable[[Any], dict[str, Any]]:
    """``view_kwargs(raw)``: the path parameters, through the converters the engine cannot apply, plus the
    route's default kwargs (the engine's own dict when there is nothing to add)."""
    if not python_converters and not default_kwargs:
        return _path_params
    converters = dict(python_converters or {})
    defaults = dict(default_kwargs or {})

    def view_kwargs(raw: Any) -> dict[str, Any]:
        kwargs = raw.path_params
        for name, converter in converters.items():
            if name in kwargs:
                try:
                    kwargs[name] = converter.to_python(kwargs[name])
                except ValueError as exc:  # Django: the pattern does not match (the engine tries the next one)
                    raise NoMatch(name) from exc
        kwargs.update(defaults)
        return kwargs

    return view_kwargs


def make_websocket_handler(
    view: Callable[..., Any],
    python_converters: dict[str, Any] | None = None,
    default_kwargs: dict[str, Any] | None = None,
) -> Callable[[Any, Any], Any]:
    """The engine handler of a WebSocket route: ``handler(raw, channel)`` returns the accepted consumer, or the
    HTTP response (a triple) that refuses the handshake."""
    view_kwargs = kwargs_builder(python_converters, default_kwargs)

    async def handler(raw: Any, channel: Any) -> Any:
        return await view(Request(raw), channel, **view_kwargs(raw))

    handler.bolt_websocket = True  # type: ignore[attr-defined]
    handler.__qualname__ = f"bolt_websocket[{getattr(view, '__qualname__', view)!s}]"
    return handler


def make_handler(
    view: Callable[..., Any],
    python_converters: dict[str, Any] | None = None,
    default_kwargs: dict[str, Any] | None = None,
    middleware: list[str] | None = None,
) -> Callable[[Any], Any]:
    """Build the engine handler for one route (wrapped in ``BOLT["MIDDLEWARE"]`` when given)."""
    view_kwargs = kwargs_builder(python_converters, default_kwargs)

    if middleware:
        from django_bolt.middleware import wrap

        async def get_response(request: Any) -> Any:
            result = await view(request, **request.bolt_view_kwargs)
            # Middleware works on response objects: a plain dict/list becomes the Response it stands for.
            return Response(result) if isinstance(result, dict | list) else result

        chain = wrap(get_response, middleware)

        async def handler(raw: Any) -> Triple:
            request = Request(raw)
            request.bolt_view_kwargs = view_kwargs(raw)
            return respond(request, await chain(request))

    elif getattr(getattr(view, "bolt_enter", None), "view", None) is view:
        # A class-based view: its entry, without the callback's coroutine.
        enter = view.bolt_enter

        def handler(raw: Any) -> Any:
            # The view's own coroutine is the engine's: it ends with the triple (``direct``).
            return enter(Request(raw), (), view_kwargs(raw), True)

    else:

        async def handler(raw: Any) -> Triple:
            request = Request(raw)
            return respond(request, await view(request, **view_kwargs(raw)))

    handler.__qualname__ = f"bolt_handler[{getattr(view, '__qualname__', view)!s}]"
    return handler

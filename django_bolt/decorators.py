"""
``@api_view`` for function views, the policy decorators that go with it, and ``@action`` for extra
viewset routes (with ``@thing.mapping.post`` to add methods to an action). Functions must be ``async def``.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.forms.utils import pretty_name

_POLICIES = (
    "renderer_classes",
    "parser_classes",
    "authentication_classes",
    "throttle_classes",
    "permission_classes",
    "content_negotiation_class",
    "metadata_class",
    "versioning_class",
)


def api_view(http_method_names: list[str] | None = None) -> Callable[[Callable[..., Any]], Any]:
    """Turn ``async def view(request, ...)`` into an ``APIView`` answering ``http_method_names`` (default GET)."""
    from django_bolt.views import APIView

    http_method_names = ["GET"] if http_method_names is None else http_method_names

    def decorator(func: Callable[..., Any]) -> Any:
        assert not isinstance(http_method_names, types.FunctionType), "@api_view missing list of allowed HTTP methods"
        assert isinstance(http_method_names, (list, tuple)), (
            f"@api_view expected a list of strings, received {type(http_method_names).__name__}"
        )
        if not inspect.iscoroutinefunction(func):
            raise ImproperlyConfigured(
                f"@api_view function {func.__qualname__}() must be declared `async def`: django_bolt views run on "
                "an event loop. Do blocking work with `await run_sync(fn, ...)` from django_bolt.sync."
            )

        async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
            return await func(*args, **kwargs)

        attrs: dict[str, Any] = {"__doc__": func.__doc__, "__module__": func.__module__}
        allowed = {method.lower() for method in http_method_names} | {"options"}
        # Keep the standard method order (it is the order of the Allow header).
        attrs["http_method_names"] = [m for m in APIView.http_method_names if m in allowed] + sorted(
            allowed - set(APIView.http_method_names)
        )
        for method in http_method_names:
            attrs[method.lower()] = handler
        for policy in _POLICIES:
            if hasattr(func, policy):
                attrs[policy] = getattr(func, policy)
        attrs["throttle_scope"] = getattr(func, "throttle_scope", None)
        if hasattr(func, "schema"):
            attrs["schema"] = func.schema
        wrapped = type(func.__name__, (APIView,), attrs)
        return wrapped.as_view()

    return decorator


def _check_decorator_order(func: Any, name: str) -> None:
    if getattr(func, "cls", None) is not None:
        raise TypeError(f"@{name} must come after (below) the @api_view decorator. The decorator order matters.")


def _policy_decorator(name: str) -> Callable[[Any], Callable[[Any], Any]]:
    def outer(value: Any) -> Callable[[Any], Any]:
        def decorator(func: Any) -> Any:
            _check_decorator_order(func, name)
            setattr(func, name, value)
            return func

        return decorator

    outer.__name__ = name
    outer.__doc__ = f"Set ``{name}`` on an ``@api_view`` function (place it below ``@api_view``)."
    return outer


renderer_classes = _policy_decorator("renderer_classes")
parser_classes = _policy_decorator("parser_classes")
authentication_classes = _policy_decorator("authentication_classes")
throttle_classes = _policy_decorator("throttle_classes")
throttle_scope = _policy_decorator("throttle_scope")
permission_classes = _policy_decorator("permission_classes")
content_negotiation_class = _policy_decorator("content_negotiation_class")
metadata_class = _policy_decorator("metadata_class")
versioning_class = _policy_decorator("versioning_class")
schema = _policy_decorator("schema")


def action(
    methods: list[str] | None = None,
    detail: bool | None = None,
    url_path: str | None = None,
    url_name: str | None = None,
    **kwargs: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """
    Mark a viewset method as a routed action.

    ``detail`` (required) routes it under an object (``/books/{pk}/url_path/``) or the list; ``methods``
    defaults to GET; ``url_path`` to the function name; ``url_name`` to it with ``_`` → ``-``. Extra
    keyword arguments become view attributes for this route (e.g. ``permission_classes=[...]``).
    """
    methods = ["get"] if methods is None else [method.lower() for method in methods]
    assert detail is not None, "@action() missing required argument: 'detail'"
    if "name" in kwargs and "suffix" in kwargs:
        raise TypeError("`name` and `suffix` are mutually exclusive arguments.")

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        func.mapping = MethodMapper(func, methods)
        func.detail = detail
        func.url_path = url_path if url_path else func.__name__
        func.url_name = url_name if url_name else func.__name__.replace("_", "-")
        # Become as_view() initkwargs for this route.
        func.kwargs = dict(kwargs)
        if "name" not in kwargs and "suffix" not in kwargs:
            func.kwargs["name"] = pretty_name(func.__name__)
        func.kwargs["description"] = func.__doc__ or None
        return func

    return decorator


class MethodMapper(dict):
    """
    ``{method: action name}`` of one ``@action``; ``@thing.mapping.post`` routes another method of the same
    URL to the decorated function.
    """

    def __init__(self, action: Callable[..., Any], methods: list[str]) -> None:
        super().__init__()
        self.action = action
        for method in methods:
            self[method] = action.__name__

    def _map(self, method: str, func: Callable[..., Any]) -> Callable[..., Any]:
        assert method not in self, f"Method '{method}' has already been mapped to '.{self[method]}'."
        assert func.__name__ != self.action.__name__, (
            "Method mapping does not behave like the property decorator. You cannot use the same method name "
            "for each mapping declaration."
        )
        self[method] = func.__name__
        return func

    def get(self, func: Any, default: Any = None) -> Any:  # type: ignore[override]
        # ``mapping.get`` is both the decorator and dict.get: tell them apart by argument type.
        if isinstance(func, str):
            return super().get(func, default)
        return self._map("get", func)

    def post(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("post", func)

    def put(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("put", func)

    def patch(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("patch", func)

    def delete(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("delete", func)

    def head(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("head", func)

    def options(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("options", func)

    def trace(self, func: Callable[..., Any]) -> Callable[..., Any]:
        return self._map("trace", func)

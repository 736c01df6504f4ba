"""URL patterns for `bolt_urls.py`.

`urlpatterns` in the module named by `settings.ROOT_BOLTCONF` are ordinary Django URL objects — the same ones
DRF's routers return — so `reverse()` and every tool that reads Django patterns keeps working. The engine walks
them once at start-up and compiles their regexes into its Rust route table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter
from django.urls.resolvers import RegexPattern, RoutePattern

__all__ = ["path", "re_path", "include", "fixed", "bolt_urlpatterns", "RouteEntry", "iter_routes"]

# Converters whose value is a plain string (or, for int, parsed by the engine itself).
_ENGINE_CONVERTERS = {IntConverter: "int", StringConverter: "str", PathConverter: "str", SlugConverter: "str"}


@dataclass
class RouteEntry:
    """One endpoint, flattened: a full regex over the path (no leading slash) and its view."""

    regex: str
    view: Callable[..., Any]
    name: str | None
    # The pattern as written, prefixes joined (Django's `ResolverMatch.route`): "items/<int:item_id>".
    route: str = ""
    engine_converters: dict[str, str] = field(default_factory=dict)
    # Converters the engine cannot apply (uuid, custom): their `to_python` runs in the handler.
    python_converters: dict[str, Any] = field(default_factory=dict)
    default_kwargs: dict[str, Any] = field(default_factory=dict)


def fixed(
    route: str,
    body: bytes | str,
    *,
    status: int = 200,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    name: str | None = None,
) -> URLPattern:
    """A GET route the engine answers by itself, without running Python (health checks, fixed documents)."""
    from django_bolt._engine import StaticResponse

    payload = body.encode() if isinstance(body, str) else body
    pairs = [*(headers or {}).items(), ("Content-Type", content_type)]

    async def view(request: Any, **kwargs: Any) -> tuple[int, list[tuple[str, str]], bytes]:
        return status, pairs, payload

    view.bolt_static = StaticResponse(status, pairs, payload)  # type: ignore[attr-defined]
    view.bolt_methods = ["GET", "HEAD"]  # type: ignore[attr-defined]
    return path(route, view, name=name)


def bolt_urlpatterns(urlconf: str | None = None) -> list[Any]:
    """The bolt routes as Django patterns, for `django.urls.reverse()`: `urlpatterns += bolt_urlpatterns()`."""
    from django_bolt.reverse import bolt_urlpatterns as patterns

    return patterns(urlconf)


def _regex_of(pattern: Any) -> str:
    if isinstance(pattern, RegexPattern):
        return pattern._regex
    if isinstance(pattern, RoutePattern):
        return pattern.regex.pattern
    raise ImproperlyConfigured(f"Bolt cannot serve URL pattern {pattern!r}: only path() and re_path() patterns.")


def _join(prefix: str, regex: str) -> str:
    if not prefix:
        return regex
    return prefix + (regex[1:] if regex.startswith("^") else regex)


def _converters_of(pattern: Any) -> dict[str, Any]:
    return dict(getattr(pattern, "converters", {}) or {})


def iter_routes(
    patterns: Iterable[URLPattern | URLResolver],
    prefix: str = "",
    converters: dict[str, Any] | None = None,
    default_kwargs: dict[str, Any] | None = None,
    route_prefix: str = "",
) -> Iterator[RouteEntry]:
    """Flatten (possibly nested) Django URL patterns into engine routes, in resolution order."""
    for entry in patterns:
        regex = _join(prefix, _regex_of(entry.pattern))
        route = _join(route_prefix, str(entry.pattern))  # as Django joins `ResolverMatch.route`
        scope = {**(converters or {}), **_converters_of(entry.pattern)}
        if isinstance(entry, URLResolver):
            kwargs = {**(default_kwargs or {}), **entry.default_kwargs}
            yield from iter_routes(entry.url_patterns, regex, scope, kwargs, route)
            continue
        engine_converters: dict[str, str] = {}
        python_converters: dict[str, Any] = {}
        for name, converter in scope.items():
            kind = _ENGINE_CONVERTERS.get(type(converter))
            if kind is None:
                engine_converters[name] = "str"
                python_converters[name] = converter
            else:
                engine_converters[name] = kind
        yield RouteEntry(
            regex=regex,
            view=entry.callback,
            name=entry.name,
            route=route,
            engine_converters=engine_converters,
            python_converters=python_converters,
            default_kwargs={**(default_kwargs or {}), **entry.default_args},
        )

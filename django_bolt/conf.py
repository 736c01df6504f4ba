"""Building the engine from `settings.ROOT_BOLTCONF` and the `BOLT` settings."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings

from django_bolt import _runtime
from django_bolt._engine import Engine, Limits
from django_bolt.handlers import check_async, make_handler, view_methods
from django_bolt.urls import RouteEntry, iter_routes


def bolt_setting(name: str, default: Any = None) -> Any:
    """A key of the `BOLT` settings dict, falling back to `REST_FRAMEWORK`, then `default`."""
    for holder in ("BOLT", "REST_FRAMEWORK"):
        values = getattr(settings, holder, None) or {}
        if name in values:
            return values[name]
    return default


def get_boltconf() -> str:
    """`settings.ROOT_BOLTCONF`, defaulting to `<settings package>.bolt_urls`."""
    configured = getattr(settings, "ROOT_BOLTCONF", None)
    if configured:
        return configured
    package = (settings.SETTINGS_MODULE or "").rpartition(".")[0]
    return f"{package}.bolt_urls" if package else "bolt_urls"


def load_urlpatterns(urlconf: str | Any | None = None) -> list:
    module = import_module(urlconf or get_boltconf()) if isinstance(urlconf, str | None) else urlconf
    patterns = getattr(module, "urlpatterns", module)
    return list(patterns)


def default_limits() -> Limits:
    """Engine limits: `BOLT` keys, with the body limit defaulting to Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    body = bolt_setting("MAX_BODY_SIZE", getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440)
    return Limits(
        max_body_size=int(body),
        max_header_count=int(bolt_setting("MAX_HEADER_COUNT", 64)),
        max_header_size=int(bolt_setting("MAX_HEADER_SIZE", 16_384)),
        max_uri_length=int(bolt_setting("MAX_URI_LENGTH", 8_192)),
        body_timeout_secs=float(bolt_setting("BODY_TIMEOUT", 30.0)),
    )


@dataclass
class BuiltEngine:
    engine: Engine
    routes: list[RouteEntry]


def build_engine(
    urlconf: str | Any | None = None,
    *,
    limits: Limits | None = None,
    debug: bool | None = None,
    fallback: Any = None,
) -> BuiltEngine:
    """Compile the URL patterns into an engine. Sync views are rejected here, at start-up."""
    routes = list(iter_routes(load_urlpatterns(urlconf)))
    specs = []
    for route in routes:
        check_async(route.view, route.regex)
        handler = getattr(route.view, "bolt_static", None) or make_handler(
            route.view, route.python_converters, route.default_kwargs
        )
        specs.append((route.regex, view_methods(route.view), handler, route.engine_converters))
    engine = Engine(
        specs,
        _runtime,
        limits=limits or default_limits(),
        debug=settings.DEBUG if debug is None else debug,
        fallback=fallback,
    )
    return BuiltEngine(engine=engine, routes=routes)

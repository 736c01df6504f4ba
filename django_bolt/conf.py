"""Building the engine from `settings.ROOT_BOLTCONF` and the `BOLT` settings."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from django_bolt import _runtime
from django_bolt._engine import Engine, Limits
from django_bolt.fallthrough import fallthrough_handler
from django_bolt.handlers import check_async, make_handler, view_methods
from django_bolt.settings import api_settings
from django_bolt.urls import iter_routes

_DJANGO = object()


def get_boltconf() -> str:
    """`settings.ROOT_BOLTCONF`, defaulting to `<settings package>.bolt_urls`."""
    configured = getattr(settings, "ROOT_BOLTCONF", None)
    if configured:
        return configured
    package = (settings.SETTINGS_MODULE or "").rpartition(".")[0]
    return f"{package}.bolt_urls" if package else "bolt_urls"


def load_urlpatterns(urlconf: str | Any | None = None) -> list:
    if urlconf is None and not getattr(settings, "ROOT_BOLTCONF", None):
        # No ROOT_BOLTCONF and no `bolt_urls` module beside the settings: an unported project, all fall-through.
        try:
            module = import_module(get_boltconf())
        except ModuleNotFoundError as error:
            if error.name != get_boltconf():
                raise
            return []
        return list(getattr(module, "urlpatterns", module))
    module = import_module(urlconf or get_boltconf()) if isinstance(urlconf, str | None) else urlconf
    patterns = getattr(module, "urlpatterns", module)
    return list(patterns)


def default_limits() -> Limits:
    """Engine limits from the settings; the body limit defaults to Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    body = api_settings.MAX_BODY_SIZE or getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440
    return Limits(
        max_body_size=int(body),
        max_header_count=int(api_settings.MAX_HEADER_COUNT),
        max_header_size=int(api_settings.MAX_HEADER_SIZE),
        max_uri_length=int(api_settings.MAX_URI_LENGTH),
        body_timeout_secs=float(api_settings.BODY_TIMEOUT),
    )


def build_engine(
    urlconf: str | Any | None = None,
    *,
    limits: Limits | None = None,
    debug: bool | None = None,
    fallback: Any = _DJANGO,
) -> Engine:
    """Compile the URL patterns into an engine. Sync views are rejected here, at start-up.

    Requests no route matches go to ``fallback``: by default Django itself, for ``ROOT_URLCONF``
    (``django_bolt.fallthrough``); None answers them with a JSON 404.
    """
    if fallback is _DJANGO:
        fallback = fallthrough_handler()
    specs = []
    for route in iter_routes(load_urlpatterns(urlconf)):
        check_async(route.view, route.regex)
        handler = getattr(route.view, "bolt_static", None) or make_handler(
            route.view, route.python_converters, route.default_kwargs
        )
        specs.append((route.regex, view_methods(route.view), handler, route.engine_converters))
    return Engine(
        specs,
        _runtime,
        limits=limits or default_limits(),
        debug=settings.DEBUG if debug is None else debug,
        fallback=fallback,
    )

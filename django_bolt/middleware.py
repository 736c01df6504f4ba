"""
Django middleware around Bolt routes: ``BOLT["MIDDLEWARE"]``.

Bolt routes do not run ``settings.MIDDLEWARE`` — that chain is where much of Django's per-request time goes, and
the engine already applies what most of it does (see ``django_bolt.checks``). A team that needs its own
middleware on Bolt routes too (a request id, a tenant, an audit log) lists it in ``BOLT["MIDDLEWARE"]``; it runs
around each Bolt view, outermost first, exactly as Django would call it: ``middleware(get_response)`` once at
start-up, then ``await middleware(request)`` per request. Only async-capable middleware is accepted — a sync
one would block the worker thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

GetResponse = Callable[[Any], Awaitable[Any]]


def middleware_paths() -> list[str]:
    from django_bolt.settings import api_settings

    return list(api_settings.MIDDLEWARE or [])


def wrap(get_response: GetResponse, paths: list[str]) -> GetResponse:
    """``get_response`` wrapped in the middleware named by ``paths`` (the first is outermost)."""
    handler: Any = get_response
    for path in reversed(paths):
        factory = import_string(path) if isinstance(path, str) else path
        if not getattr(factory, "async_capable", False):
            raise ImproperlyConfigured(
                f'BOLT["MIDDLEWARE"] entry {path!r} is not async-capable: Bolt routes run on an event loop. '
                "Use an async middleware (or one with async_capable = True)."
            )
        handler = factory(handler)
        if not iscoroutinefunction(handler):
            raise ImproperlyConfigured(f'BOLT["MIDDLEWARE"] entry {path!r} did not return an async handler.')
    return handler

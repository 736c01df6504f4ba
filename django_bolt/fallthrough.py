"""
Fall-through: a request no Bolt route matches is answered by Django itself.

This is what lets a team swap gunicorn for ``runbolt`` on day one: ``ROOT_URLCONF`` keeps serving the admin, the
DRF views not ported yet, plain Django views, static files in DEBUG, through ``settings.MIDDLEWARE`` and with
Django's own 404/500 handling. ``DjangoFallthrough`` does what Django's ``ASGIHandler`` does for one request —
``request_started``, the request object, the async middleware chain, ``request_finished`` — with the engine's
calling convention instead of ASGI messages. Sync middleware and sync views run through asgiref's
thread-sensitive ``sync_to_async``, which the engine routes to the request's leased sync-bridge thread (inline
under the test client and with ``SYNC_MODE="inline"``); async views run on the worker's loop. A streaming
response is pulled by the engine chunk by chunk, as the client reads it.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.core import signals
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.exception import response_for_exception
from django.http import FileResponse, Http404, HttpResponseBase
from django.urls import set_script_prefix

from django_bolt.finish import django_headers
from django_bolt.sync import run_sync

Triple = tuple[int, list[tuple[str, str]], Any]

# A sync streaming iterator is drained on the bridge this many bytes at a time (its code may use the ORM).
_BATCH_BYTES = 65_536


def _scope(raw: Any) -> dict[str, Any]:
    """The ASGI scope Django's request class reads, built from what the engine parsed."""
    script_name = settings.FORCE_SCRIPT_NAME or ""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": raw.method,
        "scheme": raw.scheme,
        "path": script_name + raw.path,
        "raw_path": (script_name + raw.path).encode("utf-8"),
        "root_path": script_name,
        "query_string": raw.query_string.encode("latin-1"),
        "headers": [(name.encode("latin-1"), value.encode("latin-1")) for name, value in raw.header_items()],
        "client": raw.client,
        "server": raw.server,
    }


def _next_batch(iterator: Iterator[bytes]) -> bytes | None:
    """Up to ~64 KiB from a sync iterator; None at its end."""
    parts: list[bytes] = []
    size = 0
    for part in iterator:
        parts.append(part)
        size += len(part)
        if size >= _BATCH_BYTES:
            break
    return b"".join(parts) if parts else None


async def _stream(response: HttpResponseBase) -> AsyncIterator[bytes]:
    """A streaming response's body, then Django's ``request_finished`` (``response.close()``)."""
    try:
        if response.is_async:  # type: ignore[attr-defined]
            async for part in response:  # type: ignore[attr-defined]
                if part:
                    yield bytes(part)
        elif isinstance(response, FileResponse):
            # Plain block reads of a file: cheap enough for the worker thread, and no hop per block.
            for part in response:
                yield part
        else:
            iterator = iter(response)  # type: ignore[call-overload]
            while (batch := await run_sync(_next_batch, iterator)) is not None:
                yield batch
    finally:
        await sync_to_async(response.close)()


def _static_prefix() -> str | None:
    """STATIC_URL's path when runserver would serve static files itself (DEBUG, staticfiles installed)."""
    if not (settings.DEBUG and apps.is_installed("django.contrib.staticfiles") and settings.STATIC_URL):
        return None
    url = urlparse(settings.STATIC_URL)
    return None if url.netloc else url.path


class DjangoFallthrough(ASGIHandler):
    """Django's request handling for one request, called by the engine with its ``RawRequest``."""

    def __init__(self) -> None:
        super().__init__()
        self.static_prefix = _static_prefix()

    async def __call__(self, raw: Any) -> Triple:  # type: ignore[override]
        scope = _scope(raw)
        set_script_prefix(get_script_prefix(scope))
        await signals.request_started.asend(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, io.BytesIO(raw.body))
        if request is not None:
            for name, value in (raw.attributes or {}).items():  # set by the test client only
                setattr(request, name, value)
            if self.static_prefix and request.path.startswith(self.static_prefix):
                response = await self.serve_static(request)
            else:
                response = await self.run_get_response(request)
        headers = django_headers(response)
        if response.streaming:
            return response.status_code, headers, _stream(response)
        content = response.content
        await sync_to_async(response.close)()
        return response.status_code, headers, content

    async def serve_static(self, request: Any) -> HttpResponseBase:
        """What runserver does in DEBUG: ``STATIC_URL`` served from the staticfiles finders, before middleware."""
        from django.contrib.staticfiles.views import serve

        relative = url2pathname(request.path.removeprefix(self.static_prefix or ""))
        try:
            return await run_sync(serve, request, relative, insecure=True)
        except Http404 as exc:
            return await run_sync(response_for_exception, request, exc)


def fallthrough_handler() -> DjangoFallthrough | None:
    """The handler for unmatched requests: Django for ``ROOT_URLCONF``, or None when the project has none."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return None
    return DjangoFallthrough()

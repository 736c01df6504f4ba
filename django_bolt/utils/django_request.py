"""
Serving a Bolt view from Django's own handler (gunicorn, runserver, Django's or DRF's test client).

runbolt routes Bolt views itself, but a Bolt view may also end up in ``ROOT_URLCONF`` — a project served by
gunicorn during the migration, or a DRF test suite driving it with ``APIClient``. Then Django calls the view
with its ``HttpRequest``; ``DjangoRawRequest`` presents that request the way the engine's ``RawRequest`` does, the
view's Bolt pipeline runs unchanged, and its response is handed back to Django as an ``HttpResponse``. Sync work
goes through asgiref's thread-sensitive ``sync_to_async``, as Django's own async views do (so a test's
transaction is seen).
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

#: True while a Bolt view serves a request that came through Django's handler.
via_django: contextvars.ContextVar[bool] = contextvars.ContextVar("bolt_via_django", default=False)


class DjangoRawRequest:
    """A Django ``HttpRequest`` with the interface of the engine's ``RawRequest``."""

    def __init__(self, request: HttpRequest, path_params: dict[str, Any]) -> None:
        self._request = request
        self.method = request.method or "GET"
        self.path = request.path_info if request.path_info else request.path
        self.query_string = request.META.get("QUERY_STRING", "")
        self.path_params = path_params
        self.scheme = request.scheme
        # DRF's APIClient.force_authenticate() sets these on the request; Bolt's Request reads them here.
        self._force_auth_user = getattr(request, "_force_auth_user", None)
        self._force_auth_token = getattr(request, "_force_auth_token", None)

    @property
    def headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self._request.headers.items()}

    def header(self, name: str) -> str | None:
        return self._request.headers.get(name)

    def query_items(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string, keep_blank_values=True)

    @property
    def body(self) -> bytes:
        return self._request.body

    @property
    def client(self) -> tuple[str, int] | None:
        address = self._request.META.get("REMOTE_ADDR")
        return (address, int(self._request.META.get("REMOTE_PORT") or 0)) if address else None

    @property
    def server(self) -> tuple[str, int]:
        return self._request.META.get("SERVER_NAME", "testserver"), int(self._request.META.get("SERVER_PORT") or 80)


def to_django_response(result: Any) -> HttpResponseBase:
    """What a Bolt view returned, as the ``HttpResponse`` Django's handler expects."""
    from django_bolt.finish import to_triple

    if isinstance(result, HttpResponseBase):
        return result
    status, headers, body = to_triple(result)
    response: HttpResponseBase
    if isinstance(body, bytes | bytearray):
        response = HttpResponse(bytes(body), status=status)
    else:
        response = StreamingHttpResponse(body, status=status)
    if not any(name.lower() == "content-type" for name, _ in headers):
        del response["Content-Type"]
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            response.cookies.update(jar)
        else:
            response[name] = value
    return response


async def serve_django_request(
    view: Callable[..., Awaitable[Any]], request: HttpRequest, args: tuple, kwargs: dict
) -> HttpResponseBase:
    """Run a Bolt view for a request Django's handler routed to it."""
    from django_bolt.request import Request

    token = via_django.set(True)
    try:
        result = await view(Request(DjangoRawRequest(request, dict(kwargs))), *args, **kwargs)
    finally:
        via_django.reset(token)
    return to_django_response(result)

"""WebSocket consumers: class-based, in the style of DRF's views.

A consumer is routed in ``bolt_urls.py`` like any view (``path("ws/chat/<room>/", ChatConsumer.as_view())``). The
opening handshake is a GET request, so it goes through the same policy as an ``APIView``: authentication,
permissions and throttles run first, and a refusal is the HTTP response DRF would send (401/403/429 with its JSON
body). Then ``connect()`` runs; it accepts (``await self.accept()``) or refuses (``await self.close()``, HTTP 403).

Once accepted, ``receive()`` is awaited for each message, one at a time and in order, and ``disconnect(code)`` once
at the end. The engine answers pings, sends its own, enforces the message size limit and closes with the proper
code on bad input; ``send()`` waits when the client reads slower than the consumer writes.

The channel-layer vocabulary of Django Channels (``accept``, ``send(text_data=…)``, ``close(code)``,
``receive_json``/``send_json``) is kept so consumers read as familiar code.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from inspect import isawaitable
from typing import Any

from django_bolt.response import Response
from django_bolt.utils.json_bytes import encode_json
from django_bolt.views import APIView

__all__ = ["WebSocketConsumer", "JsonWebSocketConsumer"]


class WebSocketConsumer(APIView):
    """One instance per connection. Override ``connect``, ``receive`` and ``disconnect``."""

    http_method_names = ["get"]
    # A WebSocket route has no place in the OpenAPI document.
    schema = None

    #: The close code once the connection ended (None while it is open).
    close_code: int | None = None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        """The route callback: ``await view(request, channel, **path_kwargs)``, for the engine's WebSocket routes."""

        async def view(request: Any, channel: Any, *args: Any, **kwargs: Any) -> Any:
            self = cls(**initkwargs)
            return await self.handshake(request, channel, *args, **kwargs)

        view.cls = view.view_class = cls  # type: ignore[attr-defined]
        view.initkwargs = view.view_initkwargs = initkwargs  # type: ignore[attr-defined]
        view.csrf_exempt = True  # type: ignore[attr-defined]
        view.bolt_websocket = True  # type: ignore[attr-defined]
        view.bolt_methods = ["GET"]  # type: ignore[attr-defined]
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__name__ = view.__qualname__ = cls.__name__
        return view

    async def handshake(self, request: Any, channel: Any, *args: Any, **kwargs: Any) -> Any:
        """The opening handshake: the view's policy, then ``connect``. Returns this consumer once accepted, else
        the HTTP response that refuses the connection."""
        self.channel = channel
        self.args, self.kwargs = args, kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            result = self.initial(request, *args, **kwargs)
            if isawaitable(result):
                await result
            await self.connect()
        except Exception as exc:
            response = self.handle_exception(exc)
            if isawaitable(response):
                response = await response
            return self.finalize_response(request, response, *args, **kwargs).to_triple()
        if not channel.accepted:
            refused = Response({"detail": "WebSocket connection refused."}, status=403)
            return self.finalize_response(request, refused, *args, **kwargs).to_triple()
        return self

    @property
    def subprotocols(self) -> list[str]:
        """The subprotocols the client offered (``Sec-WebSocket-Protocol``), in its order of preference."""
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        return [name.strip() for name in offered.split(",") if name.strip()]

    # -- what a consumer overrides --------------------------------------------------------------------

    async def connect(self) -> None:
        """Called after the policy checks passed; accept (the default) or close to refuse."""
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Called with each message: a text message as ``text_data``, a binary one as ``bytes_data``."""

    async def disconnect(self, code: int) -> None:
        """Called once when the connection has ended, with its close code (1006: dropped without a Close)."""

    # -- what a consumer calls ------------------------------------------------------------------------

    async def accept(self, subprotocol: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        """Accept the connection (in ``connect``), optionally choosing one of ``self.subprotocols``."""
        if subprotocol is not None and subprotocol not in self.subprotocols:
            raise ValueError(f"subprotocol {subprotocol!r} was not offered by the client")
        self.channel.accept(subprotocol, list((headers or {}).items()))

    async def send(self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False) -> None:
        """Send a text or binary message; waits while too much is queued for a slow client. After the connection
        closed, a message is dropped (check ``self.close_code`` to stop early)."""
        if (text_data is None) == (bytes_data is None):
            raise ValueError("send() takes text_data or bytes_data")
        if self.channel.send(text_data if text_data is not None else bytes_data):
            waiter = asyncio.get_running_loop().create_future()
            self.channel.wait_writable(waiter)
            await waiter
        if close:
            await self.close()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (1000, a 1xxx code an endpoint may send, or 3000–4999). In ``connect``, before
        ``accept``, this refuses the handshake with HTTP 403."""
        self.channel.close(code, reason)

    # -- called by the engine -------------------------------------------------------------------------

    async def websocket_receive(self, data: str | bytes) -> None:
        if isinstance(data, str):
            await self.receive(text_data=data)
        else:
            await self.receive(bytes_data=data)

    async def websocket_disconnect(self, code: int) -> None:
        self.close_code = code
        await self.disconnect(code)


class JsonWebSocketConsumer(WebSocketConsumer):
    """Messages are JSON: override ``receive_json(content)``, call ``send_json(content)``. A text message that is
    not JSON closes the connection with 1007 (invalid data)."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self.close(1003, "JSON text messages only")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.close(1007, "invalid JSON")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any) -> None:
        """Called with each decoded message."""

    async def send_json(self, content: Any, close: bool = False) -> None:
        """Send ``content`` as compact JSON (DRF's encoder: dates, decimals, UUIDs as DRF renders them)."""
        await self.send(text_data=encode_json(content).decode(), close=close)

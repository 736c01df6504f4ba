"""Server-sent events: a response that streams `text/event-stream` from an async iterator.

A view (or a ViewSet `@action`) returns ``EventStreamResponse(events())``; each item becomes one event as soon as it
is produced. While the producer is quiet a comment line goes out every ``ping_interval`` seconds, so proxies and
browsers keep the connection open and a vanished client is noticed. When the client goes away, the producer's
pending ``await`` is cancelled and its ``finally`` runs. A reconnecting browser sends the last id it saw:
``last_event_id(request)``.

Browsers' ``EventSource`` asks for ``Accept: text/event-stream``; list ``EventStreamRenderer`` in the view's
``renderer_classes`` (beside ``JSONRenderer``) so content negotiation accepts it, as in DRF.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

from django_bolt._engine import Broadcast
from django_bolt.renderers import JSONRenderer
from django_bolt.response import StreamingResponse
from django_bolt.settings import api_settings

__all__ = ["EventBroadcast", "EventStreamRenderer", "EventStreamResponse", "ServerSentEvent", "last_event_id"]


class EventStreamRenderer(JSONRenderer):
    """Lets negotiation accept `text/event-stream`. The stream itself is an ``EventStreamResponse``; what this
    renders is a response with data instead (an error before the stream starts, say), as JSON."""

    media_type = "text/event-stream"
    format = "event-stream"


@dataclass(frozen=True)
class ServerSentEvent:
    """One event. ``data`` that is not a string is sent as compact JSON (DRF's encoder); a multi-line string as
    several `data:` lines. ``comment`` alone makes a comment line (ignored by browsers)."""

    data: Any = None
    event: str | None = None
    id: str | None = None
    retry: int | None = None
    comment: str | None = None

    def encode(self) -> bytes:
        lines = []
        if self.comment is not None:
            lines += [f": {line}" for line in _lines(self.comment)]
        if self.event is not None:
            lines.append(f"event: {_single_line('event', self.event)}")
        if self.id is not None:
            if "\0" in self.id:
                raise ValueError("an event id cannot contain NUL")
            lines.append(f"id: {_single_line('id', self.id)}")
        if self.retry is not None:
            lines.append(f"retry: {int(self.retry)}")
        if self.data is not None:
            text = self.data if isinstance(self.data, str) else _json(self.data)
            lines += [f"data: {line}" for line in _lines(text)]
        return ("\n".join(lines) + "\n\n").encode()


def _json(data: Any) -> str:
    # DRF's encoder (dates, decimals, UUIDs…); event streams are always UTF-8.
    return json.dumps(data, cls=JSONRenderer.encoder_class, ensure_ascii=False, separators=(",", ":"))


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _single_line(field: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"an event {field} cannot contain a line break")
    return value


def _encode(item: Any) -> bytes:
    if isinstance(item, ServerSentEvent):
        return item.encode()
    if isinstance(item, bytes):
        return item  # already in the wire format
    return ServerSentEvent(data=item).encode()


def last_event_id(request: Any) -> str | None:
    """The id of the last event a reconnecting client saw (its `Last-Event-ID` header), if any."""
    return request.headers.get("Last-Event-ID") or None


async def _as_async(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


async def _stream(events: AsyncIterable[Any], interval: float | None) -> AsyncIterator[bytes]:
    iterator = events.__aiter__()
    step: asyncio.Future | None = None
    try:
        if not interval:
            async for item in iterator:
                yield _encode(item)
            return
        while True:
            # The producer's next step runs as its own task, so a heartbeat can go out while it waits.
            if step is None:
                step = asyncio.ensure_future(iterator.__anext__())
            done, _ = await asyncio.wait({step}, timeout=interval)
            if not done:
                yield b": ping\n\n"
                continue
            finished, step = step, None
            try:
                item = finished.result()
            except StopAsyncIteration:
                return
            yield _encode(item)
    finally:
        if step is not None and not step.done():
            step.cancel()
            await asyncio.gather(step, return_exceptions=True)
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


class EventStreamResponse(StreamingResponse):
    """Streams ``events`` (``ServerSentEvent``, or data sent as JSON/text) as `text/event-stream`, uncompressed and
    uncached. ``ping_interval`` (seconds; default ``BOLT["SSE_PING_INTERVAL"]``, None or 0 for none) spaces the
    heartbeat comments sent while the producer is quiet."""

    def __init__(
        self,
        events: AsyncIterable[Any] | Iterable[Any],
        status: int = 200,
        headers: dict[str, str] | None = None,
        ping_interval: float | None | object = ...,
    ) -> None:
        interval = api_settings.SSE_PING_INTERVAL if ping_interval is ... else ping_interval
        source = events if hasattr(events, "__aiter__") else _as_async(events)  # type: ignore[arg-type]
        super().__init__(
            _stream(source, interval),  # type: ignore[arg-type]
            status=status,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **(headers or {})},
            content_type="text/event-stream",
        )


class EventBroadcast:
    """One feed, many clients: ``publish(event)`` encodes the event once and the engine writes the bytes to every
    subscribed stream, in Rust — no Python step per client. ``response()`` is a view's answer that subscribes.

        changes = EventBroadcast()

        @action(detail=False, renderer_classes=[JSONRenderer, EventStreamRenderer])
        async def changes(self, request):
            return changes.response()

        changes.publish(ServerSentEvent(data=BookSerializer(book).data, event="book", id=str(book.pk)))

    ``publish`` may be called from any thread (a signal receiver running on a sync bridge thread, say). A client
    more than ``max_backlog`` bytes behind is dropped — its stream ends and ``EventSource`` reconnects — rather
    than buffered without bound. Each process has its own subscribers: several processes need a broker (Redis
    pub/sub…) whose listener publishes here."""

    def __init__(self, max_backlog: int = 1_048_576) -> None:
        self._broadcast = Broadcast(max_backlog)

    def publish(self, event: Any) -> int:
        """Send ``event`` (a ``ServerSentEvent``, or data sent as JSON/text) to every subscriber; how many."""
        return self._broadcast.publish(_encode(event))

    def response(
        self, status: int = 200, headers: dict[str, str] | None = None, ping_interval: float | None | object = ...
    ) -> StreamingResponse:
        """A response streaming what is published from now on, with a heartbeat comment while it is quiet."""
        interval = api_settings.SSE_PING_INTERVAL if ping_interval is ... else ping_interval
        subscription = self._broadcast.subscribe(b": ping\n\n", float(interval or 0))
        return _SubscribedResponse(subscription, status, headers)

    @property
    def subscribers(self) -> int:
        return self._broadcast.subscribers

    def close(self) -> None:
        """End every subscriber's stream (after what was published)."""
        self._broadcast.close()


class _SubscribedResponse(StreamingResponse):
    def __init__(self, subscription: Any, status: int, headers: dict[str, str] | None) -> None:
        super().__init__(
            (),
            status=status,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **(headers or {})},
            content_type="text/event-stream",
        )
        self.subscription = subscription

    def to_triple(self) -> Any:
        return self.status_code, self._header_list(), self.subscription

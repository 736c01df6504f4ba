"""
Live catalog updates, Bolt only (DRF has no counterpart, so these routes stay out of the OpenAPI document and
the parity suite): every saved or deleted book is published to

* ``GET /api/live/books/`` — server-sent events, one per change, for a browser's ``EventSource``;
* ``ws://…/ws/catalog/`` — a WebSocket that receives the same changes and carries a chat: a signed-in reader
  sends ``{"text": "…"}`` and every connected client gets it with the sender's username.

Changes made by any request of this process are heard, whichever path saved them (a Bolt ViewSet, a DRF view
reached by the fall-through, the admin). Several processes would share them through a broker such as Redis
pub/sub; one process keeps the demo self-contained.
"""

import asyncio
from typing import Any

from django.db.models.signals import post_delete, post_save

from django_bolt.permissions import AllowAny
from django_bolt.renderers import JSONRenderer
from django_bolt.sse import EventBroadcast, EventStreamRenderer, ServerSentEvent
from django_bolt.views import APIView
from django_bolt.websockets import JsonWebSocketConsumer

from .bolt_views import CatalogViewSet
from .models import Book

# Each listener: the event loop of its worker thread and its queue (every worker thread runs its own loop).
_listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = set()


# The SSE clients: each change is encoded once and the engine writes it to all of them (no Python per client).
book_events = EventBroadcast()


def publish(message: dict[str, Any]) -> None:
    """Hand ``message`` to every listener; callable from any thread (signals fire where the ORM runs)."""
    for loop, queue in list(_listeners):
        loop.call_soon_threadsafe(queue.put_nowait, message)
    if message["type"].startswith("book."):
        book = message["book"]
        book_events.publish(ServerSentEvent(data=book, event=message["type"], id=str(book["id"])))


class Listener:
    """``async with Listener() as queue``: the messages published while the block runs."""

    async def __aenter__(self) -> asyncio.Queue:
        self.entry = (asyncio.get_running_loop(), asyncio.Queue())
        _listeners.add(self.entry)
        return self.entry[1]

    async def __aexit__(self, *exc: Any) -> None:
        _listeners.discard(self.entry)


def _book_saved(sender: type, instance: Book, created: bool, **kwargs: Any) -> None:
    publish({"type": "book.created" if created else "book.updated", "book": _summary(instance)})


def _book_deleted(sender: type, instance: Book, **kwargs: Any) -> None:
    publish({"type": "book.deleted", "book": _summary(instance)})


def _summary(book: Book) -> dict[str, Any]:
    return {"id": book.pk, "title": book.title, "isbn": book.isbn, "in_stock": book.in_stock}


post_save.connect(_book_saved, sender=Book, dispatch_uid="catalog.bolt_live.saved")
post_delete.connect(_book_deleted, sender=Book, dispatch_uid="catalog.bolt_live.deleted")


class BookChangesView(APIView):
    """Server-sent events: ``event: book.created`` (or updated, deleted) with the book as JSON data."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, EventStreamRenderer]
    schema = None

    async def get(self, request):
        return book_events.response()


class CatalogRoomConsumer(JsonWebSocketConsumer):
    """Book changes and a readers' chat on one socket. Anyone may listen (the catalog is readable by all);
    sending a chat message needs a signed-in user, as writing to the API does."""

    authentication_classes = CatalogViewSet.authentication_classes
    permission_classes = [AllowAny]

    async def connect(self) -> None:
        await self.accept()
        self.listener = Listener()
        queue = await self.listener.__aenter__()
        self.forwarding = asyncio.create_task(self.forward(queue))

    async def forward(self, queue: asyncio.Queue) -> None:
        while True:
            await self.send_json(await queue.get())

    async def receive_json(self, content: Any) -> None:
        user = self.request.user
        if not user.is_authenticated:
            await self.send_json({"type": "error", "detail": "Sign in to chat."})
            return
        text = str(content.get("text", "") if isinstance(content, dict) else "").strip()[:500]
        if text:
            publish({"type": "chat", "user": user.get_username(), "text": text})

    async def disconnect(self, code: int) -> None:
        self.forwarding.cancel()
        await self.listener.__aexit__(None, None, None)

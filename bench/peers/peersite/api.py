"""django-bolt 0.13 (the PyPI project, a peer): a function route for hello and the 100-row list with msgspec; the
WebSocket echo and the SSE clock of bench/streaming.py."""

import asyncio
import math
import time
from datetime import datetime
from decimal import Decimal

import msgspec
from django_bolt.responses import EventSourceResponse, ServerSentEvent
from django_bolt.websocket import WebSocket
from items.models import Item

from django_bolt import BoltAPI

# DRF-style paths as they are; no per-request log line (runbolt, like gunicorn, logs none by default either).
api = BoltAPI(trailing_slash="keep", enable_logging=False)

FIELDS = ("id", "name", "description", "price", "quantity", "is_active", "created_at")


class ItemOut(msgspec.Struct):
    id: int
    name: str
    description: str
    price: Decimal
    quantity: int
    is_active: bool
    created_at: datetime


@api.get("/hello")
async def hello() -> dict:
    return {"message": "Hello, world!"}


@api.get("/vs/items/")
async def items() -> list[ItemOut]:
    return [ItemOut(*row) async for row in Item.objects.order_by("id").values_list(*FIELDS)[:100]]


@api.websocket("/ws/echo")  # django-bolt 0.13 drops a trailing slash from WebSocket paths
async def echo(websocket: WebSocket):
    await websocket.accept()
    async for text in websocket.iter_text():  # ends when the client disconnects
        await websocket.send_text(text)


@api.get("/sse/clock/")
async def clock(period: float = 1.0):
    async def ticks():
        while True:
            due = math.ceil(time.time() / period) * period
            await asyncio.sleep(max(0.0, due - time.time()))
            yield ServerSentEvent(raw_data=f"{due:.6f}")

    return EventSourceResponse(ticks(), ping_interval=None)

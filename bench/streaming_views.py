"""The Bolt side of the streaming benchmarks (bench/streaming.py): a WebSocket echo and an SSE clock.

The clock's events are due at whole multiples of ``period`` seconds of wall time and carry that due time, so a
client measures each event's delay; every framework in the comparison serves the same clock."""

import asyncio
import math
import time

from django_bolt.permissions import AllowAny
from django_bolt.sse import EventBroadcast, EventStreamResponse, ServerSentEvent
from django_bolt.urls import path
from django_bolt.websockets import WebSocketConsumer


class EchoConsumer(WebSocketConsumer):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is not None:
            await self.send(text_data=text_data)
        else:
            await self.send(bytes_data=bytes_data)


async def ticks(period: float):
    while True:
        due = math.ceil(time.time() / period) * period
        await asyncio.sleep(max(0.0, due - time.time()))
        yield f"{due:.6f}"


async def clock(request):
    period = float(request.query_params.get("period", "1"))
    return EventStreamResponse((ServerSentEvent(data=tick) async for tick in ticks(period)), ping_interval=None)


# The same clock published once per tick to every subscriber (`EventBroadcast`: the fan-out is in Rust).
BROADCAST = EventBroadcast()
_ticking: set = set()


async def _publish_ticks(period: float) -> None:
    async for tick in ticks(period):
        BROADCAST.publish(ServerSentEvent(data=tick))


async def broadcast_clock(request):
    period = float(request.query_params.get("period", "1"))
    if period not in _ticking:
        _ticking.add(period)
        asyncio.get_running_loop().create_task(_publish_ticks(period))
    return BROADCAST.response(ping_interval=None)


def bolt_patterns():
    return [
        path("ws/echo", EchoConsumer.as_view()),
        path("sse/clock/", clock),
        path("sse/broadcast/", broadcast_clock),
    ]

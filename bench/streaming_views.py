"""The Bolt side of the streaming benchmarks (bench/streaming.py): a WebSocket echo and an SSE clock.

The clock's events are due at whole multiples of ``period`` seconds of wall time and carry that due time, so a
client measures each event's delay; every framework in the comparison serves the same clock."""

import asyncio
import math
import time

from django_bolt.permissions import AllowAny
from django_bolt.sse import EventStreamResponse, ServerSentEvent
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


def bolt_patterns():
    return [path("ws/echo", EchoConsumer.as_view()), path("sse/clock/", clock)]

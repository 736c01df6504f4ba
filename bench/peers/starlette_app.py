"""Starlette on uvicorn (a peer of bench/streaming.py): the WebSocket echo and the SSE clock."""

import asyncio
import math
import time

from starlette.applications import Starlette
from starlette.responses import StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():  # ends when the client disconnects
        await websocket.send_text(text)


async def clock(request):
    period = float(request.query_params.get("period", "1"))

    async def ticks():
        while True:
            due = math.ceil(time.time() / period) * period
            await asyncio.sleep(max(0.0, due - time.time()))
            yield f"data: {due:.6f}\n\n".encode()

    return StreamingResponse(ticks(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


app = Starlette(routes=[WebSocketRoute("/ws/echo", echo), Route("/sse/clock/", clock)])

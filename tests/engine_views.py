"""Plain async function views exercising the engine."""

import asyncio
import time

from django_bolt.response import Response, StreamingResponse
from django_bolt.sse import EventBroadcast
from django_bolt.sync import run_sync


async def hello(request):
    return {"message": "Hello, world!"}


async def echo(request):
    return {
        "method": request.method,
        "path": request.path,
        "query": {key: request.query_params.getlist(key) for key in request.query_params},
        "body": request.body.decode("utf-8", "replace"),
        "content_type": request.content_type,
        "client": list(request.raw.client) if request.raw.client else None,
    }


async def item(request, item_id):
    return {"id": item_id, "type": type(item_id).__name__}


async def by_uuid(request, key):
    return {"key": str(key), "type": type(key).__name__}


async def slow(request, ms):
    await asyncio.sleep(int(ms) / 1000)
    return {"slept_ms": int(ms)}


async def boom(request):
    raise RuntimeError("kaboom")


async def stream(request):
    return StreamingResponse((f"chunk{i}\n" for i in range(3)), content_type="text/plain")


async def astream(request):
    async def chunks():
        for i in range(3):
            await asyncio.sleep(0.001)
            yield f"achunk{i}\n"

    return StreamingResponse(chunks(), content_type="text/plain")


async def astream_fails(request):
    """One chunk, then the producer raises; the chunks carry the request's path, read from its context."""
    from django_bolt._runtime import current_request

    async def chunks():
        await asyncio.sleep(0.001)
        yield f"first {current_request.get().path}\n"
        await asyncio.sleep(0.001)
        raise RuntimeError("producer failed")

    return StreamingResponse(chunks(), content_type="text/plain")


# A feed for the broadcast tests: a small backlog, so a client that stops reading is dropped quickly.
FEED = EventBroadcast(max_backlog=65536)


async def feed(request):
    interval = request.query_params.get("ping")
    return FEED.response(ping_interval=float(interval) if interval else None)


async def feed_publish(request):
    """Publish `count` events of `size` bytes; how many subscribers each reached, and how many remain."""
    count, size = int(request.query_params.get("count", 1)), int(request.query_params.get("size", 10))
    reached = [FEED.publish("x" * size) for _ in range(count)]
    return {"reached": reached[-1] if reached else 0, "subscribers": FEED.subscribers}


async def only_get(request, **kwargs):
    return Response({"ok": True})


only_get.bolt_methods = ["GET", "OPTIONS"]


async def sleep_sync(request):
    ms = int(request.query_params.get("ms", "50"))
    await run_sync(time.sleep, ms / 1000)
    return {"slept_ms": ms}


async def headers(request):
    return Response({"x": request.headers.get("x-custom")}, headers={"X-Reply": "yes"}, status=201)


async def host(request):
    return {"host": request.headers.get("host")}


# Streaming producers whose progress a test reads back through `stream_state` (live-server tests).
STREAMS: dict[str, dict] = {}


async def stream_forever(request):
    """64 KiB chunks for as long as the client reads; `pause_ms` waits before each one."""
    token = request.query_params["token"]
    pause = int(request.query_params.get("pause_ms", "0")) / 1000
    state = STREAMS.setdefault(token, {"produced": 0, "closed": False})

    async def chunks():
        try:
            while True:
                if pause:
                    await asyncio.sleep(pause)
                state["produced"] += 1
                yield b"x" * 65536
        finally:
            state["closed"] = True

    return StreamingResponse(chunks(), content_type="application/octet-stream")


async def stream_state(request):
    return STREAMS.get(request.query_params["token"], {})


async def events(request):
    """Server-sent events: three events (resuming after `Last-Event-ID`), then silence the heartbeats fill."""
    from django_bolt.sse import EventStreamResponse, ServerSentEvent, last_event_id

    token = request.query_params.get("token", "events")
    state = STREAMS.setdefault(token, {"produced": 0, "closed": False})
    start = int(last_event_id(request) or 0) + 1

    async def feed():
        try:
            for n in range(start, start + 3):
                state["produced"] += 1
                yield ServerSentEvent(data={"n": n}, event="tick", id=str(n))
            await asyncio.sleep(3600)
        finally:
            state["closed"] = True

    return EventStreamResponse(feed(), ping_interval=float(request.query_params.get("ping", "0.2")))


async def parity(request, number, parity):
    return {"number": number, "parity": parity}

"""Load client of bench/streaming.py: WebSocket echo, idle WebSockets, SSE clock readers. Speaks the two protocols
by hand over asyncio streams (uvloop when available), so the client costs the same against every server.

    python bench/streaming_client.py ws-echo PORT --connections 64 --duration 8
    python bench/streaming_client.py ws-idle PORT --connections 10000 --hold 3
    python bench/streaming_client.py sse PORT --connections 1000 --duration 6

Prints `READY` once every connection is open (the harness then samples the server's memory), and one JSON line of
results at the end."""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import statistics
import time

HOST = "127.0.0.1"
MASK = b"\x12\x34\x56\x78"


def client_frame(payload: bytes, opcode: int = 1) -> bytes:
    masked = bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))
    assert len(payload) < 126
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + MASK + masked


async def open_socket(port: int, path: str, websocket: bool) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(HOST, port)
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
    if websocket:
        key = base64.b64encode(os.urandom(16)).decode()
        head += (
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n"
        )
    else:
        head += "Accept: text/event-stream\r\n"
    writer.write((head + "\r\n").encode())
    status = await reader.readuntil(b"\r\n\r\n")
    expected = b" 101 " if websocket else b" 200 "
    if expected not in status.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"unexpected answer: {status[:200]!r}")
    return reader, writer


async def read_message(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> tuple[int, bytes]:
    """The next data frame; a ping on the way is answered (some servers ping right after the handshake)."""
    while True:
        opcode, payload = await read_frame(reader)
        if opcode == 9:
            writer.write(client_frame(payload, opcode=10))
        elif opcode != 10:
            return opcode, payload


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(await reader.readexactly(2), "big")
    elif length == 127:
        length = int.from_bytes(await reader.readexactly(8), "big")
    return first & 0x0F, await reader.readexactly(length)


async def open_many(port: int, path: str, count: int, websocket: bool) -> list:
    gate = asyncio.Semaphore(200)

    async def one() -> tuple:
        async with gate:
            return await open_socket(port, path, websocket)

    return await asyncio.gather(*(one() for _ in range(count)))


async def ws_echo(port: int, connections: int, duration: float) -> dict:
    sockets = await open_many(port, "/ws/echo", connections, True)
    print("READY", flush=True)
    message = b"x" * 32
    frame = client_frame(message)
    deadline = time.monotonic() + duration
    counts = [0] * connections

    async def loop(index: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while time.monotonic() < deadline:
            writer.write(frame)
            opcode, payload = await read_message(reader, writer)
            assert payload == message, (opcode, payload)
            counts[index] += 1

    started = time.monotonic()
    await asyncio.gather(*(loop(i, r, w) for i, (r, w) in enumerate(sockets)))
    elapsed = time.monotonic() - started
    return {"messages_per_s": sum(counts) / elapsed, "messages": sum(counts), "connections": connections}


async def ws_idle(port: int, connections: int, hold: float) -> dict:
    sockets = await open_many(port, "/ws/echo", connections, True)
    print("READY", flush=True)
    await asyncio.sleep(hold)
    alive = 0
    for reader, writer in sockets[:: max(1, connections // 100)]:
        writer.write(client_frame(b"ping?"))
        if (await asyncio.wait_for(read_message(reader, writer), 10))[1] == b"ping?":
            alive += 1
    return {"connections": connections, "sampled_alive": alive, "sampled": len(sockets[:: max(1, connections // 100)])}


async def sse(port: int, connections: int, duration: float, period: float, path: str) -> dict:
    streams = await open_many(port, f"{path}?period={period}", connections, False)
    print("READY", flush=True)
    delays: list[float] = []
    deadline = time.time() + duration

    async def read(reader: asyncio.StreamReader) -> None:
        while time.time() < deadline:
            try:
                line = await asyncio.wait_for(reader.readline(), max(0.1, deadline - time.time()))
            except TimeoutError:
                return
            # Chunked framing lines and blank lines are skipped; data lines carry the event's due time.
            if line.startswith(b"data: "):
                delays.append(time.time() - float(line[6:]))

    await asyncio.gather(*(read(r) for r, _ in streams))
    delays.sort()
    return {
        "connections": connections,
        "events": len(delays),
        "expected_events": int(connections * duration / period),
        "delay_p50_ms": statistics.median(delays) * 1000 if delays else None,
        "delay_p99_ms": delays[int(len(delays) * 0.99) - 1] * 1000 if delays else None,
        "delay_max_ms": delays[-1] * 1000 if delays else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["ws-echo", "ws-idle", "sse"])
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--hold", type=float, default=3.0)
    parser.add_argument("--period", type=float, default=1.0)
    parser.add_argument("--path", default="/sse/clock/", help="the SSE clock's path")
    args = parser.parse_args()
    with contextlib.suppress(ImportError):  # uvloop is in the peers' venv; plain asyncio elsewhere
        import uvloop

        uvloop.install()
    if args.mode == "ws-echo":
        result = asyncio.run(ws_echo(args.port, args.connections, args.duration))
    elif args.mode == "ws-idle":
        result = asyncio.run(ws_idle(args.port, args.connections, args.hold))
    else:
        result = asyncio.run(sse(args.port, args.connections, args.duration, args.period, args.path))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

"""WebSockets through a live runbolt, driven by an independent client (the `websockets` library) and by raw
sockets: echo, close codes, bad input, keep-alive pings, a stuck consumer beside a busy one, graceful stop (1001)
and restart (1012)."""

import base64
import json
import os
import signal
import socket
import time
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from django_bolt.pytest_plugin import LiveServer

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def server():
    with LiveServer() as live:
        yield live


def ws_url(server, path):
    return f"ws://{server.host}:{server.port}{path}"


def events(server):
    with urllib.request.urlopen(f"{server.url}/ws/state/", timeout=5) as response:
        return json.loads(response.read())["events"]


def raw_handshake(server, path="/ws/echo/", extra=""):
    sock = socket.create_connection((server.host, server.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n{extra}\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    return sock, head


def read_frame(sock):
    """(opcode, payload) of the next server frame."""
    first, second = sock.recv(1)[0], sock.recv(1)[0]
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(sock.recv(2), "big")
    elif length == 127:
        length = int.from_bytes(sock.recv(8), "big")
    payload = b""
    while len(payload) < length:
        payload += sock.recv(length - len(payload))
    return first & 0x0F, payload


def test_echo_with_an_independent_client(server):
    with connect(ws_url(server, "/ws/rooms/live-echo/"), subprotocols=["echo.v1"]) as ws:
        assert ws.subprotocol == "echo.v1"
        ws.send("héllo")
        assert ws.recv(timeout=5) == "héllo"
        ws.send(b"\x00" * 100_000)
        assert ws.recv(timeout=5) == b"\x00" * 100_000
    deadline = time.monotonic() + 5
    while ("disconnect", 1000, "live-echo") not in [tuple(e) for e in events(server)]:
        assert time.monotonic() < deadline, events(server)
        time.sleep(0.05)


def test_consumer_close_code_reaches_the_client(server):
    with connect(ws_url(server, "/ws/echo/")) as ws:
        ws.send("close me")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd.code == 4001
    assert closed.value.rcvd.reason == "asked to"


def test_oversized_message_is_closed_with_1009(server):
    with connect(ws_url(server, "/ws/echo/"), max_size=None) as ws:
        ws.send("x" * (1_048_576 + 1))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd.code == 1009


def test_refused_handshake_is_an_http_response(server):
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(server, "/ws/refuse/"))
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body) == {"detail": "WebSocket connection refused."}
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(server, "/ws/private/"))
    assert refused.value.response.status_code == 401


def test_invalid_utf8_over_a_raw_socket_is_1007(server):
    sock, head = raw_handshake(server)
    with sock:
        assert head.startswith(b"HTTP/1.1 101")
        sock.sendall(bytes([0x81, 0x82, 0, 0, 0, 0, 0xFF, 0xFE]))
        opcode, payload = read_frame(sock)
        assert (opcode, int.from_bytes(payload[:2], "big")) == (8, 1007)


def test_a_stuck_consumer_does_not_block_other_connections(server):
    with connect(ws_url(server, "/ws/slow/")) as stuck:
        stuck.send("30")
        started = time.monotonic()
        with connect(ws_url(server, "/ws/echo/")) as other:
            for n in range(20):
                other.send(str(n))
                assert other.recv(timeout=5) == str(n)
        assert time.monotonic() - started < 5
    # Closing the stuck connection cancels its message: the consumer's `finally` ran.
    deadline = time.monotonic() + 5
    while ["slow finally", "30"] not in events(server):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_server_pings_and_drops_a_client_that_never_answers():
    with LiveServer(settings_module="tests.websockets.settings_short_pings") as server:
        # The `websockets` client answers pings: the connection outlives several ping intervals.
        with connect(ws_url(server, "/ws/echo/")) as ws:
            time.sleep(2.0)
            ws.send("still here")
            assert ws.recv(timeout=5) == "still here"
        # A raw client that never answers is pinged, then closed with 1011 once the ping times out.
        sock, head = raw_handshake(server)
        with sock:
            started = time.monotonic()
            assert read_frame(sock) == (9, b"")
            opcode, payload = read_frame(sock)
            assert (opcode, int.from_bytes(payload[:2], "big")) == (8, 1011)
            assert time.monotonic() - started < 3
        # A client that answers pings but sends no message is closed once the idle timeout passes.
        with connect(ws_url(server, "/ws/echo/")) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1000, "idle timeout")


def test_graceful_stop_closes_sockets_with_1001():
    server = LiveServer().start()
    try:
        with connect(ws_url(server, "/ws/echo/")) as ws:
            ws.send("before")
            assert ws.recv(timeout=5) == "before"
            started = time.monotonic()
            server.signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
        assert closed.value.rcvd.code == 1001
        assert server.process.wait(10) == 0
        assert time.monotonic() - started < 8  # not the 30 s shutdown timeout
    finally:
        server.stop()


def test_a_retired_child_closes_sockets_with_1012():
    # Two requests per child: the handshake and one more; then the supervisor starts a successor and retires it.
    server = LiveServer(["--processes", "1", "--max-requests", "2"]).start()
    try:
        with connect(ws_url(server, "/ws/echo/")) as ws:
            urllib.request.urlopen(f"{server.url}/hello", timeout=5).read()
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=15)
        assert closed.value.rcvd.code == 1012
        # The successor serves.
        with connect(ws_url(server, "/ws/echo/")) as again:
            again.send("after")
            assert again.recv(timeout=5) == "after"
    finally:
        server.stop()


def test_a_ping_flood_from_a_client_that_does_not_read_is_not_buffered(server):
    # Each ping asks for a pong. A client that never reads them is not read either once the pongs waiting for it
    # pass the write buffer: its sending stalls (TCP pushes back) instead of the server queueing without bound.
    sock, head = raw_handshake(server)
    with sock:
        assert head.startswith(b"HTTP/1.1 101")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        ping = bytes([0x89, 0xFD]) + b"\0\0\0\0" + b"p" * 125
        burst = ping * 512
        sock.settimeout(2)
        sent = 0
        with pytest.raises(TimeoutError):
            while sent < 256 * 2**20:
                sent += sock.send(burst)
        assert sent < 64 * 2**20, f"{sent / 2**20:.0f} MiB accepted from a client that reads nothing"


def test_an_open_websocket_does_not_keep_a_bridge_thread():
    # One bridge thread: a connection that did blocking work for a message gives the thread back when the message
    # is handled, so HTTP requests (and other sockets) needing the bridge are served while it stays open.
    with LiveServer(settings_module="tests.websockets.settings_one_bridge_thread") as server:
        with connect(ws_url(server, "/ws/bridge/")) as first, connect(ws_url(server, "/ws/bridge/")) as second:
            first.send("a")
            assert first.recv(timeout=5) == "bridged a"
            second.send("b")
            assert second.recv(timeout=5) == "bridged b"
            with urllib.request.urlopen(f"{server.url}/sleep-sync?ms=10", timeout=5) as response:
                assert json.loads(response.read()) == {"slept_ms": 10}
            first.send("c")
            assert first.recv(timeout=5) == "bridged c"

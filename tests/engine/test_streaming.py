"""Streamed bodies and server-sent events through a live runbolt (issue 15): backpressure from the socket to the
producer, the producer stopped (its `finally` run) when the client goes away or a HEAD needs no body, and SSE with
heartbeats and `Last-Event-ID`."""

import http.client
import json
import socket
import time
import uuid

import pytest

from django_bolt.pytest_plugin import LiveServer

from .live import wait_for

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def server():
    with LiveServer() as live:
        yield live


def get_json(server, target: str) -> dict:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", target)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def state(server, token: str) -> dict:
    return get_json(server, f"/stream-state?token={token}")


def open_stream(server, path: str, method: str = "GET", headers: str = "") -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=5)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    return sock


def test_a_client_that_stops_reading_pauses_the_producer(server):
    token = uuid.uuid4().hex
    sock = open_stream(server, f"/stream-forever?token={token}")
    try:
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        # Not reading: once the socket buffers fill, the producer is not asked for more.
        assert wait_for(lambda: state(server, token).get("produced", 0) > 0)
        time.sleep(1.0)
        paused_at = state(server, token)["produced"]
        time.sleep(1.0)
        assert state(server, token)["produced"] == paused_at
        assert paused_at < 200  # ~12 MiB at most in flight: kernel buffers, not the whole stream
        # Reading again resumes it.
        for _ in range(50):
            sock.recv(65536)
        assert wait_for(lambda: state(server, token)["produced"] > paused_at)
    finally:
        sock.close()
    assert wait_for(lambda: state(server, token)["closed"]), "the producer's finally did not run"


def test_disconnect_while_the_producer_waits_cancels_it(server):
    token = uuid.uuid4().hex
    sock = open_stream(server, f"/stream-forever?token={token}&pause_ms=60000")
    try:
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")  # the head goes out at once
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(65536)  # the first chunk waits a minute
    finally:
        sock.close()
    assert wait_for(lambda: state(server, token).get("closed")), "the pending await was not cancelled"
    assert state(server, token)["produced"] == 0


def read_to_close(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    try:
        sock.settimeout(5)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
        return reply
    finally:
        sock.close()


def test_head_does_not_run_the_stream(server):
    token = uuid.uuid4().hex
    sock = open_stream(server, f"/stream-forever?token={token}", method="HEAD", headers="Connection: close\r\n")
    head, _, body = read_to_close(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and body == b""
    time.sleep(0.3)
    assert state(server, token)["produced"] == 0  # closed before its first step


def test_async_producer_runs_in_the_request_context_and_a_failure_cuts_the_stream(server):
    sock = open_stream(server, "/astream-fails", headers="Connection: close\r\n")
    head, _, body = read_to_close(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower()
    # The chunk made before the failure arrives; the closing zero-length chunk never does: the client can tell.
    assert b"first /astream-fails\n" in body
    assert not body.endswith(b"0\r\n\r\n")
    assert wait_for(lambda: any("producer failed" in line for line in server.output))


def publish(server, count: int = 1, size: int = 10) -> dict:
    return get_json(server, f"/feed/publish?count={count}&size={size}")


def test_broadcast_fans_out_drops_a_client_that_stops_reading_and_forgets_one_that_leaves(server):
    fast = open_stream(server, "/feed?ping=0.3")
    slow = open_stream(server, "/feed")
    try:
        assert read_events(fast, b"\r\n\r\n").startswith(b"HTTP/1.1 200")
        assert read_events(slow, b"\r\n\r\n").startswith(b"HTTP/1.1 200")
        assert wait_for(lambda: publish(server, 0)["subscribers"] == 2)
        assert publish(server)["reached"] == 2
        assert b"data: xxxxxxxxxx\n\n" in read_events(fast, b"data: x")
        assert b": ping" in read_events(fast, b": ping")  # quiet for the heartbeat interval
        # `slow` never reads again: once the kernel's buffers are full (up to tcp_wmem's maximum on the server's
        # side, 4 MiB here, and the client's receive window) it falls more than the backlog behind and is dropped,
        # while `fast`, reading, keeps its subscription. Bounded at 32 MiB.
        for _ in range(1024):
            publish(server, count=32, size=1024)  # 33 KB at a time: within the 64 KiB backlog for a reader
            fast.settimeout(0.01)
            try:
                while fast.recv(1 << 20):
                    pass
            except TimeoutError:
                pass
            if publish(server, 0)["subscribers"] == 1:
                break
        assert publish(server)["subscribers"] == 1
    finally:
        slow.close()
    fast.close()
    # A client that left is forgotten once the engine notices (its next write fails or its end of input).
    assert wait_for(lambda: publish(server, 1)["subscribers"] == 0)


def read_events(sock: socket.socket, until: bytes, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while until not in data:
        data += sock.recv(65536)
    return data


def test_server_sent_events_with_heartbeats_and_resume(server):
    token = uuid.uuid4().hex
    sock = open_stream(server, f"/events?token={token}&ping=0.2")
    try:
        data = read_events(sock, b": ping\n\n")
    finally:
        sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"content-type: text/event-stream" in head.lower()
    assert b"cache-control: no-cache" in head.lower()
    assert b"transfer-encoding: chunked" in head.lower()
    for n in (1, 2, 3):
        assert f'event: tick\nid: {n}\ndata: {{"n":{n}}}\n\n'.encode() in body
    assert wait_for(lambda: state(server, token)["closed"]), "the event producer's finally did not run"
    # A reconnecting browser sends the last id it saw; the view resumes after it.
    sock = open_stream(server, f"/events?token={token}-again", headers="Last-Event-ID: 7\r\n")
    try:
        body = read_events(sock, b"id: 10\n")
    finally:
        sock.close()
    assert b"id: 8\n" in body and b"id: 7\n" not in body

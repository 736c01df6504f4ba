"""Slow clients against a live runbolt (issue 14): hundreds of slowloris connections trickling a head do not keep
others from being served and are cut at the request timeout; a body sent too slowly gets 408."""

import http.client
import socket
import time

import pytest

from django_bolt.pytest_plugin import LiveServer

pytestmark = pytest.mark.live

SLOW_CONNECTIONS = 300


def timed_get(server, path: str) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def test_slowloris_connections_are_cut_and_do_not_starve_others():
    with LiveServer(["--request-timeout", "2"], settings_module="tests.engine.settings_short_timeouts") as server:
        slow = []
        for _ in range(SLOW_CONNECTIONS):
            sock = socket.create_connection((server.host, server.port), timeout=5)
            sock.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
        started = time.monotonic()
        answered = []
        while time.monotonic() - started < 1.5:
            for sock in slow:
                try:
                    sock.sendall(b"X-Trickle: 1\r\n")  # never the empty line that ends the head
                except OSError:
                    pass
            answered.append(timed_get(server, "/hello"))
            time.sleep(0.1)
        assert all(status == 200 for status, _ in answered)
        assert max(seconds for _, seconds in answered) < 1.0, answered
        # Past the request timeout each trickling connection is answered 408 (or closed) by the server.
        time.sleep(2.5)
        cut = 0
        for sock in slow:
            sock.settimeout(2)
            try:
                reply = sock.recv(1024)
                cut += reply == b"" or reply.startswith(b"HTTP/1.1 408")
            except ConnectionResetError:
                cut += 1
            except TimeoutError:
                pass  # still open: not cut
            finally:
                sock.close()
        assert cut == SLOW_CONNECTIONS
        assert timed_get(server, "/hello")[0] == 200


def test_a_body_sent_too_slowly_gets_408():
    with LiveServer(settings_module="tests.engine.settings_short_timeouts") as server:
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
            started = time.monotonic()
            reply = b""
            sock.settimeout(0.3)
            while time.monotonic() - started < 4 and not reply:
                try:
                    sock.sendall(b"x")
                    reply = sock.recv(4096)
                except TimeoutError:
                    continue
        assert reply.startswith(b"HTTP/1.1 408"), reply[:100]
        assert b"Request body not received in time." in reply
        assert 0.9 < time.monotonic() - started < 3

"""Helpers for the live-server tests: raw exchanges on a socket, and waiting for what a server does in time."""

import socket
import time
from collections.abc import Callable


def exchange(server, payload: bytes, timeout: float = 3.0) -> bytes:
    """Send ``payload`` and collect what comes back until the server closes or goes quiet (keep-alive)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> bool:
    """True once ``predicate()`` holds, False if ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False

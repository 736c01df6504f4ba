"""
The pipes between the supervisor and its children (``django_bolt.server``): a child asking to be recycled, on
the control pipe whose write end every child inherits; a child saying it accepts, one byte on the ready pipe of
its start-up.
"""

from __future__ import annotations

import os
import select
import time
from contextlib import suppress

CONTROL_FD = "BOLT_CONTROL_FD"


def control_fd() -> int | None:
    fd = os.environ.get(CONTROL_FD)
    return int(fd) if fd is not None else None


def tell_supervisor(message: str) -> None:
    fd = control_fd()
    if fd is not None:
        with suppress(OSError):  # the supervisor is gone: the child is stopped with it, nobody to ask
            os.write(fd, f"{message}\n".encode())


READY_FD = "BOLT_READY_FD"


def tell_supervisor_ready() -> None:
    """A child is listening: one byte on the pipe the supervisor handed it (if any)."""
    fd = os.environ.pop(READY_FD, None)
    if fd is not None:
        with suppress(OSError):  # the supervisor stopped waiting (timed out, or gone): nobody to tell
            os.write(int(fd), b"1")
            os.close(int(fd))


def wait_ready(read_fd: int, count: int, timeout: float) -> bool:
    """Wait until ``count`` children have said they listen (a port that answers may be only the first one's)."""
    deadline = time.monotonic() + timeout
    received = 0
    while received < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        readable, _, _ = select.select([read_fd], [], [], remaining)
        if not readable:
            return False
        chunk = os.read(read_fd, count - received)
        if not chunk:  # every writer closed without a word: children died
            return False
        received += len(chunk)
    return True

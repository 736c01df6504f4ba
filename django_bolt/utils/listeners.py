"""
The supervisor's listening sockets: one per child slot, so the kernel, not a race, spreads connections.

With one socket shared by every child, each new connection goes to whichever child's accept thread runs first,
and actix's accept thread takes everything queued when it wakes: a burst of connections (a load balancer's pool,
wrk's 64) often lands entirely on one process while the others idle (docs/benchmarks.md: 2.4k req/s on two
processes for that split, 6.7k when it is even). On Linux the supervisor instead binds one ``SO_REUSEPORT``
socket per slot; the kernel picks a socket for every new connection, evenly. The supervisor keeps all of them
open for the server's life and a slot's successor (recycle, reload, crash) inherits the slot's socket, so the
connections queued on it are served by the successor, never reset.

A slot with no child accepting (one that died, until its successor is up) is left out by a classic BPF program
attached to the group (``steer``): new connections go, at random, to the slots that accept. Elsewhere than
Linux, or with one process, every child shares one socket as before.
"""

from __future__ import annotations

import ctypes
import logging
import socket
import struct
import sys
from collections.abc import Iterable

logger = logging.getLogger("django_bolt.server")

# <asm-generic/socket.h> and <linux/filter.h>: not in Python's socket module.
_SO_ATTACH_REUSEPORT_CBPF = 51
_SKF_AD_RANDOM = (-0x1000 + 56) & 0xFFFFFFFF  # SKF_AD_OFF + SKF_AD_RANDOM: a random 32-bit number
_LD_ABS_W, _MOD_K, _JEQ_K, _RET_K = 0x20, 0x94, 0x15, 0x06


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class Listeners:
    """The listening sockets of a supervised server; ``fileno(slot)`` is the one a slot's child accepts from."""

    def __init__(self, host: str, port: int, backlog: int, slots: int):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.slots = slots
        per_slot = slots > 1 and sys.platform.startswith("linux")
        if per_slot:
            # A group accepts any same-user socket that also sets SO_REUSEPORT: bind the port once without it
            # first, so a port another server holds is refused as without slots (EADDRINUSE).
            with _socket(family) as probe:
                probe.bind((host, port))
                port = probe.getsockname()[1]
        self.sockets: list[socket.socket] = []
        try:
            for _ in range(slots if per_slot else 1):
                listener = _socket(family)
                self.sockets.append(listener)
                if per_slot:
                    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                listener.bind((host, port))
                listener.listen(backlog)
                listener.set_inheritable(True)
        except OSError:
            self.close()
            raise
        self.port: int = self.sockets[0].getsockname()[1]
        self._steered: frozenset[int] | None = None

    @property
    def per_slot(self) -> bool:
        return len(self.sockets) > 1

    def fileno(self, slot: int) -> int:
        return self.sockets[slot if self.per_slot else 0].fileno()

    def steer(self, accepting: Iterable[int]) -> None:
        """New connections go to the slots in ``accepting`` only (all of them when it is empty: with no child
        up, connections wait in every queue for the children to come)."""
        if not self.per_slot:
            return
        live = frozenset(slot for slot in accepting if 0 <= slot < self.slots) or frozenset(range(self.slots))
        if live == self._steered:
            return
        try:
            _attach(self.sockets[0], sorted(live))
        except OSError as error:  # a kernel without it: the kernel's own spread, dead slots included
            logger.warning("cannot steer new connections away from a stopped process: %s", error)
        self._steered = live

    def close(self) -> None:
        for listener in self.sockets:
            listener.close()


def _socket(family: int) -> socket.socket:
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return listener


def steering_program(slots: list[int]) -> list[tuple[int, int, int, int]]:
    """The classic BPF program choosing one of ``slots`` (socket indexes in the group, in bind order) at
    random: ``A = random % len(slots)``, then the slot at that position."""
    program = [(_LD_ABS_W, 0, 0, _SKF_AD_RANDOM), (_MOD_K, 0, 0, len(slots))]
    for position, slot in enumerate(slots[:-1]):
        program += [(_JEQ_K, 0, 1, position), (_RET_K, 0, 0, slot)]
    return [*program, (_RET_K, 0, 0, slots[-1])]


def _attach(listener: socket.socket, slots: list[int]) -> None:
    program = steering_program(slots)
    filters = (_Filter * len(program))(*(_Filter(*instruction) for instruction in program))
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the program.
    fprog = struct.pack("HP", len(program), ctypes.addressof(filters))
    listener.setsockopt(socket.SOL_SOCKET, _SO_ATTACH_REUSEPORT_CBPF, fprog)

"""Python helpers the Rust engine calls: the worker event loop and error reporting.

Each engine worker thread owns one asyncio loop that tokio drives: the engine calls `step()` whenever the
loop's selector is readable, a timer is due, or callbacks are ready. `step()` must never block, so the loop's
selector always polls with a zero timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import selectors
import traceback
import types
from collections.abc import Coroutine, Generator
from typing import Any

logger = logging.getLogger("django_bolt.request")


class _PollingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """A selector whose `select` never waits: tokio does the waiting on its file descriptor."""

    def select(self, timeout: float | None = None) -> list:
        return super().select(0)


def new_worker_loop() -> tuple[asyncio.AbstractEventLoop, int]:
    loop = asyncio.SelectorEventLoop(_PollingSelector())
    return loop, loop._selector.fileno()  # type: ignore[attr-defined]


# Passes per step: a finished thread hop needs three (future result, task step, done callback). More would let
# one busy loop hold the worker away from its sockets.
_PASSES_PER_STEP = 4


def step(loop: asyncio.BaseEventLoop) -> float:
    """Run a few iterations; return seconds until the next timer, 0 if callbacks are ready, -1 if idle."""
    ready = loop._ready  # type: ignore[attr-defined]
    for _ in range(_PASSES_PER_STEP):
        loop._run_once()  # type: ignore[attr-defined]
        if not ready:
            break
    if ready:
        return 0.0
    scheduled = loop._scheduled  # type: ignore[attr-defined]
    if scheduled:
        return max(0.0, scheduled[0]._when - loop.time())
    return -1.0


@types.coroutine
def _continue(coro: Any, pending: Any) -> Generator[Any, None, Any]:
    """Carry on a coroutine that was stepped once by the engine and yielded `pending`."""
    while True:
        try:
            yield pending
        except BaseException as exc:  # thrown in by the task (cancellation): pass it on
            try:
                pending = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                pending = coro.send(None)
            except StopIteration as stop:
                return stop.value


async def _resume(coro: Any, pending: Any) -> Any:
    return await _continue(coro, pending)


def resume(loop: asyncio.AbstractEventLoop, coro: Coroutine, pending: Any, on_done: Any) -> asyncio.Task:
    """Turn a suspended coroutine into a task on the worker loop; `on_done(task)` reports back to Rust."""
    task = loop.create_task(_resume(coro, pending))
    task.add_done_callback(on_done)
    return task


def report_exception(exc: BaseException, method: str, path: str, debug: bool) -> bytes:
    """Log an exception that escaped a handler and return the 500 response body."""
    logger.error("Internal Server Error: %s %s", method, path, exc_info=(type(exc), exc, exc.__traceback__))
    body: dict[str, Any] = {"detail": "Internal Server Error"}
    if debug:
        body["exception"] = f"{type(exc).__name__}: {exc}"
        body["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

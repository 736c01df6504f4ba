"""Python helpers the Rust engine calls: the worker event loop, request context and error reporting.

Each engine worker thread owns one asyncio loop that tokio drives: the engine calls `step()` whenever the
loop's selector is readable, a timer is due, or callbacks are ready. `step()` must never block, so the loop's
selector always polls with a zero timeout.

Each request runs in a `contextvars.Context` of its own, where `current_request` holds its `RawRequest`. A
coroutine that suspends continues as a task in that same context (`resume`).

This module is where django_bolt touches private asyncio and asgiref internals (`loop._run_once`, `loop._ready`,
`AsyncToSync.loop_thread_executors`, the context variable behind asgiref's `Local`); tests/engine/
test_runtime_internals.py checks each on every supported Python.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import selectors
import threading
import traceback
import types
from collections.abc import Coroutine, Generator
from concurrent.futures import Executor
from typing import Any

from asgiref import local as asgiref_local
from asgiref.sync import AsyncToSync, SyncToAsync

logger = logging.getLogger("django_bolt.request")

#: The engine's `RawRequest` of the request being served, set by the engine in each request's own context.
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("bolt_current_request", default=None)


class NoMatch(Exception):  # noqa: N818 - Django's "no match" of a URL pattern
    """Raised by a route's handler when a path converter's ``to_python`` refused the path (``ValueError``): as
    in Django, the pattern does not match, and the engine tries the routes after it, then the fall-through."""


class _PollingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """A selector whose `select` never waits: tokio does the waiting on its file descriptor."""

    def select(self, timeout: float | None = None) -> list:
        return super().select(0)


def new_worker_loop(executor: Executor | None = None) -> tuple[asyncio.AbstractEventLoop, int]:
    """A worker's loop, sending thread-sensitive calls to `executor` (the sync bridge's when None)."""
    loop = asyncio.SelectorEventLoop(_PollingSelector())
    loop.bolt_worker_loop = True  # type: ignore[attr-defined]
    if executor is None:
        from django_bolt.sync import thread_sensitive_executor as executor
    route_thread_sensitive(loop, executor)
    return loop, loop._selector.fileno()  # type: ignore[attr-defined]


def stepped_by_engine() -> bool:
    """Whether the running coroutine is being stepped by the engine itself, on a worker loop but in no asyncio
    task: then a sync bridge call can be handed to the engine to wait for (`SyncHop`)."""
    loop = asyncio.events._get_running_loop()
    return loop is not None and asyncio.current_task(loop) is None and getattr(loop, "bolt_worker_loop", False)


def route_thread_sensitive(loop: asyncio.AbstractEventLoop, executor: Executor | None) -> None:
    """Send `sync_to_async(thread_sensitive=True)` calls made on `loop` to `executor` (None: stop).

    asgiref checks this table before falling back to its single process-wide thread: it is how an event loop
    that asgiref did not create gets its own thread-sensitive executor.
    """
    if executor is None:
        AsyncToSync.loop_thread_executors.pop(loop, None)
    else:
        AsyncToSync.loop_thread_executors[loop] = executor  # type: ignore[assignment]


# Passes per step: a finished thread hop needs three (future result, task step, done callback). More would let
# one busy loop hold the worker away from its sockets.
_PASSES_PER_STEP = 4
_TIMER_TICK = 0.001


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
        wait = scheduled[0]._when - loop.time()
        # tokio's timers tick in whole milliseconds: a timer due sooner is run on the next step instead.
        return 0.0 if wait < _TIMER_TICK else wait
    return -1.0


@types.coroutine
def _continue(coro: Any, pending: Any, sends_result: bool) -> Generator[Any, None, Any]:
    """Carry on a coroutine that was stepped once by the engine and yielded `pending`. With `sends_result`,
    `pending` stands for a `SyncHop` the coroutine yielded itself: it is sent the future's result."""
    while True:
        try:
            yield pending
        except BaseException as exc:  # thrown in by the task (cancellation): pass it on
            try:
                pending = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            value = pending.result() if sends_result else None
            sends_result = False
            try:
                pending = coro.send(value)
            except StopIteration as stop:
                return stop.value


async def _resume(coro: Any, pending: Any, sends_result: bool) -> Any:
    return await _continue(coro, pending, sends_result)


def run_thread_sensitive_inline(fn: Any, args: tuple, kwargs: dict) -> Any:
    """Run inline, on the loop's own thread, a call asgiref submitted to a thread-sensitive executor.

    asgiref submits `partial(SyncToAsync.thread_handler, loop, ...)`, which records `loop` in the thread's
    `SyncToAsync.threadlocal` so that a nested `async_to_sync` sends its coroutine there. Inline, that loop is
    this very thread's and is busy running us: record no loop instead (a nested `async_to_sync` then gets a loop
    of its own, as on any thread without one), and leave the thread-locals as they were afterwards.
    """
    handler = getattr(fn, "func", None)
    if isinstance(fn, functools.partial) and fn.args and getattr(handler, "__func__", None) is _THREAD_HANDLER:
        fn = functools.partial(handler, None, *fn.args[1:], **fn.keywords)
    local = SyncToAsync.threadlocal
    saved = dict(local.__dict__)
    try:
        return fn(*args, **kwargs)
    finally:
        local.__dict__.clear()
        local.__dict__.update(saved)


_THREAD_HANDLER = SyncToAsync.thread_handler


def resume(
    loop: asyncio.AbstractEventLoop,
    coro: Coroutine,
    pending: Any,
    on_done: Any,
    context: contextvars.Context,
    after_hop: bool = False,
) -> asyncio.Task:
    """Turn a suspended coroutine into a task on the worker loop, in the request's `context`; `on_done(task)`
    reports back to Rust. `after_hop`: `pending` is the future of the `SyncHop` the coroutine yielded."""
    if after_hop:
        pending._asyncio_future_blocking = True  # as `await future` would have set it
    task = loop.create_task(_resume(coro, pending, after_hop), context=context)
    task.add_done_callback(on_done)
    return task


def settle(future: asyncio.Future, outcome: Any) -> None:
    """Give `future` a `SyncHop`'s outcome — a 1-tuple holding the result, or the exception raised — unless it
    was cancelled meanwhile."""
    if future.done():
        return
    if isinstance(outcome, tuple):
        future.set_result(outcome[0])
    else:
        future.set_exception(outcome)


async def pump(iterator: Any, sink: Any) -> None:
    """Produce an async streamed body into the engine's ``sink``, waiting while the client is behind. Cancelled by
    the engine when the client goes away: the producer's ``finally`` runs at its pending ``await``."""
    try:
        async for chunk in iterator:
            if sink.push(chunk):
                waiter = asyncio.get_running_loop().create_future()
                sink.wait_writable(waiter)
                await waiter
    except asyncio.CancelledError:
        raise
    except BaseException as exc:  # reported by the engine, which ends the response there
        sink.fail(exc)
    else:
        sink.finish()


_SYNC_ONLY_HINT = (
    "A synchronous ORM call ran inside an async view: use `await run_sync(...)` (django_bolt.sync), "
    "`await sync_to_async(...)()`, or the ORM's async methods (`aget`, `acount`, `async for`...)."
)


def _hint(exc: BaseException) -> str:
    from django.core.exceptions import SynchronousOnlyOperation

    return _SYNC_ONLY_HINT if isinstance(exc, SynchronousOnlyOperation) else ""


def report_exception(exc: BaseException, method: str, path: str, debug: bool) -> bytes:
    """Log an exception that escaped a handler and return the 500 response body."""
    hint = _hint(exc)
    logger.error(
        "Internal Server Error: %s %s%s",
        method,
        path,
        f"\n{hint}" if hint else "",
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    body: dict[str, Any] = {"detail": "Internal Server Error"}
    if debug:
        body["exception"] = f"{type(exc).__name__}: {exc}" + (f" {hint}" if hint else "")
        body["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def current_timezone_reader() -> Any:
    """A function answering as ``django.utils.timezone.get_current_timezone()``, read on every data request that
    outputs datetimes. Django's goes through asgiref's ``Local``: a lock, and an exception when no timezone is
    activated (~2 µs). This one reads the ``Local``'s context variable as the asgiref it was checked against lays
    it out (a ``_Storage`` of ``thread_id`` and ``data``, counting only in the thread it belongs to; 3.13 here)
    and is Django's own function with any other layout."""
    from django.utils import timezone

    active = timezone._active
    storage = getattr(active, "__dict__", {}).get("_storage")
    variable = getattr(storage, "__dict__", {}).get("_data")
    stored = getattr(asgiref_local, "_Storage", None)
    if (
        type(active).__name__ != "_DefaultLocal"
        or not isinstance(variable, contextvars.ContextVar)
        or getattr(stored, "__slots__", None) != ("thread_id", "data")
    ):
        return timezone.get_current_timezone
    default_timezone = timezone.get_default_timezone
    get_ident = threading.get_ident

    def current_timezone() -> Any:
        found = variable.get(None)
        if found is not None and found.thread_id == get_ident():
            value = found.data.get("value", found)
            if value is not found:
                return value
        return default_timezone()

    return current_timezone

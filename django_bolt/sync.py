"""The bridge for synchronous work (the Django ORM) inside async handlers.

Async actions must not run blocking database calls on the engine's worker thread: that thread serves every
connection it owns. `run_sync` runs a function on a bounded pool of threads instead, sized by
`BOLT["SYNC_WORKERS"]`. Each pool thread keeps its own database connection (Django connections are per thread;
`CONN_MAX_AGE` keeps them open), so no lock is shared between requests.

A request's sync work all runs on one thread, as under Django's own ASGI handler (which gives each request a
`ThreadSensitiveContext`): its first `run_sync` or `sync_to_async(..., thread_sensitive=True)` call — Django's
`a*` ORM methods and `async for` over a queryset use the latter — leases a pool thread, every later call of the
request runs there, and the engine releases the lease when the response is done. Between two requests a thread
applies Django's request-boundary hygiene (`close_old_connections`). When every thread is leased, a new request's
work waits for one, as it would for a gunicorn thread.

The way back: while the engine itself steps the request's coroutine (it has not yet awaited anything of
asyncio's), `run_sync` yields a `SyncHop` that the bridge thread settles and the engine waits for, sending the
result straight in; a coroutine already running as an asyncio task waits on an asyncio future instead.

Under the test client the bridge runs the function on the calling thread instead (see `inline_sync`): Django's
`TestCase` wraps each test in a transaction on that thread's connection, and work done on any other thread
could not see it. `BOLT["SYNC_MODE"] = "inline"` does the same in production: blocking work runs on the worker
thread itself. That is only a good trade for an embedded database such as SQLite, whose queries take
microseconds — less than the hand-off to another thread costs; with a network database one slow query would
hold up every request of the worker.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import types
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Executor, Future
from queue import SimpleQueue
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError

from django_bolt._engine import SyncHop
from django_bolt._runtime import current_request, run_thread_sensitive_inline, stepped_by_engine
from django_bolt.utils.django_request import via_django

T = TypeVar("T")

_inline = threading.local()


def _pool_size() -> int:
    from django_bolt.settings import api_settings

    return int(api_settings.SYNC_WORKERS)


def _mode_is_inline() -> bool:
    from django_bolt.settings import api_settings

    mode = api_settings.SYNC_MODE
    if mode not in ("thread", "inline"):
        raise ValueError(f'BOLT["SYNC_MODE"] must be "thread" or "inline", not {mode!r}')
    return mode == "inline"


_Item = tuple[Future, Callable[..., Any], tuple, dict]


class _BridgeThread:
    """One pool thread with its own queue, so that work can be sent to this thread in particular."""

    def __init__(self, name: str) -> None:
        self.queue: SimpleQueue[_Item] = SimpleQueue()
        # Set when a lease ends: the next request's first call starts with close_old_connections().
        self.between_requests = True
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            future, fn, args, kwargs = self.queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            if self.between_requests:
                self.between_requests = False
                # Django runs this on request_started/request_finished: drop stale or broken connections.
                close_old_connections()
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                mark_database_outage(exc)
                future.set_exception(exc)
            else:
                future.set_result(result)


class Lease:
    """A request's hold on one bridge thread; work submitted before a thread is free waits in `backlog`."""

    __slots__ = ("bridge", "thread", "backlog", "released")

    def __init__(self, bridge: SyncBridge) -> None:
        self.bridge = bridge
        self.thread: _BridgeThread | None = None
        self.backlog: list[_Item] = []
        self.released = False

    def put(self, item: _Item) -> None:
        if self.thread is not None:
            self.thread.queue.put(item)
        else:
            self.backlog.append(item)

    def release(self) -> None:
        """Called by the engine when the request's response is done."""
        if not self.released:
            self.released = True
            self.bridge._release(self)


class SyncBridge:
    """`SYNC_WORKERS` threads, each leased to one request at a time; free threads also take unleased work."""

    def __init__(self, size: int) -> None:
        self.threads = [_BridgeThread(f"bolt-sync_{i}") for i in range(size)]
        self._free = list(reversed(self.threads))
        self._waiting: deque[Lease] = deque()
        self._lock = threading.Lock()
        self._next = 0

    def lease(self) -> Lease:
        lease = Lease(self)
        with self._lock:
            if self._free:
                lease.thread = self._free.pop()
            else:
                self._waiting.append(lease)
            self._report()
        return lease

    def _report(self) -> None:
        # The metrics gauges, when the server exports metrics; called with the lock held.
        if _reporter is not None:
            _reporter(len(self._waiting), len(self.threads) - len(self._free))

    def _release(self, lease: Lease) -> None:
        with self._lock:
            thread = lease.thread
            if thread is None:  # never got a thread (the request ended while waiting)
                try:
                    self._waiting.remove(lease)
                except ValueError:
                    pass
                self._report()
                for future, *_ in lease.backlog:
                    future.cancel()
                return
            lease.thread = None
            thread.between_requests = True
            if not self._waiting:
                self._free.append(thread)
                self._report()
                return
            waiting = self._waiting.popleft()
            waiting.thread = thread
            for item in waiting.backlog:
                thread.queue.put(item)
            waiting.backlog.clear()
            self._report()

    def submit_unleased(self, item: _Item) -> None:
        """Work outside any request (or after its request ended): a free thread if any, else round robin."""
        with self._lock:
            if self._free:
                thread = self._free[-1]
            else:
                thread = self.threads[self._next % len(self.threads)]
                self._next += 1
        thread.queue.put(item)


_bridge: SyncBridge | None = None
# Set by the server when it exports metrics: called with (requests waiting, threads leased) after each change.
_reporter: Callable[[int, int], None] | None = None


def report_to(reporter: Callable[[int, int], None] | None) -> None:
    global _reporter
    _reporter = reporter


_bridge_lock = threading.Lock()


def get_bridge() -> SyncBridge:
    """The process-wide bridge, created on first use (after fork/spawn, never before)."""
    global _bridge
    if _bridge is None:
        with _bridge_lock:
            if _bridge is None:
                _bridge = SyncBridge(_pool_size())
    return _bridge


def _submit(fn: Callable[..., Any], args: tuple, kwargs: dict, future: Any = None) -> Future:
    """Queue `fn` on the current request's leased thread (leasing one on its first call); `future` (a new
    `Future` if None) gets its outcome."""
    if future is None:
        future = Future()
    item = (future, fn, args, kwargs)
    bridge = get_bridge()
    request = current_request.get()
    if request is None:
        bridge.submit_unleased(item)
        return future
    lease = request.sync_lease
    if lease is None:
        lease = bridge.lease()
        if not request.hold_sync_lease(lease):  # the request has already finished
            lease.release()
            bridge.submit_unleased(item)
            return future
    lease.put(item)
    return future


_inline_worker = threading.local()


def mark_database_outage(exc: BaseException) -> None:
    """Mark a database error raised while a connection is broken or cannot be opened (``database_unavailable``:
    the view answers 503), as opposed to one from a working connection (a bad query: still a 500)."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not connection.is_usable():
            exc.database_unavailable = True  # type: ignore[attr-defined]
            return


def _request_boundary() -> None:
    """
    SYNC_MODE="inline": at the first blocking call of each request, the part of Django's ``close_old_connections``
    that is safe on a thread other requests share: a connection that saw an error is checked and dropped if it no
    longer works (a database restart, a failover), and ``CONN_HEALTH_CHECKS`` run again. A connection in use by a
    transaction is left alone; age (``CONN_MAX_AGE``) does not close it, since another request on this worker may be
    using it — the bridge threads, one request at a time, apply the full rule.
    """
    request = current_request.get(None)
    if getattr(_inline_worker, "request", None) is request:
        return
    _inline_worker.request = request
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue
        connection.health_check_done = False
        if connection.errors_occurred:
            if connection.is_usable():
                connection.errors_occurred = False
                connection.health_check_done = True
            else:
                connection.close()


def _inline_request_call(fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """``fn`` on the worker thread (SYNC_MODE="inline"), with the request-boundary hygiene and outage marking."""
    _request_boundary()
    try:
        return fn(*args, **kwargs)
    except BaseException as exc:
        mark_database_outage(exc)
        raise


def _run_inline(fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    loop = asyncio.events._get_running_loop()
    # The engine marks its loop as running; Django's async-safety check must not fire for work that is
    # synchronous on purpose.
    asyncio.events._set_running_loop(None)
    try:
        return fn(*args, **kwargs)
    finally:
        asyncio.events._set_running_loop(loop)


class ThreadSensitiveExecutor(Executor):
    """Where asgiref sends `sync_to_async(thread_sensitive=True)` calls made on a Bolt event loop.

    Inline under the test client and with `SYNC_MODE="inline"`; otherwise on the request's leased bridge thread.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if is_inline() or _mode_is_inline():
            call = (run_thread_sensitive_inline, (fn, args, kwargs), {})
            future: Future = Future()
            try:
                future.set_result(_run_inline(*call) if is_inline() else _run_inline(_inline_request_call, call, {}))
            except BaseException as exc:
                future.set_exception(exc)
            return future
        return _submit(fn, args, kwargs)


thread_sensitive_executor = ThreadSensitiveExecutor()


class inline_sync:
    """Context manager: while active on this thread, `run_sync` calls the function directly."""

    def __enter__(self) -> inline_sync:
        _inline.depth = getattr(_inline, "depth", 0) + 1
        return self

    def __exit__(self, *exc: object) -> None:
        _inline.depth -= 1


def is_inline() -> bool:
    return getattr(_inline, "depth", 0) > 0


async def run_sync(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run blocking `fn(*args, **kwargs)` without stalling other requests; returns its result."""
    if is_inline():  # the test client: the test's own connection, kept
        return _run_inline(fn, args, kwargs)
    if _mode_is_inline():
        return _run_inline(_inline_request_call, (fn, args, kwargs), {})
    if via_django.get():  # a Bolt view under Django's handler: Django's thread-sensitive semantics
        return await sync_to_async(fn, thread_sensitive=True)(*args, **kwargs)
    context = contextvars.copy_context()
    if stepped_by_engine():  # the engine waits for the bridge itself and sends the result in
        hop = SyncHop()
        _submit(context.run, (fn, *args), kwargs, hop)
        return await _handed_back(hop)
    return await asyncio.wrap_future(_submit(context.run, (fn, *args), kwargs))


@types.coroutine
def _handed_back(hop: SyncHop) -> Generator[SyncHop, Any, Any]:
    """Yield `hop` to the engine, which sends in the call's result (or throws its exception in)."""
    return (yield hop)

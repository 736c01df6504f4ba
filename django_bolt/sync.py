"""The bridge for synchronous work (the Django ORM) inside async handlers.

Async actions must not run blocking database calls on the engine's worker thread: that thread serves every
connection it owns. `run_sync` runs a function on a bounded pool of threads instead. Each pool thread keeps its
own database connection (Django connections are per thread; `CONN_MAX_AGE` keeps them open), so no lock is
shared between requests. The pool is sized by `BOLT["SYNC_WORKERS"]`.

Under the test client the bridge runs the function on the calling thread instead (see `inline_sync`): Django's
`TestCase` wraps each test in a transaction on that thread's connection, and work done on any other thread
could not see it.

`BOLT["SYNC_MODE"] = "inline"` does the same in production: blocking work runs on the worker thread itself.
That is only a good trade for an embedded database such as SQLite, whose queries take microseconds — less than
the hand-off to another thread costs; with a network database one slow query would hold up every request of
the worker.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections

T = TypeVar("T")

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
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


def get_executor() -> ThreadPoolExecutor:
    """The process-wide pool, created on first use (after fork/spawn, never before)."""
    global _executor
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=_pool_size(), thread_name_prefix="bolt-sync")
    return _executor


def _call_in_pool(context: contextvars.Context, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    # Same hygiene Django applies around a request: drop connections that went stale or broke.
    close_old_connections()
    try:
        return context.run(fn, *args, **kwargs)
    finally:
        close_old_connections()


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
    if is_inline() or _mode_is_inline():
        loop = asyncio.events._get_running_loop()
        # The test transport marks its loop as running; Django's async-safety check must not fire for
        # work that is synchronous on purpose.
        asyncio.events._set_running_loop(None)
        try:
            return fn(*args, **kwargs)
        finally:
            asyncio.events._set_running_loop(loop)
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return await loop.run_in_executor(get_executor(), _call_in_pool, context, fn, args, kwargs)

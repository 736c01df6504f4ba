"""
Calling user code that may be sync or async from the async view pipeline.

* ``maybe_await`` — call-site helper for values that may be awaitable.
* ``call_hook`` — for hooks that may do blocking work (``perform_create``, an overridden ``get_object``): an
  ``async def`` is awaited, a plain function runs in the sync bridge (``run_sync``).
* ``call_policy`` — for cheap policy checks (``has_permission``, ``allow_request``): a sync method is called
  inline, and only if it turns out to touch the database (``SynchronousOnlyOperation``) is it re-run in the
  bridge. Policy checks have no side effects before their database read, so the retry is safe.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import types
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import SynchronousOnlyOperation

from django_bolt.sync import run_sync

T = TypeVar("T")


_CoroutineType = types.CoroutineType


def isawaitable(value: Any) -> bool:
    """`inspect.isawaitable`, with the common case (a native coroutine) answered by one type check."""
    return value.__class__ is _CoroutineType or inspect.isawaitable(value)


async def maybe_await(value: T | Awaitable[T]) -> T:
    if isawaitable(value):
        return await value
    return value


def is_async_callable(fn: Any) -> bool:
    """Whether calling ``fn`` gives a coroutine. A bound method's answer is its function's, remembered (~1.5 µs
    through ``inspect``; the pipeline asks it of each authenticator on every request)."""
    if fn.__class__ is types.MethodType:
        function = fn.__func__
        known = _async_functions.get(function)
        if known is None:
            known = inspect.iscoroutinefunction(fn)
            if len(_async_functions) < _ASYNC_FUNCTIONS_MAX:
                _async_functions[function] = known
        return known
    return inspect.iscoroutinefunction(fn) or (callable(fn) and inspect.iscoroutinefunction(type(fn).__call__))


# Functions of classes: they live as long as their classes (bounded for classes made at run time).
_async_functions: dict[Any, bool] = {}
_ASYNC_FUNCTIONS_MAX = 4096


async def call_hook(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Await ``fn`` if async; otherwise run it in the sync bridge (so ORM calls inside it are allowed)."""
    if is_async_callable(fn):
        return await fn(*args, **kwargs)
    result = await run_sync(fn, *args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def call_policy(fn: Callable[..., Any], /, *args: Any) -> Any:
    """Call a sync-or-async policy method; a sync one that needs the database is re-run in the bridge."""
    try:
        result = fn(*args)
    except SynchronousOnlyOperation:
        result = await run_sync(fn, *args)
    if inspect.isawaitable(result):
        result = await result
    return result


@contextmanager
def outside_event_loop() -> Iterator[None]:
    """
    Briefly run synchronous code as if no event loop were running on this thread.

    Django keeps per-thread database connections in separate storage for sync and async contexts (asgiref's
    thread-critical ``Local``). Code that must act on the connection the sync bridge uses on this thread —
    marking a transaction for rollback from a coroutine — runs inside this block.
    """
    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


def run_coroutine_sync(coro: Awaitable[T]) -> T:
    """
    Finish a coroutine from synchronous code (a sync ``request.user`` read meeting an async authenticator).

    Most such coroutines never suspend and complete on the first step; one that does is run on a private
    event loop, which is only possible when this thread is not already running one.
    """
    if inspect.iscoroutine(coro):
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value
        coro.close()
        raise RuntimeError(
            "An async authenticator/permission suspended while being called synchronously; "
            "use `await request.auser()` (the view pipeline does) instead of reading request.user first."
        )
    return asyncio.new_event_loop().run_until_complete(coro)


def adopt_async_wrapper(cls: type, name: str) -> Any:
    """
    ``cls.<name>`` made a coroutine function when it is a sync wrapper (``functools.wraps``) around one — what
    drf-spectacular's ``@extend_schema_view`` puts on a view for an inherited ``list`` or ``retrieve``. The
    wrapper only forwards the call, so awaiting the wrapped coroutine is the same; its attributes (``kwargs``,
    the schema annotations) are kept. Returns the attribute as it is afterwards.
    """
    method = getattr(cls, name, None)
    if method is None or inspect.iscoroutinefunction(method) or not inspect.isfunction(method):
        return method
    if not inspect.iscoroutinefunction(inspect.unwrap(method)):
        return method

    async def forward(*args: Any, **kwargs: Any) -> Any:
        return await method(*args, **kwargs)

    functools.update_wrapper(forward, method)
    owner = next(klass for klass in cls.__mro__ if name in vars(klass))
    setattr(owner, name, forward)
    return forward

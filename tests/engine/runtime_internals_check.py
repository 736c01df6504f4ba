"""Checks, on the Python running this script, the private asyncio and asgiref behaviour `django_bolt._runtime`
relies on. Run by test_runtime_internals.py with each supported interpreter; prints "ok" when all hold."""

import asyncio
import contextvars
import threading
import types
from concurrent.futures import Executor, ThreadPoolExecutor

from asgiref.sync import sync_to_async

from django_bolt import _runtime

probe = contextvars.ContextVar("probe", default=None)


def check_step() -> None:
    loop, fd = _runtime.new_worker_loop(Executor())
    assert isinstance(fd, int) and fd >= 0
    assert _runtime.step(loop) == -1.0  # idle
    ran = []
    loop.call_soon(ran.append, 1)
    assert _runtime.step(loop) == -1.0 and ran == [1]
    loop.call_later(5, ran.append, 2)
    assert 0 < _runtime.step(loop) <= 5
    # A timer due within tokio's millisecond tick is run on the very next step, not a whole tick late (an SSE
    # clock's events to many clients are due microseconds apart).
    loop.call_later(0.0002, ran.append, 3)
    assert _runtime.step(loop) == 0.0
    loop.close()


def check_resume_keeps_the_context() -> None:
    loop, _ = _runtime.new_worker_loop(Executor())
    context = contextvars.copy_context()

    @types.coroutine
    def suspend():
        yield None

    async def handler():
        probe.set("before")
        await suspend()
        probe.set("after")
        return probe.get()

    coro = handler()
    pending = context.run(coro.send, None)  # the engine's inline step
    done = []
    task = _runtime.resume(loop, coro, pending, done.append, context)
    loop.run_until_complete(task)
    assert task.result() == "after" and context[probe] == "after" and probe.get() is None
    loop.close()


def check_stepped_by_engine() -> None:
    """`run_sync` hands a bridge call to the engine only when no asyncio task runs the coroutine."""
    loop, _ = _runtime.new_worker_loop(Executor())
    asyncio.events._set_running_loop(loop)
    try:
        assert _runtime.stepped_by_engine()
    finally:
        asyncio.events._set_running_loop(None)

    async def inside_a_task():
        return _runtime.stepped_by_engine()

    assert loop.run_until_complete(inside_a_task()) is False
    assert _runtime.stepped_by_engine() is False  # no running loop
    loop.close()
    plain = asyncio.new_event_loop()
    asyncio.events._set_running_loop(plain)
    try:
        assert _runtime.stepped_by_engine() is False  # a loop that is not an engine worker's
    finally:
        asyncio.events._set_running_loop(None)
        plain.close()


def check_resume_after_hop() -> None:
    """A coroutine that yielded a hop continues as a task on the future standing for it: sent its result, or
    thrown its exception."""
    loop, _ = _runtime.new_worker_loop(Executor())

    @types.coroutine
    def handed_back(hop):
        return (yield hop)

    async def handler():
        try:
            return await handed_back("hop")
        except LookupError as error:
            return f"caught {error}"

    for outcome, expected in (((41,), 41), (LookupError("in the bridge"), "caught in the bridge")):
        coro = handler()
        assert coro.send(None) == "hop"  # the engine's inline step
        future = loop.create_future()
        task = _runtime.resume(loop, coro, future, [].append, contextvars.copy_context(), True)
        loop.call_soon(_runtime.settle, future, outcome)
        assert loop.run_until_complete(task) == expected
    loop.close()


def check_thread_sensitive_routing() -> None:
    loop, _ = _runtime.new_worker_loop(Executor())
    submitted = []

    class Recording(ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(fn)
            return super().submit(fn, *args, **kwargs)

    executor = Recording(max_workers=1)
    _runtime.route_thread_sensitive(loop, executor)
    try:
        ident = loop.run_until_complete(sync_to_async(threading.get_ident)())
        again = loop.run_until_complete(sync_to_async(threading.get_ident)())
        assert len(submitted) == 2 and ident == again != threading.get_ident()
    finally:
        _runtime.route_thread_sensitive(loop, None)
        executor.shutdown()
        loop.close()


def check_current_timezone() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True, TIME_ZONE="UTC")
    from django.utils import timezone

    read = _runtime.current_timezone_reader()
    assert read is not timezone.get_current_timezone, "asgiref's Local is laid out otherwise: Django's reader"

    def both() -> tuple:
        return read(), timezone.get_current_timezone()

    def same() -> None:
        mine, django = both()
        assert mine is django, (mine, django)

    same()
    timezone.activate("Europe/Paris")
    same()
    # A sync thread sees its own (none activated), as asgiref's Local is thread-local there.
    seen: list = []
    thread = threading.Thread(target=lambda: seen.append(both()))
    thread.start()
    thread.join()
    assert seen[0][0] is seen[0][1] and str(seen[0][0]) == settings.TIME_ZONE

    async def in_task() -> tuple:
        timezone.activate("Asia/Tokyo")
        here = both()
        carried = await sync_to_async(both)()  # the bridge thread gets the task's context
        return here, carried

    here, carried = asyncio.run(in_task())
    assert here[0] is here[1] and str(here[0]) == "Asia/Tokyo"
    assert carried[0] is carried[1] and str(carried[0]) == "Asia/Tokyo"
    same()  # the task's activation stayed in its own context
    assert str(read()) == "Europe/Paris"
    with timezone.override("America/New_York"):
        same()
    timezone.deactivate()
    same()


if __name__ == "__main__":
    check_step()
    check_resume_keeps_the_context()
    check_stepped_by_engine()
    check_resume_after_hop()
    check_thread_sensitive_routing()
    check_current_timezone()
    print("ok")

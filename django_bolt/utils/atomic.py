"""
ATOMIC_REQUESTS for async views.

Django wraps a sync view in ``transaction.atomic()`` for each database with ``ATOMIC_REQUESTS``. An async view's
ORM work runs in the sync bridge, possibly on several threads, so the whole dispatch of such a request runs on one
bridge thread, on an event loop of its own, inside the atomic blocks: every ``run_sync`` call of that request then
uses the same thread and connection, and an exception (or ``set_rollback()``) rolls everything back.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.db import connections, transaction

from django_bolt.sync import inline_sync
from django_bolt.utils.awaitables import outside_event_loop


def set_rollback() -> None:
    """Mark the request's transactions for rollback (used by the exception handler with ATOMIC_REQUESTS)."""
    # Called from coroutines: look at this thread's sync-side connections, the ones atomic() was entered on.
    with outside_event_loop():
        for db in connections.all(initialized_only=True):
            if db.settings_dict["ATOMIC_REQUESTS"] and db.in_atomic_block:
                db.set_rollback(True)


def atomic_aliases(view_func: Any) -> list[str]:
    """Databases with ATOMIC_REQUESTS on, minus those the view opted out of (``@non_atomic_requests``)."""
    # Read per request, as Django does: ATOMIC_REQUESTS may be changed at run time (tests do).
    aliases = []
    for alias, conf in connections.settings.items():
        if conf.get("ATOMIC_REQUESTS") and alias not in getattr(view_func, "_non_atomic_requests", ()):
            aliases.append(alias)
    return aliases


def atomic_dispatch(aliases: list[str], coro: Any) -> Any:
    """Run ``coro`` to completion on this (bridge) thread, inside ``atomic()`` for each alias."""
    loop = asyncio.new_event_loop()
    try:
        with inline_sync():
            # Nested atomics in a fixed order; any exception escaping the view rolls all of them back.
            managers = [transaction.atomic(using=alias) for alias in aliases]
            for manager in managers:
                manager.__enter__()
            exc_info: tuple = (None, None, None)
            try:
                return loop.run_until_complete(coro)
            except BaseException as exc:
                exc_info = (type(exc), exc, exc.__traceback__)
                raise
            finally:
                for manager in reversed(managers):
                    manager.__exit__(*exc_info)
    finally:
        loop.close()

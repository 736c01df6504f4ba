"""
Throttling policies: DRF's rate throttles on Django's cache.

``SimpleRateThrottle`` keeps, per client, the list of its recent request times (newest first) under the cache
key ``throttle_{scope}_{ident}`` — the same keys and values as DRF, so with a shared cache (Redis, Memcached)
the limit holds across processes and even across a DRF deployment and a bolt one. A refused request gets 429
with ``Retry-After``.

The cache may be a network round-trip: ``aallow_request`` runs the whole read-check-write step in the sync
bridge (one hop), never on the worker thread; with an in-process cache (LocMem) it stays on the loop. A
``allow_request`` called on the loop with a network cache raises ``SynchronousOnlyOperation`` before any
cache call, which the pipeline answers by re-running it in the bridge (as for the ORM). ``allow_request`` stays the
synchronous DRF hook; overriding it (or ``get_cache_key``, ``throttle_success``…) works as in DRF.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time
from typing import Any

from django.core.cache import cache as default_cache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation

from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import is_async_callable

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Caches living in this process: reading them never waits on I/O.
_IN_PROCESS_CACHES = (LocMemCache, DummyCache)


def _refuse_blocking_cache_on_loop(cache: Any) -> None:
    """
    Raise ``SynchronousOnlyOperation`` when a network cache would be called from a running event loop, as
    Django does for the ORM: the pipeline then re-runs the check in the sync bridge instead of stalling the
    worker thread.
    """
    if isinstance(_resolve(cache), _IN_PROCESS_CACHES):
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    if not os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
        raise SynchronousOnlyOperation("A throttle's cache round-trip must not run on the event loop.")


def _resolve(cache: Any) -> Any:
    # ``django.core.cache.cache`` is a proxy to the default alias: look at the real backend.
    from django.core.cache import caches

    return caches["default"] if cache is default_cache else cache


class _DefaultRates:
    """``THROTTLE_RATES`` read from the settings when used (DRF freezes it at import time)."""

    def __get__(self, instance: Any, owner: type | None = None) -> dict[str, Any]:
        return api_settings.DEFAULT_THROTTLE_RATES


class BaseThrottle:
    """Base of throttles: implement ``allow_request`` (sync or ``async def``) and optionally ``wait``."""

    def allow_request(self, request: Any, view: Any) -> Any:
        """``True`` to let the request through, ``False`` to answer 429."""
        raise NotImplementedError(".allow_request() must be overridden")

    async def aallow_request(self, request: Any, view: Any) -> bool:
        """``allow_request`` for the async pipeline: awaited if async, else run in the sync bridge."""
        allow = self.allow_request
        if is_async_callable(allow):
            return await allow(request, view)
        result = await run_sync(allow, request, view)
        return await result if inspect.isawaitable(result) else result

    def get_ident(self, request: Any) -> str:
        """
        The client's address. ``X-Forwarded-For`` is trusted only with ``NUM_PROXIES`` set (then the address
        that many hops from the right); with ``NUM_PROXIES = 0`` or unset, the socket's peer address is used.
        (DRF uses the whole header when ``NUM_PROXIES`` is unset; we don't: it would let clients spoof.)
        """
        xff = request.headers.get("x-forwarded-for")
        remote_addr = self._peer_address(request)
        num_proxies = api_settings.NUM_PROXIES
        if num_proxies is not None:
            if num_proxies == 0 or xff is None:
                return remote_addr
            addrs = xff.split(",")
            return addrs[-min(num_proxies, len(addrs))].strip()
        # Deliberate deviation from DRF (docs/deviations.md): without NUM_PROXIES the header is not trusted, so
        # a client cannot pick its own identity and reset its budget.
        return remote_addr

    @staticmethod
    def _peer_address(request: Any) -> Any:
        raw = getattr(request, "raw", None)
        client = getattr(raw, "client", None) if raw is not None else None
        if client:
            # The engine's peer address: no need to build META for it.
            return client[0]
        return request.META.get("REMOTE_ADDR")

    def wait(self) -> float | None:
        """Seconds the client should wait before retrying (``Retry-After``), or ``None``."""
        return None


class SimpleRateThrottle(BaseThrottle):
    """
    A throttle allowing ``rate`` requests (``"100/h"``; period ``s``, ``m``, ``h`` or ``d``) per cache key.
    Set ``rate`` or a ``scope`` named in ``DEFAULT_THROTTLE_RATES``, and implement ``get_cache_key``.
    """

    cache: Any = default_cache
    timer = time.time
    cache_format = "throttle_%(scope)s_%(ident)s"
    scope: str | None = None
    THROTTLE_RATES: Any = _DefaultRates()

    def __init__(self) -> None:
        if not getattr(self, "rate", None):
            self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        """The cache key identifying this client (and scope), or ``None`` not to throttle the request."""
        raise NotImplementedError(".get_cache_key() must be overridden")

    def get_rate(self) -> str | None:
        """The rate string for ``scope`` from ``THROTTLE_RATES``."""
        if not getattr(self, "scope", None):
            raise ImproperlyConfigured(f"You must set either `.scope` or `.rate` for '{type(self).__name__}' throttle")
        try:
            return self.THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No default throttle rate set for '{self.scope}' scope")

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        """``"10/m"`` → ``(10, 60)``; ``None`` → ``(None, None)`` (no throttling)."""
        if rate is None:
            return (None, None)
        num, period = rate.split("/")
        return (int(num), _PERIODS[period[0]])

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        _refuse_blocking_cache_on_loop(self.cache)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        # The history is newest first: drop the entries that fell out of the window.
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    async def aallow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None and type(self).allow_request is SimpleRateThrottle.allow_request:
            return True
        return await self._acheck(request, view)

    async def _acheck(self, request: Any, view: Any) -> bool:
        allow = self.allow_request
        if is_async_callable(allow) or not isinstance(_resolve(self.cache), _IN_PROCESS_CACHES):
            # A network cache: the get and the set go to the bridge together (one hop).
            return await BaseThrottle.aallow_request(self, request, view)
        # An in-process cache does no I/O: stay on the loop, unless reading request.user needs the database.
        try:
            result = allow(request, view)
        except SynchronousOnlyOperation:
            result = await run_sync(allow, request, view)
        return await result if inspect.isawaitable(result) else result

    def throttle_success(self) -> bool:
        """Record this request's time and allow it."""
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
        return True

    def throttle_failure(self) -> bool:
        """Refuse the request (nothing is recorded)."""
        return False

    def wait(self) -> float | None:
        """The remaining window spread over the requests still allowed in it."""
        if self.history:
            remaining = self.duration - (self.now - self.history[-1])
        else:
            remaining = self.duration
        available = self.num_requests - len(self.history) + 1
        if available <= 0:
            return None
        return remaining / float(available)

    def _user_or_ident(self, request: Any) -> Any:
        user = request.user
        if user and user.is_authenticated:
            return user.pk
        return self.get_ident(request)


class AnonRateThrottle(SimpleRateThrottle):
    """Throttles anonymous clients by address (``DEFAULT_THROTTLE_RATES["anon"]``); users pass freely."""

    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(SimpleRateThrottle):
    """Throttles users by primary key and anonymous clients by address (``DEFAULT_THROTTLE_RATES["user"]``)."""

    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self._user_or_ident(request)}


class ScopedRateThrottle(SimpleRateThrottle):
    """
    Throttles views by their ``throttle_scope`` attribute, with the rate of that scope in
    ``DEFAULT_THROTTLE_RATES``; views without it are not throttled.
    """

    scope_attr = "throttle_scope"

    def __init__(self) -> None:
        # The scope, hence the rate, is only known once the view calls allow_request.
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    async def aallow_request(self, request: Any, view: Any) -> bool:
        unscoped = not getattr(view, self.scope_attr, None)
        if unscoped and type(self).allow_request is ScopedRateThrottle.allow_request:
            return True
        return await self._acheck(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self._user_or_ident(request)}

"""A viewset whose actions use Django's async ORM, `sync_to_async`, a ContextVar and translation, as a tutorial
would. Each answer reports what the request saw, so tests can tell whether anything leaked between requests."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from decimal import Decimal

from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone, translation

from django_bolt._runtime import stepped_by_engine
from django_bolt.decorators import action
from django_bolt.exceptions import NotFound
from django_bolt.permissions import AllowAny
from django_bolt.response import Response
from django_bolt.sync import run_sync
from django_bolt.viewsets import BoltViewSet
from tests.app.models import Item

probe: contextvars.ContextVar[str | None] = contextvars.ContextVar("isolation_probe", default=None)


def _where() -> tuple[int, int]:
    """The thread and its database connection (Django connections are per thread)."""
    connection.ensure_connection()
    return threading.get_ident(), id(connection.connection)


def _two_writes_in_one_transaction(token: str) -> tuple[int, int, int]:
    with transaction.atomic():
        first = Item.objects.create(name=f"{token}-atomic", price=Decimal("1.00"), quantity=1)
        Item.objects.filter(pk=first.pk).update(quantity=2)
    thread, conn = _where()
    return thread, conn, Item.objects.get(pk=first.pk).quantity


def _probe_here() -> list:
    return [probe.get(), threading.get_ident()]


def _fail(kind: str) -> None:
    if kind == "not_found":
        raise NotFound("no such thing")
    raise LookupError(f"{kind} raised in the bridge")


def _slow_create(token: str) -> None:
    time.sleep(0.3)
    Item.objects.create(name=token, price=Decimal("1.00"), quantity=1)


class IsolationViewSet(BoltViewSet):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @action(detail=False, methods=["post"])
    async def orm(self, request):
        """Every `a*` method once, plus `async for` and `sync_to_async`; leaves exactly one row named `token`."""
        token = request.data["token"]
        seen_probe = probe.get()
        probe.set(token)
        language = translation.get_language()
        zone = timezone.get_current_timezone_name()
        translation.activate(request.data.get("language", "en-us"))
        timezone.activate(request.data.get("timezone", "UTC"))

        places = [await sync_to_async(_where)()]
        item = await Item.objects.acreate(name=token, price=Decimal("2.50"), quantity=1)
        got = await Item.objects.aget(pk=item.pk)
        got.quantity = 5
        await got.asave()
        twin, created = await Item.objects.aget_or_create(name=f"{token}-twin", defaults={"price": Decimal("1")})
        exists = await Item.objects.filter(name=token).aexists()
        first = await Item.objects.filter(name__startswith=token).order_by("name").afirst()
        total = await Item.objects.filter(name__startswith=token).aaggregate(total=Sum("quantity"))
        names = [row.name async for row in Item.objects.filter(name__startswith=token).order_by("name")]
        counted = await Item.objects.filter(name__startswith=token).acount()
        await twin.adelete()
        atomic_thread, atomic_conn, atomic_quantity = await sync_to_async(_two_writes_in_one_transaction)(token)
        places.append((atomic_thread, atomic_conn))
        await Item.objects.filter(name=f"{token}-atomic").adelete()
        places += await asyncio.gather(sync_to_async(_where)(), sync_to_async(_where)())
        places.append(await run_sync(_where))
        await asyncio.sleep(0)  # continue as a task: the context must follow
        return Response(
            {
                "token": token,
                "probe_before": seen_probe,
                "probe_after": probe.get(),
                "language_before": language,
                "language_after": translation.get_language(),
                "timezone_before": zone,
                "created": created,
                "exists": exists,
                "first": first.name,
                "total": total["total"],
                "names": names,
                "counted": counted,
                "atomic_quantity": atomic_quantity,
                "threads": sorted({thread for thread, _ in places}),
                "connections": len({conn for _, conn in places}),
                "worker_thread": threading.get_ident(),
            }
        )

    @action(detail=False, methods=["get"])
    async def context(self, request):
        """What this request inherited, then set something for the next request to (not) see."""
        seen = {"probe": probe.get(), "language": translation.get_language()}
        probe.set(request.query_params.get("set", "leaked"))
        if request.query_params.get("language"):
            translation.activate(request.query_params["language"])
        return Response(seen)

    @action(detail=False, methods=["get"])
    async def sync_orm(self, request):
        """A sync ORM call straight in an async action: Django's SynchronousOnlyOperation."""
        return Response({"count": Item.objects.count()})

    @action(detail=False, methods=["get"])
    async def count(self, request):
        """The ORM through run_sync, then through the async ORM (asgiref's thread-sensitive executor)."""
        return Response({"count": await run_sync(Item.objects.count), "acount": await Item.objects.acount()})

    @action(detail=False, methods=["get"])
    async def hops(self, request):
        """Bridge calls while the engine steps the action itself (no asyncio task yet), then after it became one."""
        engine_steps = stepped_by_engine()
        probe.set("set-before-the-hop")
        seen = [await run_sync(_probe_here), await run_sync(_probe_here)]
        try:
            await run_sync(_fail, request.query_params.get("fail", "lookup"))
        except LookupError as error:
            caught = str(error)
        probe.set("set-between-hops")
        seen.append(await run_sync(_probe_here))
        await asyncio.sleep(0)  # now an asyncio task: the bridge call takes the asyncio route
        seen.append(await run_sync(_probe_here))
        return Response(
            {
                "engine_steps": engine_steps,
                "task_after_sleep": not stepped_by_engine(),
                "seen": seen,
                "caught": caught,
                "probe": probe.get(),
                "worker_thread": threading.get_ident(),
            }
        )

    @action(detail=False, methods=["post"])
    async def slow_create(self, request):
        """Two bridge calls: the second writes a row after the client may have gone."""
        await run_sync(time.sleep, 0.05)
        await run_sync(_slow_create, request.data["token"])
        return Response({"created": request.data["token"]})

    @action(detail=False, methods=["get"])
    async def background(self, request):
        """A task started before a bridge call runs while the call is under way, not only after it."""
        ran: list = []

        async def record() -> None:
            ran.append(time.monotonic())

        asyncio.get_running_loop().create_task(record())
        await run_sync(time.sleep, 1.0)
        hop_done = time.monotonic()
        return Response({"ran_during_the_hop": bool(ran) and ran[0] < hop_done - 0.5})

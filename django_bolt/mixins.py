"""
The actions of the generic views and viewsets: ``list``, ``create``, ``retrieve``, ``update``,
``partial_update``, ``destroy``, with DRF's ``perform_*`` hooks.

Actions are coroutines. Their ORM work runs in the sync bridge, grouped so that a request costs as few thread
hand-offs as possible (``list`` is one; ``retrieve`` with the default ``get_object`` is one unless an object
permission is async). The hooks keep DRF's shape and may be overridden sync (the usual DRF code, run in the
bridge, so it may use the ORM) or ``async def`` (awaited on the loop).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from django.http import Http404

from django_bolt import status
from django_bolt.pagination import PageNumberPagination
from django_bolt.permissions import BasePermission
from django_bolt.prepared_lookups import get_row
from django_bolt.prepared_pages import page_columns
from django_bolt.prepared_queries import MISS
from django_bolt.response import Response
from django_bolt.serializers.plans.lists import FetchedColumns, build_rows, built_rows, column_plan
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import call_hook, call_policy, is_async_callable, isawaitable


async def _validated(serializer: Any) -> None:
    if hasattr(serializer, "ais_valid"):
        await serializer.ais_valid(raise_exception=True)
    else:
        await run_sync(serializer.is_valid, raise_exception=True)


async def _serialized(serializer: Any) -> Any:
    if hasattr(type(serializer), "adata"):
        return await serializer.adata
    return await run_sync(lambda: serializer.data)


async def _save_with_hook(serializer: Any, hook: Any, *after: Any) -> Any:
    """Validate, run the save hook, serialize: in one bridge call when the hook is sync."""
    if is_async_callable(hook):
        await _validated(serializer)
        await hook(serializer)
        for step in after:
            step()
        return await _serialized(serializer)

    def work() -> Any:
        serializer.is_valid(raise_exception=True)
        hook(serializer)
        for step in after:
            step()
        return serializer.data

    return await run_sync(work)


class CreateModelMixin:
    """``create``: validate ``request.data``, save, answer 201 with ``Location`` when the data has a URL."""

    async def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        data = await _save_with_hook(serializer, self.perform_create)
        headers = self.get_success_headers(data)
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def perform_create(self, serializer: Any) -> None:
        """Save the new instance; override to pass extra attributes (``serializer.save(owner=...)``)."""
        serializer.save()

    def get_success_headers(self, data: Any) -> dict[str, str]:
        """``Location`` from the ``URL_FIELD_NAME`` field of the created representation, if present."""
        try:
            return {"Location": str(data[api_settings.URL_FIELD_NAME])}
        except (TypeError, KeyError):
            return {}


class ListModelMixin:
    """``list``: the filtered queryset, paginated when a paginator is configured."""

    async def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return await run_sync(self._list_response)

    def _list_response(self) -> Response:
        """The whole of ``list``, synchronously: it runs in one bridge call (with the authentication and
        permission checks too when the compiled pipeline can join them, see ``django_bolt.pipeline``)."""
        queryset = self.filter_queryset(self.get_queryset())
        if _default_page_hooks(self):
            response = page_columns(self.paginator, self, queryset)
            if response is not None:
                return response
        page = self.paginate_queryset(queryset)
        if page is not None:
            serializer = self.get_serializer(page, many=True)
            return self.get_paginated_response(serializer.data)
        serializer = self.get_serializer(queryset, many=True)
        return Response(serializer.data)


def _default_page_hooks(view: Any) -> bool:
    """DRF's own paginate_queryset on the view and on a PageNumberPagination paginator (see page_columns)."""
    paginator = view.paginator
    return (
        isinstance(paginator, PageNumberPagination)
        and type(paginator).paginate_queryset is PageNumberPagination.paginate_queryset
        and type(view).paginate_queryset is _generic_view().paginate_queryset
    )


@cache
def _generic_view() -> type:
    # Imported on first use: generics imports this module.
    from django_bolt.generics import GenericAPIView

    return GenericAPIView


class RetrieveModelMixin:
    """``retrieve``: the object named by the URL."""

    async def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if _default_get_object(self):
            return await _retrieve_default(self, request)
        instance = await call_hook(self.get_object)
        serializer = self.get_serializer(instance)
        return Response(await _serialized(serializer))


_defaults: tuple[Any, Any, Any] | None = None


def _default_methods() -> tuple[Any, Any, Any]:
    # Imported on first use: generics imports this module, and the serializers import the views' modules.
    global _defaults
    if _defaults is None:
        from django_bolt.generics import GenericAPIView
        from django_bolt.serializers.base import BaseSerializer
        from django_bolt.views import APIView

        _defaults = (GenericAPIView.get_object, APIView.check_object_permissions, BaseSerializer.adata)
    return _defaults


def _default_get_object(view: Any) -> bool:
    get_object, check_object_permissions, _ = _default_methods()
    cls = type(view)
    return (
        cls.get_object is get_object
        and cls.check_object_permissions is check_object_permissions
        and hasattr(view, "_lookup_object")
    )


class _Unfinished:
    """What the bridge hands back when the rest of an action must await something on the loop: a permission
    check (from ``index``, with the ``pending`` answer if it gave one) or a custom serializer's ``adata``."""

    __slots__ = ("permissions", "index", "pending", "instance", "serializer")

    def __init__(self, permissions: Any = (), index: int = 0, pending: Any = None, serializer: Any = None) -> None:
        self.permissions = permissions
        self.index = index
        self.pending = pending
        self.instance: Any = None
        self.serializer = serializer


def check_in_bridge(view: Any, request: Any, permissions: list, check: str, *args: Any) -> _Unfinished | None:
    """Each permission's ``check`` (``has_permission``/``has_object_permission``) in DRF's order, run
    synchronously in the bridge; an async one, or one answering with an awaitable, stops here and the rest is
    finished on the loop by ``finish_checks``."""
    for index, permission in enumerate(permissions):
        method = getattr(permission, check)
        if is_async_callable(method):
            return _Unfinished(permissions, index)
        allowed = method(request, view, *args)
        if isawaitable(allowed):
            return _Unfinished(permissions, index, allowed)
        if not allowed:
            _deny(view, request, permission)
    return None


async def finish_checks(view: Any, request: Any, unfinished: _Unfinished, check: str, *args: Any) -> None:
    """The permission checks ``check_in_bridge`` left, on the loop."""
    for index in range(unfinished.index, len(unfinished.permissions)):
        permission = unfinished.permissions[index]
        if index == unfinished.index and unfinished.pending is not None:
            allowed = await unfinished.pending
        else:
            allowed = await call_policy(getattr(permission, check), request, view, *args)
        if not allowed:
            _deny(view, request, permission)


def _sync_data(serializer: Any) -> bool:
    # Our serializers' `adata` only reads `data` in the bridge; a custom one must be awaited.
    adata = getattr(type(serializer), "adata", None)
    return adata is None or adata is _default_methods()[2]


async def _retrieve_default(view: Any, request: Any) -> Response:
    """
    ``retrieve`` with the default ``get_object``, in one bridge hop: fetch, object permissions, serializer and
    ``data``, in DRF's order. An async permission (or one answering with an awaitable) is awaited on the loop,
    from the permission where the bridge stopped; serialization then takes a second hop.
    """

    def work() -> Any:
        permissions = view.get_permissions()
        queryset = view.filter_queryset(view.get_queryset())
        data = _row_representation(view, permissions, queryset)
        if data is not None:
            return Response(data)
        instance = view._lookup_object(queryset)
        unfinished = check_in_bridge(view, request, permissions, "has_object_permission", instance)
        if unfinished is None:
            serializer = view.get_serializer(instance)
            if _sync_data(serializer):
                return Response(serializer.data)
            unfinished = _Unfinished(serializer=serializer)
        unfinished.instance = instance
        return unfinished

    result = await run_sync(work)
    if not isinstance(result, _Unfinished):
        return result
    serializer = result.serializer
    if serializer is None:
        await finish_checks(view, request, result, "has_object_permission", result.instance)
        serializer = view.get_serializer(result.instance)
    return Response(await _serialized(serializer))


def _row_representation(view: Any, permissions: list, queryset: Any) -> Any:
    """
    ``retrieve``'s data read as the serializer's columns of the one row, with no model instance, when nothing
    needs the instance: DRF's lookup and ``get_serializer``, object permissions that allow every object
    (``BasePermission``'s), a serializer of plain columns (``column_plan``). ``None`` otherwise, or when the
    compiled statement cannot answer this request (the instance path then does, exactly).
    """
    cls, generic = type(view), _generic_view()
    if cls._lookup_object is not generic._lookup_object or cls.get_serializer is not generic.get_serializer:
        return None
    allowing = _allow_every_object()
    if any(type(permission).has_object_permission not in allowing for permission in permissions):
        return None
    plan = column_plan(view.get_serializer_class(), queryset.model)
    value = view.kwargs.get(view.lookup_url_kwarg or view.lookup_field)
    if plan is None or value is None:
        return None
    fetched = get_row(queryset, view.lookup_field, value, plan.attnames)
    if fetched is MISS:
        return None
    rows = built_rows(plan, FetchedColumns(*fetched))
    if len(rows) > 1:  # several rows: the instance path raises as get() does
        return None
    if not len(rows):
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return build_rows(plan, FetchedColumns(rows, fetched[1], fetched[2]))[0]


def _allow_every_object() -> tuple[Any, ...]:
    # BasePermission.has_object_permission answers True without looking at the object (Bolt's and DRF's, when
    # DRF is loaded).
    drf = sys.modules.get("rest_framework.permissions")
    return (BasePermission.has_object_permission, getattr(drf, "BasePermission", BasePermission).has_object_permission)


def _deny(view: Any, request: Any, permission: Any) -> None:
    view.permission_denied(
        request, message=getattr(permission, "message", None), code=getattr(permission, "code", None)
    )


class UpdateModelMixin:
    """``update`` (PUT) and ``partial_update`` (PATCH)."""

    async def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = await call_hook(self.get_object)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)

        def forget_prefetch() -> None:
            # A prefetch done by get_queryset() is stale after the update: drop it so the response is fresh.
            if getattr(instance, "_prefetched_objects_cache", None):
                instance._prefetched_objects_cache = {}

        data = await _save_with_hook(serializer, self.perform_update, forget_prefetch)
        return Response(data)

    def perform_update(self, serializer: Any) -> None:
        """Save the updated instance."""
        serializer.save()

    async def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return await self.update(request, *args, **kwargs)


class DestroyModelMixin:
    """``destroy``: delete the object, answer 204."""

    async def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = await call_hook(self.get_object)
        await call_hook(self.perform_destroy, instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy(self, instance: Any) -> None:
        """Delete the instance."""
        instance.delete()

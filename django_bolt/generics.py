"""
``GenericAPIView`` — queryset, serializer, lookup, filtering and pagination hooks — and the concrete views
combining it with the mixins (``ListCreateAPIView``, ``RetrieveUpdateDestroyAPIView``…).

The hooks are DRF's and stay synchronous (``get_queryset``, ``get_serializer``, ``filter_queryset``,
``paginate_queryset``): the actions call them inside the sync bridge. ``get_object`` is a coroutine (it reads
the database and awaits object permissions): ``obj = await self.get_object()``; an override may be sync or
async.

The default ``get_queryset()`` marks its clone of the class-level ``queryset``; while that clone reaches the
lookup or the list serializer untouched, the SQL compiled for the first request is re-executed instead of
being rebuilt (``django_bolt.prepared_queries``). Any hook that derives another queryset takes Django's path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.query import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404 as _django_get_object_or_404

from django_bolt import mixins, views
from django_bolt import prepared_lookups as lookups
from django_bolt import prepared_queries as queries
from django_bolt.serializers.base import BaseSerializer
from django_bolt.serializers.typed import TypedSerializer, is_typed_model
from django_bolt.sync import run_sync
from django_bolt.views import _Setting

# Set by django_bolt.compat when DRF is installed: gives the DRF serializers Bolt views create Bolt's read plans.
adapt_serializer: Callable[[Any], Any] | None = None


@lru_cache(maxsize=4096)  # bounded: serializer classes may be created at runtime
def _serializer_kind(serializer_class: Any) -> str:
    """Decided once per class (``get_serializer`` runs per request): typed model, Bolt serializer, or foreign."""
    if is_typed_model(serializer_class):
        return "typed"
    if isinstance(serializer_class, type) and issubclass(serializer_class, BaseSerializer):
        return "native"
    return "foreign"


def get_object_or_404(queryset: Any, *filter_args: Any, **filter_kwargs: Any) -> Any:
    """Django's ``get_object_or_404``, also answering 404 when the lookup value has the wrong type."""
    try:
        return _django_get_object_or_404(queryset, *filter_args, **filter_kwargs)
    except (TypeError, ValueError, ValidationError):
        raise Http404


class GenericAPIView(views.APIView):
    """Base of the generic views: set ``queryset`` and ``serializer_class`` (or override their getters)."""

    queryset: Any = None
    serializer_class: Any = None
    lookup_field = "pk"
    lookup_url_kwarg: str | None = None
    filter_backends = _Setting("DEFAULT_FILTER_BACKENDS")
    pagination_class = _Setting("DEFAULT_PAGINATION_CLASS")

    def get_queryset(self) -> Any:
        """The items of this view; re-evaluated per request (``.all()``), so a class-level queryset is safe."""
        assert self.queryset is not None, (
            f"'{type(self).__name__}' should either include a `queryset` attribute, or override the "
            "`get_queryset()` method."
        )
        queryset = self.queryset
        if isinstance(queryset, QuerySet):
            source, queryset = queryset, queryset.all()
            # Lets the default lookup and list queries reuse their compiled SQL while nothing changes this
            # clone (see django_bolt.prepared_queries).
            queries.mark_source(queryset, source)
        return queryset

    def _lookup_object(self, queryset: Any = None) -> Any:
        """``get_object`` without the permission check (sync: runs in the bridge); ``queryset``: the filtered
        queryset when the caller has made it already."""
        if queryset is None:
            queryset = self.filter_queryset(self.get_queryset())
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        assert lookup_url_kwarg in self.kwargs, (
            f"Expected view {type(self).__name__} to be called with a URL keyword argument named "
            f'"{lookup_url_kwarg}". Fix your URL conf, or set the `.lookup_field` attribute on the view correctly.'
        )
        value = self.kwargs[lookup_url_kwarg]
        obj = lookups.get_object(queryset, self.lookup_field, value)
        if obj is queries.MISS:
            obj = get_object_or_404(queryset, **{self.lookup_field: value})
        return obj

    async def get_object(self) -> Any:
        """The object named by the URL (``lookup_field``/``lookup_url_kwarg``), after object permissions."""
        obj = await run_sync(self._lookup_object)
        await self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """An instance of ``get_serializer_class()`` with ``context`` filled in."""
        serializer_class = self.get_serializer_class()
        kwargs.setdefault("context", self.get_serializer_context())
        kind = _serializer_kind(serializer_class)
        if kind == "typed":  # a pydantic model or msgspec Struct
            return TypedSerializer(serializer_class, *args, **kwargs)
        serializer = serializer_class(*args, **kwargs)
        if kind == "foreign" and adapt_serializer is not None:
            serializer = adapt_serializer(serializer)
        return serializer

    def get_serializer_class(self) -> Any:
        """``serializer_class`` by default; override to vary it (e.g. by ``self.action``)."""
        assert self.serializer_class is not None, (
            f"'{type(self).__name__}' should either include a `serializer_class` attribute, or override the "
            "`get_serializer_class()` method."
        )
        return self.serializer_class

    def get_serializer_context(self) -> dict:
        """Extra context for the serializer: ``request``, ``format``, ``view``."""
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def filter_queryset(self, queryset: Any) -> Any:
        """Apply each of ``filter_backends`` in turn."""
        for backend in list(self.filter_backends):
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    @property
    def paginator(self) -> Any:
        """The paginator instance, or ``None`` without ``pagination_class``."""
        if not hasattr(self, "_paginator"):
            self._paginator = None if self.pagination_class is None else self.pagination_class()
        return self._paginator

    def paginate_queryset(self, queryset: Any) -> Any:
        """A page of results, or ``None`` when pagination is off."""
        if self.paginator is None:
            return None
        return self.paginator.paginate_queryset(queryset, self.request, view=self)

    def get_paginated_response(self, data: Any) -> Any:
        """The paginator's response for a page of serialized data."""
        assert self.paginator is not None
        return self.paginator.get_paginated_response(data)


class CreateAPIView(mixins.CreateModelMixin, GenericAPIView):
    async def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.create(request, *args, **kwargs)


class ListAPIView(mixins.ListModelMixin, GenericAPIView):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.list(request, *args, **kwargs)


class RetrieveAPIView(mixins.RetrieveModelMixin, GenericAPIView):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.retrieve(request, *args, **kwargs)


class DestroyAPIView(mixins.DestroyModelMixin, GenericAPIView):
    async def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.destroy(request, *args, **kwargs)


class UpdateAPIView(mixins.UpdateModelMixin, GenericAPIView):
    async def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.update(request, *args, **kwargs)

    async def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.partial_update(request, *args, **kwargs)


class ListCreateAPIView(mixins.ListModelMixin, mixins.CreateModelMixin, GenericAPIView):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.list(request, *args, **kwargs)

    async def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.create(request, *args, **kwargs)


class RetrieveUpdateAPIView(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, GenericAPIView):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.retrieve(request, *args, **kwargs)

    async def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.update(request, *args, **kwargs)

    async def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.partial_update(request, *args, **kwargs)


class RetrieveDestroyAPIView(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GenericAPIView):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.retrieve(request, *args, **kwargs)

    async def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.destroy(request, *args, **kwargs)


class RetrieveUpdateDestroyAPIView(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, GenericAPIView
):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.retrieve(request, *args, **kwargs)

    async def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.update(request, *args, **kwargs)

    async def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.partial_update(request, *args, **kwargs)

    async def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.destroy(request, *args, **kwargs)

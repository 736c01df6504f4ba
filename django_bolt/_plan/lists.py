"""
Reading many objects at once (``ListSerializer``): the column fast path and direct JSON encoding.

When the child serializer's plan reads nothing but plain model columns and the data is a queryset that would
build ordinary model instances, ``values_list()`` of exactly those columns is fetched and each row goes straight
into its output dict (or, for ``json_bytes()``, into a msgspec struct that encodes to the same JSON). No model
instance, no per-field method call. Anything that could make instances differ from their stored columns
(custom ``__init__``/``from_db``, ``post_init`` receivers, custom querysets, DISTINCT, set operations, a result
cache already filled) keeps the ordinary per-object path.
"""

from __future__ import annotations

from typing import Any

import msgspec
from django.db import models
from django.db.models.query import ModelIterable, QuerySet
from django.db.models.signals import post_init

from django_bolt._plan import codegen
from django_bolt._plan.compile import ReadPlan, read_plan
from django_bolt._plan.convert import NotJsonSafe
from django_bolt._plan.encode import finish_json, json_settings_are_default

_structs: dict[tuple[str, ...], type] = {}


def _serializer_base() -> type:
    from django_bolt.serializers.base import Serializer

    return Serializer


def _uses_plan(child: Any) -> bool:
    # A child with its own to_representation must be called per object, as DRF does.
    serializer = _serializer_base()
    return isinstance(child, serializer) and type(child).to_representation is serializer.to_representation


def _model_builds_plain_instances(model: type) -> bool:
    return (
        model.__init__ is models.Model.__init__
        and model.from_db.__func__ is models.Model.from_db.__func__
        and not post_init.has_listeners(model)
    )


def columns_queryset(data: Any, plan: ReadPlan) -> QuerySet | None:
    """``values_list`` queryset of the plan's columns for ``data``, or ``None`` when the fast path can't apply."""
    if isinstance(data, models.manager.BaseManager):
        data = data.all()
    if not plan.columns_only or not isinstance(data, QuerySet):
        return None
    cls = type(data)
    if cls.values_list is not QuerySet.values_list or cls.__iter__ is not QuerySet.__iter__:
        return None
    query = data.query
    if (
        data._result_cache is not None
        or data._iterable_class is not ModelIterable
        or data._prefetch_related_lookups
        or not issubclass(data.model, plan.model)
        or query.distinct
        or query.combinator
        or not _model_builds_plain_instances(data.model)
    ):
        return None
    return data.values_list(*plan.attnames)


def represent_many(child: Any, iterable: Any) -> list[Any]:
    """``[child.to_representation(item) for item in iterable]``, through the child's plan when possible."""
    if not _uses_plan(child):
        return [child.to_representation(item) for item in iterable]
    plan = read_plan(child)
    rows = columns_queryset(iterable, plan)
    if rows is not None:
        return plan.rows(rows)
    return plan.many(iterable)


def _struct_for(keys: tuple[str, ...]) -> type:
    struct = _structs.get(keys)
    if struct is None:
        names = [f"f{i}" for i in range(len(keys))]
        struct = msgspec.defstruct("Row", [(name, Any) for name in names], rename=dict(zip(names, keys, strict=True)))
        _structs[keys] = struct
    return struct


def can_encode_directly(list_serializer: Any) -> bool:
    """True when ``encode_rows`` can produce ``json_bytes()`` of this ``ListSerializer`` from raw rows."""
    if hasattr(list_serializer, "initial_data") or not json_settings_are_default():
        return False
    child = list_serializer.child
    if not _uses_plan(child):
        return False
    plan = read_plan(child)
    if columns_queryset(list_serializer.instance, plan) is None:
        return False
    try:
        plan.conversions(for_json=True)
    except NotJsonSafe:
        return False
    return True


def encode_rows(child: Any, data: Any) -> bytes:
    """JSON bytes of ``data`` read through ``child``'s column plan (checked by ``can_encode_directly``)."""
    plan = read_plan(child)
    rows = columns_queryset(data, plan)
    shape, convs, types = plan.conversions(for_json=True)
    built = codegen.row_builder(shape, True)(rows, convs, types, _struct_for(plan.keys))
    return finish_json(msgspec.json.encode(built))

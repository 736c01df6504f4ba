"""
Reading many objects at once (``ListSerializer``): the column fast path and direct JSON encoding.

When the child serializer's plan reads nothing but plain model columns and the data is a queryset that would
build ordinary model instances, ``values_list()`` of exactly those columns is fetched and each row goes straight
into its output dict, built by the engine (``json_bytes()`` encodes those dicts). No model instance, no
per-field method call. Anything that could make instances differ from their stored columns
(custom ``__init__``/``from_db``, ``post_init`` receivers, custom querysets, DISTINCT, set operations, a result
cache already filled) keeps the ordinary per-object path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from typing import Any

import msgspec
from django.db import models
from django.db.models.query import ModelIterable, QuerySet
from django.db.models.signals import post_init, pre_init
from django.db.models.sql.constants import MULTI

from django_bolt import prepared_queries as queries
from django_bolt._engine import build_from_instances as _engine_build_from_instances
from django_bolt._engine import build_rows as _engine_build_rows
from django_bolt.serializers.plans import codegen, fusion
from django_bolt.serializers.plans.compile import ReadPlan, class_plan, read_plan
from django_bolt.serializers.plans.convert import CALL, IDENTITY, TYPED, NotJsonSafe
from django_bolt.utils.json_bytes import finish_json, json_settings_are_default
from django_bolt.utils.sql_rows import SqliteRows

# Set by django_bolt.compat: the Bolt twin that reads for a DRF serializer class (``None`` when it has none), and
# the plan a Bolt view's DRF list serializer reads its rows with (``None`` when it reads otherwise).
drf_twin: Callable[[type], type | None] | None = None
drf_list_plan: Callable[[Any], ReadPlan | None] | None = None


@lru_cache(maxsize=1)
def _serializer_base() -> type:
    # Imported on first use: the serializers package imports this module.
    from django_bolt.serializers.base import Serializer

    return Serializer


@lru_cache(maxsize=1)
def _list_base() -> type:
    from django_bolt.serializers.list import ListSerializer

    return ListSerializer


def _is_plain_list(cls: type) -> bool:
    # json_bytes() may skip `.data` only when neither it nor to_representation is customised.
    base = _list_base()
    return cls.to_representation is base.to_representation and cls.data is base.data


def _uses_plan(child: Any) -> bool:
    # A child with its own to_representation must be called per object, as DRF does.
    serializer = _serializer_base()
    cls = type(child)
    return (
        isinstance(child, serializer)
        and cls.to_representation is serializer.to_representation
        and cls._readable_fields is serializer._readable_fields
    )


def _model_builds_plain_instances(model: type) -> bool:
    return (
        model.__init__ is models.Model.__init__
        and model.__getattribute__ is object.__getattribute__
        and model.from_db.__func__ is models.Model.from_db.__func__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
    )


def _columns_source(data: Any, plan: ReadPlan) -> QuerySet | None:
    """The queryset whose plan columns can be fetched with ``values_list``, or ``None``."""
    if isinstance(data, models.manager.BaseManager):
        data = data.all()
    if not plan.columns_only or plan.keyed or not isinstance(data, QuerySet):
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
    return data


def columns_queryset(data: Any, plan: ReadPlan) -> QuerySet | None:
    """``values_list`` queryset of the plan's columns for ``data``, or ``None`` when the fast path can't apply."""
    source = _columns_source(data, plan)
    return None if source is None else source.values_list(*plan.attnames)


def plan_columns(data: Any, plan: ReadPlan) -> FetchedColumns | None:
    """
    The plan's columns of ``data``, fetched (through the view's compiled SQL when ``data`` is an untouched view
    queryset, see ``queries``), or ``None`` when the column path can't apply.
    """
    source = _columns_source(data, plan)
    return None if source is None else _fetch_source(source, plan)


def _fetch_source(source: QuerySet, plan: ReadPlan) -> FetchedColumns:
    # A page whose columns came with its count (prepared_pages) is read once, as fetched.
    prefetched = source.__dict__.pop("_bolt_fetched", None)
    if prefetched is not None and prefetched[0] == plan.attnames:
        return prefetched[1]
    cached = queries.columns(source, plan.attnames)
    if cached is not None:
        return FetchedColumns(*cached)
    return fetch_columns(source.values_list(*plan.attnames))


def _converter_chain(convs: list[Any], expression: Any, connection: Any) -> Any:
    if len(convs) == 1:
        conv = convs[0]
        return lambda value: conv(value, expression, connection)

    def run(value: Any) -> Any:
        for conv in convs:
            value = conv(value, expression, connection)
        return value

    return run


class FetchedColumns:
    """Raw rows of a ``values_list`` query plus, per column, the converters Django would apply to them."""

    __slots__ = ("rows", "converters", "connection")

    def __init__(self, rows: Any, converters: list[tuple[list[Any], Any] | None], connection: Any) -> None:
        self.rows = rows
        self.converters = converters
        self.connection = connection

    def builder_inputs(self, plan: ReadPlan) -> tuple[Any, ...]:
        """
        ``(shape, converters, types, pre flags, pre converters)`` for the engine's row builder: Django's
        converters run before the plan's, or both are replaced by one fused function (``fusion.fuse``).
        """
        shape, convs, types = (list(part) for part in plan.conversions())
        pre: list[bool] = []
        pre_convs: list[Any] = []
        for i, info in enumerate(self.converters):
            if info is None:
                pre.append(False)
                pre_convs.append(None)
                continue
            django_convs, expression = info
            key, attname, kind, _nullable, _single = shape[i]
            fused = fusion.fuse(django_convs, expression, self.connection, kind, convs[i], types[i])
            if fused is None:
                pre.append(True)
                pre_convs.append(_converter_chain(django_convs, expression, self.connection))
            else:
                # The fused function handles None itself.
                shape[i] = (key, attname, CALL, False, False)
                convs[i], types[i] = fused, None
                pre.append(False)
                pre_convs.append(None)
        return tuple(shape), tuple(convs), tuple(types), tuple(pre), tuple(pre_convs)


def fetch_columns(values: QuerySet) -> FetchedColumns:
    """Execute a ``values_list`` queryset: raw rows and the converters of each column (see FetchedColumns)."""
    compiler = values.query.get_compiler(values.db)
    results = compiler.execute_sql(MULTI)
    if compiler.select is None:  # the query was known to be empty before its columns were set up
        return FetchedColumns(iter(()), [None] * len(values.query.values_select), compiler.connection)
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    per_column = [converters.get(i) for i in range(len(fields))]
    return FetchedColumns(chain.from_iterable(results), per_column, compiler.connection)


class BuiltRows:
    """Output dicts built ahead because their number was needed first (a page's total, a retrieve's one row),
    for ``build_rows`` with the same plan; iterating it reads the raw rows again."""

    __slots__ = ("plan", "dicts", "source")

    def __init__(self, plan: ReadPlan, dicts: list[Any], source: Any) -> None:
        self.plan, self.dicts, self.source = plan, dicts, source

    def __len__(self) -> int:
        return len(self.dicts)

    def __iter__(self) -> Any:
        return iter(self.source)


def built_rows(plan: ReadPlan, fetched: FetchedColumns) -> Any:
    """``fetched``'s rows in a sized form: built into dicts at once when the engine reads them (``SqliteRows``,
    a ``BuiltRows``), else as a list."""
    if fetched.rows.__class__ is SqliteRows:
        return BuiltRows(plan, build_rows(plan, fetched), fetched.rows)
    return list(fetched.rows)


def build_rows(plan: ReadPlan, fetched: FetchedColumns) -> list[Any]:
    """Output dicts of the fetched plan columns, built by the engine (``_engine.build_rows``), which converts
    the fused SQLite datetime and decimal columns itself; on SQLite the engine reads the rows itself too."""
    rows = fetched.rows
    if rows.__class__ is BuiltRows and rows.plan is plan:
        return rows.dicts
    columns = _engine_columns(plan, fetched)
    if rows.__class__ is SqliteRows:
        built = rows.read(plan.keys, columns)
        if built is not None:
            return built
    return _engine_build_rows(rows, plan.keys, columns)


# (conversions, converters, connection, engine columns) by the identities of the first two: a compiled
# statement keeps its converters per connection, so its lists resolve their columns once.
_resolved_columns: dict[tuple[int, int], tuple[Any, Any, Any, tuple[Any, ...]]] = {}


def _engine_columns(plan: ReadPlan, fetched: FetchedColumns) -> tuple[Any, ...]:
    conversions = plan.conversions()
    key = (id(conversions), id(fetched.converters))
    known = _resolved_columns.get(key)
    if (
        known is not None
        and known[0] is conversions
        and known[1] is fetched.converters
        and known[2] is fetched.connection
    ):
        return known[3]
    shape, convs, types, _pre, pre_convs = fetched.builder_inputs(plan)
    columns = tuple(map(_engine_column, shape, convs, types, pre_convs))
    if len(_resolved_columns) >= 256:
        del _resolved_columns[next(iter(_resolved_columns))]
    _resolved_columns[key] = (conversions, fetched.converters, fetched.connection, columns)
    return columns


def _engine_column(entry: Any, conv: Any, typ: Any, pre_conv: Any) -> tuple[Any, ...]:
    """One column's conversion for the engine's row builder (a ``None`` value is always output as ``None``)."""
    _key, _attname, kind, _nullable, _single = entry
    if pre_conv is not None:
        finish = fusion.output_function(kind, conv, typ)
        return (CALL, lambda value: finish(pre_conv(value)))
    spec = getattr(conv, "rust_column", None)
    if spec is not None:
        return spec
    if kind == IDENTITY:
        return (IDENTITY,)
    if kind == TYPED:
        return (TYPED, conv, typ if isinstance(typ, tuple) else (typ,))
    return (CALL, conv)


def column_plan(serializer_class: Any, model: type) -> ReadPlan | None:
    """
    The shared plan of ``serializer_class`` when its representation of a ``model`` instance is just the plan's
    columns of that row — DRF's ``__init__``, ``to_representation`` and ``data``, static plain-column fields, a
    model whose instances are built plainly — so one row can be represented without an instance; else ``None``.
    """
    serializer = _serializer_base()
    if not isinstance(serializer_class, type):
        return None
    if not issubclass(serializer_class, serializer):  # a DRF serializer (compat) reads through its twin
        serializer_class = drf_twin(serializer_class) if drf_twin is not None else None
        if serializer_class is None:
            return None
    if (
        serializer_class.__init__ is not serializer.__init__
        or serializer_class.to_representation is not serializer.to_representation
        or serializer_class._readable_fields is not serializer._readable_fields
        or serializer_class.data is not serializer.data
    ):
        return None
    plan = class_plan(serializer_class)
    if plan is None or not plan.shareable or not plan.columns_only or not issubclass(model, plan.model):
        return None
    return plan if _model_builds_plain_instances(model) else None


def columns_plan(list_serializer: Any) -> ReadPlan | None:
    """The plan whose columns ``list_serializer.data`` will read from its queryset, or ``None`` (instances)."""
    child = getattr(list_serializer, "child", None)
    if child is None:
        return None
    if _is_plain_list(type(list_serializer)) and _uses_plan(child):
        plan = read_plan(child)
    else:
        plan = drf_list_plan(list_serializer) if drf_list_plan is not None else None
        if plan is None:
            return None
    return plan if _columns_source(list_serializer.instance, plan) is not None else None


def represent_many(child: Any, iterable: Any) -> list[Any]:
    """``[child.to_representation(item) for item in iterable]``, through the child's plan when possible."""
    if not _uses_plan(child):
        return [child.to_representation(item) for item in iterable]
    plan = read_plan(child)
    fetched = plan_columns(iterable, plan)
    if fetched is not None:
        return build_rows(plan, fetched)
    return represent_instances(plan, iterable)


def represent_instances(plan: ReadPlan, items: Any) -> list[Any]:
    """
    ``plan.many(items)``: when every value is a model column, the dicts are built by the engine from each
    instance's ``__dict__`` (``_engine.build_from_instances``), an object of another class or with a deferred
    column taking the plan's own per-object path.
    """
    if not plan.columns_only or plan.keyed:
        return plan.many(items)
    conversions = plan.conversions()
    known = _instance_columns.get(id(conversions))
    if known is None or known[0] is not conversions:
        if len(_instance_columns) >= 256:
            del _instance_columns[next(iter(_instance_columns))]
        columns = tuple(map(_engine_column, *conversions, (None,) * len(conversions[0])))
        known = _instance_columns[id(conversions)] = (conversions, columns)

    def slow(instance: Any) -> Any:
        return plan.many((instance,))[0]

    return _engine_build_from_instances(items, plan.model, plan.attnames, plan.keys, known[1], slow)


# (conversions, engine columns) by the identity of the conversions, which a plan keeps per settings and zone.
_instance_columns: dict[int, tuple[Any, tuple[Any, ...]]] = {}


def json_bytes_many(list_serializer: Any) -> bytes | None:
    """
    ``json_bytes()`` of a ``ListSerializer`` of instances encoded straight from the plan, or ``None`` (the caller
    then encodes ``data``): for rows of a queryset, which the engine builds as dicts, or when the output types are
    not all known to encode like DRF's renderer.
    """
    if (
        hasattr(list_serializer, "initial_data")
        or not json_settings_are_default()
        or not _is_plain_list(type(list_serializer))
    ):
        return None
    child = list_serializer.child
    if not _uses_plan(child):
        return None
    plan = read_plan(child)
    if not plan.columns_only:
        return None
    data = list_serializer.instance
    if data is None:
        return None
    if _columns_source(data, plan) is not None:
        return None  # the caller encodes `data`, whose rows the engine builds
    try:
        shape, convs, types = plan.conversions(for_json=True, from_rows=False)
    except NotJsonSafe:
        return None
    if isinstance(data, models.manager.BaseManager):
        data = data.all()
    built = codegen.instance_builder(shape, plan.keyed)(data, plan.model, plan.fields, convs, types)
    return finish_json(msgspec.json.encode(built))


def json_bytes_one(serializer: Any) -> bytes | None:
    """``json_bytes()`` of a single-object serializer from its plan, or ``None`` (see ``json_bytes_many``)."""
    if (
        hasattr(serializer, "initial_data")
        or serializer.instance is None
        or not json_settings_are_default()
        or not _uses_plan(serializer)
        or type(serializer).data is not _serializer_base().data
    ):
        return None
    plan = read_plan(serializer)
    if not plan.columns_only:
        return None
    try:
        shape, convs, types = plan.conversions(for_json=True, from_rows=False)
    except NotJsonSafe:
        return None
    built = codegen.instance_builder(shape, plan.keyed)((serializer.instance,), plan.model, plan.fields, convs, types)
    return finish_json(msgspec.json.encode(built[0]))

"""
Read plans: what a serializer does to turn an object into its output dict, worked out once.

A plan lists the readable fields in order. A field whose value is a plain model column (read straight from the
instance's ``__dict__``, or fetched with ``values_list()``) and whose ``to_representation`` depends on nothing but
its own options is a *column step*; everything else is a *generic step* that calls the bound field's
``get_attribute`` and ``to_representation`` exactly as DRF does.

Plans are compiled per serializer class from a prototype instance and shared by every instance that has not
touched its own ``fields`` (touching ``serializer.fields`` gives the instance a plan of its own, so per-instance
changes are honoured). A class whose plan has generic steps compiles a plan per instance, from that instance's
bound fields; the generated code is still shared through the shape cache.
"""

from __future__ import annotations

import inspect
from functools import cache, lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from django_bolt.fields import Field, SkipField
from django_bolt.relations import PKOnlyObject
from django_bolt.serializers.plans import codegen
from django_bolt.serializers.plans.convert import IDENTITY, NotJsonSafe, converter
from django_bolt.utils.timezone import current_timezone

MISSING = object()
EMPTY: dict[str, Any] = {}

# Bumped when API settings change: class plans capture field options read from the settings.
_generation = 0


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _generation
    if setting in ("BOLT", "REST_FRAMEWORK", "USE_TZ", "TIME_ZONE", "DEFAULT_CHARSET"):
        _generation += 1


setting_changed.connect(_settings_changed)


def settings_generation() -> int:
    """A number that changes whenever a setting that shapes serializer output changes (for derived caches)."""
    return _generation


def _datetime_field() -> type:
    from django_bolt.fields import DateTimeField

    return DateTimeField


class _NoModel:
    """Stands for "no model": nothing is an instance of it, so every step reads through its field."""


def emit(ret: dict[str, Any], key: str, field: Field, instance: Any) -> None:
    """DRF's per-field read: ``get_attribute``, ``None`` short-cut, then ``to_representation``."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    ret[key] = None if check is None else field.to_representation(attribute)


class ReadPlan:
    """The compiled read side of one serializer (class or instance); see the module docstring."""

    __slots__ = (
        "fields",
        "model",
        "keys",
        "attnames",
        "nullables",
        "columns_only",
        "fields_obj",
        "generation",
        "uses_timezone",
        "keyed",
        "shareable",
        "_conversions",
    )

    def __init__(self, fields: list[Field], model: type | None, attnames: list[str | None], nullables: list[bool]):
        self.fields = tuple(fields)
        # Without a model, "columns" are the keys of plain dict items.
        self.keyed = model is None
        self.model = model if model is not None else _NoModel
        self.keys = tuple(f.field_name for f in fields)
        self.attnames = tuple(attnames)
        self.nullables = tuple(nullables)
        self.columns_only = bool(fields) and all(a is not None for a in attnames)
        # Shared by instances only for model columns: a missing dict key falls back to the field, whose
        # defaults depend on its own serializer (partial), so dict plans stay per instance.
        self.shareable = self.columns_only and not self.keyed
        self.fields_obj: Any = None
        self.generation = _generation
        # Datetime output depends on the active timezone, so resolved conversions are cached per timezone.
        self.uses_timezone = any(isinstance(f, _datetime_field()) for f in fields)
        self._conversions: dict[tuple, Any] = {}

    def conversions(
        self, for_json: bool = False, from_rows: bool = True
    ) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
        """
        Shape (for the code cache), converters and type tuples for the current settings and timezone. Raises
        ``NotJsonSafe`` for ``for_json=True`` when some output type is not known up front.
        """
        key = (for_json, from_rows, _generation, current_timezone() if self.uses_timezone else None)
        resolved = self._conversions.get(key)
        if resolved is None:
            try:
                resolved = self._resolve(for_json, from_rows)
            except NotJsonSafe as exc:
                resolved = exc
            self._conversions[key] = resolved
        if isinstance(resolved, NotJsonSafe):
            raise resolved
        return resolved

    def _resolve(self, for_json: bool, from_rows: bool) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
        shape, convs, types = [], [], []
        for field, key, attname, nullable in zip(self.fields, self.keys, self.attnames, self.nullables, strict=True):
            if attname is None:
                kind, fn, typ = IDENTITY, None, None
            else:
                kind, fn, typ = converter(field, for_json, from_rows)
            single = typ is not None and len(typ) == 1
            shape.append((key, attname, kind, nullable, single))
            convs.append(fn)
            types.append(typ[0] if single else typ)
        return tuple(shape), tuple(convs), tuple(types)

    def many(self, items: Any) -> list[dict[str, Any]]:
        """Represent every object of ``items``."""
        shape, convs, types = self.conversions()
        return codegen.instance_builder(shape, self.keyed)(items, self.model, self.fields, convs, types)

    def one(self, instance: Any) -> dict[str, Any]:
        return self.many((instance,))[0]


# Compiling -----------------------------------------------------------------------------------------------


def _model_of(serializer: Any) -> type | None:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if isinstance(model, type) and issubclass(model, models.Model) and not model._meta.abstract:
        return model
    return None


@cache
def _plain_column(model: type, name: str) -> tuple[str, bool] | None:
    """``(attname, nullable)`` when ``getattr(obj, name)`` is just the stored value of a concrete column."""
    if name == "pk":
        if inspect.getattr_static(model, "pk", None) is not models.Model.__dict__["pk"]:
            return None
        model_field = model._meta.pk
    else:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if model_field.attname != name:
            return None
    if not getattr(model_field, "concrete", False) or model_field.is_relation:
        return None
    # A custom descriptor (FileField's FieldFile, ...) means the attribute is not the stored value.
    if type(inspect.getattr_static(model, model_field.attname, None)) is not DeferredAttribute:
        return None
    return model_field.attname, model_field.null


@cache
def _foreign_key_column(model: type, name: str) -> tuple[str, bool] | None:
    """``(attname, nullable)`` of a concrete forward foreign key / one-to-one named ``name``."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (model_field.many_to_one or model_field.one_to_one) or not model_field.concrete:
        return None
    if not isinstance(inspect.getattr_static(model, model_field.attname, None), DeferredAttribute):
        return None
    return model_field.attname, model_field.null


@lru_cache(maxsize=4096)  # bounded: classes may be created at runtime
def _column_kind(field_class: type) -> str | None:
    """Per field class: ``fk`` (pk-only related field), ``plain`` (context-free column field) or None."""
    from django_bolt.serializers.plans.convert import _class_is, context_free_methods

    if _class_is(
        field_class, "PrimaryKeyRelatedField", ("get_attribute", "to_representation", "use_pk_only_optimization")
    ):
        return "fk"
    if field_class.get_attribute is Field.get_attribute and field_class.to_representation in context_free_methods():
        return "plain"
    return None


def _column_for(field: Field, model: type | None) -> tuple[str, bool] | None:
    if field.source == "*" or len(field.source_attrs) != 1:
        return None
    kind = _column_kind(type(field))
    if model is None:
        # Dict items: the key named by the source.
        return (field.source_attrs[0], True) if kind == "plain" else None
    if kind == "fk":
        return _foreign_key_column(model, field.source_attrs[0]) if field.pk_field is None else None
    if kind == "plain":
        return _plain_column(model, field.source_attrs[0])
    return None


def compile_plan(serializer: Any, fields: Any) -> ReadPlan:
    """A plan over ``fields`` (bound to ``serializer``): its readable fields, in order."""
    model = _model_of(serializer)
    readable, attnames, nullables = [], [], []
    for field in fields.values():
        if field.write_only:
            continue
        column = _column_for(field, model)
        readable.append(field)
        attnames.append(column[0] if column else None)
        nullables.append(column[1] if column else True)
    plan = ReadPlan(readable, model, attnames, nullables)
    plan.fields_obj = fields
    return plan


def _prototype(cls: type) -> Any:
    # Built without calling a user-defined __init__ (it may need arguments); only BaseSerializer's setup.
    from django_bolt.serializers.base import BaseSerializer

    proto = Field.__new__(cls)
    BaseSerializer.__init__(proto)
    return proto


def class_plan(cls: type) -> ReadPlan | None:
    """The plan shared by instances of ``cls`` that never touched ``fields``; ``None`` if fields are dynamic."""
    entry = cls.__dict__.get("_bolt_class_plan")
    if entry is not None and entry[0] == _generation:
        return entry[1]
    plan = None
    if cls._bolt_static_fields():
        proto = _prototype(cls)
        plan = compile_plan(proto, proto.fields)
        plan.fields_obj = None
        plan.generation = _generation
    cls._bolt_class_plan = (_generation, plan)
    return plan


def represent_one(serializer: Any, instance: Any) -> dict[str, Any]:
    """
    ``serializer.to_representation(instance)`` for one object: through the shared class plan or an already
    compiled plan when there is one, through a new plan for a model instance (its columns are read directly),
    and otherwise with DRF's field-by-field read, which costs less than compiling a plan used once.
    """
    state = serializer.__dict__
    fields = state.get("fields")
    plan = state.get("_bolt_plan")
    if plan is not None and plan.fields_obj is fields and plan.generation == _generation:
        return plan.one(instance)
    if fields is None:
        shared = class_plan(type(serializer))
        if shared is not None and shared.shareable:
            state["_bolt_plan"] = shared
            return shared.one(instance)
        fields = serializer.fields
    model = _model_of(serializer)
    if model is None or not isinstance(instance, model):
        ret: dict[str, Any] = {}
        for field in fields.values():
            if not field.write_only:
                emit(ret, field.field_name, field, instance)
        return ret
    return read_plan(serializer).one(instance)


def read_plan(serializer: Any) -> ReadPlan:
    """The plan to use for ``serializer`` now (cached on the instance while its fields stay the same)."""
    state = serializer.__dict__
    fields = state.get("fields")
    plan = state.get("_bolt_plan")
    if plan is not None and plan.fields_obj is fields and plan.generation == _generation:
        return plan
    if fields is None:
        shared = class_plan(type(serializer))
        if shared is not None and shared.shareable:
            state["_bolt_plan"] = shared
            return shared
        fields = serializer.fields
    plan = compile_plan(serializer, fields)
    state["_bolt_plan"] = plan
    return plan

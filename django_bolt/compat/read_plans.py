"""Bolt's compiled read plans for the DRF serializers that Bolt views use.

A DRF serializer runs ``to_representation`` field by field (~10 µs a row), which made the compat step of a
migration no faster than DRF for lists. Most ``ModelSerializer``s are only a ``Meta`` over DRF's own field
classes, and each of those has a Bolt namesake with the same options and byte-identical output (the parity
suite's subject). For such a class this module builds, once, a Bolt *twin*: a Bolt serializer with the same
fields, built from the same constructor arguments. A Bolt view's DRF serializer then reads through the twin's
plan (column fast path, ``values_list`` for querysets) while validation, saving and everything else stay DRF's.

A class is twinned only when nothing in it can change its output: DRF's own ``__init__``, field building and
``to_representation``; every field a DRF built-in with a Bolt namesake (nested serializers recursively); DRF's
output settings equal Bolt's. Anything else (``SerializerMethodField``, hyperlinks, files, a custom field or
hook) keeps DRF's path. An instance whose ``fields`` were changed after creation falls back to DRF's path too.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models

from django_bolt import fields as bolt_fields
from django_bolt import relations as bolt_relations
from django_bolt import serializers as bolt_serializers
from django_bolt.serializers.plans import lists, represent_many, represent_one
from django_bolt.serializers.plans.compile import ReadPlan, class_plan, settings_generation
from django_bolt.settings import api_settings as bolt_settings
from django_bolt.utils import json_bytes

_DRF_MODULES = frozenset({"rest_framework.fields", "rest_framework.relations", "rest_framework.serializers"})
# DRF field classes whose Bolt namesake reads identically and needs nothing from the request.
_FIELDS = frozenset(
    {
        "BooleanField", "CharField", "EmailField", "RegexField", "SlugField", "URLField", "UUIDField",
        "IPAddressField", "IntegerField", "BigIntegerField", "FloatField", "DecimalField", "DateTimeField", "DateField",
        "TimeField", "DurationField", "ChoiceField", "MultipleChoiceField", "ListField", "DictField",
        "JSONField", "HStoreField", "FilePathField", "ReadOnlyField", "HiddenField",
    }
)  # fmt: skip
_RELATIONS = frozenset({"PrimaryKeyRelatedField", "StringRelatedField", "SlugRelatedField", "ManyRelatedField"})
# Serializer methods that decide which fields exist or what they output; all must be DRF's own.
_HOOKS = (
    "__init__", "fields", "get_fields", "get_field_names", "get_default_field_names", "get_extra_kwargs",
    "build_field", "build_standard_field", "build_relational_field", "build_nested_field", "build_property_field",
    "build_url_field", "build_unknown_field", "include_extra_kwargs", "to_representation", "_readable_fields",
    "data",
)  # fmt: skip
# DRF settings that change what its fields output; a twin reads Bolt's, so they must agree.
_OUTPUT_SETTINGS = ("COERCE_DECIMAL_TO_STRING", "DATETIME_FORMAT", "DATE_FORMAT", "TIME_FORMAT")


class _Untranslatable(Exception):
    pass


def _drf_owned(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__module__.startswith("rest_framework.")
    return True


def _signature(fields: Any) -> tuple:
    """What decides the output of a set of bound fields, cheap to compare per instance."""
    return tuple((name, type(f), f.source, f.write_only) for name, f in fields.items())


def _translate(field: Any) -> Any:
    """The Bolt namesake of a DRF field, built from the same constructor arguments."""
    from rest_framework import serializers as drf

    cls = type(field)
    kwargs = {key: _translate_value(value) for key, value in field._kwargs.items() if key != "validators"}
    if cls is drf.ListSerializer:
        return bolt_serializers.ListSerializer(*field._args, **kwargs)
    if isinstance(field, drf.BaseSerializer):  # a nested serializer: its own twin
        twin = twin_class(cls)
        if twin is None:
            raise _Untranslatable(cls)
        return twin(*field._args, **kwargs)
    if cls.__module__ not in _DRF_MODULES:
        raise _Untranslatable(cls)
    name = cls.__name__
    if name in _FIELDS:
        return getattr(bolt_fields, name)(*field._args, **kwargs)
    if name in _RELATIONS:
        return getattr(bolt_relations, name)(*field._args, **kwargs)
    raise _Untranslatable(cls)


def _translate_value(value: Any) -> Any:
    from rest_framework.fields import Field

    return _translate(value) if isinstance(value, Field) else value


def _build_twin(cls: type) -> type | None:
    from rest_framework import serializers as drf
    from rest_framework.settings import api_settings as drf_settings

    if not all(_drf_owned(cls, hook) for hook in _HOOKS):
        return None
    if any(getattr(drf_settings, key) != getattr(bolt_settings, key) for key in _OUTPUT_SETTINGS):
        return None
    if issubclass(cls, drf.ListSerializer):
        return None
    try:
        prototype = cls()
        declared = {name: _translate(field) for name, field in prototype.fields.items()}
    except _Untranslatable:
        return None
    except Exception:  # a class DRF itself cannot build without arguments or context: keep DRF's path
        return None
    attrs: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}[bolt read plan]"}
    model = getattr(getattr(cls, "Meta", None), "model", None)
    if isinstance(model, type) and issubclass(model, models.Model):
        attrs["Meta"] = type("Meta", (), {"model": model})
    twin = type(cls.__name__, (bolt_serializers.Serializer,), {**attrs, **declared})
    twin._drf_signature = _signature(prototype.fields)  # type: ignore[attr-defined]
    return twin


def twin_class(cls: type) -> type | None:
    """The Bolt twin of DRF serializer class ``cls``, or ``None`` when its output could differ (cached)."""
    entry = cls.__dict__.get("_bolt_twin")
    generation = settings_generation()
    if entry is None or entry[0] != generation:
        entry = (generation, _build_twin(cls))
        cls._bolt_twin = entry  # type: ignore[attr-defined]
    return entry[1]


def _untouched(serializer: Any, twin: type) -> bool:
    fields = serializer.__dict__.get("fields")
    return fields is None or _signature(fields) == twin._drf_signature  # type: ignore[attr-defined]


def _one(serializer: Any, twin: type, instance: Any) -> Any:
    if not _untouched(serializer, twin):
        return type(serializer).to_representation(serializer, instance)
    return represent_one(twin(context=serializer._context), instance)


def _many(serializer: Any, twin: type, data: Any) -> Any:
    if not _untouched(serializer.child, twin):
        return type(serializer).to_representation(serializer, data)
    iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
    return represent_many(twin(context=serializer._context), iterable)


def adapt(serializer: Any) -> Any:
    """Give a DRF serializer made by a Bolt view its twin's read path, when it has one (``generics`` calls this
    for serializers that are not Bolt's own)."""
    from rest_framework import serializers as drf

    if type(serializer) is drf.ListSerializer:
        twin = twin_class(type(serializer.child))
        if twin is not None:
            serializer.to_representation = functools.partial(_many, serializer, twin)
    elif isinstance(serializer, drf.BaseSerializer):
        twin = twin_class(type(serializer))
        if twin is not None:
            serializer.to_representation = functools.partial(_one, serializer, twin)
    return serializer


def list_plan(serializer: Any) -> ReadPlan | None:
    """The plan an adapted DRF ``ListSerializer`` reads its rows with (its child's twin's), or ``None`` when its
    ``data`` takes another path — so a paginated list can hand it a page of columns (``prepared_pages``)."""
    reader = serializer.__dict__.get("to_representation")
    if not isinstance(reader, functools.partial) or reader.func is not _many or reader.args[0] is not serializer:
        return None
    twin = reader.args[1]
    return class_plan(twin) if _untouched(serializer.child, twin) else None


def serializer_twin(cls: type) -> type | None:
    """``twin_class`` for a DRF serializer class; ``None`` for any other class (it is never instantiated)."""
    from rest_framework import serializers as drf

    if not isinstance(cls, type) or not issubclass(cls, drf.BaseSerializer):
        return None
    return twin_class(cls)


def install() -> None:
    from django_bolt import generics

    generics.adapt_serializer = adapt
    # The compiled row and page paths (retrieve's row, a page's columns) read DRF serializers through twins.
    lists.drf_twin = serializer_twin
    lists.drf_list_plan = list_plan
    # DRF's serializer.data containers render like Bolt's: msgspec may write them.
    from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

    json_bytes.pass_through_containers(ReturnDict, ReturnList)

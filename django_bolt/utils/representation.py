"""Readable ``repr()`` of fields and serializers, built from the arguments they were declared with."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.functional import Promise

_ADDRESS = re.compile(r" at 0x[0-9A-Fa-f]{4,32}>")


def manager_repr(value: models.Manager) -> str:
    """``Item.objects.all()`` rather than ``<django.db.models.manager.Manager object ...>``."""
    opts = value.model._meta
    for manager in opts.managers:
        if manager == value:
            return f"{opts.object_name}.{manager.name}.all()"
    return repr(value)


def smart_repr(value: Any) -> str:
    if isinstance(value, models.Manager):
        return manager_repr(value)
    if isinstance(value, Promise):
        value = force_str(value, strings_only=True)
    text = repr(value)
    if text.startswith("u'") and text.endswith("'"):
        return text[1:]
    # Memory addresses make reprs unstable between runs; drop them.
    return _ADDRESS.sub(">", text)


def field_repr(field: Any, force_many: Any = None) -> str:
    """``ClassName(arg, key=value, ...)`` from the arguments stored by ``Field.__new__``."""
    kwargs = field._kwargs
    if force_many:
        kwargs = dict(kwargs, many=True)
        kwargs.pop("child", None)
    parts = [smart_repr(arg) for arg in field._args]
    parts += [f"{key}={smart_repr(val)}" for key, val in sorted(kwargs.items())]
    class_name = type(force_many).__name__ if force_many else type(field).__name__
    return f"{class_name}({', '.join(parts)})"


def serializer_repr(serializer: Any, indent: int, force_many: Any = None) -> str:
    """Multi-line repr of a serializer: one line per field, nested serializers indented."""
    lines = [field_repr(serializer, force_many) + ":"]
    pad = "    " * indent
    fields = force_many.fields if force_many else serializer.fields
    for name, field in fields.items():
        if hasattr(field, "fields"):
            text = serializer_repr(field, indent + 1)
        elif hasattr(field, "child"):
            text = list_repr(field, indent + 1)
        elif hasattr(field, "child_relation"):
            text = field_repr(field.child_relation, force_many=field.child_relation)
        else:
            text = field_repr(field)
        lines.append(f"{pad}{name} = {text}")
    if serializer.validators:
        lines.append(f"{pad}class Meta:")
        lines.append(f"{pad}    validators = {smart_repr(serializer.validators)}")
    return "\n".join(lines)


def list_repr(serializer: Any, indent: int) -> str:
    child = serializer.child
    if hasattr(child, "fields"):
        return serializer_repr(serializer, indent, force_many=child)
    return field_repr(serializer)

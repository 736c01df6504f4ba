"""
Containers used by serializers: the ``data``/``errors`` return types that keep a back-link to their
serializer (renderers and the browsable layer read it), the bound-field wrappers used for form rendering,
and ``BindingDict``, the mapping that binds each field to its serializer on insertion.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from django.utils.encoding import force_str

from django_bolt.utils import json


class ReturnDict(dict):
    """A plain ``dict`` that remembers the serializer which produced it (``.serializer``)."""

    def __init__(self, *args: Any, serializer: Any, **kwargs: Any) -> None:
        self.serializer = serializer
        super().__init__(*args, **kwargs)

    def copy(self) -> ReturnDict:
        return ReturnDict(self, serializer=self.serializer)

    def __repr__(self) -> str:
        return dict.__repr__(self)

    def __reduce__(self):
        # The back-link is not picklable in general; pickle as a plain dict.
        return (dict, (dict(self),))

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        merged = type(self)(self, serializer=self.serializer)
        merged.update(other)
        return merged

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        merged = type(self)(other, serializer=self.serializer)
        merged.update(self)
        return merged


class ReturnList(list):
    """A plain ``list`` that remembers the serializer which produced it (``.serializer``)."""

    def __init__(self, *args: Any, serializer: Any, **kwargs: Any) -> None:
        self.serializer = serializer
        super().__init__(*args, **kwargs)

    def __repr__(self) -> str:
        return list.__repr__(self)

    def __reduce__(self):
        return (list, (list(self),))


class BoundField:
    """A field paired with its current ``value`` and ``errors``, as iterated over by form renderers."""

    def __init__(self, field: Any, value: Any, errors: Any, prefix: str = "") -> None:
        self._field = field
        self._prefix = prefix
        self.value = value
        self.errors = errors
        self.name = prefix + self.field_name

    def __getattr__(self, attr_name: str) -> Any:
        # Everything else (label, help_text, style, ...) comes from the wrapped field.
        return getattr(self._field, attr_name)

    @property
    def _proxy_class(self) -> type:
        return self._field.__class__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} value={self.value} errors={self.errors}>"

    def as_form_field(self) -> BoundField:
        value = "" if (self.value is None or self.value is False) else self.value
        return type(self)(self._field, value, self.errors, self._prefix)


class JSONBoundField(BoundField):
    """Bound field of a ``JSONField``: renders its value as indented JSON text in forms."""

    def as_form_field(self) -> BoundField:
        value = self.value
        # Invalid HTML input stays the raw string the user typed (marked ``is_json_string``).
        if not getattr(value, "is_json_string", False):
            with contextlib.suppress(TypeError, ValueError):
                value = json.dumps(self.value, sort_keys=True, indent=4, separators=(",", ": "))
        return type(self)(self._field, value, self.errors, self._prefix)


class NestedBoundField(BoundField):
    """Bound field of a nested serializer: indexable and iterable over its own bound fields."""

    def __init__(self, field: Any, value: Any, errors: Any, prefix: str = "") -> None:
        if value is None or value == "" or not isinstance(value, Mapping):
            value = {}
        super().__init__(field, value, errors, prefix)

    def __iter__(self) -> Iterator[BoundField]:
        for field in self.fields.values():
            yield self[field.field_name]

    def __getitem__(self, key: str) -> BoundField:
        field = self.fields[key]
        value = self.value.get(key) if self.value else None
        error = self.errors.get(key) if isinstance(self.errors, dict) else None
        prefix = self.name + "."
        if hasattr(field, "fields"):
            return NestedBoundField(field, value, error, prefix=prefix)
        if getattr(field, "_is_jsonfield", False):
            return JSONBoundField(field, value, error, prefix=prefix)
        return BoundField(field, value, error, prefix=prefix)

    def as_form_field(self) -> BoundField:
        values = {}
        for key, value in self.value.items():
            if isinstance(value, (list, dict)):
                values[key] = value
            else:
                values[key] = "" if (value is None or value is False) else force_str(value)
        return type(self)(self._field, values, self.errors, self._prefix)


class BindingDict(MutableMapping):
    """
    The ``serializer.fields`` mapping: storing a field under a name calls ``field.bind(name, serializer)``,
    so ``field_name``/``parent``/``source_attrs`` are always set.
    """

    def __init__(self, serializer: Any) -> None:
        self.serializer = serializer
        self.fields: dict[str, Any] = {}

    def __setitem__(self, key: str, field: Any) -> None:
        self.fields[key] = field
        field.bind(field_name=key, parent=self.serializer)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def __delitem__(self, key: str) -> None:
        del self.fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __repr__(self) -> str:
        return dict.__repr__(self.fields)

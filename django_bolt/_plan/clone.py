"""
Per-instance copies of declared fields, without DRF's deep copy.

DRF re-instantiates every declared field from its constructor arguments for every serializer instance, which
costs several microseconds per field. A field's state after ``__init__`` is its ``__dict__``, so copying that
dict (one level deep for lists and dicts: validators, error messages, choices) gives an equivalent, independent
field for a fraction of the cost. Sub-fields owned by the field (``ListField.child``, ``ManyRelatedField``'s
``child_relation``, a nested serializer's child) are cloned too and re-parented to the copy.
"""

from __future__ import annotations

from typing import Any

# State a serializer computes for itself; a copy must compute its own.
_SERIALIZER_CACHES = ("fields", "_bolt_plan", "_data", "_errors", "_validated_data")


def _field_class() -> type:
    global _FIELD
    if _FIELD is None:
        from django_bolt.fields import Field

        _FIELD = Field
    return _FIELD


_FIELD: type | None = None


def clone_field(field: Any) -> Any:
    """An unbound-equivalent copy of ``field`` (``None`` stays ``None``)."""
    if field is None:
        return None
    return _clone(field, None)


# Values that can be shared as they are (the common field options).
_SHARED = frozenset({str, int, bool, float, type(None), tuple, type})


def _clone(field: Any, parent: Any) -> Any:
    state = field.__dict__.copy()
    new = object.__new__(type(field))
    for key, value in state.items():
        kind = type(value)
        if kind in _SHARED:
            continue
        if kind is list or kind is dict:
            state[key] = value.copy()
        elif getattr(value, "parent", None) is field and isinstance(value, _field_class()):
            state[key] = _clone(value, new)
    if "_context" in state:
        for key in _SERIALIZER_CACHES:
            state.pop(key, None)
    if parent is not None:
        state["parent"] = parent
    new.__dict__ = state
    return new

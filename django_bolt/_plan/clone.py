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


def clone_field(field: Any) -> Any:
    """An unbound-equivalent copy of ``field`` (``None`` stays ``None``)."""
    if field is None:
        return None
    return _clone(field, None)


def _clone(field: Any, parent: Any) -> Any:
    from django_bolt.fields import Field  # local: fields import nothing from here, but keep import order free

    state = field.__dict__.copy()
    new = object.__new__(type(field))
    for key, value in state.items():
        kind = type(value)
        if kind is list or kind is dict:
            state[key] = value.copy()
        elif isinstance(value, Field) and value.parent is field:
            state[key] = _clone(value, new)
    if "_context" in state:
        for key in _SERIALIZER_CACHES:
            state.pop(key, None)
    if parent is not None:
        state["parent"] = parent
    new.__dict__ = state
    return new

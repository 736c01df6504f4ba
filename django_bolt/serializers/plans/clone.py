"""
Per-instance copies of declared fields, without DRF's deep copy.

DRF re-instantiates every declared field from its constructor arguments for every serializer instance, which
costs several microseconds per field. A field's state after ``__init__`` is its ``__dict__``, so copying that
dict (one level deep for lists and dicts: validators, error messages, choices) gives an equivalent, independent
field for a fraction of the cost. Sub-fields owned by the field (``ListField.child``, ``ManyRelatedField``'s
``child_relation``, a nested serializer's child) are cloned too and re-parented to the copy.
"""

from __future__ import annotations

import weakref
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

# Per template field: the keys of its __dict__ that need copying, and how many keys it had then.
_copy_keys: weakref.WeakKeyDictionary[Any, tuple[int, tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _keys_to_copy(field: Any, state: dict[str, Any]) -> tuple[str, ...]:
    try:
        size, keys = _copy_keys[field]
    except (KeyError, TypeError):
        size, keys = -1, ()
    if size != len(state):
        field_class = _field_class()
        keys = tuple(
            key
            for key, value in state.items()
            if type(value) not in _SHARED
            and (
                type(value) is list
                or type(value) is dict
                or (getattr(value, "parent", None) is field and isinstance(value, field_class))
            )
        )
        try:
            _copy_keys[field] = (len(state), keys)
        except TypeError:  # not weak-referenceable: just don't remember
            pass
    return keys


def _clone(field: Any, parent: Any) -> Any:
    state = field.__dict__.copy()
    new = object.__new__(type(field))
    for key in _keys_to_copy(field, state):
        value = state[key]
        kind = type(value)
        if kind is list or kind is dict:
            state[key] = value.copy()
        elif getattr(value, "parent", None) is field:
            state[key] = _clone(value, new)
    if "_context" in state:
        for key in _SERIALIZER_CACHES:
            state.pop(key, None)
    if parent is not None:
        state["parent"] = parent
    new.__dict__ = state
    return new

"""
The standard ``json`` module made spec-compliant: ``NaN``/``Infinity`` are rejected both when encoding and
when decoding (the JSON spec has no such values). Use these instead of ``json`` directly.
"""

from __future__ import annotations

import functools
import json
from typing import Any

JSONDecodeError = json.JSONDecodeError


def strict_constant(o: str) -> Any:
    """``parse_constant`` hook: refuse the non-standard ``NaN``, ``Infinity`` and ``-Infinity`` literals."""
    raise ValueError(f"Out of range float values are not JSON compliant: {o!r}")


@functools.wraps(json.dump)
def dump(*args: Any, **kwargs: Any) -> None:
    kwargs.setdefault("allow_nan", False)
    return json.dump(*args, **kwargs)


@functools.wraps(json.dumps)
def dumps(*args: Any, **kwargs: Any) -> str:
    kwargs.setdefault("allow_nan", False)
    return json.dumps(*args, **kwargs)


@functools.wraps(json.load)
def load(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parse_constant", strict_constant)
    return json.load(*args, **kwargs)


@functools.wraps(json.loads)
def loads(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parse_constant", strict_constant)
    return json.loads(*args, **kwargs)

"""
Helpers for parity tests: the same serializer definition is built twice, once on DRF's
``rest_framework.serializers`` (the spec) and once on ``django_bolt.serializers``, and both are run on the same
input. Errors are compared as nested ``(message, code)`` pairs so that error codes are checked too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from django_bolt import serializers as bolt

MODULES = {"drf": drf, "bolt": bolt}


def twins(make: Callable[[Any], type]) -> tuple[type, type]:
    """``(drf_class, bolt_class)`` from ``make(serializers_module)``."""
    return make(drf), make(bolt)


def pairs(detail: Any) -> Any:
    """An error structure with every message as ``(text, code)``; dict keys kept as they are."""
    if isinstance(detail, list):
        return [pairs(item) for item in detail]
    if isinstance(detail, dict):
        return {key: pairs(value) for key, value in detail.items()}
    assert type(detail).__name__ == "ErrorDetail", f"not an ErrorDetail: {detail!r}"
    return (str(detail), detail.code)


def plain(value: Any) -> Any:
    """``data``/``validated_data`` as plain containers (ReturnDict/ReturnList/OrderedDict → dict/list)."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def rendered(data: Any) -> bytes:
    """DRF's JSONRenderer output: the bytes a DRF view would send."""
    return JSONRenderer().render(data)


def run_both(pair: tuple[type, type], *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Instantiate both classes with the same arguments."""
    return pair[0](*args, **kwargs), pair[1](*args, **kwargs)


def assert_same_validation(pair: tuple[type, type], data: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Validate ``data`` with both; assert same validity, errors (with codes) and validated data."""
    expected, actual = run_both(pair, data=data, **kwargs)
    assert actual.is_valid() == expected.is_valid()
    assert pairs(actual.errors) == pairs(expected.errors)
    assert type(actual.errors).__name__ == type(expected.errors).__name__
    assert plain(actual.validated_data) == plain(expected.validated_data)
    return expected, actual


def assert_same_data(pair: tuple[type, type], *args: Any, **kwargs: Any) -> Any:
    """Represent with both; assert equal ``data`` and identical rendered bytes (and ``json_bytes()``)."""
    expected, actual = run_both(pair, *args, **kwargs)
    body = rendered(expected.data)
    assert actual.json_bytes() == body
    assert plain(actual.data) == plain(expected.data)
    assert rendered(actual.data) == body
    return actual.data

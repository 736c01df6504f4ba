"""
Helpers to run one behaviour table against django_bolt's fields and DRF's own (the spec) side by side.

A table row names a field class, its kwargs (a dict, or a callable ``impl -> dict`` when the kwargs need
objects of that implementation, such as ``child=``), an input and the expected result. Error details are
compared as nested ``(message, code)`` pairs so codes are checked too.
"""

from types import SimpleNamespace

import pytest
from rest_framework import exceptions as drf_exceptions
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations
from rest_framework import validators as drf_validators

from django_bolt import exceptions as bolt_exceptions
from django_bolt import fields as bolt_fields
from django_bolt import relations as bolt_relations
from django_bolt import validators as bolt_validators

BOLT = SimpleNamespace(
    name="bolt",
    fields=bolt_fields,
    exceptions=bolt_exceptions,
    relations=bolt_relations,
    validators=bolt_validators,
)
DRF = SimpleNamespace(
    name="drf", fields=drf_fields, exceptions=drf_exceptions, relations=drf_relations, validators=drf_validators
)
IMPLS = [pytest.param(BOLT, id="bolt"), pytest.param(DRF, id="drf")]

# Use as a decorator: runs the test once per implementation, as `impl`.
both = pytest.mark.parametrize("impl", IMPLS)


def build(impl, name, kwargs=None, module="fields"):
    kwargs = kwargs(impl) if callable(kwargs) else dict(kwargs or {})
    return getattr(getattr(impl, module), name)(**kwargs)


def pairs(detail):
    """A ValidationError detail as nested lists/dicts of ``(message, code)`` tuples."""
    if isinstance(detail, list):
        return [pairs(item) for item in detail]
    if isinstance(detail, dict):
        return {key: pairs(value) for key, value in detail.items()}
    assert type(detail).__name__ == "ErrorDetail", f"not an ErrorDetail: {detail!r}"
    return (str(detail), detail.code)


def validation_errors(impl, call):
    """Run ``call()``, expecting ValidationError; return its detail as ``(message, code)`` pairs."""
    with pytest.raises(impl.exceptions.ValidationError) as info:
        call()
    return pairs(info.value.detail)


def table_ids(rows):
    return [f"{row[0]}-{i}" for i, row in enumerate(rows)]


def check_valid(impl, name, kwargs, data, expected):
    field = build(impl, name, kwargs)
    value = field.run_validation(data)
    assert value == expected
    assert type(value) is type(expected)


def check_invalid(impl, name, kwargs, data, expected):
    field = build(impl, name, kwargs)
    assert validation_errors(impl, lambda: field.run_validation(data)) == expected


def check_output(impl, name, kwargs, value, expected):
    field = build(impl, name, kwargs)
    output = field.to_representation(value)
    assert output == expected
    assert type(output) is type(expected)

"""
Generated row builders.

A plan's *shape* (output keys, which of them are read from model columns, how each value is converted) is
turned into Python source once and compiled; every serializer with the same shape shares the functions. The
per-call inputs (the bound fields, converters and type tuples) are passed in as tuples, so nothing in the
generated code depends on a particular serializer instance. Generating the code removes the per-field loop,
tuple unpacking and indirect calls that a generic interpreter of the plan would pay for every value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_bolt.serializers.plans.convert import CALL, IDENTITY, TYPED

# Shape entry: (key, attname or None, conversion kind, nullable, single_type)
ShapeEntry = tuple[str, "str | None", int, bool, bool]

_instance_fns: dict[tuple[ShapeEntry, ...], Callable[..., Any]] = {}


def _value_expr(var: str, index: int, kind: int, single: bool) -> str:
    if kind == IDENTITY:
        return var
    if kind == TYPED:
        test = f"{var}.__class__ is t{index}" if single else f"{var}.__class__ in t{index}"
        return f"({var} if {test} else c{index}({var}))"
    assert kind == CALL
    return f"c{index}({var})"


def _unpack(names: str, count: int, source: str) -> str:
    if not count:
        return ""
    targets = ", ".join(f"{names}{i}" for i in range(count))
    return f"    {targets}, = {source}\n"


def instance_builder(shape: tuple[ShapeEntry, ...], keyed: bool = False) -> Callable[..., Any]:
    """
    ``build(items, model, F, C, T) -> list[dict]``: represent each object of ``items``. Column values are read
    from the instance ``__dict__`` of ``model`` instances, or, with ``keyed``, from plain ``dict`` items (where,
    as in DRF, a callable value is called: such rows take the field's own path).
    """
    key = (shape, keyed)
    fn = _instance_fns.get(key)
    if fn is None:
        fn = _instance_fns[key] = _compile_instance_builder(shape, keyed)
    return fn


def _compile_instance_builder(shape: tuple[ShapeEntry, ...], keyed: bool) -> Callable[..., Any]:
    n = len(shape)
    source = "instance if instance.__class__ is dict" if keyed else "instance.__dict__ if isinstance(instance, model)"
    missing = "v is MISSING or callable(v)" if keyed else "v is MISSING"
    src = ["def build(items, model, F, C, T):\n"]
    src.append(_unpack("f", n, "F"))
    src.append(_unpack("c", n, "C"))
    src.append(_unpack("t", n, "T"))
    # slow(): one object, step by step, with DRF's per-field path wherever a column value is not at hand.
    src.append("    def slow(instance):\n")
    src.append(f"        d = {source} else EMPTY\n")
    src.append("        ret = {}\n")
    for i, (key, attname, kind, _nullable, single) in enumerate(shape):
        k = repr(key)
        if attname is None:
            src.append(f"        emit(ret, {k}, f{i}, instance)\n")
            continue
        src.append(f"        v = d.get({attname!r}, MISSING)\n")
        src.append(f"        if {missing}:\n            emit(ret, {k}, f{i}, instance)\n")
        src.append(f"        elif v is None:\n            ret[{k}] = None\n")
        src.append(f"        else:\n            ret[{k}] = {_value_expr('v', i, kind, single)}\n")
    src.append("        return ret\n")
    src.append("    out = []\n    append = out.append\n")
    if n and all(attname is not None for _key, attname, *_rest in shape):
        # Every value is a column in the instance dict: read them all at once and build the dict in one go;
        # an instance of another class, or with a deferred column, takes slow().
        test = "instance.__class__ is not dict" if keyed else "not isinstance(instance, model)"
        src.append(f"    for instance in items:\n        if {test}:\n")
        src.append("            append(slow(instance))\n            continue\n")
        src.append(f"        d = {'instance' if keyed else 'instance.__dict__'}\n        try:\n")
        for i, (_key, attname, *_rest) in enumerate(shape):
            src.append(f"            r{i} = d[{attname!r}]\n")
        src.append("        except KeyError:\n            append(slow(instance))\n            continue\n")
        if keyed:
            calls = " or ".join(f"callable(r{i})" for i in range(n))
            src.append(f"        if {calls}:\n            append(slow(instance))\n            continue\n")
        items = []
        for i, (key, _attname, kind, _nullable, single) in enumerate(shape):
            if kind == IDENTITY:
                expr = f"r{i}"
            elif kind == TYPED:
                test = f"r{i}.__class__ is t{i}" if single else f"r{i}.__class__ in t{i}"
                expr = f"(r{i} if {test} else (None if r{i} is None else c{i}(r{i})))"
            else:
                expr = f"(None if r{i} is None else c{i}(r{i}))"
            items.append(f"{key!r}: {expr}")
        src.append("        append({" + ", ".join(items) + "})\n")
    else:
        src.append("    for instance in items:\n        append(slow(instance))\n")
    src.append("    return out\n")
    return _exec("".join(src), "build")


def _exec(source: str, name: str) -> Callable[..., Any]:
    from django_bolt.serializers.plans.compile import EMPTY, MISSING, emit

    namespace: dict[str, Any] = {"EMPTY": EMPTY, "MISSING": MISSING, "emit": emit}
    exec(compile(source, "<django_bolt plan>", "exec"), namespace)  # noqa: S102 - source built above
    return namespace[name]

"""
Column fusion for the values_list path: one function from the raw database value to the output value.

Django converts some raw values in Python (SQLite: datetimes made aware, decimals rebuilt from floats and
quantized, booleans) and the serializer field then converts them again for output. When both steps are known
(Django's own SQLite converter and the plan's default output converter for the field), they are replaced by a
single function that produces the same output directly, e.g. a naive UTC datetime straight to its ISO text
with "Z", instead of making it aware, converting it and formatting it. Any other value goes through both
original steps, so the result is always what ``values_list`` followed by ``to_representation`` gives.

The datetime and decimal fusions also carry ``rust_column``: the same conversion for the engine's row builder
(``django_bolt._engine.build_rows``), which writes the text without the Python objects in between and hands
any value it is unsure of to the function itself.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from functools import cache
from typing import Any

import msgspec
from django.conf import settings
from django.db.models.expressions import Col

from django_bolt.serializers.plans.convert import IDENTITY, RUST_DATETIME, RUST_DECIMAL, TYPED, zone_offsets

_encode = msgspec.json.encode
_datetime = datetime.datetime


@cache
def _sqlite_operations() -> Any:
    try:
        from django.db.backends.sqlite3.operations import DatabaseOperations
    except ImportError:  # pragma: no cover - Python built without sqlite3
        return None
    return DatabaseOperations


def output_function(kind: int, conv: Any, typ: Any) -> Callable[[Any], Any]:
    """The plan's output step for one column as a plain function of the (converted) value."""
    if kind == IDENTITY:
        return lambda value: value
    if kind == TYPED:
        types = typ if isinstance(typ, tuple) else (typ,)
        return lambda value: None if value is None else (value if value.__class__ in types else conv(value))
    return lambda value: None if value is None else conv(value)


def fuse(
    django_convs: list[Any], expression: Any, connection: Any, kind: int, conv: Any, typ: Any
) -> Callable[[Any], Any] | None:
    """A single raw-value → output function for this column, or ``None`` when no fusion is known."""
    operations = _sqlite_operations()
    if operations is None or len(django_convs) != 1:
        return None
    django_conv = django_convs[0]
    finish = output_function(kind, conv, typ)

    def slow(value: Any) -> Any:
        return finish(django_conv(value, expression, connection))

    method = getattr(django_conv, "__func__", None)
    if method is operations.convert_datetimefield_value:
        return _datetime_column(connection, conv, slow)
    if method is operations.convert_booleanfield_value and kind == TYPED and typ is bool:
        return _boolean_column(slow)
    if getattr(django_conv, "__qualname__", "").startswith("DatabaseOperations.get_decimalfield_converter"):
        return _decimal_column(expression, conv, slow)
    return None


def _datetime_column(connection: Any, conv: Any, slow: Callable) -> Callable | None:
    # Stored as naive UTC; with UTC output a naive value only needs "Z" after msgspec's ISO text of it.
    if not settings.USE_TZ:
        return None
    tz = connection.timezone
    if not (tz is datetime.UTC or getattr(tz, "key", None) == "UTC"):
        return None
    if not getattr(conv, "bolt_utc_iso", False):
        target = getattr(conv, "bolt_timezone", None)
        return None if target is None else _datetime_in(tz, target, slow)

    def run(value: Any) -> Any:
        if value.__class__ is _datetime and value.tzinfo is None:
            return _encode(value).decode()[1:-1] + "Z"
        return None if value is None else slow(value)

    run.rust_column = (RUST_DATETIME, None, run, None)  # type: ignore[attr-defined]
    return run


def _datetime_in(stored: Any, target: Any, slow: Callable) -> Callable:
    # Another output zone: Django makes the naive value aware in the stored zone, the field converts it to
    # the target zone and writes its ISO text ("Z" for a zero offset). Same steps, without the calls between.
    def run(value: Any) -> Any:
        if value.__class__ is _datetime and value.tzinfo is None:
            try:
                text = value.replace(tzinfo=stored).astimezone(target).isoformat()
            except OverflowError:
                return slow(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return None if value is None else slow(value)

    run.rust_column = (RUST_DATETIME, zone_offsets(target), run, None)  # type: ignore[attr-defined]
    return run


def _boolean_column(slow: Callable) -> Callable:
    # The driver already returns booleans, which both Django's converter and the field leave unchanged.
    def run(value: Any) -> Any:
        if value.__class__ is bool:
            return value
        return slow(value)

    run.rust_column = (TYPED, run, (bool,))  # type: ignore[attr-defined]
    return run


def _decimal_column(expression: Any, conv: Any, slow: Callable) -> Callable | None:
    # Django rebuilds the stored float with 15 significant digits and quantizes it to the column; the field's
    # default output then quantizes again (a no-op) and formats it: do both in one go.
    options = getattr(conv, "bolt_decimal", None)
    if not isinstance(expression, Col) or options is None:
        return None
    output_field = expression.output_field
    if options != (output_field.decimal_places, output_field.max_digits):
        return None
    creating = decimal.Context(prec=15)
    create = creating.create_decimal_from_float
    step = decimal.Decimal(1).scaleb(-output_field.decimal_places)
    context = output_field.context

    def run(value: Any) -> Any:
        if value is None:
            return None
        try:
            return format(create(value).quantize(step, context=context), "f")
        except (TypeError, decimal.InvalidOperation):
            return slow(value)

    # The engine's digit arithmetic rounds half to even, as both contexts do unless DefaultContext was changed.
    if creating.rounding == context.rounding == decimal.ROUND_HALF_EVEN and context.prec == output_field.max_digits:
        run.rust_column = (RUST_DECIMAL, output_field.decimal_places, output_field.max_digits, run, True, None)  # type: ignore[attr-defined]
    return run

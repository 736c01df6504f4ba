"""
Output converters for compiled read plans.

For every readable field the plan asks ``converter(field, for_json)`` for a ``Conv``: how a non-``None`` value
becomes output. ``IDENTITY`` means the value is output as is; ``(TYPED, fn, types)`` outputs the value itself
when its exact type is in ``types`` (the field's ``plain_types`` promise) and calls ``fn`` otherwise;
``(CALL, fn, None)`` always calls ``fn``. Every ``fn`` either reproduces ``field.to_representation`` exactly for
the values it handles itself or falls back to it.

Converters depend on settings and on the active timezone, so they are resolved per call of the plan (once per
list), never cached with it.

With ``for_json=True`` the converter may return values that msgspec encodes exactly as DRF's JSON renderer
writes the converted value (an aware UTC datetime instead of its ISO string), and floats become
``msgspec.Raw`` carrying Python's float repr. ``NotJsonSafe`` is raised for fields whose output type is not
known up front.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import msgspec

from django_bolt.settings import ISO_8601, api_settings

IDENTITY = 0
TYPED = 1
CALL = 2
# The engine's own column kinds (src/representation): datetime text, decimal text.
RUST_DATETIME = 3
RUST_DECIMAL = 4

Conv = tuple[int, Any, Any]

_UTC = datetime.UTC
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_HOUR_END = datetime.timedelta(seconds=3599, microseconds=999999)
_Decimal = decimal.Decimal
_datetime = datetime.datetime
_encode = msgspec.json.encode


class NotJsonSafe(Exception):
    """The field's output cannot be encoded by msgspec with a guarantee of DRF-identical bytes."""


@lru_cache(maxsize=1)
def _classes() -> dict[str, Any]:
    from django_bolt import fields, relations

    return {
        "BigIntegerField": fields.BigIntegerField,
        "BooleanField": fields.BooleanField,
        "CharField": fields.CharField,
        "DecimalField": fields.DecimalField,
        "DateTimeField": fields.DateTimeField,
        "FloatField": fields.FloatField,
        "IntegerField": fields.IntegerField,
        "PrimaryKeyRelatedField": relations.PrimaryKeyRelatedField,
    }


@lru_cache(maxsize=1)
def context_free_methods() -> frozenset[Any]:
    """``to_representation`` implementations that read nothing but the field's own options."""
    from django_bolt import fields

    classes = (
        fields.BooleanField,
        fields.CharField,
        fields.IntegerField,
        fields.BigIntegerField,
        fields.FloatField,
        fields.DecimalField,
        fields.DateTimeField,
        fields.DateField,
        fields.TimeField,
        fields.DurationField,
        fields.UUIDField,
        fields.ChoiceField,
        fields.ReadOnlyField,
        fields.JSONField,
    )
    return frozenset(cls.to_representation for cls in classes)


def _is(field: Any, class_name: str, *methods: str) -> bool:
    """``field`` uses ``class_name``'s own implementation of ``methods`` (subclass overrides disqualify it)."""
    return _class_is(type(field), class_name, methods)


@lru_cache(maxsize=4096)  # bounded: classes may be created at runtime
def _class_is(field_class: type, class_name: str, methods: tuple[str, ...]) -> bool:
    # Per class, once: fields are classified on every plan compilation.
    cls = _classes()[class_name]
    return issubclass(field_class, cls) and all(getattr(field_class, m, None) is getattr(cls, m) for m in methods)


def converter(field: Any, for_json: bool = False, from_rows: bool = True) -> Conv:
    """
    How the plan outputs a non-``None`` value of ``field`` (see the module docstring). ``from_rows=False``
    (JSON from model instances) also refuses floats: a deferred column is loaded by the field itself there,
    bypassing the converter.
    """
    if _is(field, "PrimaryKeyRelatedField", "to_representation") and field.pk_field is None:
        # The column plan hands over the raw foreign key value, which is the pk DRF outputs.
        return (IDENTITY, None, None)
    if _is(field, "DecimalField", "to_representation", "quantize"):
        return _decimal(field, for_json)
    if _is(field, "DateTimeField", "to_representation", "enforce_timezone", "default_timezone"):
        return _datetime_conv(field, for_json)
    if _is(field, "BigIntegerField", "to_representation"):
        if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
            return (CALL, str, None)
        return (TYPED, field.to_representation, (int,))
    if for_json and _is(field, "FloatField", "to_representation"):
        if not from_rows:
            raise NotJsonSafe(field)
        return (CALL, _json_float(field), None)
    if field.plain_output:
        types = field.plain_types
        if types is None:
            if for_json:
                raise NotJsonSafe(field)
            return (IDENTITY, None, None)
        if for_json and not _json_types_safe(types):
            raise NotJsonSafe(field)
        return (TYPED, field.to_representation, tuple(types))
    if for_json:
        raise NotJsonSafe(field)
    return (CALL, field.to_representation, None)


def _json_types_safe(types: Any) -> bool:
    return all(t in (str, int, bool) for t in types)


def _decimal(field: Any, for_json: bool) -> Conv:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    places = field.decimal_places
    if not coerce or field.localize or field.normalize_output or places is None:
        if for_json and not coerce:
            raise NotJsonSafe(field)  # a Decimal: DRF's encoder writes it as a float
        return (CALL, field.to_representation, None)
    fallback = field.to_representation

    # A value that already has exactly `places` decimals, in at most `max_digits` digits, is what quantize()
    # would give back; its plain str() (no exponent, not NaN or Infinity) is then the "{:f}" text DRF outputs.
    # Anything else takes the field's own path (which rounds, or raises as DRF does).
    max_digits = field.max_digits
    dot = -places - 1

    def to_text(value: Any) -> Any:
        if value.__class__ is _Decimal:
            text = str(value)
            if places:
                plain = len(text) > places and text[dot] == "." and "E" not in text
            else:
                plain = text.lstrip("-").isdigit()
            if plain and (
                max_digits is None
                or len(text) <= max_digits
                or len(text.replace("-", "").replace(".", "").lstrip("0")) <= max_digits
            ):
                return text
        return fallback(value)

    if max_digits is not None:
        # The engine's row builder (src/representation) applies the same test to Decimal values.
        to_text.rust_column = (RUST_DECIMAL, places, max_digits, to_text, False, _Decimal)  # type: ignore[attr-defined]
    # Lets the column fusion (fusion.py) recognise the default decimal output.
    to_text.bolt_decimal = (places, field.max_digits)  # type: ignore[attr-defined]
    return (CALL, to_text, None)


def _is_utc(tz: Any) -> bool:
    return tz is _UTC or getattr(tz, "key", None) == "UTC"


def _datetime_conv(field: Any, for_json: bool) -> Conv:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    fallback = field.to_representation
    if output_format is None or output_format.lower() != ISO_8601:
        if for_json:
            raise NotJsonSafe(field)
        return (CALL, fallback, None)
    tz = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if tz is None:
        if for_json:
            raise NotJsonSafe(field)
        return (CALL, fallback, None)
    utc_target = _is_utc(tz)

    def to_text(value: Any) -> Any:
        if value.__class__ is _datetime and value.tzinfo is not None and value.utcoffset() is not None:
            if utc_target:
                if value.tzinfo is not _UTC:
                    try:
                        value = value.astimezone(_UTC)
                    except OverflowError:
                        return fallback(value)
                # msgspec writes an aware UTC datetime as isoformat() with "Z" for "+00:00", ~6x faster.
                return _encode(value).decode()[1:-1]
            try:
                text = value.astimezone(tz).isoformat()
            except OverflowError:
                return fallback(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return fallback(value)

    if for_json and utc_target:

        def to_json(value: Any) -> Any:
            # Left for msgspec to write, which gives exactly the text to_text() would produce.
            if value.__class__ is _datetime and value.tzinfo is _UTC:
                return value
            return to_text(value)

        to_json.bolt_utc_iso = True  # type: ignore[attr-defined]
        return (CALL, to_json, None)
    to_text.bolt_utc_iso = utc_target  # type: ignore[attr-defined]
    # The output time zone, for the column fusion of values read from the database (fusion.py).
    to_text.bolt_timezone = tz  # type: ignore[attr-defined]
    # For the engine's row builder: values in UTC (as psycopg reads them) are written there.
    offsets = None if utc_target else zone_offsets(tz)
    to_text.rust_column = (RUST_DATETIME, offsets, to_text, _UTC)  # type: ignore[attr-defined]
    return (CALL, to_text, None)


@lru_cache(maxsize=64)
def zone_offsets(zone: Any) -> Callable[[int], int | None]:
    """
    ``offset(hour)``: the UTC offset in seconds of ``zone`` throughout the ``hour``-th hour since the epoch, or
    ``None`` when it changes within that hour (or the hour is out of range). The engine's row builder
    (src/representation) asks it once per hour it meets; each value of a ``None`` hour takes the Python steps.
    """

    @lru_cache(maxsize=65536)
    def offset(hour: int) -> int | None:
        try:
            start = _EPOCH + datetime.timedelta(hours=hour)
            first = start.astimezone(zone).utcoffset()
            last = (start + _HOUR_END).astimezone(zone).utcoffset()
        except OverflowError:
            return None
        if first is None or first != last or first.microseconds:
            return None
        return first.days * 86400 + first.seconds

    return offset


def _json_float(field: Any) -> Any:
    fallback = field.to_representation
    strict = api_settings.STRICT_JSON

    def to_raw(value: Any) -> Any:
        if value.__class__ is not float:
            value = fallback(value)
        if not math.isfinite(value):
            if strict:
                raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
            return msgspec.Raw({"inf": b"Infinity", "-inf": b"-Infinity"}.get(repr(value), b"NaN"))
        # Python's float repr is what json.dumps writes; msgspec's own formatting differs for exponents.
        return msgspec.Raw(float.__repr__(value).encode())

    return to_raw

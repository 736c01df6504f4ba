"""
JSON encoding with msgspec that is byte-for-byte DRF's ``JSONRenderer`` output (compact, UTF-8, strict).

msgspec writes the same bytes as ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` for strings,
ints, booleans, ``None``, lists and str-keyed dicts, but formats some floats differently (``1e-05`` vs
``0.00001``) and refuses str subclasses (``ErrorDetail``). ``encode_json`` therefore checks that the data holds
only types it can pass through (floats only in the range both print alike; the walk is the engine's
``passes_through``) and otherwise uses the standard encoder with DRF's options, so the result is always the
renderer's bytes.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from django_bolt._engine import escape_line_separators, passes_through
from django_bolt.settings import api_settings
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList


def _plain_str(value: Any) -> str:
    # msgspec hands over str subclasses (ErrorDetail, Hyperlink): json.dumps writes their text as is.
    if isinstance(value, str):
        return str.__str__(value)
    raise TypeError(f"Cannot encode {type(value).__name__}")


_encode = msgspec.json.Encoder(enc_hook=_plain_str).encode
# The dict and list subclasses that encode as plain dicts and lists (DRF's own are added by django_bolt.compat).
_dict_types: tuple[type, ...] = (ReturnDict,)
_list_types: tuple[type, ...] = (ReturnList,)


def pass_through_containers(dict_type: type[dict], list_type: type[list]) -> None:
    """Let ``encode_json`` hand ``dict_type``/``list_type`` (subclasses with no say in their JSON) to msgspec."""
    global _dict_types, _list_types
    if dict_type not in _dict_types:
        _dict_types = (*_dict_types, dict_type)
    if list_type not in _list_types:
        _list_types = (*_list_types, list_type)


def json_settings_are_default() -> bool:
    """msgspec can only produce the default renderer style: UTF-8, compact, strict."""
    return bool(api_settings.UNICODE_JSON and api_settings.COMPACT_JSON and api_settings.STRICT_JSON)


def finish_json(data: bytes) -> bytes:
    """Like DRF, escape U+2028/U+2029 so the output is also valid JavaScript (one scan in the engine: Python's
    substring search slows to ~10 µs per 18 KB when the text has other characters starting with byte 0xE2)."""
    return escape_line_separators(data)


def encode_json(data: Any) -> bytes:
    """``data`` as DRF's ``JSONRenderer`` would render it (``b""`` for ``None``, like the renderer)."""
    if data is None:
        return b""
    if json_settings_are_default() and passes_through(data, _dict_types, _list_types):
        return escape_line_separators(_encode(data))  # finish_json
    return _stdlib_json(data).encode()


def _stdlib_json(data: Any) -> str:
    from django_bolt.utils.encoders import JSONEncoder

    separators = (",", ":") if api_settings.COMPACT_JSON else (", ", ": ")
    return (
        json.dumps(
            data,
            cls=JSONEncoder,
            ensure_ascii=not api_settings.UNICODE_JSON,
            allow_nan=not api_settings.STRICT_JSON,
            separators=separators,
        )
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )

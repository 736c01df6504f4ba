"""encode_json (the renderer's and json_bytes' fast path): always DRF JSONRenderer's bytes."""

import datetime
import decimal
import enum
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy

from django_bolt._engine import escape_line_separators
from django_bolt.exceptions import ErrorDetail
from django_bolt.utils.json_bytes import encode_json
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList
from tests.serializers.twins import rendered


class Color(enum.IntEnum):
    RED = 1


class Label(str):
    pass


VALUES = [
    {"a": 1, "b": "x", "c": None, "d": True, "e": [1, 2, {"f": False}]},
    [0.1, 1e-05, 1e-4, 9.99e-5, 1e16, 9999999999999998.0, 1.5e300, -0.0, 0.0, 5e-324, -1e-7, 123.456],
    {"nested": [{"x": [1.25, {"y": 1e20}]}]},
    ["é ✓ 😀", "\u2028", "\u2029", "\x00\x1f\x7f", '"\\/'],
    {"when": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)},
    {"day": datetime.date(2024, 1, 2), "time": datetime.time(1, 2, 3), "span": datetime.timedelta(hours=1)},
    {"amount": decimal.Decimal("1.10"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"lazy": gettext_lazy("Not found."), "error": ErrorDetail("bad", code="invalid"), "label": Label("x")},
    {"tuple": (1, 2), "set": {3}, "enum": Color.RED, "bytes": b"raw"},
    {1: "int key", "s": "str key"},
    {0: {"name": [ErrorDetail("This field may not be blank.", code="blank")]}},
    {True: "bool key", None: "none key", 1.5: "float key"},
    ReturnList([ReturnDict({"a": 1}, serializer=None)], serializer=None),
    [],
    {},
    "text",
    12,
    2**80,
]


@pytest.mark.parametrize("value", VALUES)
def test_encode_json_matches_drf_renderer(value):
    assert encode_json(value) == rendered(value)


def test_none_renders_empty_body():
    assert encode_json(None) == b""


@pytest.mark.parametrize("value", [float("nan"), float("inf"), [float("-inf")]])
def test_non_finite_floats_are_refused_like_drf(value):
    with pytest.raises(ValueError):
        rendered(value)
    with pytest.raises(ValueError):
        encode_json(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ascii",
        "é — ✓ 😀 " * 50,  # lead byte 0xE2 with no separator
        "\u2028",
        "\u2029\u2028",
        "a\u2028b — c\u2029",
        "ends with a separator\u2029",
        "— " * 500 + "\u2028" + "— " * 500,
    ],
)
def test_line_separators_are_escaped_as_drf_escapes_them(text):
    data = json.dumps(text, ensure_ascii=False).encode()
    expected = data.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
    assert escape_line_separators(data) == expected
    if expected == data:
        assert escape_line_separators(data) is data  # nothing to escape: no copy
    assert escape_line_separators(b"\xe2\x80") == b"\xe2\x80"  # a cut-off sequence is left alone

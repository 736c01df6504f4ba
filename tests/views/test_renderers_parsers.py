"""JSONRenderer bytes equal DRF's; parsers, negotiation and media types behave like DRF's."""

from __future__ import annotations

import datetime
import decimal
import io
import uuid

import pytest
from django.test import override_settings
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from django_bolt.exceptions import ErrorDetail, ParseError
from django_bolt.parsers import JSONParser, MultiPartParser
from django_bolt.renderers import JSONRenderer
from django_bolt.utils.mediatypes import _MediaType, media_type_matches, order_by_precedence
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList

SAMPLES = [
    {"a": 1, "b": [1, 2.5, None, True], "c": 'é\u2028\u2029\n"\\</script>'},
    [1e16, 1e-05, 0.1, -0.0, 123456789012345678901234567890],
    {"when": datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC), "d": datetime.date(2024, 1, 2)},
    {"naive": datetime.datetime(2024, 1, 2, 3, 4, 5), "t": datetime.time(1, 2, 3, 400), "td": datetime.timedelta(1, 2)},
    {"dec": decimal.Decimal("12.50"), "u": uuid.UUID(int=5), "lazy": gettext_lazy("Not found.")},
    ReturnDict({"errors": ReturnList([ErrorDetail("bad", code="x")], serializer=None)}, serializer=None),
    {"bytes": b"raw", "set": (1, 2), "nested": {"k": [{"x": "\x00\x1f"}]}},
    None,
    "plain",
]


@pytest.mark.parametrize("data", SAMPLES)
@pytest.mark.parametrize("accepted", [None, "application/json; indent=4", "application/json; indent=0"])
def test_json_renderer_bytes_equal_drf(data, accepted):
    assert JSONRenderer().render(data, accepted) == DRFJSONRenderer().render(data, accepted)


def test_json_renderer_strict_nan():
    with pytest.raises(ValueError):
        JSONRenderer().render({"x": float("nan")})


@override_settings(BOLT={"UNICODE_JSON": False, "COMPACT_JSON": False})
def test_json_renderer_settings():
    assert JSONRenderer().render({"a": "é"}) == b'{"a": "\\u00e9"}'


@pytest.mark.parametrize(
    "body",
    [b'{"a": [1, 2.5, "\\u00e9"]}', b"[]", b'"\\ud800"', b"[1e400]", b"[123456789012345678901234567890]"],
)
def test_json_parser_matches_json_module(body):
    import json

    assert JSONParser().parse(io.BytesIO(body), "application/json", {}) == json.loads(body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (b"[NaN]", "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"),
        (b'{"a":"x\ty"}', "JSON parse error - Invalid control character at: line 1 column 8 (char 7)"),
    ],
)
def test_json_parser_errors(body, message):
    with pytest.raises(ParseError) as info:
        JSONParser().parse(io.BytesIO(body), "application/json", {})
    assert str(info.value.detail) == message


@pytest.mark.django_db
def test_multipart_spools_large_files_to_disk():
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from django_bolt.request import Request
    from tests.views.test_pipeline import FakeRaw

    small = io.BytesIO(b"x" * 10)
    small.name = "s.txt"
    big = io.BytesIO(b"y" * 5000)
    big.name = "b.bin"
    body = encode_multipart(BOUNDARY, {"f": "v", "small": small, "big": big})
    raw = FakeRaw("POST", "/", body, {"content-type": MULTIPART_CONTENT})
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1000):
        request = Request(raw, parsers=[MultiPartParser()])
        assert request.POST["f"] == "v"
        # Django's handlers decide on the whole body's size: above the threshold, every file goes to disk.
        assert isinstance(request.FILES["small"], TemporaryUploadedFile)
        assert isinstance(request.FILES["big"], TemporaryUploadedFile)
        assert request.FILES["big"].size == 5000
        assert request.data["big"] is request.FILES["big"]
        small.seek(0)
        body = encode_multipart(BOUNDARY, {"small": small})
        request = Request(FakeRaw("POST", "/", body, {"content-type": MULTIPART_CONTENT}), parsers=[MultiPartParser()])
        assert isinstance(request.FILES["small"], InMemoryUploadedFile)


def test_media_types():
    assert media_type_matches("application/json", "application/*")
    assert not media_type_matches("application/json; indent=4", "application/json; indent=2")
    assert _MediaType("text/*").precedence == 1
    assert order_by_precedence(["*/*", "text/html", "text/*", "text/html; level=1"]) == [
        ["text/html; level=1"],
        ["text/html"],
        ["text/*"],
        ["*/*"],
    ]

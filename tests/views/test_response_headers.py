"""``set_header``: Django's header checks run once per (name, value) pair the framework sets, never skipped."""

from __future__ import annotations

import pytest
from django.http import BadHeaderError
from django.http.response import ResponseHeaders

from django_bolt.response import Response, set_header


def test_remembered_pair_is_stored_as_django_stores_it():
    for _ in range(2):  # the second time from the remembered check
        headers = ResponseHeaders({})
        set_header(headers, "Allow", "GET, HEAD, OPTIONS")
        expected = ResponseHeaders({"Allow": "GET, HEAD, OPTIONS"})
        assert headers._store == expected._store
        assert headers["allow"] == "GET, HEAD, OPTIONS"


def test_converted_value_is_remembered_converted():
    # Django MIME-encodes a value that is not latin-1; the remembered pair keeps the converted value.
    for _ in range(2):
        headers = ResponseHeaders({})
        set_header(headers, "X-Name", "名前")
        assert headers["X-Name"] == ResponseHeaders({"X-Name": "名前"})["X-Name"]
        assert headers["X-Name"].startswith("=?utf-8?")


def test_invalid_value_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(BadHeaderError):
            set_header(ResponseHeaders({}), "X-Bad", "a\nb")


def test_a_replaced_header_mapping_gets_its_own_setitem():
    class Recording(ResponseHeaders):
        def __setitem__(self, key, value):
            super().__setitem__(key, value.upper())

    set_header(ResponseHeaders({}), "X-Case", "lower")  # remembered for plain mappings
    headers = Recording({})
    set_header(headers, "X-Case", "lower")
    assert headers["X-Case"] == "LOWER"


def test_response_without_headers_has_an_empty_mapping():
    response = Response({"a": 1})
    assert isinstance(response.headers, ResponseHeaders)
    assert dict(response.headers) == {}
    response["X-A"] = "1"
    assert response["x-a"] == "1"


def test_remembered_pairs_are_bounded(monkeypatch):
    from django_bolt import response as response_module

    monkeypatch.setattr(response_module, "_CHECKED_HEADERS_MAX", 2)
    monkeypatch.setattr(response_module, "_checked_headers", {})
    for value in ("a", "b", "c", "c"):  # per-request values of a view's own header
        headers = ResponseHeaders({})
        set_header(headers, "X-Trace", value)
        assert headers["X-Trace"] == value
    assert len(response_module._checked_headers) <= 2
    assert ("X-Trace", "c") in response_module._checked_headers

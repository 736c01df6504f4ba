"""
Renderers turn the ``data`` of a ``Response`` into the bytes of the body.

``JSONRenderer`` produces exactly the bytes DRF's renderer produces: compact separators, UTF-8 without
``\\u`` escapes (``UNICODE_JSON``), U+2028/U+2029 escaped for JavaScript, ``NaN`` refused (``STRICT_JSON``).
"""

from __future__ import annotations

import json
from typing import Any

from django.test.client import encode_multipart

from django_bolt.settings import api_settings
from django_bolt.utils.encoders import JSONEncoder
from django_bolt.utils.json_bytes import encode_json
from django_bolt.utils.mediatypes import _MediaType

_SHORT_SEPARATORS = (",", ":")
_LONG_SEPARATORS = (", ", ": ")
_INDENT_SEPARATORS = (",", ": ")


class BaseRenderer:
    """Subclasses set ``media_type``, ``format`` and ``charset`` and implement ``render``."""

    media_type: str | None = None
    format: str | None = None
    charset: str | None = "utf-8"
    render_style = "text"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        raise NotImplementedError("Renderer class requires .render() to be implemented")


class JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    encoder_class = JSONEncoder
    # JSON is always UTF-8 (RFC 8259), so no charset parameter is sent.
    charset = None

    @property
    def ensure_ascii(self) -> bool:
        return not api_settings.UNICODE_JSON

    @property
    def compact(self) -> bool:
        return api_settings.COMPACT_JSON

    @property
    def strict(self) -> bool:
        return api_settings.STRICT_JSON

    def get_indent(self, accepted_media_type: str | None, renderer_context: dict) -> int | None:
        """Indentation asked for by ``Accept: application/json; indent=4`` (0 to 8), else the context's."""
        if accepted_media_type and ";" in accepted_media_type:
            params = _MediaType(accepted_media_type).params
            try:
                # ``indent=0`` means no indentation at all, as in DRF.
                return max(min(int(params["indent"]), 8), 0) or None
            except (KeyError, ValueError, TypeError):
                pass
        return renderer_context.get("indent", None)

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is None and self.encoder_class is JSONEncoder:
            # The shared fast path (msgspec when the data allows, else json with these same options).
            return encode_json(data)
        if indent is None:
            separators = _SHORT_SEPARATORS if self.compact else _LONG_SEPARATORS
        else:
            separators = _INDENT_SEPARATORS
        text = json.dumps(
            data,
            cls=self.encoder_class,
            indent=indent,
            ensure_ascii=self.ensure_ascii,
            allow_nan=not self.strict,
            separators=separators,
        )
        # U+2028/U+2029 are valid JSON but end a line in JavaScript; escape them like DRF does.
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return text.encode()


class MultiPartRenderer(BaseRenderer):
    """Encodes a dict as ``multipart/form-data`` (used by the test client to build request bodies)."""

    media_type = "multipart/form-data; boundary=BoUnDaRyStRiNg"
    format = "multipart"
    charset = "utf-8"
    BOUNDARY = "BoUnDaRyStRiNg"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if hasattr(data, "items"):
            for key, value in data.items():
                assert not isinstance(value, dict), (
                    f"Test data contained a dictionary value for key '{key}', but multipart uploads do not "
                    "support nested data. You may want to consider using format='json' in this test case."
                )
        return encode_multipart(self.BOUNDARY, data)

"""
Parsers turn a request body into ``request.data`` (and ``request.FILES``).

Parse errors are DRF's: ``JSON parse error - <python json message>``, ``Multipart form parse error - …``.
``JSONParser`` decodes with msgspec when the body is valid, and with the standard ``json`` module otherwise,
so error messages are exactly DRF's.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from django.conf import settings
from django.core.files.uploadhandler import StopFutureHandlers
from django.http import QueryDict
from django.http.multipartparser import ChunkIter, MultiPartParserError
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.utils.http import parse_header_parameters

from django_bolt.exceptions import ParseError
from django_bolt.settings import api_settings

_msgspec_decode = msgspec.json.Decoder().decode


def get_encoding(parser_context: dict) -> str:
    """The request's charset (from ``Content-Type``, else ``DEFAULT_CHARSET``); only text codecs are accepted."""
    encoding = parser_context.get("encoding") or settings.DEFAULT_CHARSET
    try:
        # str.encode refuses bytes-to-bytes codecs (bz2_codec…), which could inflate a small body unboundedly.
        "".encode(encoding)
    except (LookupError, UnicodeError):
        raise ParseError(f'Unsupported charset "{encoding}" in request Content-Type header.')
    return encoding


def strict_constant(value: str) -> Any:
    raise ValueError("Out of range float values are not JSON compliant: " + repr(value))


class DataAndFiles:
    """What a parser returns when the body holds files as well as data."""

    def __init__(self, data: Any, files: Any) -> None:
        self.data = data
        self.files = files


class BaseParser:
    """Subclasses set ``media_type`` and implement ``parse``."""

    media_type: str | None = None

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        """Return the parsed data, or a ``DataAndFiles``."""
        raise NotImplementedError(".parse() must be overridden.")


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf")


class JSONParser(BaseParser):
    media_type = "application/json"

    @property
    def renderer_class(self) -> type:
        from django_bolt.renderers import JSONRenderer

        return JSONRenderer

    @property
    def strict(self) -> bool:
        return api_settings.STRICT_JSON

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = get_encoding(parser_context or {})
        raw = stream.read()
        try:
            if _is_utf8(encoding):
                try:
                    # Fast path; anything msgspec rejects (errors, NaN, huge ints, lone surrogates…) goes to json.
                    return _msgspec_decode(raw)
                except (msgspec.DecodeError, ValueError, OverflowError):
                    pass
            try:
                return json.loads(raw.decode(encoding), parse_constant=strict_constant if self.strict else None)
            except ValueError as exc:
                raise ParseError(f"JSON parse error - {exc}")
        except RecursionError:
            # A hostile body nested thousands deep: a client error, not a 500 (DRF lets it become one).
            raise ParseError("JSON parse error - the document is nested too deeply")


class FormParser(BaseParser):
    media_type = "application/x-www-form-urlencoded"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> QueryDict:
        encoding = get_encoding(parser_context or {})
        return QueryDict(stream.read(), encoding=encoding)


class MultiPartParser(BaseParser):
    """
    ``multipart/form-data`` through Django's parser and upload handlers (``FILE_UPLOAD_HANDLERS``): files
    larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` are spooled to a temporary file on disk.
    """

    media_type = "multipart/form-data"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> DataAndFiles:
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = get_encoding(parser_context)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        meta["CONTENT_LENGTH"] = str(len(request.body))
        try:
            data, files = DjangoMultiPartParser(meta, stream, request.upload_handlers, encoding).parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}")
        return DataAndFiles(data, files)


class FileUploadParser(BaseParser):
    """
    A raw body as one uploaded file, ``request.data["file"]``; the name comes from a ``filename`` URL
    keyword or the ``Content-Disposition`` header. Goes through Django's upload handlers (spooled to disk
    above ``FILE_UPLOAD_MAX_MEMORY_SIZE``).
    """

    media_type = "*/*"
    errors = {
        "unhandled": "FileUpload parse error - none of upload handlers can handle the stream",
        "no_filename": "Missing filename. Request should include a Content-Disposition header with a filename "
        "parameter.",
    }

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> DataAndFiles:
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = get_encoding(parser_context)
        meta = request.META
        handlers = request.upload_handlers
        filename = self.get_filename(stream, media_type, parser_context)
        if not filename:
            raise ParseError(self.errors["no_filename"])
        content_type = meta.get("HTTP_CONTENT_TYPE", meta.get("CONTENT_TYPE", ""))
        try:
            content_length: int | None = int(meta.get("HTTP_CONTENT_LENGTH", meta.get("CONTENT_LENGTH", 0)))
        except (ValueError, TypeError):
            content_length = None
        # A handler may take the whole body at once.
        for handler in handlers:
            result = handler.handle_raw_input(stream, meta, content_length, None, encoding)
            if result is not None:
                return DataAndFiles({}, {"file": result[1]})
        chunk_size = min([2**31 - 4] + [handler.chunk_size for handler in handlers if handler.chunk_size])
        for index, handler in enumerate(handlers):
            try:
                handler.new_file(None, filename, content_type, content_length, encoding)
            except StopFutureHandlers:
                handlers = handlers[: index + 1]
                break
        received = [0] * len(handlers)
        for chunk in ChunkIter(stream, chunk_size):
            for index, handler in enumerate(handlers):
                size = len(chunk)
                chunk = handler.receive_data_chunk(chunk, received[index])
                received[index] += size
                if chunk is None:
                    break
        for index, handler in enumerate(handlers):
            file_obj = handler.file_complete(received[index])
            if file_obj is not None:
                return DataAndFiles({}, {"file": file_obj})
        raise ParseError(self.errors["unhandled"])

    def get_filename(self, stream: Any, media_type: str | None, parser_context: dict) -> str | None:
        """The ``filename`` URL keyword, else ``filename*``/``filename`` of ``Content-Disposition``."""
        try:
            return parser_context["kwargs"]["filename"]
        except KeyError:
            pass
        try:
            meta = parser_context["request"].META
            _disposition, params = parse_header_parameters(meta["HTTP_CONTENT_DISPOSITION"])
            return params.get("filename*") or params["filename"]
        except (AttributeError, KeyError, ValueError):
            return None

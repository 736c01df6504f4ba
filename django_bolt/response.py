"""
Responses views return; the engine writes the ``(status, headers, body)`` triple of ``to_triple()``.

``Response`` is DRF's: it holds unrendered ``data``; the view's ``finalize_response`` attaches the renderer
chosen by content negotiation, and the body is rendered when the engine asks for it. Headers are
case-insensitive and set like Django's (``response["Location"] = ...``); cookies too (``set_cookie``).
Django ``HttpResponse`` objects returned by a view are passed through ``DjangoResponse``.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from http import cookies
from http.client import responses
from typing import Any

from django.http import HttpResponseBase
from django.http.response import ResponseHeaders
from django.utils.cache import patch_vary_headers

Body = bytes | Iterable[bytes] | AsyncIterable[bytes]
Triple = tuple[int, list[tuple[str, str]], Body]


# The framework's own header values (``Allow``, ``Vary``, ``Content-Type``) repeat from request to request:
# Django's checks and charset conversion of a (name, value) pair run once, then the result is stored directly.
_checked_headers: dict[tuple[str, str], tuple[str, tuple[str, str]]] = {}
_CHECKED_HEADERS_MAX = 512


def _no_headers() -> ResponseHeaders:
    # ResponseHeaders({}) without the constructor's unpacking of an empty mapping.
    headers = ResponseHeaders.__new__(ResponseHeaders)
    headers._store = {}
    return headers


def set_header(headers: ResponseHeaders, name: str, value: str) -> None:
    """``headers[name] = value``, with Django's checks of the pair remembered (for values the framework sets)."""
    checked = _checked_headers.get((name, value))
    if checked is not None and type(headers) is ResponseHeaders:
        headers._store[checked[0]] = checked[1]
        return
    headers[name] = value
    if type(headers) is ResponseHeaders:
        if len(_checked_headers) >= _CHECKED_HEADERS_MAX:  # a view's own per-request values: start again
            _checked_headers.clear()
        key = name.lower()
        _checked_headers[(name, value)] = (key, headers._store[key])


class _HeadersMixin:
    """Django's response header/cookie API over ``self.headers`` and ``self.cookies``."""

    headers: ResponseHeaders

    @property
    def cookies(self) -> cookies.SimpleCookie:
        """The cookie jar, created on first use (most responses set no cookie)."""
        jar = self.__dict__.get("_cookies")
        if jar is None:
            jar = self.__dict__["_cookies"] = cookies.SimpleCookie()
        return jar

    @cookies.setter
    def cookies(self, jar: cookies.SimpleCookie) -> None:
        self.__dict__["_cookies"] = jar

    def __getitem__(self, header: str) -> str:
        return self.headers[header]

    def __setitem__(self, header: str, value: str) -> None:
        self.headers[header] = value

    def __delitem__(self, header: str) -> None:
        self.headers.pop(header, None)

    def __contains__(self, header: str) -> bool:
        return header in self.headers

    def has_header(self, header: str) -> bool:
        return header in self.headers

    def get(self, header: str, alternate: Any = None) -> Any:
        return self.headers.get(header, alternate)

    def items(self) -> Any:
        return self.headers.items()

    def setdefault(self, key: str, value: str) -> None:
        self.headers.setdefault(key, value)

    # Django's own implementations only need ``self.cookies``.
    set_cookie = HttpResponseBase.set_cookie
    set_signed_cookie = HttpResponseBase.set_signed_cookie
    delete_cookie = HttpResponseBase.delete_cookie

    def _header_list(self) -> list[tuple[str, str]]:
        # Django's ResponseHeaders keeps (original name, value) pairs in ``_store``; reading them directly skips
        # the Mapping machinery (a generator and a case-folded lookup per header).
        store = getattr(self.headers, "_store", None)
        pairs = list(store.values()) if store is not None else list(self.headers.items())
        jar = self.__dict__.get("_cookies")
        if jar:
            for morsel in jar.values():
                pairs.append(("Set-Cookie", morsel.output(header="")[1:]))
        return pairs


class Response(_HeadersMixin):
    """``Response(data, status, headers, content_type)`` — ``data`` is rendered by the negotiated renderer."""

    # What a response has unless its constructor is told otherwise (set per instance only then).
    template_name: str | None = None
    exception: bool = False
    content_type: str | None = None
    _rendered: bytes | None = None

    def __init__(
        self,
        data: Any = None,
        status: int | None = None,
        template_name: str | None = None,
        headers: dict[str, str] | None = None,
        exception: bool = False,
        content_type: str | None = None,
    ) -> None:
        if type(data) not in _PLAIN_DATA and _is_serializer(data):
            raise AssertionError(
                "You passed a Serializer instance as data, but probably meant to pass serialized `.data` or "
                "`.errors`. representation."
            )
        self.data = data
        self.status_code = status or 200
        if template_name is not None:
            self.template_name = template_name
        if exception:
            self.exception = exception
        if content_type is not None:
            self.content_type = content_type
        self.headers = ResponseHeaders(headers) if headers else _no_headers()

    @property
    def status_text(self) -> str:
        return responses.get(self.status_code, "")

    @property
    def rendered_content(self) -> bytes:
        """Render ``data`` with the accepted renderer (JSON when the response never went through a view)."""
        renderer = getattr(self, "accepted_renderer", None)
        if renderer is None:
            from django_bolt.renderers import JSONRenderer

            renderer = JSONRenderer()
        accepted_media_type = getattr(self, "accepted_media_type", None)
        context = getattr(self, "renderer_context", None) or {}
        content_type = self.content_type
        if content_type is None:
            # The renderer's own media type: Accept parameters (indent=4, q=…) are not echoed back.
            charset = renderer.charset
            content_type = f"{renderer.media_type}; charset={charset}" if charset else renderer.media_type
        set_header(self.headers, "Content-Type", content_type)
        body = renderer.render(self.data, accepted_media_type, context)
        if isinstance(body, str):
            body = body.encode(renderer.charset or "utf-8")
        if not body:
            # Nothing to describe: no Content-Type, as DRF.
            del self.headers["Content-Type"]
        return body

    def render(self) -> Response:
        """Render once; later calls keep the first result (as Django's template responses do)."""
        if self._rendered is None:
            self._rendered = self.rendered_content
        return self

    @property
    def content(self) -> bytes:
        self.render()
        return self._rendered or b""

    def to_triple(self) -> Triple:
        """What the engine writes: status, header pairs, body."""
        body = self._rendered
        if body is None:
            body = self.content
        return self.status_code, self._header_list(), body

    def __repr__(self) -> str:
        return f"<{type(self).__name__} status_code={self.status_code}>"


class StreamingResponse(_HeadersMixin):
    """A body produced chunk by chunk from a sync or async iterator of bytes (or str)."""

    def __init__(
        self,
        content: Iterable[bytes | str] | AsyncIterable[bytes | str],
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "application/octet-stream",
    ) -> None:
        self.content = content
        self.status_code = status
        self.headers = ResponseHeaders(headers or {})
        self.headers.setdefault("Content-Type", content_type)
        self.content_type = content_type
        self.cookies = cookies.SimpleCookie()

    def to_triple(self) -> Triple:
        return self.status_code, self._header_list(), _as_bytes_stream(self.content)


class DjangoResponse:
    """Adapts a Django ``HttpResponse``/``StreamingHttpResponse`` returned by a view to the engine triple."""

    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> Any:
        return self.response.headers

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.response, attr)

    def __setitem__(self, header: str, value: str) -> None:
        self.response[header] = value

    def __getitem__(self, header: str) -> str:
        return self.response[header]

    def to_triple(self) -> Triple:
        response = self.response
        pairs = list(response.headers.items())
        for morsel in response.cookies.values():
            pairs.append(("Set-Cookie", morsel.output(header="")[1:]))
        if response.streaming:
            return response.status_code, pairs, _as_bytes_stream(response.streaming_content)
        return response.status_code, pairs, response.content


def add_view_headers(response: Any, headers: dict[str, str]) -> None:
    """A view's ``headers`` (``Allow``, ``Vary``…) onto ``response``, as DRF's ``finalize_response`` adds them:
    ``Vary`` merged with the response's own, the others set. ``Vary`` is taken out of ``headers``."""
    vary = headers.pop("Vary", None)
    if vary is not None:
        if vary == "Accept" and "Vary" not in response.headers:
            set_header(response.headers, "Vary", vary)  # what patch_vary_headers gives, without parsing
        else:
            patch_vary_headers(response, [item.strip() for item in vary.split(",") if item.strip()])
    response_headers = response.headers
    for key, value in headers.items():
        set_header(response_headers, key, value)


def _as_bytes_stream(content: Any) -> Any:
    """The body iterator handed to the engine. When the client goes away early the engine cancels a pending step
    or closes this iterator; closing it closes ``content`` too, so the producer's ``finally`` runs."""
    if hasattr(content, "__aiter__"):

        async def agen() -> AsyncIterator[bytes]:
            try:
                async for chunk in content:
                    yield chunk.encode() if isinstance(chunk, str) else chunk
            finally:
                aclose = getattr(content, "aclose", None)
                if aclose is not None:
                    await aclose()

        return agen()

    def gen() -> Iterator[bytes]:
        try:
            for chunk in content:
                yield chunk.encode() if isinstance(chunk, str) else chunk
        finally:
            close = getattr(content, "close", None)
            if close is not None:
                close()

    return gen()


_PLAIN_DATA = frozenset({dict, list, type(None), str, int})


def _is_serializer(data: Any) -> bool:
    # Duck-typed: any serializer class (bolt's or not) has these.
    return hasattr(data, "is_valid") and hasattr(data, "initial_data") and hasattr(data, "to_representation")

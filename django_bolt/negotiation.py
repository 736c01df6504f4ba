"""
Content negotiation: choosing the parser for a request body and the renderer for the response.

The renderer comes from a ``.json``-style format suffix or the ``?format=`` query parameter when given, else
from the ``Accept`` header (most specific media types first, ties broken by the view's renderer order).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import Http404

from django_bolt import exceptions
from django_bolt.settings import api_settings
from django_bolt.utils.mediatypes import _MediaType, media_type_matches, order_parsed_by_precedence

_SELECTION_CACHE_SIZE = 512
_selection_cache: dict[tuple, tuple[int, str]] = {}


def _query_may_hold(request: Any, name: str) -> bool:
    """Cheap pre-check on the raw query string, so most requests never build ``query_params``."""
    raw = getattr(request, "raw", None)
    return raw is None or name in raw.query_string


_DECIDING_METHODS = ("_select_renderer", "get_accept_list", "_get_parsed_accept_list")


@lru_cache(maxsize=256)  # bounded: classes may be created at run time
def decides_by_accept_header(cls: type) -> bool:
    """Whether negotiation class ``cls`` picks a renderer by the ``Accept`` header alone (it keeps
    ``DefaultContentNegotiation``'s own choosing methods), so its answer per header may be remembered."""
    return all(getattr(cls, name) is getattr(DefaultContentNegotiation, name) for name in _DECIDING_METHODS)


def remembered_choice(
    cache: dict[Any, tuple[int, str]], key: Any, negotiator: Any, request: Any, renderers: Any
) -> tuple[Any, str]:
    """``negotiator._select_renderer(request, renderers)``, remembered in ``cache`` under ``key`` (bounded); for
    negotiators that ``decides_by_accept_header``, with a key that holds the ``Accept`` header."""
    chosen = cache.get(key)
    if chosen is not None:
        return renderers[chosen[0]], chosen[1]
    renderer, media_type = negotiator._select_renderer(request, renderers)
    if len(cache) >= _SELECTION_CACHE_SIZE:
        cache.clear()
    cache[key] = (renderers.index(renderer), media_type)
    return renderer, media_type


class BaseContentNegotiation:
    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        """Return the parser able to read the request body, or ``None``."""
        raise NotImplementedError(".select_parser() must be implemented")

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> tuple[Any, str]:
        """Return ``(renderer, media_type)`` for the response, or raise ``NotAcceptable``."""
        raise NotImplementedError(".select_renderer() must be implemented")


class DefaultContentNegotiation(BaseContentNegotiation):
    settings = api_settings
    # Bounds on client input: an Accept header is parsed once per request, so cap what it can cost.
    max_accept_header_length = 8192
    max_accept_tokens = 64
    max_media_type_length = 256

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        content_type = request.content_type
        if content_type and len(content_type) > self.max_media_type_length:
            return None
        for parser in parsers:
            if media_type_matches(parser.media_type, content_type):
                return parser
        return None

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> tuple[Any, str]:
        format_query_param = self.settings.URL_FORMAT_OVERRIDE
        fmt = format_suffix or (
            format_query_param
            and _query_may_hold(request, format_query_param)
            and request.query_params.get(format_query_param)
        )
        if fmt:
            renderers = self.filter_renderers(renderers, fmt)
        # The choice depends only on the renderers and the Accept header: remember it (most clients send one
        # of a handful of Accept values). A subclass choosing by something else decides every time.
        if not decides_by_accept_header(type(self)):
            return self._select_renderer(request, renderers)
        raw = getattr(request, "raw", None)
        accept = raw.header("accept") if raw is not None else request.headers.get("accept")
        return remembered_choice(_selection_cache, (tuple(map(type, renderers)), accept), self, request, renderers)

    def _select_renderer(self, request: Any, renderers: list[Any]) -> tuple[Any, str]:
        accepts = self._get_parsed_accept_list(request)
        candidates = [(renderer, _MediaType(renderer.media_type)) for renderer in renderers]
        for media_type_set in order_parsed_by_precedence(accepts):
            for renderer, renderer_media_type in candidates:
                for accepted in media_type_set:
                    if not renderer_media_type.match(accepted):
                        continue
                    if renderer_media_type.precedence > accepted.precedence:
                        # The client asked loosely (e.g. */*): answer with the renderer's own media type,
                        # keeping the parameters the client sent.
                        params = tuple(f"{key}={value}" for key, value in accepted.params.items())
                        return renderer, ";".join((renderer.media_type, *params))
                    return renderer, accepted.orig
        raise exceptions.NotAcceptable(available_renderers=renderers)

    def filter_renderers(self, renderers: list[Any], fmt: str) -> list[Any]:
        """Keep the renderers of the requested format; an unknown format is a 404, as in DRF."""
        renderers = [renderer for renderer in renderers if renderer.format == fmt]
        if not renderers:
            raise Http404
        return renderers

    def get_accept_list(self, request: Any) -> list[str]:
        """The ``Accept`` header split into media type strings (bounded in count and length)."""
        header = request.headers.get("accept", "*/*")
        if len(header) > self.max_accept_header_length:
            cut = header.rfind(",", 0, self.max_accept_header_length)
            header = header[: cut + 1] if cut != -1 else ""
        tokens = []
        for token in header.split(","):
            token = token.strip()
            if not token or len(token) > self.max_media_type_length:
                continue
            tokens.append(token)
            if len(tokens) >= self.max_accept_tokens:
                break
        return tokens

    def _get_parsed_accept_list(self, request: Any) -> list[_MediaType]:
        # Parsed once per request: a forced re-negotiation (error responses) reuses it.
        parsed = getattr(request, "_parsed_accept_list", None)
        if parsed is None:
            parsed = [_MediaType(token) for token in self.get_accept_list(request)]
            try:
                request._parsed_accept_list = parsed
            except AttributeError:
                pass
        return parsed

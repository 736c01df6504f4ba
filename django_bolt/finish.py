"""
Finishing a request: what the view returned, as the ``(status, headers, body)`` triple the engine writes; then
the request's objects let go of each other, so that they are freed as the request ends (``release``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpResponseBase, StreamingHttpResponse

from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response, add_view_headers
from django_bolt.utils.json_bytes import encode_json

if TYPE_CHECKING:
    from django_bolt.pipeline import RoutePlan
    from django_bolt.request import Request

_JSON_HEADERS = [("Content-Type", "application/json")]

Triple = tuple[int, list[tuple[str, str]], Any]


def django_headers(response: HttpResponseBase) -> list[tuple[str, str]]:
    """A Django response's header pairs, its cookies as ``Set-Cookie`` lines."""
    headers = list(response.items())
    for cookie in response.cookies.values():
        headers.append(("Set-Cookie", cookie.output(header="").strip()))
    return headers


def to_triple(result: Any) -> Triple:
    """Turn whatever a view returned into what the engine writes."""
    if type(result) is Response:
        return result.to_triple()
    to_triple_method = getattr(result, "to_triple", None)
    if to_triple_method is not None:
        return to_triple_method()
    if isinstance(result, dict | list):
        return 200, _JSON_HEADERS, encode_json(result)
    if isinstance(result, tuple) and len(result) == 3:
        return result
    if isinstance(result, HttpResponseBase):
        headers = django_headers(result)
        if isinstance(result, StreamingHttpResponse):
            return result.status_code, headers, result.streaming_content
        return result.status_code, headers, result.content
    if isinstance(result, str | bytes):
        body = result.encode() if isinstance(result, str) else result
        return 200, [("Content-Type", "text/plain; charset=utf-8")], body
    raise TypeError(f"A Bolt view must return a Response, HttpResponse, dict or list, not {type(result).__name__}.")


def respond(request: Request, result: Any) -> Triple:
    """The triple of what the view returned; then the request's objects let go of each other (``release``)."""
    triple = result if type(result) is tuple else to_triple(result)
    release(request, result)
    return triple


def plain_headers(renderers: list[Any], view_headers: dict[str, str]) -> dict[Any, tuple[tuple[str, str], ...]]:
    """For each renderer that is DRF's ``JSONRenderer`` itself: the header pairs a plain response gets from
    ``finalize_response`` and rendering when that renderer was chosen for its own media type (worked out by that
    same code, once)."""
    plain = {}
    for renderer in renderers:
        if type(renderer) is JSONRenderer:
            probe = Response({})
            probe.accepted_renderer, probe.accepted_media_type = renderer, renderer.media_type
            add_view_headers(probe, dict(view_headers))
            probe.render()
            plain[renderer] = tuple(probe._header_list())
    return plain


def plain_triple(plan: RoutePlan, view: Any, request: Request, response: Response) -> tuple | None:
    """
    The triple of a plain ``Response`` — no headers or content type of its own, no cookies, data to render with
    DRF's ``JSONRenderer`` for its own media type (no ``indent``), the view's headers as the plan made them, no
    session to save — without attaching the renderer, the context and the view's headers to it and rendering it
    (what ``_finalize`` and ``Response.to_triple`` do): the same header pairs (``plain_headers``), the same
    bytes (the renderer's ``encode_json``). Then the view and the request let go of each other (``release``).
    ``None`` for any other response: it is finished the usual way.
    """
    attributes = request.__dict__
    renderer = attributes.get("accepted_renderer")
    headers = plan.plain_headers.get(renderer) if renderer is not None else None
    if (
        headers is None
        or response.data is None
        or response.content_type is not None
        or response.headers._store
        or "_cookies" in response.__dict__
        or attributes["accepted_media_type"] != renderer.media_type
        or "session" in attributes
        or view.__dict__.get("headers") != plan.headers
    ):
        return None
    triple = (response.status_code, list(headers), encode_json(response.data))
    _let_go(view, plan.bound, request)  # release(), for the references this path made
    return triple


def release(request: Request, result: Any) -> None:
    """
    Once a request's answer is bytes, drop the references its objects keep to each other: the view's
    ``response`` and the action methods bound on it per request (``self.get`` → ``self.list``, Django's
    ``self.head``), the response's ``renderer_context``, and ``view``/``request`` in ``request.parser_context``.

    Why: those references make the view, the request and the response a cycle (the request alone is one, through
    its ``parser_context``), so everything they hold (the response's data, a page of rows, the serializer)
    outlived the request until Python's cyclic collector found it; with the sync bridge many requests are in
    flight, so it survived young collections and was freed by full ones (docs/benchmarks.md). Without the cycle it
    is freed as the request ends. Code that keeps the view or the request past the response (a background task)
    still has ``self.request``, ``self.kwargs`` and ``request.data``; what it no longer finds is listed in
    docs/deviations.md.
    """
    view = other = None
    if type(result) is tuple:  # a finished triple: a plain response (``plain_triple``), or a view's own
        _let_go(None, (), request)
        return
    if type(result) is Response:
        context = result.__dict__.pop("renderer_context", None)
        if context:
            view = context.get("view")
            other = context.get("request")  # the request an overridden initialize_request made, if any
    methods: tuple[str, ...] = ()
    if view is not None:
        if view.__dict__.get("response") is result:
            del view.__dict__["response"]
        methods = (*(view.__dict__.get("action_map") or ()), "head")
    _let_go(view, methods, request)
    if other is not None and other is not request:
        _let_go(view, (), other)


def _let_go(view: Any, methods: tuple[str, ...], request: Any) -> None:
    """The view (if any) without the ``methods`` bound on it per request — the ViewSet's actions, the ``head = get``
    Django's ``View.setup`` binds; one the view set to something else stays — and ``request.parser_context``
    without the view and the request itself. One call: on a ViewSet hello, each call here costs ~2 % over HTTP."""
    if view is not None:
        state = view.__dict__
        for method in methods:
            if getattr(state.get(method), "__self__", None) is view:
                del state[method]
    attributes = getattr(request, "__dict__", None)
    parser_context = attributes.get("parser_context") if attributes is not None else None
    if type(parser_context) is dict:
        if view is not None and parser_context.get("view") is view:
            del parser_context["view"]
        if parser_context.get("request") is request:
            del parser_context["request"]

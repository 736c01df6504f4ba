"""
``APIView``: the base of every django_bolt view, with DRF's request pipeline, run natively async.

``dispatch`` follows DRF step by step — configure the request, negotiate the renderer, authenticate, check
permissions and throttles, call the handler, turn exceptions into responses, finalize headers — but the
handlers (``async def get``…) and the pipeline steps are coroutines. Policy methods (``has_permission``,
``authenticate``, ``allow_request``…) may be sync or async; blocking work goes through ``run_sync``.

With ``ATOMIC_REQUESTS`` on, the whole dispatch runs in one sync-bridge thread inside ``transaction.atomic()``
(see ``_atomic_dispatch``): the ORM calls an action makes through ``run_sync`` then run on that same thread
and connection, so a failing request writes nothing.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.generic import View

from django_bolt import exceptions, pipeline, status
from django_bolt.finish import respond
from django_bolt.request import Request
from django_bolt.response import DjangoResponse, Response, StreamingResponse, add_view_headers
from django_bolt.schemas import DefaultSchema
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.atomic import atomic_aliases, atomic_dispatch, set_rollback  # noqa: F401 (DRF's name)
from django_bolt.utils.awaitables import adopt_async_wrapper, call_policy, isawaitable, maybe_await
from django_bolt.utils.django_request import serve_django_request
from django_bolt.utils.sessions import finalize_session

# The VIEW_NAME_FUNCTION / VIEW_DESCRIPTION_FUNCTION defaults are dotted paths into this module.
from django_bolt.utils.view_callback import (
    _check_async_handler,
    _check_initkwargs,
    _decorate_view,
    _guard_queryset,
    check_awaited_hooks,
    instance_factory,
    mark_entry,
)
from django_bolt.utils.view_naming import get_view_description, get_view_name  # noqa: F401


class _Setting:
    """A class attribute defaulting to an API setting, read when used (so ``override_settings`` applies)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(api_settings, self.name)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """
    The default ``EXCEPTION_HANDLER``: ``APIException`` (and Django's ``Http404``/``PermissionDenied``) become
    error responses; anything else returns ``None`` and is re-raised (a 500).
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not exceptions.is_api_exception(exc):  # Bolt's exceptions, and DRF's (third-party ones too)
        return None
    headers = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    data = exc.detail if isinstance(exc.detail, (list, dict)) else {"detail": exc.detail}
    set_rollback()
    return Response(data, status=exc.status_code, headers=headers)


_allow_cache: dict[Any, str] = {}
_instances: dict[tuple, list[Any]] = {}


def _shared_instances(classes: Any) -> list[Any]:
    """
    One instance per renderer/parser/negotiator class, shared by all requests.

    They hold no per-request state (everything arrives as arguments), so building them anew for every request,
    as DRF does, only costs time. Authenticators, permissions and throttles stay per request: throttles keep
    request state on the instance.
    """
    key = tuple(classes)
    found = _instances.get(key)
    if found is None:
        found = _instances[key] = [cls() for cls in key]
    return list(found)


def from_drf_response(response: Any) -> Any:
    """DRF's ``Response`` (returned by an action, a DRF paginator or DRF's exception handler) as Bolt's.

    DRF's renders lazily through DRF's own view machinery; Bolt's carries the same data, status and headers and
    is rendered by the view's negotiated renderer, as DRF would have rendered it.
    """
    drf_response = _drf_response_class()
    if drf_response is None or not isinstance(response, drf_response):
        return response
    converted = Response(
        response.data,
        status=response.status_code,
        template_name=response.template_name,
        exception=response.exception,
        content_type=response.content_type,
    )
    for name, value in response.items():
        if name.lower() != "content-type":
            converted[name] = value
    for cookie in response.cookies.values():
        converted.cookies[cookie.key] = cookie
    return converted


def _drf_response_class() -> type | None:
    # Only a loaded DRF can have made a DRF Response: no import here (the native core does not need DRF).
    module = sys.modules.get("rest_framework.response")
    return getattr(module, "Response", None)


class APIView(View):
    """DRF's ``APIView``; handlers are ``async def get(self, request, *args, **kwargs)`` etc."""

    renderer_classes = _Setting("DEFAULT_RENDERER_CLASSES")
    parser_classes = _Setting("DEFAULT_PARSER_CLASSES")
    authentication_classes = _Setting("DEFAULT_AUTHENTICATION_CLASSES")
    throttle_classes = _Setting("DEFAULT_THROTTLE_CLASSES")
    permission_classes = _Setting("DEFAULT_PERMISSION_CLASSES")
    content_negotiation_class = _Setting("DEFAULT_CONTENT_NEGOTIATION_CLASS")
    metadata_class = _Setting("DEFAULT_METADATA_CLASS")
    versioning_class = _Setting("DEFAULT_VERSIONING_CLASS")
    # The OpenAPI inspector (DEFAULT_SCHEMA_CLASS), as DRF's `schema`; None leaves the view out of the document.
    schema: Any = DefaultSchema()

    # Injectable settings, as in DRF (tests may substitute their own APISettings).
    settings = api_settings

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        """The route callback ``await view(request, **path_kwargs)``, with ``cls``, ``initkwargs``, ``bolt_methods``."""
        _guard_queryset(cls)
        _check_initkwargs(cls, initkwargs)
        check_awaited_hooks(cls)
        for name in cls.http_method_names:
            handler = adopt_async_wrapper(cls, name)
            if handler is not None:
                _check_async_handler(cls, name, handler)

        instance = instance_factory(cls, initkwargs)

        def enter(request: Any, args: tuple, kwargs: dict, direct: bool = False) -> Any:
            return _run_view(view, instance(), request, args, kwargs, direct)

        async def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(request, HttpRequest):  # reached through Django's handler (gunicorn, APIClient)
                return await serve_django_request(view, request, args, kwargs)
            return await enter(request, args, kwargs)

        mark_entry(view, enter)

        methods = [m.upper() for m in cls.http_method_names if hasattr(cls, m)]
        if "GET" in methods and "HEAD" not in methods:
            methods.insert(methods.index("OPTIONS") if "OPTIONS" in methods else len(methods), "HEAD")
        _decorate_view(view, cls, initkwargs, [m for m in cls.http_method_names if m.upper() in methods])
        return view

    # -- DRF's API -----------------------------------------------------------------------------------

    @property
    def allowed_methods(self) -> list[str]:
        """The upper-case methods this view answers, in ``http_method_names`` order (the ``Allow`` header)."""
        return self._allowed_methods()

    def _allow_header(self) -> str:
        # Instances made by one as_view() callable bind the same handlers: compute the header once per class
        # and action map, not per request.
        key = self.__dict__.get("_as_view_callable") or type(self)
        allow = _allow_cache.get(key)
        if allow is None or type(self).allowed_methods is not APIView.allowed_methods:
            allow = ", ".join(self.allowed_methods)
            _allow_cache[key] = allow
        return allow

    @property
    def default_response_headers(self) -> dict[str, str]:
        headers = {"Allow": self._allow_header()}
        if len(self.renderer_classes) > 1:
            headers["Vary"] = "Accept"
        return headers

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """Raise the 405 for a method without handler."""
        raise exceptions.MethodNotAllowed(request.method)

    def permission_denied(self, request: Request, message: Any = None, code: str | None = None) -> None:
        """Raise 401 when no authenticator accepted the request (and some were tried), else 403."""
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(detail=message, code=code)

    def throttled(self, request: Request, wait: float | None) -> None:
        """Raise the 429 (``wait`` seconds become ``Retry-After``)."""
        raise exceptions.Throttled(wait)

    def get_authenticate_header(self, request: Request) -> str | None:
        """The ``WWW-Authenticate`` value of a 401: the first authenticator's; without one the 401 becomes 403."""
        authenticators = self.get_authenticators()
        if authenticators:
            return authenticators[0].authenticate_header(request)
        return None

    def get_parser_context(self, http_request: Any) -> dict:
        return {"view": self, "args": getattr(self, "args", ()), "kwargs": getattr(self, "kwargs", {})}

    def get_renderer_context(self) -> dict:
        return {
            "view": self,
            "args": getattr(self, "args", ()),
            "kwargs": getattr(self, "kwargs", {}),
            "request": getattr(self, "request", None),
        }

    def get_exception_handler_context(self) -> dict:
        return self.get_renderer_context()

    def get_view_name(self) -> str:
        return self.settings.VIEW_NAME_FUNCTION(self)

    def get_view_description(self, html: bool = False) -> str:
        return self.settings.VIEW_DESCRIPTION_FUNCTION(self, html)

    def get_format_suffix(self, **kwargs: Any) -> str | None:
        """The ``.json``-style suffix captured by ``format_suffix_patterns``, if any."""
        if self.settings.FORMAT_SUFFIX_KWARG:
            return kwargs.get(self.settings.FORMAT_SUFFIX_KWARG)
        return None

    def get_renderers(self) -> list[Any]:
        return _shared_instances(self.renderer_classes)

    def get_parsers(self) -> list[Any]:
        return _shared_instances(self.parser_classes)

    def get_authenticators(self) -> list[Any]:
        return [auth() for auth in self.authentication_classes]

    def get_permissions(self) -> list[Any]:
        return [permission() for permission in self.permission_classes]

    def get_throttles(self) -> list[Any]:
        return [throttle() for throttle in self.throttle_classes]

    def get_content_negotiator(self) -> Any:
        if not getattr(self, "_negotiator", None):
            self._negotiator = _shared_instances((self.content_negotiation_class,))[0]
        return self._negotiator

    def get_exception_handler(self) -> Callable[..., Any]:
        return self.settings.EXCEPTION_HANDLER

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        """``(renderer, media_type)`` for the response; with ``force``, fall back to the first renderer."""
        renderers = self.get_renderers()
        conneg = self.get_content_negotiator()
        try:
            return conneg.select_renderer(request, renderers, self.format_kwarg)
        except Exception:
            if force:
                return (renderers[0], renderers[0].media_type)
            raise

    async def perform_authentication(self, request: Request) -> None:
        """Authenticate now (without blocking the loop). Override with a no-op to authenticate lazily."""
        await request.auser()

    async def check_permissions(self, request: Request) -> None:
        """Raise unless every permission's ``has_permission`` (sync or async) allows the request."""
        for permission in self.get_permissions():
            if not await call_policy(permission.has_permission, request, self):
                self.permission_denied(
                    request, message=getattr(permission, "message", None), code=getattr(permission, "code", None)
                )

    async def check_object_permissions(self, request: Request, obj: Any) -> None:
        """Raise unless every permission's ``has_object_permission`` (sync or async) allows ``obj``."""
        for permission in self.get_permissions():
            if not await call_policy(permission.has_object_permission, request, self, obj):
                self.permission_denied(
                    request, message=getattr(permission, "message", None), code=getattr(permission, "code", None)
                )

    async def check_throttles(self, request: Request) -> None:
        """Raise 429 if any throttle refuses; ``Retry-After`` is the longest wait reported."""
        durations = []
        for throttle in self.get_throttles():
            # Throttles with an async form (ours) keep network-cache round trips off the worker thread.
            aallow = getattr(throttle, "aallow_request", None)
            allowed = (
                await aallow(request, self)
                if aallow is not None
                else await call_policy(throttle.allow_request, request, self)
            )
            if not allowed:
                durations.append(await maybe_await(throttle.wait()))
        if durations:
            known = [duration for duration in durations if duration is not None]
            self.throttled(request, max(known, default=None))

    def determine_version(self, request: Request, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        """``(version, scheme)`` from ``versioning_class``, or ``(None, None)`` without one."""
        if self.versioning_class is None:
            return (None, None)
        scheme = self.versioning_class()
        return (scheme.determine_version(request, *args, **kwargs), scheme)

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        """Attach the view's parsers, authenticators and negotiator to the request."""
        if not isinstance(request, Request):
            request = Request(request)
        return request.configure(
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )

    async def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Everything before the handler: negotiation, versioning, authentication, permissions, throttles."""
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        # Each stage is awaited only when it produced an awaitable (overrides may be sync), and skipped when it
        # is the default one and its policy list is empty: there is nothing for it to do.
        cls = type(self)
        if cls.perform_authentication is not APIView.perform_authentication or request.authenticators:
            result = self.perform_authentication(request)
            if isawaitable(result):
                await result
        elif "_user" not in request.__dict__:
            request._not_authenticated()
        if cls.check_permissions is not APIView.check_permissions or self.permission_classes:
            result = self.check_permissions(request)
            if isawaitable(result):
                await result
        if cls.check_throttles is not APIView.check_throttles or self.throttle_classes:
            result = self.check_throttles(request)
            if isawaitable(result):
                await result

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Attach the renderer to the response and add the view's headers (``Allow``, ``Vary``)."""
        if isinstance(response, HttpResponseBase):  # Django's, or DRF's Response (one of Django's)
            response = from_drf_response(response)
            if isinstance(response, HttpResponseBase):
                response = DjangoResponse(response)
        assert isinstance(response, (Response, StreamingResponse, DjangoResponse)), (
            "Expected a `Response`, `StreamingResponse` or Django `HttpResponse` to be returned from the view, "
            f"but received a `{type(response)}`"
        )
        if isinstance(response, Response):
            if not getattr(request, "accepted_renderer", None):
                request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
                    request, force=True
                )
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
        add_view_headers(response, self.headers)
        return response

    def handle_exception(self, exc: Exception) -> Any:
        """Turn ``exc`` into a response with ``EXCEPTION_HANDLER``, or re-raise it (a 500)."""
        if getattr(exc, "database_unavailable", False):  # marked by django_bolt.sync
            exc = exceptions.DatabaseUnavailable()
        if exceptions.is_authentication_error(exc):
            auth_header = self.get_authenticate_header(self.request)
            if isawaitable(auth_header):  # an ``async def authenticate_header``
                return self._handle_exception_after(exc, auth_header)
            self._apply_authenticate_header(exc, auth_header)
        return self._run_exception_handler(exc)

    @staticmethod
    def _apply_authenticate_header(exc: Exception, auth_header: str | None) -> None:
        # DRF's rule: a 401 needs a WWW-Authenticate challenge; without one it becomes a 403.
        if auth_header:
            exc.auth_header = auth_header
        else:
            exc.status_code = status.HTTP_403_FORBIDDEN

    async def _handle_exception_after(self, exc: Exception, pending_header: Any) -> Any:
        self._apply_authenticate_header(exc, await pending_header)
        response = self._run_exception_handler(exc)
        if isawaitable(response):
            response = await response
        return response

    def _run_exception_handler(self, exc: Exception) -> Any:
        handler = self.get_exception_handler()
        if handler is not exception_handler:  # a project handler may be built on DRF's: let it recognise ours
            exc = exceptions.as_drf_compatible(exc)
        response = handler(exc, self.get_exception_handler_context())
        if inspect.isawaitable(response):
            return self._finish_async_exception(exc, response)
        if response is None:
            self.raise_uncaught_exception(exc)
        response.exception = True
        return response

    async def _finish_async_exception(self, exc: Exception, pending: Any) -> Any:
        response = await pending
        if response is None:
            self.raise_uncaught_exception(exc)
        response.exception = True
        return response

    def raise_uncaught_exception(self, exc: Exception) -> None:
        if settings.DEBUG:
            renderer_format = getattr(getattr(self.request, "accepted_renderer", None), "format", None)
            self.request.force_plaintext_errors(renderer_format not in ("html", "api", "admin"))
        raise exc

    async def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """DRF's request/response cycle (see the module docstring)."""
        self.args = args
        self.kwargs = kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            result = self.initial(request, *args, **kwargs)
            if isawaitable(result):
                await result
            method = request.method.lower()
            handler = getattr(self, method, None) if method in self.http_method_names else None
            if handler is None:
                handler = self.http_method_not_allowed
            response = handler(request, *args, **kwargs)
            if isawaitable(response):
                response = await response
        except Exception as exc:
            response = self.handle_exception(exc)
            if isawaitable(response):
                response = await response
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    async def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """OPTIONS: the view's metadata (``metadata_class``), or 405 without one."""
        if self.metadata_class is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        data = await maybe_await(self.metadata_class().determine_metadata(request, self))
        return Response(data, status=status.HTTP_200_OK)


def _run_view(view_func: Any, self: APIView, request: Any, args: tuple, kwargs: dict, direct: bool = False) -> Any:
    """Shared body of the ``as_view`` callbacks: setup, dispatch (atomically if configured), session save. A
    planned route outside ``ATOMIC_REQUESTS`` gets the pipeline's ``dispatch`` coroutine itself to await."""
    if type(request) is not Request and not isinstance(request, Request):
        request = Request(request)
    self._as_view_callable = view_func
    plan = pipeline.current_plan(view_func)
    if plan is None:
        self.setup(request, *args, **kwargs)
        plan = pipeline.plan_for(view_func, self)
    elif "head" not in self.__dict__ and hasattr(self, "get") and not hasattr(self, "head"):
        # What Django's View.setup (a planned class keeps it) does beyond the request and arguments, which the
        # planned dispatch sets.
        self.head = self.get
    aliases = atomic_aliases(view_func)
    if plan is not None and not aliases:
        return pipeline.dispatch(plan, self, request, args, kwargs, direct=direct)
    return _dispatch_then_save(self, request, args, kwargs, plan, aliases, direct)


async def _dispatch_then_save(
    self: APIView, request: Request, args: tuple, kwargs: dict, plan: Any, aliases: list[str], direct: bool
) -> Any:
    if plan is not None:
        dispatching = pipeline.dispatch(plan, self, request, args, kwargs, save_session=False)
    else:
        dispatching = self.dispatch(request, *args, **kwargs)
    if aliases:
        response = await run_sync(atomic_dispatch, aliases, dispatching)
    else:
        response = await dispatching
    # After the transaction, as Django's SessionMiddleware saves after the view.
    if "session" in request.__dict__:
        await finalize_session(request, response)
    return respond(request, response) if direct else response

"""
The compiled request pipeline: DRF's ``APIView.dispatch`` with every decision that depends only on the route
taken once.

DRF asks the view for its parsers, renderers, negotiator, authenticators, permissions and throttles on every
request, builds a parser context, looks up the ``Allow`` header, awaits each stage and walks the response
through ``finalize_response``. For a route whose view class keeps DRF's own hooks for those steps, the answers
are the same for every request until the settings change, so the first request of a route compiles them into a
``RoutePlan``: the shared renderer/parser/negotiator instances, the ``Allow``/``Vary`` headers, and which stages
have work to do. A stage with DRF's own methods whose policy list is empty (no authenticators, no throttles,
no versioning) or holds only ``AllowAny`` is skipped; every other stage runs exactly as in ``APIView.dispatch``,
through the view's own methods, so an overridden ``check_permissions`` or ``get_throttles`` still runs.

A default ``list`` (``ListModelMixin.list``, or ``ListAPIView.get`` delegating to it) whose authenticators do
their work synchronously runs authentication, the permission checks and the list in one bridge call — one
thread hop where the stages would otherwise take two ("token authentication without a separate round trip"); a
permission answering with an awaitable hands the rest back to the loop.

A view class that overrides a hook the plan stands in for (``dispatch``, ``initial``, ``initialize_request``,
``finalize_response``, ``perform_content_negotiation``, the renderer/parser getters, ``__init__``…) gets no
plan and runs ``dispatch`` itself. The plan is keyed on the settings generation, so ``override_settings`` of
``REST_FRAMEWORK``/``BOLT`` is seen by the next request. Class attributes are read when the plan is made: a
policy list changed on the class after its route has served requests is not seen (docs/deviations.md).
"""

from __future__ import annotations

import inspect
import weakref
from functools import cache
from types import CoroutineType
from typing import Any

from django.conf import settings

from django_bolt.finish import plain_headers, plain_triple, respond
from django_bolt.negotiation import DefaultContentNegotiation, decides_by_accept_header, remembered_choice
from django_bolt.request import Request
from django_bolt.response import Response, add_view_headers
from django_bolt.serializers.plans.compile import settings_generation
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import is_async_callable, isawaitable
from django_bolt.utils.sessions import finalize_session

# The hooks a plan stands in for: a class overriding one of them is dispatched by its own ``dispatch``.
PLANNED_HOOKS = (
    "__init__",
    "setup",
    "dispatch",
    "initialize_request",
    "initial",
    "finalize_response",
    "get_parsers",
    "get_renderers",
    "get_content_negotiator",
    "get_parser_context",
    "get_renderer_context",
    "get_format_suffix",
    "perform_content_negotiation",
    "determine_version",
    "default_response_headers",
    "allowed_methods",
    "_allowed_methods",
    "_allow_header",
)

# The class attributes a plan reads, and the per-request state it sets on the view in one step (its
# ``__dict__``): a property or another descriptor under one of these names disqualifies the class.
POLICY_ATTRIBUTES = (
    "renderer_classes",
    "parser_classes",
    "authentication_classes",
    "permission_classes",
    "throttle_classes",
    "content_negotiation_class",
    "versioning_class",
    "http_method_names",
    "settings",
    "args",
    "kwargs",
    "request",
    "headers",
    "action",
    "format_kwarg",
)


class RoutePlan:
    """What one route's pipeline needs, decided from its view class, initkwargs and the settings."""

    __slots__ = (
        "generation",
        "parsers",
        "renderers",
        "negotiator",
        "authentication_classes",
        "own_authenticators",
        "own_authentication",
        "check_permissions",
        "check_throttles",
        "may_join",
        "versioned",
        "bare",
        "headers",
        "format_kwarg",
        "http_method_names",
        "default_charset",
        "plain_negotiation",
        "format_param",
        "choices",
        "anonymous",
        "plain_headers",
        "bound",
    )

    def __init__(self, view: Any) -> None:
        from django_bolt.utils.view_callback import _is_allow_any
        from django_bolt.views import APIView

        cls = type(view)
        self.generation = settings_generation()
        self.parsers = view.get_parsers()
        self.renderers = view.get_renderers()
        self.negotiator = view.get_content_negotiator()
        self.authentication_classes = tuple(view.authentication_classes)
        # Overridden stages run through the view's methods; DRF's own skip when they have nothing to do.
        self.own_authenticators = cls.get_authenticators is not APIView.get_authenticators
        self.own_authentication = cls.perform_authentication is not APIView.perform_authentication
        self.check_permissions = (
            cls.check_permissions is not APIView.check_permissions
            or cls.get_permissions is not APIView.get_permissions
            or not all(_is_allow_any(permission) for permission in view.permission_classes)
        )
        self.check_throttles = (
            cls.check_throttles is not APIView.check_throttles
            or cls.get_throttles is not APIView.get_throttles
            or bool(view.throttle_classes)
        )
        self.versioned = view.versioning_class is not None
        # Nothing to authenticate, check or throttle: the handler is called straight from dispatch.
        self.bare = not (self.own_authentication or self.own_authenticators or self.authentication_classes) and not (
            self.check_permissions or self.check_throttles
        )
        # Whether authentication and permissions may run in the bridge call of a default `list` (_joins_list).
        self.may_join = (
            not self.own_authentication
            and not self.check_throttles
            and cls.check_permissions is APIView.check_permissions
            and cls.get_permissions is APIView.get_permissions
        )
        self.headers = APIView.default_response_headers.fget(view)
        self.format_kwarg = view.settings.FORMAT_SUFFIX_KWARG
        self.http_method_names = frozenset(view.http_method_names)
        self.default_charset = settings.DEFAULT_CHARSET
        # DRF's negotiation picks by the Accept header alone when no format is asked for: remember its choices.
        negotiation = type(self.negotiator)
        self.plain_negotiation = (
            negotiation.select_renderer is DefaultContentNegotiation.select_renderer
            and decides_by_accept_header(negotiation)
        )
        self.format_param = self.negotiator.settings.URL_FORMAT_OVERRIDE if self.plain_negotiation else None
        self.choices: dict[str | None, tuple[int, str]] = {}
        # What Request._not_authenticated sets (UNAUTHENTICATED_USER/TOKEN; a settings change makes a new plan).
        self.anonymous = (api_settings.UNAUTHENTICATED_USER, api_settings.UNAUTHENTICATED_TOKEN)
        self.plain_headers = plain_headers(self.renderers, self.headers)
        # The methods bound on the view per request (``finish._let_go``): a ViewSet's actions, Django's ``head``.
        self.bound = tuple(dict.fromkeys((*(view.__dict__.get("action_map") or ()), "head")))


# Weak: view classes may be created at run time (tests do).
_eligible: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def plannable(cls: type) -> bool:
    """True when ``cls`` keeps DRF's hooks for every step a plan stands in for (decided once per class)."""
    found = _eligible.get(cls)
    if found is None:
        found = _eligible[cls] = _keeps_default_hooks(cls)
    return found


def _keeps_default_hooks(cls: type) -> bool:
    from django.views.generic import View

    from django_bolt.views import APIView
    from django_bolt.viewsets import ViewSetMixin

    defaults = (APIView, ViewSetMixin, View)
    for name in PLANNED_HOOKS:
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), None)
        if owner not in defaults:
            return False
    for name in POLICY_ATTRIBUTES:
        value = inspect.getattr_static(cls, name, None)
        if hasattr(type(value), "__get__") and not _is_setting(value):  # a property, or another descriptor
            return False
    return True


def _is_setting(value: Any) -> bool:
    from django_bolt.views import _Setting

    return isinstance(value, _Setting)


def current_plan(view_func: Any) -> RoutePlan | None:
    """The route's plan when it has one for the current settings (its view class then keeps Django's ``setup``)."""
    plan = view_func.__dict__.get("_bolt_plan")
    return plan if plan is not None and plan.generation == settings_generation() else None


def plan_for(view_func: Any, view: Any) -> RoutePlan | None:
    """The route's plan (made on its first request and after a settings change), or ``None`` when its class
    dispatches itself."""
    plan = view_func.__dict__.get("_bolt_plan")
    if plan is not None and plan.generation == settings_generation():
        return plan
    if not plannable(type(view)):
        return None
    plan = RoutePlan(view)
    view_func._bolt_plan = plan
    return plan


async def dispatch(
    plan: RoutePlan,
    view: Any,
    request: Request,
    args: tuple,
    kwargs: dict,
    save_session: bool = True,
    direct: bool = False,
) -> Any:
    """``APIView.dispatch`` for a planned route: the same stages in the same order, without the no-op ones; then
    the session saved (``save_session``; under ``ATOMIC_REQUESTS`` the caller saves it after the transaction).
    With ``direct`` (the engine's handler, nothing between it and the view) the answer is the ``(status, headers,
    body)`` triple the engine writes, the request's objects released (``finish.respond``); a plain ``Response``
    is finished without the response object's machinery (``finish.plain_triple``).
    """
    state = view.__dict__  # plannable classes have no descriptor for the names set here
    state["args"] = args
    state["kwargs"] = kwargs
    if plan.own_authenticators:
        authenticators = view.get_authenticators() or ()
    else:
        authenticators = [auth() for auth in plan.authentication_classes] if plan.authentication_classes else ()
    attributes = request.__dict__
    # Request.encoding reads Content-Type: without one it is None.
    encoding = (request.encoding if request._raw.header("content-type") else None) or plan.default_charset
    parser_context = {"view": view, "args": args, "kwargs": kwargs, "request": request, "encoding": encoding}
    attributes["parsers"] = list(plan.parsers)
    attributes["authenticators"] = authenticators
    attributes["negotiator"] = plan.negotiator
    attributes["parser_context"] = parser_context
    if request._force_auth_user is not None or request._force_auth_token is not None:
        request.configure(plan.parsers, authenticators, plan.negotiator, parser_context)
    method = request.method.lower()
    action_map = state.get("action_map")
    if action_map is not None:
        state["action"] = "metadata" if method == "options" else action_map.get(method)
    state["request"] = request
    state["headers"] = dict(plan.headers)
    try:
        format_kwarg = state["format_kwarg"] = kwargs.get(plan.format_kwarg) if plan.format_kwarg else None
        renderer, media_type = _negotiate(plan, request, format_kwarg)
        attributes["accepted_renderer"] = renderer
        attributes["accepted_media_type"] = media_type
        if plan.versioned:
            request.version, request.versioning_scheme = view.determine_version(request, *args, **kwargs)
        else:
            attributes["version"] = attributes["versioning_scheme"] = None
        handler = getattr(view, method, None) if method in plan.http_method_names else None
        if plan.may_join and authenticators and handler is not None and _joins_list(view, handler, request):
            response = await _list_in_one_hop(plan, view, request, handler, args, kwargs)
        else:
            if plan.bare:  # no stage has work to do (no coroutine for them)
                if "_user" not in attributes:
                    if "_request" in attributes:
                        request._not_authenticated()
                    else:  # Request._not_authenticated, without a Django request to tell
                        user, token = plan.anonymous
                        attributes["_authenticator"] = None
                        attributes["_user"] = user() if user else None
                        attributes["_auth"] = token() if token else None
            else:
                await _stages(plan, view, request)
            response = (handler or view.http_method_not_allowed)(request, *args, **kwargs)
            if type(response) is CoroutineType or isawaitable(response):
                response = await response
    except Exception as exc:
        response = view.handle_exception(exc)
        if isawaitable(response):
            response = await response
    if direct and type(response) is Response:
        triple = plain_triple(plan, view, request, response)
        if triple is not None:
            return triple
    response = _finalize(view, request, response, args, kwargs)
    if save_session and "session" in attributes:
        await finalize_session(request, response)
    return respond(request, response) if direct else response


def _negotiate(plan: RoutePlan, request: Request, format_kwarg: Any) -> tuple[Any, str]:
    """The negotiator's ``select_renderer``; DRF's own answers by the ``Accept`` header alone when no format is
    asked for (no suffix, no ``?format=``), so its answer per header is kept on the plan."""
    raw = request._raw
    if format_kwarg or not plan.plain_negotiation or (plan.format_param and plan.format_param in raw.query_string):
        return plan.negotiator.select_renderer(request, list(plan.renderers), format_kwarg)
    return remembered_choice(plan.choices, raw.header("accept"), plan.negotiator, request, plan.renderers)


async def _stages(plan: RoutePlan, view: Any, request: Request) -> None:
    """Authentication, permissions and throttles (those with work to do)."""
    if plan.own_authentication or request.authenticators:
        result = view.perform_authentication(request)
        if isawaitable(result):
            await result
    elif "_user" not in request.__dict__:
        request._not_authenticated()
    if plan.check_permissions:
        result = view.check_permissions(request)
        if isawaitable(result):
            await result
    if plan.check_throttles:
        result = view.check_throttles(request)
        if isawaitable(result):
            await result


def _finalize(view: Any, request: Request, response: Any, args: tuple, kwargs: dict) -> Any:
    renderer = request.__dict__.get("accepted_renderer")
    if type(response) is not Response or renderer is None:
        view.response = response = view.finalize_response(request, response, *args, **kwargs)
        return response
    # finalize_response for a Response after a successful negotiation.
    response.accepted_renderer = renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = {"view": view, "args": args, "kwargs": kwargs, "request": request}
    add_view_headers(response, view.headers)
    view.response = response
    return response


# One thread hop instead of two -------------------------------------------------------------------------


def _joins_list(view: Any, handler: Any, request: Request) -> bool:
    """
    The handler is the default ``list`` and every authenticator does its work synchronously (its ``aauthenticate``
    is DRF's ``authenticate`` run in the bridge): authentication and permissions can run in the bridge call of
    ``list`` itself, saving a thread hop, with the same results in the same order.
    """
    if "_user" in request.__dict__ or not request.authenticators:
        return False
    list_action, list_response, handlers = _default_list()
    if getattr(handler, "__func__", None) not in handlers:
        return False
    cls = type(view)
    if getattr(cls, "list", None) is not list_action or cls._list_response is not list_response:
        return False
    return all(map(_authenticates_in_bridge, request.authenticators))


@cache
def _default_list() -> tuple[Any, Any, tuple[Any, ...]]:
    # Imported on first use (the generic views import the views module, which imports this one): the default
    # list action, its synchronous body, and the handlers that are it (ListAPIView.get awaits self.list()).
    from django_bolt import generics, mixins

    action = mixins.ListModelMixin.list
    return (
        action,
        mixins.ListModelMixin._list_response,
        (action, generics.ListAPIView.get, generics.ListCreateAPIView.get),
    )


@cache
def _bridge_equivalent_aauthenticate() -> tuple[Any, ...]:
    # The aauthenticate methods that only run DRF's authenticate() (or its parts) in the bridge.
    from django_bolt import authentication as auth

    return (
        auth.BaseAuthentication.aauthenticate,
        auth.BasicAuthentication.aauthenticate,
        auth.TokenAuthentication.aauthenticate,
        auth.RemoteUserAuthentication.aauthenticate,
    )


def _authenticates_in_bridge(authenticator: Any) -> bool:
    aauthenticate = getattr(type(authenticator), "aauthenticate", None)
    if aauthenticate is not None and aauthenticate not in _bridge_equivalent_aauthenticate():
        return False
    checks = (getattr(authenticator, "authenticate", None), getattr(authenticator, "authenticate_credentials", None))
    return not any(map(is_async_callable, checks))


@cache
def _permission_helpers() -> tuple[Any, Any, Any]:
    # Imported on first use (mixins imports the views, which import this module).
    from django_bolt.mixins import _Unfinished, check_in_bridge, finish_checks

    return _Unfinished, check_in_bridge, finish_checks


async def _list_in_one_hop(
    plan: RoutePlan, view: Any, request: Request, handler: Any, args: tuple, kwargs: dict
) -> Any:
    _Unfinished, check_in_bridge, finish_checks = _permission_helpers()  # noqa: N806 - a class among them

    def work() -> Any:
        request._authenticate()
        if plan.check_permissions:
            unfinished = check_in_bridge(view, request, view.get_permissions(), "has_permission")
            if unfinished is not None:
                return unfinished
        return view._list_response()

    result = await run_sync(work)
    if type(result) is not _Unfinished:
        return result
    await finish_checks(view, request, result, "has_permission")
    response = handler(request, *args, **kwargs)
    return await response if isawaitable(response) else response

"""
ViewSets: one class for a resource's actions, bound to HTTP methods by ``as_view(actions)`` (routers do it).

``BoltModelViewSet`` and friends are DRF's ``ModelViewSet`` etc. with coroutine actions; the DRF names are
exported as aliases (``ModelViewSet = BoltModelViewSet``) so a DRF project switches by changing imports.
``self.action`` keeps DRF's names (``list``, ``create``, ``retrieve``…). Actions must be ``async def``: a sync
action is refused when the view is built (``as_view`` / ``router.register``).
"""

from __future__ import annotations

import inspect
import sys
from inspect import getmembers
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch

from django_bolt import generics, mixins, views
from django_bolt.reverse import reverse
from django_bolt.utils import view_callback
from django_bolt.utils.awaitables import adopt_async_wrapper
from django_bolt.utils.django_request import serve_django_request

# The standard actions a router may map; only the ones a viewset defines are checked and routed.
STANDARD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")


def _is_extra_action(attr: Any) -> bool:
    return hasattr(attr, "mapping") and isinstance(attr.mapping, dict) and hasattr(attr, "detail")


def _check_attr_name(func: Any, name: str) -> Any:
    assert func.__name__ == name, (
        f"Expected function (`{func.__name__}`) to match its attribute name (`{name}`). If using a decorator, "
        "ensure the inner function is decorated with `functools.wraps`, or that `{func.__name__}.__name__` is "
        "otherwise set to `{name}`."
    )
    return func


def drf_class_message(cls: type, kind: str) -> str | None:
    """If ``cls`` is a DRF view class (not a Bolt one), what to say when it is given to Bolt's routing."""
    drf_views = sys.modules.get("rest_framework.views")
    if drf_views is None or not issubclass(cls, drf_views.APIView):
        return None
    base = next((b for b in cls.__mro__ if b.__module__.startswith("rest_framework.")), drf_views.APIView)
    return (
        f"{cls.__qualname__} is a DRF {kind} ({base.__module__}.{base.__qualname__}), not a Bolt one. Either keep "
        "it in ROOT_URLCONF, where runbolt serves it through Django (the fall-through), or port it: change its base "
        f"to django_bolt's (e.g. django_bolt.viewsets.Bolt{base.__qualname__}) and make its actions `async def` "
        "(docs/migration-guide.md)."
    )


def check_async_actions(viewset: type, action_names: Any) -> None:
    """Refuse sync actions up front, with a message saying what to do."""
    message = drf_class_message(viewset, "ViewSet")
    if message:
        raise ImproperlyConfigured(message)
    for name in action_names:
        handler = adopt_async_wrapper(viewset, name)
        if handler is not None and not inspect.iscoroutinefunction(handler):
            raise ImproperlyConfigured(
                f"{viewset.__qualname__}.{name}() must be declared `async def`: django_bolt viewset actions run on "
                "an event loop. Do blocking work (the ORM) with `await run_sync(fn, ...)` from django_bolt.sync, "
                "or use the async serializer API (`await serializer.adata`, `ais_valid`, `asave`)."
            )


class ViewSetMixin:
    """Binds HTTP methods to actions in ``as_view`` (``{"get": "list", "post": "create"}``)."""

    # Set per route by the router through initkwargs; class defaults here.
    name: str | None = None
    description: str | None = None
    suffix: str | None = None
    detail: bool | None = None
    basename: str | None = None

    @classmethod
    def as_view(cls, actions: dict[str, str] | None = None, **initkwargs: Any) -> Any:
        """The route callback for ``actions`` (``{method: action}``); carries ``cls``, ``initkwargs``, ``actions``."""
        if not actions:
            raise TypeError(
                "The `actions` argument must be provided when calling `.as_view()` on a ViewSet. For example "
                "`.as_view({'get': 'list'})`"
            )
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"You tried to pass in the {key} method name as a keyword argument to {cls.__name__}(). "
                    "Don't do that."
                )
            if not hasattr(cls, key):
                raise TypeError(f"{cls.__name__}() received an invalid keyword {key!r}")
        if "name" in initkwargs and "suffix" in initkwargs:
            raise TypeError(
                f"{cls.__name__}() received both `name` and `suffix`, which are mutually exclusive arguments."
            )
        check_async_actions(cls, actions.values())
        view_callback.check_awaited_hooks(cls)
        view_callback._guard_queryset(cls)
        actions = dict(actions)
        if "get" in actions and "head" not in actions:
            actions["head"] = actions["get"]

        instance = view_callback.instance_factory(cls, initkwargs, {"action_map": actions})

        def enter(request: Any, args: tuple, kwargs: dict, direct: bool = False) -> Any:
            self = instance()
            # Bind each method to its action on the instance (so allowed_methods sees them).
            for method, action in actions.items():
                setattr(self, method, getattr(self, action))
            return views._run_view(view, self, request, args, kwargs, direct)

        async def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(request, HttpRequest):  # reached through Django's handler (gunicorn, APIClient)
                return await serve_django_request(view, request, args, kwargs)
            return await enter(request, args, kwargs)

        view_callback.mark_entry(view, enter)

        bound = set(actions) | {m for m in cls.http_method_names if hasattr(cls, m)}
        view_callback._decorate_view(view, cls, initkwargs, [m for m in cls.http_method_names if m in bound])
        view.actions = actions
        return view

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Also sets ``self.action`` (``metadata`` for OPTIONS)."""
        request = super().initialize_request(request, *args, **kwargs)
        method = request.method.lower()
        self.action = "metadata" if method == "options" else self.action_map.get(method)
        return request

    def reverse_action(self, url_name: str, *args: Any, **kwargs: Any) -> str:
        """The URL of another action of this viewset, e.g. ``self.reverse_action("set-password", args=[1])``."""
        url_name = f"{self.basename}-{url_name}"
        namespace = None
        request = getattr(self, "request", None)
        if request is not None and request.resolver_match is not None:
            namespace = request.resolver_match.namespace
        if namespace:
            url_name = f"{namespace}:{url_name}"
        kwargs.setdefault("request", request)
        return reverse(url_name, *args, **kwargs)

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        """The ``@action`` methods of this viewset."""
        return [_check_attr_name(method, name) for name, method in getmembers(cls, _is_extra_action)]

    def get_extra_action_url_map(self) -> dict[str, str]:
        """``{view name: URL}`` of the extra actions at this route's level (detail or list)."""
        action_urls: dict[str, str] = {}
        if self.detail is None:
            return action_urls
        namespace = getattr(self.request.resolver_match, "namespace", None) if self.request else None
        for extra in self.get_extra_actions():
            if extra.detail != self.detail:
                continue
            url_name = f"{self.basename}-{extra.url_name}"
            if namespace:
                url_name = f"{namespace}:{url_name}"
            try:
                url = reverse(url_name, self.args, self.kwargs, request=self.request)
            except NoReverseMatch:
                continue
            action_urls[self.__class__(**extra.kwargs).get_view_name()] = url
        return action_urls


class BoltViewSet(ViewSetMixin, views.APIView):
    """A viewset with no actions of its own: define ``async def list(self, request)`` etc."""


class BoltGenericViewSet(ViewSetMixin, generics.GenericAPIView):
    """``GenericAPIView``'s hooks (queryset, serializer, lookup, pagination) without actions."""


class BoltReadOnlyModelViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, BoltGenericViewSet):
    """``list`` and ``retrieve``."""


class BoltModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    BoltGenericViewSet,
):
    """``list``, ``create``, ``retrieve``, ``update``, ``partial_update`` and ``destroy``."""


# DRF's names.
ViewSet = BoltViewSet
GenericViewSet = BoltGenericViewSet
ReadOnlyModelViewSet = BoltReadOnlyModelViewSet
ModelViewSet = BoltModelViewSet

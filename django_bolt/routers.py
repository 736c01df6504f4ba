"""
Routers: register viewsets, get URL patterns (ordinary Django ``re_path``/``path`` objects the engine compiles).

    router = DefaultRouter()
    router.register("books", BookViewSet)
    urlpatterns = router.urls        # in bolt_urls.py

Routes and names are DRF's: ``{basename}-list``, ``{basename}-detail`` and one per ``@action``
(``{basename}-{url_name}``); ``DefaultRouter`` adds the API root (``api-root``) and ``.json`` suffixes.
"""

from __future__ import annotations

import itertools
from collections import namedtuple
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, path, re_path

from django_bolt import views
from django_bolt.response import Response
from django_bolt.reverse import reverse
from django_bolt.urlpatterns import format_suffix_patterns
from django_bolt.viewsets import STANDARD_ACTIONS, check_async_actions

Route = namedtuple("Route", ["url", "mapping", "name", "detail", "initkwargs"])
DynamicRoute = namedtuple("DynamicRoute", ["url", "name", "detail", "initkwargs"])


def escape_curly_brackets(url_path: str) -> str:
    """Double the braces of a url_path so that ``str.format`` keeps them (regex quantifiers)."""
    return url_path.replace("{", "{{").replace("}", "}}")


def flatten(list_of_lists: Any) -> Any:
    return itertools.chain(*list_of_lists)


class BaseRouter:
    def __init__(self) -> None:
        self.registry: list[tuple[str, Any, str]] = []

    def register(self, prefix: str, viewset: Any, basename: str | None = None) -> None:
        """Add ``viewset`` under URL ``prefix``; ``basename`` defaults to the queryset's model name."""
        if basename is None:
            basename = self.get_default_basename(viewset)
        if self.is_already_registered(basename):
            raise ImproperlyConfigured(
                f'Router with basename "{basename}" is already registered. Please provide a unique basename for '
                f'viewset "{viewset}"'
            )
        # Fail at registration, not on the first request, for a sync action.
        extra = [action.__name__ for action in viewset.get_extra_actions()]
        mapped = [name for action in viewset.get_extra_actions() for name in action.mapping.values()]
        check_async_actions(viewset, [*STANDARD_ACTIONS, *extra, *mapped])
        self.registry.append((prefix, viewset, basename))
        # Invalidate the cached URLs.
        if hasattr(self, "_urls"):
            del self._urls

    def is_already_registered(self, new_basename: str) -> bool:
        return any(basename == new_basename for _prefix, _viewset, basename in self.registry)

    def get_default_basename(self, viewset: Any) -> str:
        raise NotImplementedError("get_default_basename must be overridden")

    def get_urls(self) -> list[Any]:
        raise NotImplementedError("get_urls must be overridden")

    @property
    def urls(self) -> list[Any]:
        if not hasattr(self, "_urls"):
            self._urls = self.get_urls()
        return self._urls


class SimpleRouter(BaseRouter):
    routes = [
        # List route.
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "list", "post": "create"},
            name="{basename}-list",
            detail=False,
            initkwargs={"suffix": "List"},
        ),
        # @action(detail=False) routes.
        DynamicRoute(
            url=r"^{prefix}/{url_path}{trailing_slash}$", name="{basename}-{url_name}", detail=False, initkwargs={}
        ),
        # Detail route.
        Route(
            url=r"^{prefix}/{lookup}{trailing_slash}$",
            mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
            name="{basename}-detail",
            detail=True,
            initkwargs={"suffix": "Instance"},
        ),
        # @action(detail=True) routes.
        DynamicRoute(
            url=r"^{prefix}/{lookup}/{url_path}{trailing_slash}$",
            name="{basename}-{url_name}",
            detail=True,
            initkwargs={},
        ),
    ]

    def __init__(self, trailing_slash: bool = True, use_regex_path: bool = True) -> None:
        self.trailing_slash = "/" if trailing_slash else ""
        self._use_regex = use_regex_path
        if use_regex_path:
            self._base_pattern = "(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"
            self._default_value_pattern = "[^/.]+"
            self._url_conf = re_path
        else:
            self._base_pattern = "<{lookup_value}:{lookup_prefix}{lookup_url_kwarg}>"
            self._default_value_pattern = "str"
            self._url_conf = path
            # path() routes carry no anchors.
            self.routes = [route._replace(url=route.url.lstrip("^").rstrip("$")) for route in self.routes]
        super().__init__()

    def get_default_basename(self, viewset: Any) -> str:
        queryset = getattr(viewset, "queryset", None)
        assert queryset is not None, (
            "`basename` argument not specified, and could not automatically determine the name from the viewset, "
            "as it does not have a `.queryset` attribute."
        )
        return queryset.model._meta.object_name.lower()

    def get_routes(self, viewset: Any) -> list[Route]:
        """The static routes plus one route per ``@action`` of ``viewset``."""
        known_actions = list(flatten([route.mapping.values() for route in self.routes if isinstance(route, Route)]))
        extra_actions = viewset.get_extra_actions()
        not_allowed = [action.__name__ for action in extra_actions if action.__name__ in known_actions]
        if not_allowed:
            raise ImproperlyConfigured(
                "Cannot use the @action decorator on the following methods, as they are existing routes: "
                + ", ".join(not_allowed)
            )
        detail_actions = [action for action in extra_actions if action.detail]
        list_actions = [action for action in extra_actions if not action.detail]
        routes: list[Route] = []
        for route in self.routes:
            if isinstance(route, DynamicRoute) and route.detail:
                routes += [self._get_dynamic_route(route, action) for action in detail_actions]
            elif isinstance(route, DynamicRoute):
                routes += [self._get_dynamic_route(route, action) for action in list_actions]
            else:
                routes.append(route)
        return routes

    def _get_dynamic_route(self, route: DynamicRoute, action: Any) -> Route:
        initkwargs = route.initkwargs.copy()
        initkwargs.update(action.kwargs)
        return Route(
            url=route.url.replace("{url_path}", escape_curly_brackets(action.url_path)),
            mapping=action.mapping,
            name=route.name.replace("{url_name}", action.url_name),
            detail=route.detail,
            initkwargs=initkwargs,
        )

    def get_method_map(self, viewset: Any, method_map: dict[str, str]) -> dict[str, str]:
        """Keep only the ``{method: action}`` pairs whose action the viewset implements."""
        return {method: action for method, action in method_map.items() if hasattr(viewset, action)}

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        """The URL fragment capturing the object lookup (``lookup_value_regex``, default ``[^/.]+``)."""
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        lookup_value = None
        if not self._use_regex:
            lookup_value = getattr(viewset, "lookup_value_converter", None)
        if lookup_value is None:
            lookup_value = getattr(viewset, "lookup_value_regex", self._default_value_pattern)
        return self._base_pattern.format(
            lookup_prefix=lookup_prefix, lookup_url_kwarg=lookup_url_kwarg, lookup_value=lookup_value
        )

    def get_urls(self) -> list[Any]:
        urls = []
        for prefix, viewset, basename in self.registry:
            lookup = self.get_lookup_regex(viewset)
            for route in self.get_routes(viewset):
                mapping = self.get_method_map(viewset, route.mapping)
                if not mapping:
                    continue
                regex = route.url.format(prefix=prefix, lookup=lookup, trailing_slash=self.trailing_slash)
                # An empty prefix would leave a leading slash (``^/{lookup}/$``): drop it.
                if not prefix:
                    if self._url_conf is path:
                        if regex[:1] == "/":
                            regex = regex[1:]
                    elif regex[:2] == "^/":
                        regex = "^" + regex[2:]
                initkwargs = route.initkwargs.copy()
                initkwargs.update({"basename": basename, "detail": route.detail})
                view = viewset.as_view(mapping, **initkwargs)
                urls.append(self._url_conf(regex, view, name=route.name.format(basename=basename)))
        return urls


class APIRootView(views.APIView):
    """The API root: a link to the list route of every registered viewset."""

    _ignore_model_permissions = True
    schema = None
    api_root_dict: dict[str, str] | None = None

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        links = {}
        match = request.resolver_match
        namespace = match.namespace if match is not None else ""
        for key, url_name in (self.api_root_dict or {}).items():
            if namespace:
                url_name = f"{namespace}:{url_name}"
            try:
                links[key] = reverse(url_name, args=args, kwargs=kwargs, request=request, format=kwargs.get("format"))
            except NoReverseMatch:
                # Routes needing URL arguments can't be linked from the root.
                continue
        return Response(links)


class DefaultRouter(SimpleRouter):
    """``SimpleRouter`` plus the API root view (``GET /`` named ``api-root``) and ``.json`` format suffixes."""

    include_root_view = True
    include_format_suffixes = True
    root_view_name = "api-root"
    APIRootView = APIRootView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Renderers of the API root view; by default the view's own (DEFAULT_RENDERER_CLASSES).
        self.root_renderers = kwargs.pop("root_renderers", None)
        super().__init__(*args, **kwargs)

    def get_api_root_view(self, api_urls: Any = None) -> Any:
        list_name = self.routes[0].name
        api_root_dict = {prefix: list_name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        initkwargs: dict[str, Any] = {"api_root_dict": api_root_dict}
        if self.root_renderers is not None:
            initkwargs["renderer_classes"] = list(self.root_renderers)
        return self.APIRootView.as_view(**initkwargs)

    def get_urls(self) -> list[Any]:
        urls = super().get_urls()
        if self.include_root_view:
            urls.append(path("", self.get_api_root_view(api_urls=urls), name=self.root_view_name))
        if self.include_format_suffixes:
            urls = format_suffix_patterns(urls)
        return urls

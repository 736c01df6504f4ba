"""
OpenAPI documents for Bolt routes, with drf-spectacular.

``SchemaGenerator`` is spectacular's generator that also enumerates the routes runbolt serves: with no
``urlconf`` it documents ``ROOT_BOLTCONF`` and ``ROOT_URLCONF`` together, the Bolt route winning where both
serve a path (as runbolt does); with a ``urlconf`` (``manage.py spectacular --urlconf mysite.bolt_urls``) just
that one. Bolt views reach spectacular as their DRF twins (``django_bolt.schemas.twins``), so a Bolt view is
documented as its DRF namesake would be. When the ``django_bolt`` app is ready it becomes spectacular's default
generator (``SPECTACULAR_SETTINGS["DEFAULT_GENERATOR_CLASS"]`` set by the project wins), and Bolt's own classes
join the library classes whose docstrings spectacular ignores (``GET_LIB_DOC_EXCLUDES``).

``AutoSchema`` is spectacular's, under the name Bolt's ``DEFAULT_SCHEMA_CLASS`` gives it; subclass it (or
spectacular's) for per-view customisation, as with DRF.
"""

from __future__ import annotations

from typing import Any

try:
    import drf_spectacular.contrib.pydantic  # noqa: F401 (registers pydantic models' schemas)
    from drf_spectacular.extensions import OpenApiSerializerExtension
    from drf_spectacular.generators import EndpointEnumerator as _Enumerator
    from drf_spectacular.generators import SchemaGenerator as _Generator
    from drf_spectacular.openapi import AutoSchema as _AutoSchema
    from drf_spectacular.plumbing import ComponentRegistry as _Registry
    from drf_spectacular.plumbing import ResolvedComponent
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "django_bolt.schemas needs drf-spectacular: pip install drf-spectacular (and add 'drf_spectacular' to "
        "INSTALLED_APPS)."
    ) from error

from django_bolt.schemas import twins


class MsgspecStructExtension(OpenApiSerializerExtension):
    """A msgspec ``Struct`` named as a serializer is described by its own JSON schema (pydantic models are by
    spectacular's contrib extension)."""

    target_class = "msgspec.Struct"
    match_subclasses = True

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return self.target.__name__

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict:
        import msgspec

        (reference,), components = msgspec.json.schema_components(
            [self.target], ref_template="#/components/schemas/{name}"
        )
        name = reference["$ref"].rsplit("/", 1)[1]
        for sub_name, sub_schema in components.items():
            if sub_name != name:
                component = ResolvedComponent(sub_name, ResolvedComponent.SCHEMA, object=sub_name, schema=sub_schema)
                auto_schema.registry.register_on_missing(component)
        return components[name]


class AutoSchema(_AutoSchema):
    """drf-spectacular's ``AutoSchema``; Bolt views reach it as their DRF twins, so nothing differs."""


def _is_bolt_view(callback: Any) -> bool:
    from django_bolt.views import APIView

    cls = getattr(callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


class _TwinCallback:
    """A Bolt route's callback as spectacular reads it: ``cls`` is the view's DRF twin."""

    def __init__(self, callback: Any) -> None:
        self.callback = callback
        self.cls = twins.view_class(callback.cls)
        self.initkwargs = getattr(callback, "initkwargs", {})
        if hasattr(callback, "actions"):
            self.actions = callback.actions

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.callback(*args, **kwargs)


class EndpointEnumerator(_Enumerator):
    """Spectacular's enumerator over Bolt routes (as DRF twins), with ``ROOT_URLCONF`` behind them."""

    def __init__(self, patterns: Any = None, urlconf: Any = None) -> None:
        # Without an explicit URLconf: what runbolt serves, Bolt routes first.
        self.bolt_patterns: list | None = None
        if patterns is None and urlconf is None:
            from django_bolt.conf import load_urlpatterns

            self.bolt_patterns = load_urlpatterns()
        super().__init__(patterns, urlconf)

    def _get_api_endpoints(self, patterns: Any, prefix: str) -> list:
        if patterns is None and self.bolt_patterns:
            bolt = super()._get_api_endpoints(self.bolt_patterns, prefix)
            served = {path for path, *_ in bolt}
            django = [e for e in super()._get_api_endpoints(None, prefix) if e[0] not in served]
            endpoints = bolt + django
        else:
            endpoints = super()._get_api_endpoints(patterns, prefix)
        if prefix:  # a nested call: the top-level one wraps the callbacks
            return endpoints
        return [
            (path, regex, method, _TwinCallback(callback) if _is_bolt_view(callback) else callback)
            if not isinstance(callback, _TwinCallback)
            else (path, regex, method, callback)
            for path, regex, method, callback in endpoints
        ]

    def should_include_endpoint(self, path: str, callback: Any) -> bool:
        if _is_bolt_view(callback):
            return super().should_include_endpoint(path, _TwinCallback(callback))
        return super().should_include_endpoint(path, callback)

    def get_allowed_methods(self, callback: Any) -> list[str]:
        if _is_bolt_view(callback):
            callback = _TwinCallback(callback)
        return super().get_allowed_methods(callback)


class ComponentRegistry(_Registry):
    """
    Spectacular's registry, where a serializer twin and a DRF serializer of the same name, docstring and fields
    are one component. Mid-migration, a DRF serializer kept by one endpoint and its Bolt port used by another
    are the same contract; spectacular would otherwise report a name collision (and keep the first schema).
    """

    def __contains__(self, component: Any) -> bool:
        existing = self._components.get(component.key)
        if existing is not None and _same_serializer(existing.object, component.object):
            return True
        return super().__contains__(component)


def _same_serializer(left: Any, right: Any) -> bool:
    from drf_spectacular.plumbing import get_class, is_serializer

    classes = get_class(left), get_class(right)
    if classes[0] is classes[1] or not any(hasattr(c, "_bolt_source") for c in classes):
        return False
    if not (is_serializer(left) and is_serializer(right)) or classes[0].__doc__ != classes[1].__doc__:
        return False
    try:  # fresh instances (no context): DRF's repr lists every field with its options
        return repr(classes[0]()) == repr(classes[1]())
    except Exception:
        return False


class SchemaGenerator(_Generator):
    """Spectacular's ``SchemaGenerator`` that documents the routes runbolt serves (see the module docstring)."""

    endpoint_inspector_cls = EndpointEnumerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry = ComponentRegistry()

    def create_view(self, callback: Any, method: str, request: Any = None) -> Any:
        view = super().create_view(callback, method, request)
        if isinstance(callback, _TwinCallback) and view.schema is not None:
            self._set_schema_to_view(view, twins.schema_for(view.schema))
        return view


def get_lib_doc_excludes() -> list[type]:
    """Spectacular's list plus Bolt's views, viewsets and mixins: their docstrings never describe an endpoint."""
    from drf_spectacular.plumbing import get_lib_doc_excludes as spectacular_excludes

    from django_bolt import generics, mixins, views, viewsets

    bolt = [
        value
        for module in (views, generics, viewsets, mixins)
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]
    return [*spectacular_excludes(), *bolt]


def install() -> None:
    """Make ``SchemaGenerator`` spectacular's default generator and ``get_lib_doc_excludes`` its default list
    (a project's own choice in ``SPECTACULAR_SETTINGS`` wins)."""
    from drf_spectacular import settings as spectacular

    defaults = {"DEFAULT_GENERATOR_CLASS": "SchemaGenerator", "GET_LIB_DOC_EXCLUDES": "get_lib_doc_excludes"}
    for key, value in defaults.items():
        spectacular.SPECTACULAR_DEFAULTS[key] = f"{__name__}.{value}"
        spectacular.spectacular_settings.__dict__.pop(key, None)
        spectacular.spectacular_settings._cached_attrs.discard(key)

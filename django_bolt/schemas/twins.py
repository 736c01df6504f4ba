"""
DRF twins of Bolt classes, for drf-spectacular.

drf-spectacular introspects DRF classes (``isinstance`` checks on views, serializers, fields, authenticators,
permissions, versioning). Bolt's classes mirror DRF's names and constructor arguments, so each has a DRF twin:
a view class deriving from the Bolt view *and* its DRF namesake (the Bolt view's own methods, actions, docstrings
and ``@extend_schema`` annotations stay in front), a serializer class built by DRF from the same ``Meta`` and the
same declared field arguments, DRF's own authentication/permission/versioning classes for Bolt's built-ins.
What spectacular then documents is what it documents for the DRF version of the same code. Twins are built once
per class and cached.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

_twins: dict[type, type] = {}

# Bolt module → the DRF modules holding namesakes of its classes.
_VIEW_MODULES = ("rest_framework.viewsets", "rest_framework.generics", "rest_framework.mixins", "rest_framework.views")
# (Bolt's pagination and search/ordering filters describe themselves as DRF's do: no twin needed.)
_POLICY_MODULES = {
    "django_bolt.authentication": "rest_framework.authentication",
    "django_bolt.permissions": "rest_framework.permissions",
    "django_bolt.versioning": "rest_framework.versioning",
    "django_bolt.jwt.authentication": "rest_framework_simplejwt.authentication",
    "django_bolt.filters": "django_filters.rest_framework",  # DjangoFilterBackend: spectacular's extension
}
_FIELD_MODULES = ("rest_framework.fields", "rest_framework.relations", "rest_framework.serializers")


def _cached(cls: type, build: Any) -> Any:
    twin = _twins.get(cls)
    if twin is None:
        twin = _twins[cls] = build(cls)
    return twin


def _drf_namesake(cls: type, modules: tuple[str, ...]) -> type | None:
    name = cls.__name__.removeprefix("Bolt")
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, name, None)
        if isinstance(found, type):
            return found
    return None


def _is_bolt(cls: type) -> bool:
    return cls.__module__.startswith("django_bolt.")


def _user_attributes(cls: type, stop: type) -> dict[str, Any]:
    """Attributes the project's classes (those between ``cls`` and the framework) define, base first."""
    attrs: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if _is_bolt(klass) or klass.__module__.startswith("rest_framework") or klass in (object, stop):
            continue
        for name, value in vars(klass).items():
            if name in ("__dict__", "__weakref__", "_declared_fields", "Meta") or name.startswith("_bolt"):
                continue
            # A method using zero-argument super() is bound to its own class: not movable.
            code = getattr(value, "__code__", None)
            if name == "__init__" or (code is not None and "__class__" in code.co_freevars):
                continue
            attrs[name] = value
    return attrs


# Policies -------------------------------------------------------------------------------------------------


def policy_class(cls: Any) -> Any:
    """DRF's class for a Bolt built-in policy (or a project subclass of one), else ``cls`` unchanged."""
    if not isinstance(cls, type):
        return cls
    if cls in _twins:
        return _twins[cls]
    twin = cls
    for klass in cls.__mro__:
        drf_module = _POLICY_MODULES.get(klass.__module__)
        if drf_module is None or (drf_module.startswith("django_filters") and klass.__name__ != "DjangoFilterBackend"):
            continue
        namesake = _drf_namesake(klass, (drf_module,))
        if namesake is not None:
            twin = namesake if klass is cls else type(cls.__name__, (namesake,), _user_attributes(cls, klass))
        break
    _twins[cls] = twin
    return twin


def policy_instance(instance: Any) -> Any:
    twin = policy_class(type(instance))
    if twin is type(instance):
        return instance
    copy = twin.__new__(twin)
    copy.__dict__.update(vars(instance))
    return copy


# Serializers and fields -----------------------------------------------------------------------------------


def serializer_class(cls: Any) -> Any:
    """The DRF twin of a Bolt serializer class (other classes unchanged)."""
    from django_bolt.serializers import BaseSerializer

    if not (isinstance(cls, type) and issubclass(cls, BaseSerializer)):
        return cls
    return _cached(cls, _build_serializer)


def _build_serializer(cls: type) -> type:
    base = next(k for k in cls.__mro__ if _is_bolt(k))
    drf_base = _drf_namesake(base, ("rest_framework.serializers",))
    declared = {name: field_twin(field) for name, field in cls._declared_fields.items()}
    attrs = {**_user_attributes(cls, base), **declared, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    meta = getattr(cls, "Meta", None)
    if meta is not None:
        meta_attrs = {k: v for k, v in vars(meta).items() if not k.startswith("__")}
        if "list_serializer_class" in meta_attrs:
            meta_attrs["list_serializer_class"] = serializer_class(meta_attrs["list_serializer_class"])
        attrs["Meta"] = type("Meta", (), meta_attrs)
    attrs["__doc__"] = cls.__doc__
    attrs["_bolt_source"] = cls
    return type(cls.__name__, (drf_base,), attrs)


def _twin_value(value: Any) -> Any:
    from django_bolt.fields import Field

    return field_twin(value) if isinstance(value, Field) else value


def field_twin(field: Any) -> Any:
    """A DRF field built from a Bolt field's constructor arguments (a nested serializer: its twin)."""
    from rest_framework import fields as drf_fields

    from django_bolt.serializers import BaseSerializer, ListSerializer

    cls = type(field)
    kwargs = {key: _twin_value(value) for key, value in field._kwargs.items()}
    args = [_twin_value(value) for value in field._args]
    if cls is ListSerializer:
        from rest_framework.serializers import ListSerializer as DRFListSerializer

        return DRFListSerializer(*args, **kwargs)
    if isinstance(field, BaseSerializer):
        return serializer_class(cls)(*args, **kwargs)
    builtin = next(k for k in cls.__mro__ if _is_bolt(k))
    namesake = _drf_namesake(builtin, _FIELD_MODULES) or drf_fields.Field
    drf_cls = namesake if builtin is cls else _field_class(cls, builtin, namesake)
    try:
        return drf_cls(*args, **kwargs)
    except TypeError:  # a project field with arguments of its own: keep the common options
        common = ("read_only", "write_only", "required", "allow_null", "default", "source", "label", "help_text")
        return drf_cls(**{key: getattr(field, key) for key in common if key in field._kwargs})


def _field_class(cls: type, builtin: type, namesake: type) -> type:
    twin = _twins.get(cls)
    if twin is None:
        attrs = {k: v for k, v in _user_attributes(cls, builtin).items() if not inspect.isfunction(v)}
        twin = _twins[cls] = type(cls.__name__, (namesake,), {**attrs, "__module__": cls.__module__})
    return twin


# Views ------------------------------------------------------------------------------------------------------


def view_class(cls: type) -> type:
    """The DRF twin of a Bolt view class: the Bolt class first, its DRF namesake behind it."""
    return _cached(cls, _build_view)


def _build_view(cls: type) -> type:
    from rest_framework.views import APIView as DRFAPIView

    builtin = next(k for k in cls.__mro__ if _is_bolt(k))
    drf_base = _drf_namesake(builtin, _VIEW_MODULES) or DRFAPIView
    attrs: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "initialize_request": DRFAPIView.initialize_request,
        "get_authenticators": lambda self: [policy_instance(a) for a in cls.get_authenticators(self)],
        "get_permissions": lambda self: [policy_instance(p) for p in cls.get_permissions(self)],
    }
    if hasattr(cls, "get_serializer_class"):
        attrs["get_serializer_class"] = lambda self: serializer_class(cls.get_serializer_class(self))
    from django_bolt.generics import GenericAPIView

    if getattr(cls, "get_serializer", None) is GenericAPIView.get_serializer:
        attrs["get_serializer"] = _get_serializer
    attrs["versioning_class"] = _Translated("versioning_class", policy_class)
    attrs["filter_backends"] = _Translated("filter_backends", lambda classes: [policy_class(c) for c in classes])
    return type(cls.__name__, (cls, drf_base), attrs)


def _get_serializer(self: Any, *args: Any, **kwargs: Any) -> Any:
    """A typed model (pydantic, msgspec) is handed to spectacular as the class it describes itself with."""
    from django_bolt.serializers.typed import is_typed_model

    serializer_class = self.get_serializer_class()
    if is_typed_model(serializer_class):
        return serializer_class
    kwargs.setdefault("context", self.get_serializer_context())
    return serializer_class(*args, **kwargs)


class _Translated:
    """A view attribute read through the Bolt class (or set on the instance), then translated."""

    def __init__(self, name: str, translate: Any) -> None:
        self.name, self.translate = name, translate

    def __set_name__(self, owner: type, attr: str) -> None:
        self.owner = owner

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is not None and self.name in instance.__dict__:
            value = instance.__dict__[self.name]
        else:
            value = getattr(super(self.owner, owner if instance is None else instance), self.name, None)
        return None if value is None else self.translate(value)

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.name] = value


# Annotations ------------------------------------------------------------------------------------------------


def annotation(value: Any) -> Any:
    """An ``@extend_schema`` request/response value with Bolt serializers replaced by their DRF twins."""
    from drf_spectacular.utils import OpenApiRequest, OpenApiResponse

    from django_bolt.serializers import BaseSerializer

    if isinstance(value, type):
        return serializer_class(value)
    if isinstance(value, BaseSerializer):
        return field_twin(value)
    if isinstance(value, dict):
        return {key: annotation(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(annotation(item) for item in value)
    if isinstance(value, OpenApiResponse):
        return OpenApiResponse(annotation(value.response), value.description, value.examples)
    if isinstance(value, OpenApiRequest):
        return OpenApiRequest(annotation(value.request), value.encoding, value.examples)
    return value


class TwinAnnotations:
    """Mixed in front of a Bolt view's schema class: what the annotations name is read as DRF twins."""

    def get_request_serializer(self) -> Any:
        return annotation(super().get_request_serializer())  # type: ignore[misc]

    def get_response_serializers(self) -> Any:
        return annotation(super().get_response_serializers())  # type: ignore[misc]


def schema_for(current: Any) -> Any:
    """A copy of the inspector ``current`` whose class has ``TwinAnnotations`` in front."""
    cls = current.__class__
    twin = _twins.get(cls)
    if twin is None:
        twin = _twins[cls] = type(cls.__name__, (TwinAnnotations, cls), {"__module__": cls.__module__})
    copy = twin.__new__(twin)
    copy.__dict__.update(current.__dict__)
    return copy

"""
``BaseSerializer`` and ``Serializer``: DRF's serializer contract (``is_valid``/``errors``/``validated_data``/
``data``/``save``) on top of ``django_bolt.fields``.

The difference from DRF is how fields are looked after. DRF deep-copies every declared field for every
serializer instance and walks them for every object it serializes. Here a serializer class keeps its declared
fields as templates; an instance only gets its own (cheaply cloned) fields when something needs them
(validation, ``serializer.fields``, fields that read the request), and reading objects goes through a plan
compiled once per class (see ``django_bolt.serializers.plans``).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Mapping
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.fields import Field, JSONField, SkipField, empty, get_error_detail
from django_bolt.serializers import plans
from django_bolt.settings import api_settings
from django_bolt.utils import html, representation
from django_bolt.utils.serializer_helpers import (
    BindingDict,
    BoundField,
    JSONBoundField,
    NestedBoundField,
    ReturnDict,
)

# Keyword arguments that `many=True` hands to the ListSerializer as well as (or instead of) the child.
LIST_SERIALIZER_KWARGS = (
    "read_only",
    "write_only",
    "required",
    "default",
    "initial",
    "source",
    "label",
    "help_text",
    "style",
    "error_messages",
    "allow_empty",
    "instance",
    "data",
    "partial",
    "context",
    "allow_null",
    "max_length",
    "min_length",
)
LIST_SERIALIZER_KWARGS_REMOVE = ("allow_empty", "min_length", "max_length")

ALL_FIELDS = "__all__"

_SAVE_COMMIT_MESSAGE = (
    "'commit' is not a valid keyword argument to the 'save()' method. To look at the data before it is saved, "
    "read 'serializer.validated_data'. Extra attributes for the saved instance go in as keyword arguments, "
    "e.g. 'serializer.save(owner=request.user)'."
)


def _run_sync():
    # Imported lazily: the sync bridge is only needed by the async companions.
    from django_bolt.sync import run_sync

    return run_sync


class BaseSerializer(Field):
    """
    The minimal serializer contract; subclass it for fully custom representations.

    With ``data=``: call ``is_valid()`` first, then read ``validated_data``, ``errors`` or ``data``.
    Without ``data=``: ``data`` is the representation of ``instance``.

    Async actions use the companions, which run the (database-touching) sync work through
    ``django_bolt.sync.run_sync`` so the engine's worker thread never blocks on the ORM::

        await serializer.ais_valid(raise_exception=True)
        instance = await serializer.asave(owner=request.user)
        payload = await serializer.adata          # the same ReturnDict/ReturnList as `.data`
        body = await serializer.ajson_bytes()     # JSON bytes identical to DRF's JSONRenderer output
    """

    def __init__(self, instance: Any = None, data: Any = empty, **kwargs: Any) -> None:
        self.instance = instance
        if data is not empty:
            self.initial_data = data
        self.partial = kwargs.pop("partial", False)
        self._context = kwargs.pop("context", {})
        kwargs.pop("many", None)
        super().__init__(**kwargs)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # `many=True` gives a ListSerializer wrapping one instance of this class.
        if kwargs.pop("many", False):
            return cls.many_init(*args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> Any:
        """
        Build the ``ListSerializer`` used for ``many=True``. Override to control which arguments go to the
        list and which to the child, e.g. ``kwargs['child'] = cls(); return MyListSerializer(*args, **kwargs)``.
        """
        ListSerializer = _list_serializer()  # noqa: N806 - the class

        list_kwargs: dict[str, Any] = {}
        for key in LIST_SERIALIZER_KWARGS_REMOVE:
            value = kwargs.pop(key, None)
            if value is not None:
                list_kwargs[key] = value
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({key: value for key, value in kwargs.items() if key in LIST_SERIALIZER_KWARGS})
        list_class = getattr(getattr(cls, "Meta", None), "list_serializer_class", ListSerializer)
        return list_class(*args, **list_kwargs)

    def to_internal_value(self, data: Any) -> Any:
        raise NotImplementedError("`to_internal_value()` must be implemented.")

    def to_representation(self, instance: Any) -> Any:
        raise NotImplementedError("`to_representation()` must be implemented.")

    def update(self, instance: Any, validated_data: Any) -> Any:
        """Apply ``validated_data`` to ``instance`` and return it. Called by ``save()`` when an instance exists."""
        raise NotImplementedError("`update()` must be implemented.")

    def create(self, validated_data: Any) -> Any:
        """Create and return a new object from ``validated_data``. Called by ``save()`` without an instance."""
        raise NotImplementedError("`create()` must be implemented.")

    def save(self, **kwargs: Any) -> Any:
        """``create()`` or ``update()`` with ``validated_data`` plus ``kwargs``; returns (and keeps) the instance."""
        assert hasattr(self, "_errors"), "You must call `.is_valid()` before calling `.save()`."
        assert not self.errors, "You cannot call `.save()` on a serializer with invalid data."
        assert "commit" not in kwargs, _SAVE_COMMIT_MESSAGE
        assert not hasattr(self, "_data"), (
            "You cannot call `.save()` after accessing `serializer.data`. To look at the data before it is "
            "saved, read 'serializer.validated_data' instead."
        )
        validated_data = {**self.validated_data, **kwargs}
        if self.instance is not None:
            self.instance = self.update(self.instance, validated_data)
            assert self.instance is not None, "`update()` did not return an object instance."
        else:
            self.instance = self.create(validated_data)
            assert self.instance is not None, "`create()` did not return an object instance."
        return self.instance

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        """Validate ``initial_data`` once; fills ``validated_data`` and ``errors``. Raises when asked to."""
        assert hasattr(self, "initial_data"), (
            "Cannot call `.is_valid()` as no `data=` keyword argument was passed when instantiating the "
            "serializer instance."
        )
        if not hasattr(self, "_validated_data"):
            try:
                self._validated_data = self.run_validation(self.initial_data)
            except ValidationError as exc:
                self._validated_data = self._empty_validated_data()
                self._errors = exc.detail
            else:
                self._errors = self._empty_validated_data()
        if self._errors and raise_exception:
            raise ValidationError(self.errors)
        return not bool(self._errors)

    def _empty_validated_data(self) -> Any:
        return {}

    @property
    def data(self) -> Any:
        """The primitive representation: of ``instance``, else of the validated data, else the initial values."""
        if hasattr(self, "initial_data") and not hasattr(self, "_validated_data"):
            raise AssertionError(
                "When a serializer is passed a `data` keyword argument you must call `.is_valid()` before "
                "attempting to access the serialized `.data` representation.\nYou should either call "
                "`.is_valid()` first, or access `.initial_data` instead."
            )
        if not hasattr(self, "_data"):
            if self.instance is not None and not getattr(self, "_errors", None):
                self._data = self.to_representation(self.instance)
            elif hasattr(self, "_validated_data") and not getattr(self, "_errors", None):
                self._data = self.to_representation(self.validated_data)
            else:
                self._data = self.get_initial()
        return self._data

    @property
    def errors(self) -> Any:
        if not hasattr(self, "_errors"):
            raise AssertionError("You must call `.is_valid()` before accessing `.errors`.")
        return self._errors

    @property
    def validated_data(self) -> Any:
        if not hasattr(self, "_validated_data"):
            raise AssertionError("You must call `.is_valid()` before accessing `.validated_data`.")
        return self._validated_data

    def json_bytes(self) -> bytes:
        """
        ``data`` encoded as JSON, byte for byte what DRF's ``JSONRenderer`` produces for it. A serializer whose
        read plan only has plain model columns encodes the instance directly, without building ``data``.
        """
        if not hasattr(self, "_data"):
            encoded = plans.json_bytes_one(self)
            if encoded is not None:
                return encoded
        return plans.encode_json(self.data)

    # Async companions: the same operations, with their sync (ORM) work run off the worker thread.

    async def ais_valid(self, *, raise_exception: bool = False) -> bool:
        """``await`` form of ``is_valid()`` (validators and related-field lookups may query the database)."""
        return await _run_sync()(self.is_valid, raise_exception=raise_exception)

    async def asave(self, **kwargs: Any) -> Any:
        """``await`` form of ``save()``."""
        return await _run_sync()(self.save, **kwargs)

    @property
    def adata(self) -> Awaitable[Any]:
        """``await serializer.adata``: ``data``, computed (querysets evaluated) off the worker thread."""
        return _run_sync()(_read_data, self)

    async def ajson_bytes(self) -> bytes:
        """``await`` form of ``json_bytes()``."""
        return await _run_sync()(self.json_bytes)


def _read_data(serializer: BaseSerializer) -> Any:
    return serializer.data


class SerializerMetaclass(type):
    """
    Collects the ``Field`` attributes of a serializer class (and of its bases) into ``_declared_fields``,
    in declaration order. A name set to a non-field in a subclass (e.g. ``name = None``) removes an inherited
    field.
    """

    @classmethod
    def _get_declared_fields(cls, bases: tuple[type, ...], attrs: dict[str, Any]) -> dict[str, Field]:
        own = [(name, attrs.pop(name)) for name, value in list(attrs.items()) if isinstance(value, Field)]
        own.sort(key=lambda item: item[1]._creation_counter)
        # Names the class body defines as non-fields hide inherited fields; the first base wins among bases.
        seen = set(attrs)
        inherited = []
        for base in bases:
            for name, field in getattr(base, "_declared_fields", {}).items():
                if name not in seen:
                    seen.add(name)
                    inherited.append((name, field))
        return dict(inherited + own)

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        _refuse_drf_fields(name, attrs)
        attrs["_declared_fields"] = mcs._get_declared_fields(bases, attrs)
        return super().__new__(mcs, name, bases, attrs)


def _refuse_drf_fields(name: str, attrs: dict[str, Any]) -> None:
    """A DRF field in a Bolt serializer would be silently ignored (it is not a Bolt ``Field``): say so instead."""
    drf_fields = sys.modules.get("rest_framework.fields")
    if drf_fields is None:
        return
    for attr, value in attrs.items():
        if isinstance(value, drf_fields.Field):
            kind = f"{type(value).__module__}.{type(value).__qualname__}"
            raise TypeError(
                f"{name}.{attr} is a DRF field ({kind}), which a django_bolt serializer cannot use. Either keep the "
                "whole DRF serializer (name it as the view's serializer_class: Bolt views run DRF serializers "
                "as they are) or use the django_bolt field of the same name."
            )


def as_serializer_error(exc: ValidationError | DjangoValidationError) -> dict[str, Any]:
    """
    Normalize a validation error raised by ``validate()`` or a serializer-level validator into the
    ``{field: [messages]}`` shape of ``serializer.errors``; bare messages go under ``NON_FIELD_ERRORS_KEY``.
    """
    assert isinstance(exc, (ValidationError, DjangoValidationError))
    detail = get_error_detail(exc) if isinstance(exc, DjangoValidationError) else exc.detail
    if isinstance(detail, Mapping):
        return {key: value if isinstance(value, (list, Mapping)) else [value] for key, value in detail.items()}
    if isinstance(detail, list):
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {api_settings.NON_FIELD_ERRORS_KEY: [detail]}


class Serializer(BaseSerializer, metaclass=SerializerMetaclass):
    """
    A serializer made of declared fields. Override ``validate_<field>(value)`` for per-field checks and
    ``validate(attrs)`` for checks across fields; both return the (possibly changed) value.
    """

    default_error_messages = {"invalid": _("Invalid data. Expected a dictionary, but got {datatype}.")}

    def set_value(self, dictionary: dict[str, Any], keys: list[str], value: Any) -> None:
        """
        Store ``value`` in ``dictionary`` under the path ``keys``: ``[]`` merges a dict in (``source='*'``),
        ``['a', 'b']`` creates the nested dict ``a`` as needed.
        """
        if not keys:
            dictionary.update(value)
            return
        for key in keys[:-1]:
            dictionary = dictionary.setdefault(key, {})
        dictionary[keys[-1]] = value

    @cached_property
    def fields(self) -> BindingDict:
        """``{field_name: field}`` for this instance; built on first access, each field bound to ``self``."""
        fields = BindingDict(self)
        for key, value in self.get_fields().items():
            fields[key] = value
        return fields

    @property
    def _writable_fields(self):
        for field in self.fields.values():
            if not field.read_only:
                yield field

    @property
    def _readable_fields(self):
        for field in self.fields.values():
            if not field.write_only:
                yield field

    def get_fields(self) -> dict[str, Field]:
        """
        Return ``{field_name: field}`` for this instance: fresh copies of the declared fields, so changing
        them (``self.fields['x'].required = False``) never leaks into other instances. Override to add or
        remove fields dynamically.
        """
        return {name: plans.clone_field(field) for name, field in self._declared_fields.items()}

    @classmethod
    def _bolt_static_fields(cls) -> bool:
        """True when every instance starts from the same fields, so a class-wide read plan is valid."""
        return cls.get_fields is Serializer.get_fields

    def get_validators(self) -> list[Any]:
        """The serializer-level validators: ``Meta.validators``."""
        validators = getattr(getattr(self, "Meta", None), "validators", None)
        return list(validators) if validators else []

    def get_initial(self) -> dict[str, Any]:
        if hasattr(self, "initial_data"):
            if not isinstance(self.initial_data, Mapping):
                return {}
            initial = {}
            for name, field in self.fields.items():
                if field.read_only:
                    continue
                value = field.get_value(self.initial_data)
                if value is not empty:
                    initial[name] = value
            return initial
        return {field.field_name: field.get_initial() for field in self.fields.values() if not field.read_only}

    def get_value(self, dictionary: Any) -> Any:
        # Nested HTML form input arrives flattened as "name.key" entries.
        if html.is_html_input(dictionary):
            return html.parse_html_dict(dictionary, prefix=self.field_name, default=empty)
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data: Any = empty) -> Any:
        """
        Validate ``data``: empty/null handling, ``to_internal_value``, the serializer validators, then
        ``validate()``. Errors from the last two are reshaped by ``as_serializer_error``.
        """
        is_empty_value, data = self.validate_empty_values(data)
        if is_empty_value:
            return data
        value = self.to_internal_value(data)
        try:
            self.run_validators(value)
            value = self.validate(value)
            assert value is not None, ".validate() should return the validated data"
        except (ValidationError, DjangoValidationError) as exc:
            raise ValidationError(detail=as_serializer_error(exc))
        return value

    def _read_only_defaults(self) -> dict[str, Any]:
        defaults = {}
        for field in self.fields.values():
            if not field.read_only or field.default is empty or field.source == "*" or "." in field.source:
                continue
            try:
                defaults[field.source] = field.get_default()
            except SkipField:
                continue
        return defaults

    def run_validators(self, value: Any) -> None:
        """Run the serializer validators; read-only fields with a default take part in uniqueness checks."""
        if isinstance(value, dict):
            to_validate = self._read_only_defaults()
            to_validate.update(value)
        else:
            to_validate = value
        super().run_validators(to_validate)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Validate every writable field of ``data`` (a mapping); collect all field errors before raising."""
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid")
        ret: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for field in self._writable_fields:
            validate_method = getattr(self, "validate_" + field.field_name, None)
            primitive_value = field.get_value(data)
            try:
                validated_value = field.run_validation(primitive_value)
                if validate_method is not None:
                    validated_value = validate_method(validated_value)
            except ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                self.set_value(ret, field.source_attrs, validated_value)
        if errors:
            raise ValidationError(errors)
        return ret

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Object → ``{field_name: primitive}`` for every readable field, through the compiled read plan."""
        if type(self)._readable_fields is not Serializer._readable_fields:
            # A custom `_readable_fields` decides per call which fields are read: follow it field by field.
            ret: dict[str, Any] = {}
            for field in self._readable_fields:
                plans.emit(ret, field.field_name, field, instance)
            return ret
        return plans.represent_one(self, instance)

    def validate(self, attrs: Any) -> Any:
        """Checks across fields. Return the (possibly modified) attrs, or raise ``ValidationError``."""
        return attrs

    def __repr__(self) -> str:
        return representation.serializer_repr(self, indent=1)

    # Form-style access: iterating gives BoundFields carrying each field's value and errors.

    def __iter__(self):
        for field in self.fields.values():
            yield self[field.field_name]

    def __getitem__(self, key: str) -> BoundField:
        field = self.fields[key]
        value = self.data.get(key)
        error = self.errors.get(key) if hasattr(self, "_errors") else None
        if isinstance(field, Serializer):
            return NestedBoundField(field, value, error)
        if isinstance(field, JSONField):
            return JSONBoundField(field, value, error)
        return BoundField(field, value, error)

    @property
    def data(self) -> ReturnDict:
        return ReturnDict(super().data, serializer=self)

    @property
    def errors(self) -> ReturnDict:
        ret = super().errors
        if isinstance(ret, list) and len(ret) == 1 and getattr(ret[0], "code", None) == "null":
            # `data=None`: a clearer message than "This field may not be null."
            ret = {api_settings.NON_FIELD_ERRORS_KEY: [ErrorDetail("No data provided", code="null")]}
        return ReturnDict(ret, serializer=self)


@cache
def _list_serializer() -> type:
    # Imported on first use (the list module imports this one); a function-level import costs a microsecond
    # per call, and many_init runs for every list.
    from django_bolt.serializers.list import ListSerializer

    return ListSerializer

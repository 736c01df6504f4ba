"""
The ``Field`` base class and the helpers every field shares.

A field converts one value in both directions: ``to_internal_value`` (primitive input → Python value, raising
``ValidationError``) and ``to_representation`` (Python value → primitive output). ``run_validation`` wraps the
input side with the empty/null/default rules and the field's validators. The method names, their order and the
arguments they take are DRF's, so a custom DRF field works unchanged on top of this class.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.utils import html, representation


class empty:  # noqa: N801 - sentinel class named like DRF's so ``field.default is empty`` reads the same
    """Marks "no value given", where ``None`` is a legitimate value."""


class SkipField(Exception):
    """Raised to leave a field out of the output (``to_representation``) or the validated data."""


class BuiltinSignatureError(Exception):
    """A ``source`` resolved to a builtin, whose signature cannot be inspected to know whether to call it."""


_CALLABLE_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def is_simple_callable(obj: Any) -> bool:
    """True for a function, method or partial that can be called without arguments."""
    if not callable(obj):
        return False
    if inspect.isbuiltin(obj):
        raise BuiltinSignatureError(
            "Built-in function signatures are not inspectable. Wrap the function call in a simple, pure Python "
            "function."
        )
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, functools.partial)):
        return False
    return all(
        p.kind in _CALLABLE_KINDS or p.default is not inspect.Parameter.empty
        for p in inspect.signature(obj).parameters.values()
    )


def get_attribute(instance: Any, attrs: list[str]) -> Any:
    """
    Follow ``attrs`` from ``instance``: item lookup on mappings, attribute lookup otherwise, calling
    argument-less methods on the way. A missing related object (``ObjectDoesNotExist``) gives ``None``.
    """
    for attr in attrs:
        try:
            instance = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if is_simple_callable(instance):
            try:
                instance = instance()
            except (AttributeError, KeyError) as exc:
                # Would otherwise be mistaken for a missing attribute by Field.get_attribute().
                raise ValueError(f'Exception raised in callable attribute "{attr}"; original exception was: {exc}')
    return instance


def get_error_detail(exc_info: DjangoValidationError) -> Any:
    """A Django ``ValidationError`` as a list (or dict of lists) of ``ErrorDetail``, codes kept."""
    fallback_code = getattr(exc_info, "code", None) or "invalid"

    def detail(error: DjangoValidationError) -> ErrorDetail:
        text = error.message % error.params if error.params else error.message
        return ErrorDetail(text, code=error.code or fallback_code)

    if hasattr(exc_info, "error_dict"):
        return {key: [detail(error) for error in errors] for key, errors in exc_info.error_dict.items()}
    return [detail(error) for error in exc_info.error_list]


class CreateOnlyDefault:
    """A default used on create only; on update (``parent.instance`` set) the field is skipped."""

    requires_context = True

    def __init__(self, default: Any) -> None:
        self.default = default

    def __call__(self, serializer_field: Field) -> Any:
        if serializer_field.parent.instance is not None:
            raise SkipField()
        if callable(self.default):
            if getattr(self.default, "requires_context", False):
                return self.default(serializer_field)
            return self.default()
        return self.default

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.default!r})"


class CurrentUserDefault:
    """A default of ``request.user``, read from the serializer context."""

    requires_context = True

    def __call__(self, serializer_field: Field) -> Any:
        return serializer_field.context["request"].user

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


REGEX_TYPE = type(re.compile(""))

NOT_READ_ONLY_WRITE_ONLY = "May not set both `read_only` and `write_only`"
NOT_READ_ONLY_REQUIRED = "May not set both `read_only` and `required`"
NOT_REQUIRED_DEFAULT = "May not set both `required` and `default`"
USE_READONLYFIELD = "Field(read_only=True) should be ReadOnlyField"
MISSING_ERROR_MESSAGE = (
    "ValidationError raised by `{class_name}`, but error key `{key}` does not exist in the `error_messages` dictionary."
)


class Field:
    """
    Base class of all fields (and of serializers, which are fields too).

    Subclasses implement ``to_internal_value`` and ``to_representation`` and usually extend
    ``default_error_messages`` (merged along the MRO; ``error_messages=`` overrides per instance).

    ``plain_output``: class-level promise, read by compiled serializers, that ``to_representation(value)``
    returns ``value`` itself whenever ``type(value)`` is in ``plain_types`` (or for any value when
    ``plain_types`` is ``None``), so the call can be skipped. A subclass that overrides ``to_representation``
    without restating ``plain_output`` automatically loses the promise.
    """

    _creation_counter = 0

    default_error_messages: dict[str, Any] = {
        "required": _("This field is required."),
        "null": _("This field may not be null."),
    }
    default_validators: list[Any] = []
    default_empty_html: Any = empty
    initial: Any = None

    plain_output: bool = False
    plain_types: tuple[type, ...] | None = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A to_representation that is more derived than the class making the promise (declared here, or
        # brought in by a mixin) invalidates an inherited "output is the input" promise.
        mro = cls.__mro__
        defines_method = next(i for i, klass in enumerate(mro) if "to_representation" in klass.__dict__)
        defines_promise = next(i for i, klass in enumerate(mro) if "plain_output" in klass.__dict__)
        if defines_method < defines_promise:
            cls.plain_output = False

    def __new__(cls, *args: Any, **kwargs: Any) -> Field:
        # Keep the declaration arguments: they drive __repr__ and __deepcopy__.
        instance = super().__new__(cls)
        instance._args = args
        instance._kwargs = kwargs
        return instance

    def __init__(
        self,
        *,
        read_only: bool = False,
        write_only: bool = False,
        required: bool | None = None,
        default: Any = empty,
        initial: Any = empty,
        source: str | None = None,
        label: str | None = None,
        help_text: str | None = None,
        style: dict[str, Any] | None = None,
        error_messages: dict[str, Any] | None = None,
        validators: list[Any] | None = None,
        allow_null: bool = False,
    ) -> None:
        self._creation_counter = Field._creation_counter
        Field._creation_counter += 1

        if required is None:
            # Required unless it has a default or is never written.
            required = default is empty and not read_only
        assert not (read_only and write_only), NOT_READ_ONLY_WRITE_ONLY
        assert not (read_only and required), NOT_READ_ONLY_REQUIRED
        assert not (required and default is not empty), NOT_REQUIRED_DEFAULT
        assert not (read_only and type(self) is Field), USE_READONLYFIELD

        self.read_only = read_only
        self.write_only = write_only
        self.required = required
        self.default = default
        self.source = source
        if initial is not empty:
            self.initial = initial
        self.label = label
        self.help_text = help_text
        self.style = {} if style is None else style
        self.allow_null = allow_null
        if self.default_empty_html is not empty and default is not empty:
            self.default_empty_html = default
        if validators is not None:
            self.validators = list(validators)

        # Set by bind() when the field joins a serializer.
        self.field_name: str | None = None
        self.parent: Any = None

        self.error_messages = self._collect_error_messages(type(self), error_messages)

    @staticmethod
    def _collect_error_messages(klass: type, overrides: dict[str, Any] | None) -> dict[str, Any]:
        # Base classes first so subclasses win; ``getattr`` (not ``__dict__``) so the merge order under
        # multiple inheritance is DRF's. Computed per instance: classes may be patched at runtime.
        messages: dict[str, Any] = {}
        for klass_ in reversed(klass.__mro__):
            messages.update(getattr(klass_, "default_error_messages", {}))
        if overrides:
            messages.update(overrides)
        return messages

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        # Allows ``CharField[str]``-style annotations.
        return cls

    def bind(self, field_name: str, parent: Any) -> None:
        """
        Attach the field to its parent under ``field_name``; sets ``label``, ``source`` and ``source_attrs``
        defaults. Called once, when the field is added to a serializer (or as a ListField/DictField child).
        """
        assert self.source != field_name, (
            f"It is redundant to specify `source='{field_name}'` on field '{type(self).__name__}' in serializer "
            f"'{type(parent).__name__}', because it is the same as the field name. Remove the `source` keyword "
            "argument."
        )
        self.field_name = field_name
        self.parent = parent
        if self.label is None:
            self.label = field_name.replace("_", " ").capitalize()
        if self.source is None:
            self.source = field_name
        self.source_attrs = [] if self.source == "*" else self.source.split(".")

    @property
    def validators(self) -> list[Any]:
        """The validators run by ``run_validators``; built lazily from ``get_validators()``."""
        if not hasattr(self, "_validators"):
            self._validators = self.get_validators()
        return self._validators

    @validators.setter
    def validators(self, validators: list[Any]) -> None:
        self._validators = validators

    def get_validators(self) -> list[Any]:
        """Override to compute the default validators of the field."""
        return list(self.default_validators)

    def get_initial(self) -> Any:
        """The value shown for this field in an empty form (``initial``, called if callable)."""
        return self.initial() if callable(self.initial) else self.initial

    def get_value(self, dictionary: Any) -> Any:
        """
        Pick this field's raw input out of the incoming data, or ``empty`` if absent. Form data cannot express
        ``None``/``False``/absent, so blanks are mapped according to ``allow_null``/``required``/``allow_blank``.
        """
        if not html.is_html_input(dictionary):
            return dictionary.get(self.field_name, empty)
        if self.field_name not in dictionary:
            return empty if getattr(self.root, "partial", False) else self.default_empty_html
        value = dictionary[self.field_name]
        if value == "":
            allow_blank = getattr(self, "allow_blank", False)
            if self.allow_null:
                return "" if allow_blank else None
            if not self.required:
                return "" if allow_blank else empty
        return value

    def get_attribute(self, instance: Any) -> Any:
        """Read this field's value off the outgoing object by following ``source_attrs``."""
        try:
            return get_attribute(instance, self.source_attrs)
        except BuiltinSignatureError as exc:
            raise type(exc)(
                f"Field source for `{type(self.parent).__name__}.{self.field_name}` maps to a built-in function "
                f"type and is invalid. Define a property or method on the `{type(instance).__name__}` instance "
                "that wraps the call to the built-in function."
            )
        except (KeyError, AttributeError) as exc:
            return self.value_for_missing_attribute(exc, instance)

    def value_for_missing_attribute(self, exc: Exception, instance: Any) -> Any:
        """The source attribute is missing: the default, ``None``, skip the field, or explain the error (DRF)."""
        if self.default is not empty:
            return self.get_default()
        if self.allow_null:
            return None
        if not self.required:
            raise SkipField()
        raise type(exc)(
            f"Got {type(exc).__name__} when attempting to get a value for field `{self.field_name}` on "
            f"serializer `{type(self.parent).__name__}`.\nThe serializer field might be named incorrectly "
            f"and not match any attribute or key on the `{type(instance).__name__}` instance.\n"
            f"Original exception text was: {exc}."
        )

    def get_default(self) -> Any:
        """
        The value used when no input was given. Raises ``SkipField`` (leave the key out of the validated data)
        when there is no default or during a partial update. A callable default is called, with the field if
        it has ``requires_context = True``.
        """
        if self.default is empty or getattr(self.root, "partial", False):
            raise SkipField()
        if callable(self.default):
            if getattr(self.default, "requires_context", False):
                return self.default(self)
            return self.default()
        return self.default

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        """
        Handle absent (``empty``) and ``None`` input. Returns ``(True, value)`` to stop with ``value``,
        ``(False, data)`` to go on validating; may raise ``ValidationError`` or ``SkipField``.
        """
        if self.read_only:
            return (True, self.get_default())
        if data is empty:
            if getattr(self.root, "partial", False):
                raise SkipField()
            if self.required:
                self.fail("required")
            return (True, self.get_default())
        if data is None:
            if not self.allow_null:
                self.fail("null")
            # source='*' receives the whole object, which is not null: keep validating.
            if self.source == "*":
                return (False, None)
            return (True, None)
        return (False, data)

    def run_validation(self, data: Any = empty) -> Any:
        """Input → validated internal value: empty handling, ``to_internal_value``, then validators."""
        is_empty_value, data = self.validate_empty_values(data)
        if is_empty_value:
            return data
        value = self.to_internal_value(data)
        self.run_validators(value)
        return value

    def run_validators(self, value: Any) -> None:
        """Run every validator and raise all their messages together (a dict-shaped error is raised as is)."""
        errors: list[Any] = []
        for validator in self.validators:
            try:
                if getattr(validator, "requires_context", False):
                    validator(value, self)
                else:
                    validator(value)
            except ValidationError as exc:
                if isinstance(exc.detail, dict):
                    raise
                errors.extend(exc.detail)
            except DjangoValidationError as exc:
                errors.extend(get_error_detail(exc))
        if errors:
            raise ValidationError(errors)

    def to_internal_value(self, data: Any) -> Any:
        """Convert primitive input into the Python value. Must be implemented by writable fields."""
        raise NotImplementedError(
            f"{type(self).__name__}.to_internal_value() must be implemented for field {self.field_name}. If you "
            "do not need to support write operations you probably want to subclass `ReadOnlyField` instead."
        )

    def to_representation(self, value: Any) -> Any:
        """Convert the Python value into primitive output. Must be implemented by every field."""
        raise NotImplementedError(
            f"{type(self).__name__}.to_representation() must be implemented for field {self.field_name}."
        )

    def fail(self, key: str, **kwargs: Any) -> None:
        """Raise ``ValidationError`` with the message ``error_messages[key]`` (formatted) and code ``key``."""
        try:
            message = self.error_messages[key]
        except KeyError:
            raise AssertionError(MISSING_ERROR_MESSAGE.format(class_name=type(self).__name__, key=key))
        raise ValidationError(message.format(**kwargs), code=key)

    @property
    def root(self) -> Any:
        """The top-level serializer this field belongs to (the field itself when unbound)."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def context(self) -> dict[str, Any]:
        """The ``context`` dict given to the root serializer."""
        return getattr(self.root, "_context", {})

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        # Re-instantiate from the declaration arguments instead of copying bound state.
        # Regexes and validators are treated as immutable and shared.
        args = [arg if isinstance(arg, REGEX_TYPE) else copy.deepcopy(arg) for arg in self._args]
        kwargs = {
            key: value if key in ("validators", "regex") else copy.deepcopy(value, memo)
            for key, value in self._kwargs.items()
        }
        return type(self)(*args, **kwargs)

    def __repr__(self) -> str:
        return representation.field_repr(self)

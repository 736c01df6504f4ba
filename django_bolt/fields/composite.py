"""Container fields: lists and dicts of a child field, and free-form JSON."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ValidationError
from django_bolt.fields.base import Field, empty, get_error_detail
from django_bolt.fields.scalar import CharField
from django_bolt.utils import html, json
from django_bolt.utils.formatting import lazy_format


class _UnvalidatedField(Field):
    """Default child of ListField/DictField: accepts and returns anything."""

    plain_output = True
    plain_types = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allow_blank = True
        self.allow_null = True

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return value


def _init_child(field: Field, kwargs: dict[str, Any]) -> None:
    # The class-level child is a template: each field gets its own copy.
    child = kwargs.pop("child", empty)
    field.child = copy.deepcopy(type(field).child) if child is empty else child
    assert not inspect.isclass(field.child), "`child` has not been instantiated."
    assert field.child.source is None, (
        "The `source` argument is not meaningful when applied to a `child=` field. Remove `source=` from the field "
        "declaration."
    )


class ListField(Field):
    child: Field = _UnvalidatedField()
    initial: Any = []
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
        "min_length": _("Ensure this field has at least {min_length} elements."),
        "max_length": _("Ensure this field has no more than {max_length} elements."),
    }

    def __init__(self, **kwargs: Any) -> None:
        _init_child(self, kwargs)
        self.allow_empty = kwargs.pop("allow_empty", True)
        self.max_length = kwargs.pop("max_length", None)
        self.min_length = kwargs.pop("min_length", None)
        super().__init__(**kwargs)
        self.child.bind(field_name="", parent=self)
        if self.max_length is not None:
            message = lazy_format(self.error_messages["max_length"], max_length=self.max_length)
            self.validators.append(MaxLengthValidator(self.max_length, message=message))
        if self.min_length is not None:
            message = lazy_format(self.error_messages["min_length"], min_length=self.min_length)
            self.validators.append(MinLengthValidator(self.min_length, message=message))

    def get_value(self, dictionary: Any) -> Any:
        if not html.is_html_input(dictionary):
            if self.field_name not in dictionary and getattr(self.root, "partial", False):
                return empty
            return dictionary.get(self.field_name, empty)
        # Forms send either the key repeated (tags=a&tags=b) or indexed keys (tags[0]=a).
        values = dictionary.getlist(self.field_name, [])
        if values:
            return values
        if getattr(self.root, "partial", False):
            prefix = self.field_name + "["
            if not any(key.startswith(prefix) for key in dictionary):
                return empty
        return html.parse_html_list(dictionary, prefix=self.field_name, default=empty)

    def to_internal_value(self, data: Any) -> list[Any]:
        if html.is_html_input(data):
            data = html.parse_html_list(data, default=[])
        if isinstance(data, (str, Mapping)) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        return self.run_child_validation(data)

    def to_representation(self, data: Any) -> list[Any]:
        child = self.child
        return [None if item is None else child.to_representation(item) for item in data]

    def run_child_validation(self, data: Any) -> list[Any]:
        """Validate every item with the child; errors are collected in a dict keyed by item index."""
        result: list[Any] = []
        errors: dict[int, Any] = {}
        for index, item in enumerate(data):
            try:
                result.append(self.child.run_validation(item))
            except ValidationError as exc:
                errors[index] = exc.detail
            except DjangoValidationError as exc:
                errors[index] = get_error_detail(exc)
        if errors:
            raise ValidationError(errors)
        return result


class DictField(Field):
    child: Field = _UnvalidatedField()
    initial: Any = {}
    default_error_messages = {
        "not_a_dict": _('Expected a dictionary of items but got type "{input_type}".'),
        "empty": _("This dictionary may not be empty."),
    }

    def __init__(self, **kwargs: Any) -> None:
        _init_child(self, kwargs)
        self.allow_empty = kwargs.pop("allow_empty", True)
        super().__init__(**kwargs)
        self.child.bind(field_name="", parent=self)

    def get_value(self, dictionary: Any) -> Any:
        if not html.is_html_input(dictionary):
            return dictionary.get(self.field_name, empty)
        # Forms flatten dicts as "field.key" entries.
        parsed = html.parse_html_dict(dictionary, prefix=self.field_name, default=empty)
        if parsed is not empty:
            return parsed
        # The bare key present (with no sub-keys) means "set to an empty dict".
        return {} if self.field_name in dictionary else empty

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if html.is_html_input(data):
            data = data.dict() if hasattr(data, "dict") else dict(data)
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        return self.run_child_validation(data)

    def to_representation(self, value: Any) -> dict[str, Any]:
        child = self.child
        return {str(key): None if val is None else child.to_representation(val) for key, val in value.items()}

    def run_child_validation(self, data: dict[Any, Any]) -> dict[str, Any]:
        """Validate every value with the child; keys become strings, errors are keyed like the data."""
        result: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, value in data.items():
            key = str(key)
            try:
                result[key] = self.child.run_validation(value)
            except ValidationError as exc:
                errors[key] = exc.detail
        if errors:
            raise ValidationError(errors)
        return result


class HStoreField(DictField):
    """A PostgreSQL hstore: a dict whose values are (nullable, blankable) strings."""

    child = CharField(allow_blank=True, allow_null=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        assert isinstance(self.child, CharField), (
            "The `child` argument must be an instance of `CharField`, as the hstore extension stores values as strings."
        )


class JSONString(str):
    """Raw JSON text typed into an HTML form, to be parsed (rather than taken as a JSON string value)."""

    is_json_string = True


class JSONField(Field):
    """
    Any JSON-serialisable value. With ``binary=True`` the input is JSON text (parsed with ``decoder``) and the
    output JSON-encoded ``bytes`` (with ``encoder``).
    """

    default_error_messages = {"invalid": _("Value must be valid JSON.")}
    _is_jsonfield = True  # lets form rendering recognise the field without importing it

    plain_output = True
    plain_types = None

    def __init__(self, **kwargs: Any) -> None:
        self.binary = kwargs.pop("binary", False)
        self.encoder = kwargs.pop("encoder", None)
        self.decoder = kwargs.pop("decoder", None)
        super().__init__(**kwargs)
        if self.binary:
            self.plain_output = False

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return JSONString(dictionary[self.field_name])
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> Any:
        try:
            if self.binary or getattr(data, "is_json_string", False):
                if isinstance(data, bytes):
                    data = data.decode()
                return json.loads(data, cls=self.decoder)
            # Not binary: the value must merely be serialisable.
            json.dumps(data, cls=self.encoder)
        except (TypeError, ValueError):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        if self.binary:
            return json.dumps(value, cls=self.encoder).encode()
        return value

"""
``ListSerializer``: what ``Serializer(many=True)`` returns. Validates and represents a list of items with one
child serializer.

Reading a queryset whose child needs only plain model columns skips model instances entirely: the plan fetches
``values_list()`` of just those columns and builds the output rows directly (``django_bolt.serializers.plans``);
the result is identical to serializing each instance.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.fields import empty
from django_bolt.serializers import plans
from django_bolt.serializers.base import BaseSerializer, as_serializer_error
from django_bolt.settings import api_settings
from django_bolt.utils import html, representation
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList


class ListSerializer(BaseSerializer):
    """
    A list of ``child`` items. ``allow_empty``, ``min_length`` and ``max_length`` constrain the input list.
    Item errors are reported as ``{index: errors}`` for the failing items only (DRF 3.18's format; the older
    list format, one entry per item, is used when ``LIST_SERIALIZER_ERRORS_AS_DICT`` is ``False``).

    ``save()`` creates every item through ``child.create()``; ``update()`` must be written by the user, since
    how to match, insert and delete items is application specific.
    """

    child: Any = None
    many = True

    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
        "max_length": _("Ensure this field has no more than {max_length} elements."),
        "min_length": _("Ensure this field has at least {min_length} elements."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        child = kwargs.pop("child", empty)
        self.child = plans.clone_field(type(self).child) if child is empty else child
        self.allow_empty = kwargs.pop("allow_empty", True)
        self.max_length = kwargs.pop("max_length", None)
        self.min_length = kwargs.pop("min_length", None)
        assert self.child is not None, "`child` is a required argument."
        assert not inspect.isclass(self.child), "`child` has not been instantiated."
        super().__init__(*args, **kwargs)
        self.child.bind(field_name="", parent=self)

    def get_initial(self) -> Any:
        if hasattr(self, "initial_data"):
            return self.to_representation(self.initial_data)
        return []

    def get_value(self, dictionary: Any) -> Any:
        # HTML forms flatten lists into "name[0]..." keys.
        if html.is_html_input(dictionary):
            return html.parse_html_list(dictionary, prefix=self.field_name, default=empty)
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data: Any = empty) -> Any:
        """Like ``Serializer.run_validation``: list-level validator and ``validate()`` errors are reshaped."""
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

    def run_child_validation(self, data: Any) -> Any:
        """
        Validate one item with the child. Override for multiple updates, e.g. set
        ``self.child.instance`` to the matching object (and ``self.child.initial_data = data``) first.
        """
        return self.child.run_validation(data)

    def _list_error(self, key: str, **params: Any) -> ValidationError:
        message = self.error_messages[key].format(**params)
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code=key)

    def to_internal_value(self, data: Any) -> list[Any]:
        """Validate each item; all failing items are reported together, keyed by their index."""
        if html.is_html_input(data):
            data = html.parse_html_list(data, default=[])
        if not isinstance(data, list):
            raise self._list_error("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            raise self._list_error("empty")
        if self.max_length is not None and len(data) > self.max_length:
            raise self._list_error("max_length", max_length=self.max_length)
        if self.min_length is not None and len(data) < self.min_length:
            raise self._list_error("min_length", min_length=self.min_length)

        ret = []
        errors: dict[int, Any] = {}
        for index, item in enumerate(data):
            try:
                ret.append(self.run_child_validation(item))
            except ValidationError as exc:
                errors[index] = exc.detail
        if errors:
            if not api_settings.LIST_SERIALIZER_ERRORS_AS_DICT:
                warnings.warn(
                    "ListSerializer's list-shaped errors are deprecated (removed in DRF 3.20); set "
                    "LIST_SERIALIZER_ERRORS_AS_DICT to True for the dict-shaped errors.",
                    DeprecationWarning,
                    stacklevel=4,
                )
                raise ValidationError([errors.get(index, {}) for index in range(len(data))])
            raise ValidationError(errors)
        return ret

    def to_representation(self, data: Any) -> list[Any]:
        """Items → list of primitives. A related manager is read through ``.all()``."""
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        return plans.represent_many(self.child, iterable)

    def validate(self, attrs: Any) -> Any:
        """Checks on the whole list. Return the (possibly modified) list, or raise ``ValidationError``."""
        return attrs

    def update(self, instance: Any, validated_data: Any) -> Any:
        raise NotImplementedError(
            "Serializers with many=True do not support multiple update by default, only multiple create. How "
            "items should be matched, inserted and deleted is up to the application: subclass `ListSerializer`, "
            "override `.update()`, and set it as `Meta.list_serializer_class`."
        )

    def create(self, validated_data: list[Any]) -> list[Any]:
        """One ``child.create()`` per validated item."""
        return [self.child.create(attrs) for attrs in validated_data]

    def save(self, **kwargs: Any) -> Any:
        """Create (or, with an overridden ``update()``, update) every item; ``kwargs`` go into each item."""
        assert "commit" not in kwargs, (
            "'commit' is not a valid keyword argument to the 'save()' method. To look at the data before it is "
            "saved, read 'serializer.validated_data'. Extra attributes for the saved instances go in as keyword "
            "arguments, e.g. 'serializer.save(owner=request.user)'."
        )
        validated_data = [{**attrs, **kwargs} for attrs in self.validated_data]
        if self.instance is not None:
            self.instance = self.update(self.instance, validated_data)
            assert self.instance is not None, "`update()` did not return an object instance."
        else:
            self.instance = self.create(validated_data)
            assert self.instance is not None, "`create()` did not return an object instance."
        return self.instance

    def _empty_validated_data(self) -> Any:
        return []

    def json_bytes(self) -> bytes:
        """
        ``data`` as JSON bytes, identical to DRF's ``JSONRenderer`` output. When every output type is known from
        the plan, rows (or instances) are encoded straight away, without building ``data``.
        """
        if not hasattr(self, "_data"):
            encoded = plans.json_bytes_many(self)
            if encoded is not None:
                return encoded
        return plans.encode_json(self.data)

    def __repr__(self) -> str:
        return representation.list_repr(self, indent=1)

    @property
    def data(self) -> ReturnList:
        return ReturnList(super().data, serializer=self)

    @property
    def errors(self) -> ReturnDict | ReturnList:
        ret = super().errors
        if isinstance(ret, list) and len(ret) == 1 and getattr(ret[0], "code", None) == "null":
            ret = {api_settings.NON_FIELD_ERRORS_KEY: [ErrorDetail("No data provided", code="null")]}
        if isinstance(ret, dict):
            return ReturnDict(ret, serializer=self)
        return ReturnList(ret, serializer=self)

"""Fields that read or write in special ways: read-only values, hidden defaults, method results, model fields."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.utils.encoding import is_protected_type
from django.utils.translation import gettext_lazy as _

from django_bolt.fields.base import Field, empty
from django_bolt.utils.formatting import lazy_format


class ReadOnlyField(Field):
    """
    Outputs the attribute as is (calling it if it is an argument-less method), e.g.
    ``expiry = ReadOnlyField(source="get_expiry_date")``. Never written.
    """

    plain_output = True
    plain_types = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return value


class HiddenField(Field):
    """
    Never read from input nor shown in output; puts its ``default`` into the validated data. Useful for values
    taken from the context (``CurrentUserDefault()``) or needed by a uniqueness check.
    """

    def __init__(self, **kwargs: Any) -> None:
        assert "default" in kwargs, "default is a required argument."
        kwargs["write_only"] = True
        super().__init__(**kwargs)

    def get_value(self, dictionary: Any) -> Any:
        # User input is ignored on purpose: only the default counts.
        return empty

    def to_internal_value(self, data: Any) -> Any:
        return data


class SerializerMethodField(Field):
    """
    Read-only; its value is ``parent.get_<field_name>(obj)`` (or the ``method_name`` given), called with the
    whole object being serialized.
    """

    def __init__(self, method_name: str | None = None, **kwargs: Any) -> None:
        self.method_name = method_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        if self.method_name is None:
            self.method_name = f"get_{field_name}"
        super().bind(field_name, parent)

    def to_representation(self, value: Any) -> Any:
        return getattr(self.parent, self.method_name)(value)


class ModelField(Field):
    """
    Wraps an arbitrary Django model field, for model fields without a dedicated serializer field. Input goes
    through the model field's ``to_python``; output is the raw value for simple types, else ``value_to_string``.
    """

    default_error_messages = {"max_length": _("Ensure this field has no more than {max_length} characters.")}

    def __init__(self, model_field: Any, **kwargs: Any) -> None:
        self.model_field = model_field
        # Django's base model Field takes max_length, so honour it here too.
        self.max_length = kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        if self.max_length is not None:
            message = lazy_format(self.error_messages["max_length"], max_length=self.max_length)
            self.validators.append(MaxLengthValidator(self.max_length, message=message))

    def to_internal_value(self, data: Any) -> Any:
        rel = self.model_field.remote_field
        if rel is not None:
            return rel.model._meta.get_field(rel.field_name).to_python(data)
        return self.model_field.to_python(data)

    def get_attribute(self, obj: Any) -> Any:
        # to_representation needs the whole instance (value_from_object / value_to_string take the object).
        return obj

    def to_representation(self, obj: Any) -> Any:
        value = self.model_field.value_from_object(obj)
        if is_protected_type(value):
            return value
        return self.model_field.value_to_string(obj)

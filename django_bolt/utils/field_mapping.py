"""
From a Django model field to the keyword arguments of the serializer field that represents it.

Used by ``ModelSerializer.build_*_field``: ``get_field_kwargs`` for plain columns, ``get_relation_kwargs`` for
relations, ``get_nested_relation_kwargs`` for ``depth`` nesting and ``get_url_kwargs`` for the identity URL.
The options follow the model: ``null`` → ``allow_null``, ``blank``/defaults → not required, ``max_length`` and
min/max validators → field arguments, ``unique`` → a ``UniqueValidator``, non-editable → read-only.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from django.core import validators
from django.db import models
from django.utils.text import capfirst

from django_bolt.validators import UniqueValidator

try:  # PostgreSQL-only model fields, when psycopg is installed.
    from django.contrib.postgres import fields as postgres_fields
except ImportError:  # pragma: no cover - depends on the environment
    postgres_fields = None

NUMERIC_FIELD_TYPES = (models.IntegerField, models.FloatField, models.DecimalField, models.DurationField)


class ClassLookupDict:
    """
    A dict keyed by classes where a lookup by *instance* walks the instance's class hierarchy (MRO) and returns
    the value of the first class found. Objects exposing ``_proxy_class`` (bound fields) are looked up as that.
    """

    def __init__(self, mapping: dict[type, Any]) -> None:
        self.mapping = mapping

    def __getitem__(self, key: Any) -> Any:
        base_class = getattr(key, "_proxy_class", None) or type(key)
        for cls in inspect.getmro(base_class):
            if cls in self.mapping:
                return self.mapping[cls]
        raise KeyError(f"Class {base_class.__name__} not found in lookup.")

    def __setitem__(self, key: type, value: Any) -> None:
        self.mapping[key] = value


def needs_label(model_field: Any, field_name: str) -> bool:
    """True when the model's ``verbose_name`` differs from the label the field name would give anyway."""
    default_label = field_name.replace("_", " ").capitalize()
    return capfirst(model_field.verbose_name) != default_label


def get_detail_view_name(model: Any) -> str:
    """``"<model name>-detail"``: the router's name for a model's detail route."""
    return f"{model._meta.object_name.lower()}-detail"


def get_unique_error_message(model_field: Any) -> Any:
    """The model field's own ``unique`` error message, filled in, or ``None`` to use the validator default."""
    message = model_field.error_messages.get("unique", None)
    if message:
        message = message % {
            "model_name": model_field.model._meta.verbose_name,
            "field_label": model_field.verbose_name,
        }
    return message


def get_unique_validators(field_name: str, model_field: Any) -> Iterator[UniqueValidator]:
    """
    ``UniqueValidator``s for ``unique=True`` and for single-field ``UniqueConstraint``s (a conditional
    constraint filters the queryset by its condition, as long as the condition only involves this field).
    """
    conditions = {
        constraint.condition
        for constraint in model_field.model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == {field_name}
    }
    if getattr(model_field, "unique", False):
        conditions.add(None)
    if not conditions:
        return
    message = get_unique_error_message(model_field)
    queryset = model_field.model._default_manager
    for condition in conditions:
        referenced = set(condition.referenced_base_fields) if condition is not None else set()
        if referenced - {field_name}:
            # Involves other fields: a UniqueTogetherValidator's job.
            continue
        yield UniqueValidator(
            queryset=queryset if condition is None else queryset.filter(condition),
            message=message,
        )


def _drop(validator_list: list[Any], predicate: Any) -> list[Any]:
    return [validator for validator in validator_list if not predicate(validator)]


def _limit(validator_list: list[Any], validator_class: type) -> Any:
    return next((v.limit_value for v in validator_list if isinstance(v, validator_class)), None)


def get_field_kwargs(field_name: str, model_field: Any) -> dict[str, Any]:
    """Keyword arguments for the serializer field of a plain (non-relational) model field."""
    kwargs: dict[str, Any] = {}
    validator_list = list(model_field.validators)
    # Only ModelField (the fallback for unknown model fields) takes this; build_standard_field drops it.
    kwargs["model_field"] = model_field

    if model_field.verbose_name and needs_label(model_field, field_name):
        kwargs["label"] = capfirst(model_field.verbose_name)
    if model_field.help_text:
        kwargs["help_text"] = model_field.help_text
    for option in ("max_digits", "decimal_places"):
        value = getattr(model_field, option, None)
        if value is not None:
            kwargs[option] = value
    if isinstance(model_field, models.SlugField):
        kwargs["allow_unicode"] = model_field.allow_unicode
    is_json = isinstance(model_field, models.JSONField) or (
        postgres_fields is not None and isinstance(model_field, getattr(postgres_fields, "JSONField", ()))
    )
    if (isinstance(model_field, models.TextField) and not model_field.choices) or is_json:
        kwargs["style"] = {"base_template": "textarea.html"}
    if model_field.null:
        kwargs["allow_null"] = True
    if model_field.choices:
        kwargs["choices"] = model_field.choices

    if isinstance(model_field, models.AutoField) or not model_field.editable:
        # Read-only: none of the input-side options below apply.
        kwargs["read_only"] = True
        return kwargs

    if model_field.has_default() or model_field.blank or model_field.null:
        kwargs["required"] = False
    if model_field.blank and isinstance(model_field, (models.CharField, models.TextField)):
        kwargs["allow_blank"] = True
    if postgres_fields is not None and isinstance(model_field, postgres_fields.ArrayField) and not model_field.blank:
        kwargs["allow_empty"] = False
    if isinstance(model_field, models.FilePathField):
        kwargs["path"] = model_field.path
        if model_field.match is not None:
            kwargs["match"] = model_field.match
        if model_field.recursive is not False:
            kwargs["recursive"] = model_field.recursive
        if model_field.allow_files is not True:
            kwargs["allow_files"] = model_field.allow_files
        if model_field.allow_folders is not False:
            kwargs["allow_folders"] = model_field.allow_folders

    if not model_field.choices:
        validator_list = _numeric_bounds(kwargs, model_field, validator_list)
        # These serializer fields add their own equivalent validators.
        if isinstance(model_field, models.URLField):
            validator_list = _drop(validator_list, lambda v: isinstance(v, validators.URLValidator))
        if isinstance(model_field, models.EmailField):
            validator_list = _drop(validator_list, lambda v: v is validators.validate_email)
        if isinstance(model_field, models.SlugField):
            validator_list = _drop(validator_list, lambda v: v is validators.validate_slug)
        if isinstance(model_field, models.GenericIPAddressField):
            kwargs["protocol"] = model_field.protocol
            ip_validators = (
                validators.validate_ipv46_address,
                validators.validate_ipv4_address,
                validators.validate_ipv6_address,
            )
            validator_list = _drop(validator_list, lambda v: v in ip_validators)
        if isinstance(model_field, models.DecimalField):
            # DecimalField checks digits and places itself.
            validator_list = _drop(validator_list, lambda v: isinstance(v, validators.DecimalValidator))

    max_length = getattr(model_field, "max_length", None)
    if max_length is not None and isinstance(model_field, (models.CharField, models.TextField, models.FileField)):
        kwargs["max_length"] = max_length
        validator_list = _drop(validator_list, lambda v: isinstance(v, validators.MaxLengthValidator))
    min_length = _limit(validator_list, validators.MinLengthValidator)
    if min_length is not None and isinstance(model_field, models.CharField):
        kwargs["min_length"] = min_length
        validator_list = _drop(validator_list, lambda v: isinstance(v, validators.MinLengthValidator))

    validator_list += get_unique_validators(field_name, model_field)
    if validator_list:
        kwargs["validators"] = validator_list
    return kwargs


def _numeric_bounds(kwargs: dict[str, Any], model_field: Any, validator_list: list[Any]) -> list[Any]:
    """Turn Min/MaxValueValidators of numeric model fields into ``min_value``/``max_value`` arguments."""
    if not isinstance(model_field, NUMERIC_FIELD_TYPES):
        return validator_list
    for option, validator_class in (
        ("max_value", validators.MaxValueValidator),
        ("min_value", validators.MinValueValidator),
    ):
        limit = _limit(validator_list, validator_class)
        if limit is not None:
            kwargs[option] = limit
            validator_list = _drop(validator_list, lambda v, cls=validator_class: isinstance(v, cls))
    return validator_list


def get_relation_kwargs(field_name: str, relation_info: Any) -> dict[str, Any]:
    """Keyword arguments for the related field (pk, slug or hyperlink) of a relation."""
    model_field, related_model, to_many, to_field, has_through_model, _reverse = relation_info
    kwargs: dict[str, Any] = {
        "queryset": related_model._default_manager,
        "view_name": get_detail_view_name(related_model),
    }
    if to_many:
        kwargs["many"] = True
    if to_field:
        kwargs["to_field"] = to_field
    limit_choices_to = model_field and model_field.get_limit_choices_to()
    if limit_choices_to:
        if not isinstance(limit_choices_to, models.Q):
            limit_choices_to = models.Q(**limit_choices_to)
        kwargs["queryset"] = kwargs["queryset"].filter(limit_choices_to)
    if has_through_model:
        # Rows of a custom through model carry their own data: not writable from here.
        kwargs["read_only"] = True
        kwargs.pop("queryset", None)
    if not model_field:
        return kwargs

    if model_field.verbose_name and needs_label(model_field, field_name):
        kwargs["label"] = capfirst(model_field.verbose_name)
    if model_field.help_text:
        kwargs["help_text"] = model_field.help_text
    if not model_field.editable:
        kwargs["read_only"] = True
        kwargs.pop("queryset", None)
    if model_field.null:
        kwargs["allow_null"] = True
    if kwargs.get("read_only", False):
        return kwargs
    if model_field.has_default() or model_field.blank or model_field.null:
        kwargs["required"] = False
    if model_field.validators:
        kwargs["validators"] = model_field.validators
    if getattr(model_field, "unique", False):
        unique = UniqueValidator(
            queryset=model_field.model._default_manager, message=get_unique_error_message(model_field)
        )
        kwargs["validators"] = kwargs.get("validators", []) + [unique]
    if to_many and not model_field.blank:
        kwargs["allow_empty"] = False
    return kwargs


def get_nested_relation_kwargs(relation_info: Any) -> dict[str, Any]:
    """Nested (``depth``) serializers are read-only; ``many=True`` for to-many relations."""
    kwargs: dict[str, Any] = {"read_only": True}
    if relation_info.to_many:
        kwargs["many"] = True
    return kwargs


def get_url_kwargs(model_field: Any) -> dict[str, Any]:
    """Keyword arguments of the hyperlinked identity field (``model_field`` is the model class)."""
    return {"view_name": get_detail_view_name(model_field)}

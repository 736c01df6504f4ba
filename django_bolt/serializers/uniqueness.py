"""
The model's uniqueness rules as serializer behaviour (part of ``ModelSerializer``).

``unique_together``, multi-field ``UniqueConstraint``s (with ``condition``, ``nulls_distinct`` and custom
violation messages/codes) and ``unique_for_date/month/year`` become serializer-level validators; the fields they
involve become required (or get the model default, or a hidden field) so the check can always run.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields import Field as DjangoModelField
from django.utils import timezone

from django_bolt.fields import CreateOnlyDefault, HiddenField, empty
from django_bolt.utils import model_meta
from django_bolt.validators import (
    UniqueForDateValidator,
    UniqueForMonthValidator,
    UniqueForYearValidator,
    UniqueTogetherValidator,
)


class UniquenessMixin:
    """Uniqueness support of ``ModelSerializer``: extra field options and default validators."""

    def get_unique_together_constraints(self, model: Any) -> Iterator[tuple]:
        """
        Yield ``(fields, queryset, condition_fields, condition, nulls_distinct, constraint)`` for every
        ``unique_together`` entry and every ``UniqueConstraint`` spanning several fields (counting the fields of
        its condition), on the model and its multi-table parents.
        """
        for owner in [model, *model._meta.parents]:
            for unique_together in owner._meta.unique_together:
                yield unique_together, model._default_manager, [], None, None, None
            for constraint in owner._meta.constraints:
                if not isinstance(constraint, models.UniqueConstraint):
                    continue
                condition_fields = (
                    [] if constraint.condition is None else list(constraint.condition.referenced_base_fields)
                )
                if constraint.fields and len({*constraint.fields, *condition_fields}) > 1:
                    yield (
                        constraint.fields,
                        model._default_manager,
                        condition_fields,
                        constraint.condition,
                        constraint.nulls_distinct,
                        constraint,
                    )

    def get_uniqueness_extra_kwargs(
        self, field_names: list[str], declared_fields: dict[str, Any], extra_kwargs: dict[str, dict]
    ) -> tuple[dict[str, dict], dict[str, Any]]:
        """
        ``(extra_kwargs, hidden_fields)``: fields taking part in a uniqueness rule become required, or default
        to the model default; such model fields missing from the serializer become ``HiddenField``s when they
        have a default. Nothing changes when ``Meta.validators`` is set explicitly.
        """
        if getattr(self.Meta, "validators", None) is not None:
            return extra_kwargs, {}
        model = self.Meta.model
        model_fields = self._get_model_fields(field_names, declared_fields, extra_kwargs)

        names: set[str] = set()
        for model_field in model_fields.values():
            names |= {model_field.unique_for_date, model_field.unique_for_month, model_field.unique_for_year}
        names.discard(None)
        present = set(model_fields)
        for unique_fields, _queryset, condition_fields, *_rest in self.get_unique_together_constraints(model):
            involved = set(unique_fields) | set(condition_fields)
            if present.issuperset(involved):
                names |= involved

        hidden_fields: dict[str, Any] = {}
        uniqueness_kwargs: dict[str, dict] = {}
        for name in names:
            default = _model_default(model._meta.get_field(name))
            if name in model_fields:
                uniqueness_kwargs[name] = {"required": True} if default is empty else {"default": default}
            elif default is not empty:
                hidden_fields[name] = HiddenField(default=default)

        for key, value in uniqueness_kwargs.items():
            if key in extra_kwargs:
                value.update(extra_kwargs[key])
            extra_kwargs[key] = value
        return extra_kwargs, hidden_fields

    def _get_model_fields(
        self, field_names: list[str], declared_fields: dict[str, Any], extra_kwargs: dict[str, dict]
    ) -> dict[str, Any]:
        """``{model field name: model field}`` for serializer fields mapping straight onto a model column."""
        model = self.Meta.model
        model_fields = {}
        for field_name in field_names:
            if field_name in declared_fields:
                source = declared_fields[field_name].source or field_name
            else:
                source = extra_kwargs.get(field_name, {}).get("source", field_name)
            if "." in source or source == "*":
                continue  # traversals cannot be model columns
            with contextlib.suppress(FieldDoesNotExist):
                field = model._meta.get_field(source)
                if isinstance(field, DjangoModelField):
                    model_fields[source] = field
        return model_fields

    def get_validators(self) -> list[Any]:
        """``Meta.validators`` if set, else the validators derived from the model's uniqueness rules."""
        validators = getattr(getattr(self, "Meta", None), "validators", None)
        if validators is not None:
            return list(validators)
        return self.get_unique_together_validators() + self.get_unique_for_date_validators()

    def _get_constraint_violation_error_message(self, constraint: Any) -> Any:
        """The constraint's custom ``violation_error_message``, or ``None`` when it is Django's default."""
        message = constraint.get_violation_error_message()
        default = constraint.default_violation_error_message % {"name": constraint.name}
        return None if message == default else message

    def get_unique_together_validators(self) -> list[UniqueTogetherValidator]:
        """One ``UniqueTogetherValidator`` per unique set entirely covered by this serializer's fields."""
        field_sources = {
            field.field_name: field.source
            for field in self._writable_fields
            if field.source != "*" and "." not in field.source
        }
        # Read-only fields with a default take part too (their value comes from the default).
        field_sources.update(
            {
                field.field_name: field.source
                for field in self.fields.values()
                if field.read_only and field.default is not empty and field.source != "*" and "." not in field.source
            }
        )
        source_map: dict[str, list[str]] = defaultdict(list)
        for name, source in field_sources.items():
            source_map[source].append(name)

        validators = []
        model = self.Meta.model
        for (
            unique_fields,
            queryset,
            condition_fields,
            condition,
            nulls_distinct,
            constraint,
        ) in self.get_unique_together_constraints(model):
            involved = set(unique_fields) | set(condition_fields)
            if not set(source_map).issuperset(involved):
                continue
            for source in involved:
                assert len(source_map[source]) == 1, (
                    f"Unable to create `UniqueTogetherValidator` for `{model.__name__}.{source}` as "
                    f"`{type(self).__name__}` has multiple fields ({', '.join(source_map[source])}) that map to "
                    "this model field. Either remove the extra fields, or override `Meta.validators` with a "
                    "`UniqueTogetherValidator` using the desired field names."
                )
            validators.append(
                UniqueTogetherValidator(
                    queryset=queryset,
                    fields=tuple(source_map[f][0] for f in unique_fields),
                    condition_fields=tuple(source_map[f][0] for f in condition_fields),
                    condition=condition,
                    message=self._get_constraint_violation_error_message(constraint) if constraint else None,
                    code=getattr(constraint, "violation_error_code", None),
                    nulls_distinct=nulls_distinct,
                )
            )
        return validators

    def get_unique_for_date_validators(self) -> list[Any]:
        """Validators for the model's ``unique_for_date``/``unique_for_month``/``unique_for_year`` options."""
        info = model_meta.get_field_info(self.Meta.model)
        manager = self.Meta.model._default_manager
        sources = [field.source for field in self.fields.values()]
        validators = []
        for field_name, field in info.fields_and_pk.items():
            if field_name not in sources:
                continue
            for option, validator_class in (
                ("unique_for_date", UniqueForDateValidator),
                ("unique_for_month", UniqueForMonthValidator),
                ("unique_for_year", UniqueForYearValidator),
            ):
                date_field = getattr(field, option)
                if date_field:
                    validators.append(validator_class(queryset=manager, field=field_name, date_field=date_field))
        return validators


def _model_default(model_field: Any) -> Any:
    """The value a uniqueness-relevant field gets when omitted, or ``empty`` when it must be given."""
    if getattr(model_field, "auto_now_add", None):
        return CreateOnlyDefault(timezone.now)
    if getattr(model_field, "auto_now", None):
        return timezone.now
    if model_field.has_default():
        return model_field.default
    if model_field.null:
        return None
    if model_field.blank and isinstance(model_field, (models.CharField, models.TextField)):
        # Django stores an omitted blank text field as "".
        return ""
    return empty

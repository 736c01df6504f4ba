"""
Validators for serializers: uniqueness checks run against the database from the serializer (rather than
through ``Model.full_clean()``), plus the surrogate-character check used by ``CharField``.

Validators with ``requires_context = True`` are called as ``validator(value, field)`` (field level) or
``validator(attrs, serializer)`` (serializer level); others as ``validator(value)``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import DataError
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ValidationError
from django_bolt.utils.representation import smart_repr

# A value of the wrong type for a column (e.g. "abc" for an integer pk) makes filter()/exists() raise;
# for a uniqueness check that simply means "no clash".
_QUERY_ERRORS = (TypeError, ValueError, DataError)


def qs_exists(queryset: QuerySet) -> bool:
    try:
        return queryset.exists()
    except _QUERY_ERRORS:
        return False


def qs_exists_with_condition(queryset: QuerySet, condition: Q | None, against: dict[str, Any]) -> bool:
    """Like ``qs_exists`` for a conditional ``UniqueConstraint``: the condition must hold for ``against`` too."""
    if condition is None:
        return qs_exists(queryset)
    try:
        # Same query shape as Django's UniqueConstraint.validate().
        return (condition & Exists(queryset.filter(condition))).check(against)
    except (*_QUERY_ERRORS, FieldError):
        return False


def qs_filter(queryset: QuerySet, **kwargs: Any) -> QuerySet:
    try:
        return queryset.filter(**kwargs)
    except _QUERY_ERRORS:
        return queryset.none()


def _check_single_instance(serializer: Any, instance: Any, validator: Any) -> None:
    """Uniqueness needs the one instance being updated; a many=True update without per-item instances can't."""
    if instance is not None and getattr(serializer.parent, "many", False) and not hasattr(instance, "pk"):
        raise RuntimeError(
            f"`{type(validator).__name__}` cannot determine the current instance during a multiple update. "
            "Override `ListSerializer.run_child_validation()` to set `child.instance` before validation."
        )


def _exclude_instance(queryset: QuerySet, instance: Any) -> QuerySet:
    # On update the object being saved must not clash with itself.
    return queryset if instance is None else queryset.exclude(pk=instance.pk)


class UniqueValidator:
    """Field-level check mirroring ``unique=True`` on the model field."""

    message = _("This field must be unique.")
    requires_context = True

    def __init__(self, queryset: QuerySet, message: Any = None, lookup: str = "exact") -> None:
        self.queryset = queryset
        self.message = message or self.message
        self.lookup = lookup

    def filter_queryset(self, value: Any, queryset: QuerySet, field_name: str) -> QuerySet:
        """Rows whose ``field_name`` matches ``value`` with ``lookup``. Override to change the match."""
        return qs_filter(queryset, **{f"{field_name}__{self.lookup}": value})

    def exclude_current_instance(self, queryset: QuerySet, instance: Any) -> QuerySet:
        """Leave out the instance being updated, if any."""
        return _exclude_instance(queryset, instance)

    def __call__(self, value: Any, serializer_field: Any) -> None:
        # The model field is the last part of the source, which may differ from the serializer field name.
        field_name = serializer_field.source_attrs[-1]
        serializer = serializer_field.parent
        instance = getattr(serializer, "instance", None)
        _check_single_instance(serializer, instance, self)
        queryset = self.filter_queryset(value, self.queryset, field_name)
        queryset = self.exclude_current_instance(queryset, instance)
        if qs_exists(queryset):
            raise ValidationError(self.message, code="unique")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(queryset={smart_repr(self.queryset)})>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return (self.message, self.requires_context, self.queryset, self.lookup) == (
            other.message,
            other.requires_context,
            other.queryset,
            other.lookup,
        )


class UniqueTogetherValidator:
    """
    Serializer-level check mirroring ``unique_together`` / a ``UniqueConstraint`` (optionally conditional).
    The listed fields become required on create.
    """

    message = _("The fields {field_names} must make a unique set.")
    missing_message = _("This field is required.")
    requires_context = True
    code = "unique"

    def __init__(
        self,
        queryset: QuerySet,
        fields: list[str] | tuple[str, ...],
        message: Any = None,
        condition_fields: list[str] | None = None,
        condition: Q | None = None,
        code: str | None = None,
        nulls_distinct: bool | None = None,
    ) -> None:
        self.queryset = queryset
        self.fields = fields
        self.message = message or self.message
        self.condition_fields = [] if condition_fields is None else condition_fields
        self.condition = condition
        self.code = code or self.code
        self.nulls_distinct = nulls_distinct

    def enforce_required_fields(self, attrs: dict[str, Any], serializer: Any) -> None:
        """On create, every field of the set (and of the condition) must be present."""
        if serializer.instance is not None:
            return
        missing = {
            name: self.missing_message
            for name in (*self.fields, *self.condition_fields)
            if serializer.fields[name].source not in attrs
        }
        if missing:
            raise ValidationError(missing, code="required")

    def filter_queryset(self, attrs: dict[str, Any], queryset: QuerySet, serializer: Any) -> QuerySet:
        """Rows with the same values for the set; on update, absent values are taken from the instance."""
        sources = [serializer.fields[name].source for name in self.fields]
        if serializer.instance is not None:
            for source in sources:
                if source not in attrs:
                    attrs[source] = getattr(serializer.instance, source)
        return qs_filter(queryset, **{source: attrs[source] for source in sources})

    def exclude_current_instance(self, attrs: dict[str, Any], queryset: QuerySet, instance: Any) -> QuerySet:
        """Leave out the instance being updated, if any."""
        return _exclude_instance(queryset, instance)

    def __call__(self, attrs: dict[str, Any], serializer: Any) -> None:
        instance = serializer.instance
        _check_single_instance(serializer, instance, self)
        self.enforce_required_fields(attrs, serializer)
        queryset = self.filter_queryset(attrs, self.queryset, serializer)
        queryset = self.exclude_current_instance(attrs, queryset, instance)

        def resolved(source: str) -> Any:
            return attrs[source] if source in attrs else getattr(instance, source, None)

        constraint_sources = [serializer.fields[name].source for name in self.fields]
        condition_sources = [serializer.fields[name].source for name in self.condition_fields]
        checked = list(set(constraint_sources) | set(condition_sources))
        if instance is None:
            checked_values = [attrs.get(source) for source in checked]
        else:
            # On update only changed values matter: unchanged sets were valid before.
            checked_values = [
                attrs[source]
                for source in checked
                if source in attrs and attrs[source] != getattr(instance, source, None)
            ]
        if not checked_values:
            return
        # NULLs never clash in SQL unless the constraint says nulls_distinct=False.
        if self.nulls_distinct is not False and any(resolved(s) is None for s in constraint_sources):
            return
        condition_kwargs = {source: resolved(source) for source in condition_sources}
        if qs_exists_with_condition(queryset, self.condition, condition_kwargs):
            message = self.message.format(field_names=", ".join(self.fields))
            raise ValidationError(message, code=self.code)

    def __repr__(self) -> str:
        shown = ("queryset", "fields", "condition", "nulls_distinct")
        parts = [f"{attr}={smart_repr(getattr(self, attr))}" for attr in shown if getattr(self, attr) is not None]
        return f"<{type(self).__name__}({', '.join(parts)})>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        keys = ("message", "requires_context", "missing_message", "queryset", "fields", "code", "nulls_distinct")
        return all(getattr(self, key) == getattr(other, key) for key in keys)


class ProhibitSurrogateCharactersValidator:
    """Rejects strings containing UTF-16 surrogate code points (they cannot be encoded as UTF-8)."""

    message = _("Surrogate characters are not allowed: U+{code_point:X}.")
    code = "surrogate_characters_not_allowed"

    def __call__(self, value: Any) -> None:
        for char in str(value):
            if 0xD800 <= ord(char) <= 0xDFFF:
                raise ValidationError(self.message.format(code_point=ord(char)), code=self.code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.message == other.message and self.code == other.code


class BaseUniqueForValidator:
    """Shared logic of the ``unique_for_date``/``_month``/``_year`` checks (serializer level)."""

    message: Any = None
    missing_message = _("This field is required.")
    requires_context = True

    def __init__(self, queryset: QuerySet, field: str, date_field: str, message: Any = None) -> None:
        self.queryset = queryset
        self.field = field
        self.date_field = date_field
        self.message = message or self.message

    def enforce_required_fields(self, attrs: dict[str, Any]) -> None:
        """Both the field and its date field must be present."""
        missing = {name: self.missing_message for name in (self.field, self.date_field) if name not in attrs}
        if missing:
            raise ValidationError(missing, code="required")

    def filter_queryset(
        self, attrs: dict[str, Any], queryset: QuerySet, field_name: str, date_field_name: str
    ) -> QuerySet:
        """Rows clashing with ``attrs`` within the period. Implemented by each subclass."""
        raise NotImplementedError("`filter_queryset` must be implemented.")

    def exclude_current_instance(self, attrs: dict[str, Any], queryset: QuerySet, instance: Any) -> QuerySet:
        """Leave out the instance being updated, if any."""
        return _exclude_instance(queryset, instance)

    def _date_filters(self, attrs: dict[str, Any], field_name: str, date_field_name: str, parts: tuple) -> dict:
        date = attrs[self.date_field]
        filters = {field_name: attrs[self.field]}
        for part in parts:
            filters[f"{date_field_name}__{part}"] = getattr(date, part)
        return filters

    def __call__(self, attrs: dict[str, Any], serializer: Any) -> None:
        field_name = serializer.fields[self.field].source_attrs[-1]
        date_field_name = serializer.fields[self.date_field].source_attrs[-1]
        _check_single_instance(serializer, serializer.instance, self)
        self.enforce_required_fields(attrs)
        queryset = self.filter_queryset(attrs, self.queryset, field_name, date_field_name)
        queryset = self.exclude_current_instance(attrs, queryset, serializer.instance)
        if qs_exists(queryset):
            raise ValidationError({self.field: self.message.format(date_field=self.date_field)}, code="unique")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        keys = ("message", "missing_message", "requires_context", "queryset", "field", "date_field")
        return all(getattr(self, key) == getattr(other, key) for key in keys)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}(queryset={smart_repr(self.queryset)}, field={smart_repr(self.field)}, "
            f"date_field={smart_repr(self.date_field)})>"
        )


class UniqueForDateValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" date.')

    def filter_queryset(
        self, attrs: dict[str, Any], queryset: QuerySet, field_name: str, date_field_name: str
    ) -> QuerySet:
        return qs_filter(queryset, **self._date_filters(attrs, field_name, date_field_name, ("day", "month", "year")))


class UniqueForMonthValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" month.')

    def filter_queryset(
        self, attrs: dict[str, Any], queryset: QuerySet, field_name: str, date_field_name: str
    ) -> QuerySet:
        return qs_filter(queryset, **self._date_filters(attrs, field_name, date_field_name, ("month",)))


class UniqueForYearValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" year.')

    def filter_queryset(
        self, attrs: dict[str, Any], queryset: QuerySet, field_name: str, date_field_name: str
    ) -> QuerySet:
        return qs_filter(queryset, **self._date_filters(attrs, field_name, date_field_name, ("year",)))

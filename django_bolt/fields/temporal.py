"""Date, time, datetime and duration fields."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time
from django.utils.duration import duration_iso_string, duration_string
from django.utils.translation import gettext_lazy as _

from django_bolt.fields.base import Field, empty
from django_bolt.settings import DJANGO_DURATION_FORMAT, ISO_8601, api_settings
from django_bolt.utils import humanize_datetime
from django_bolt.utils.formatting import lazy_format
from django_bolt.utils.timezone import current_timezone, valid_datetime


class _FormatMixin:
    """Stores ``format``/``input_formats`` only when given, so the API settings apply otherwise."""

    def _set_formats(self, format: Any, input_formats: Any) -> None:
        if format is not empty:
            self.format = format
        if input_formats is not None:
            self.input_formats = input_formats


def _parse_with(value: Any, input_formats: list[str], iso_parser: Any, strptime: Any, convert: Any) -> Any:
    """Try each input format in turn; ``None`` when none of them parses ``value``."""
    for input_format in input_formats:
        try:
            if input_format.lower() == ISO_8601:
                parsed = iso_parser(value)
                if parsed is not None:
                    return parsed
                continue
            return convert(strptime(value, input_format))
        except (ValueError, TypeError):
            continue
    return None


class DateTimeField(_FormatMixin, Field):
    """
    Datetimes. Input is made aware in ``default_timezone`` (the current timezone with ``USE_TZ``), or naive
    without it; ISO 8601 output writes UTC as ``Z``.
    """

    default_error_messages = {
        "invalid": _("Datetime has wrong format. Use one of these formats instead: {format}."),
        "date": _("Expected a datetime but got a date."),
        "make_aware": _('Invalid datetime for the timezone "{timezone}".'),
        "overflow": _("Datetime value out of range."),
    }
    datetime_parser = datetime.datetime.strptime

    def __init__(
        self, format: Any = empty, input_formats: list[str] | None = None, default_timezone: Any = None, **kwargs: Any
    ) -> None:
        self._set_formats(format, input_formats)
        if default_timezone is not None:
            self.timezone = default_timezone
        super().__init__(**kwargs)

    def default_timezone(self) -> datetime.tzinfo | None:
        """The timezone used when none was given to the field. Override to change it."""
        return current_timezone() if settings.USE_TZ else None

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        """Aware in the field's timezone when there is one; naive (UTC wall time) otherwise."""
        field_timezone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
        if field_timezone is None:
            return timezone.make_naive(value, datetime.UTC) if timezone.is_aware(value) else value
        if timezone.is_aware(value):
            try:
                return value.astimezone(field_timezone)
            except OverflowError:
                self.fail("overflow")
        aware = timezone.make_aware(value, field_timezone)
        # zoneinfo does not reject ambiguous or skipped wall-clock times by itself.
        if not valid_datetime(aware):
            self.fail("make_aware", timezone=field_timezone)
        return aware

    def to_internal_value(self, value: Any) -> datetime.datetime:
        input_formats = getattr(self, "input_formats", api_settings.DATETIME_INPUT_FORMATS)
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            self.fail("date")
        if isinstance(value, datetime.datetime):
            return self.enforce_timezone(value)
        parsed = _parse_with(value, input_formats, parse_datetime, self.datetime_parser, lambda dt: dt)
        if parsed is not None:
            return self.enforce_timezone(parsed)
        self.fail("invalid", format=humanize_datetime.datetime_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        if not value:
            return None
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if output_format is None or isinstance(value, str):
            return value
        value = self.enforce_timezone(value)
        if output_format.lower() == ISO_8601:
            text = value.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return value.strftime(output_format)


class DateField(_FormatMixin, Field):
    default_error_messages = {
        "invalid": _("Date has wrong format. Use one of these formats instead: {format}."),
        "datetime": _("Expected a date but got a datetime."),
    }
    datetime_parser = datetime.datetime.strptime

    def __init__(self, format: Any = empty, input_formats: list[str] | None = None, **kwargs: Any) -> None:
        self._set_formats(format, input_formats)
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime.date:
        input_formats = getattr(self, "input_formats", api_settings.DATE_INPUT_FORMATS)
        if isinstance(value, datetime.datetime):
            self.fail("datetime")
        if isinstance(value, datetime.date):
            return value
        parsed = _parse_with(value, input_formats, parse_date, self.datetime_parser, lambda dt: dt.date())
        if parsed is not None:
            return parsed
        self.fail("invalid", format=humanize_datetime.date_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        if not value:
            return None
        output_format = getattr(self, "format", api_settings.DATE_FORMAT)
        if output_format is None or isinstance(value, str):
            return value
        # Silently dropping a datetime's time and zone would hide a bug in the caller.
        assert not isinstance(value, datetime.datetime), (
            "Expected a `date`, but got a `datetime`. Refusing to coerce, as this may mean losing timezone "
            "information. Use a custom read-only field and deal with timezone issues explicitly."
        )
        if output_format.lower() == ISO_8601:
            return value.isoformat()
        return value.strftime(output_format)


class TimeField(_FormatMixin, Field):
    default_error_messages = {
        "invalid": _("Time has wrong format. Use one of these formats instead: {format}."),
    }
    datetime_parser = datetime.datetime.strptime

    def __init__(self, format: Any = empty, input_formats: list[str] | None = None, **kwargs: Any) -> None:
        self._set_formats(format, input_formats)
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime.time:
        input_formats = getattr(self, "input_formats", api_settings.TIME_INPUT_FORMATS)
        if isinstance(value, datetime.time):
            return value
        parsed = _parse_with(value, input_formats, parse_time, self.datetime_parser, lambda dt: dt.time())
        if parsed is not None:
            return parsed
        self.fail("invalid", format=humanize_datetime.time_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        output_format = getattr(self, "format", api_settings.TIME_FORMAT)
        if output_format is None or isinstance(value, str):
            return value
        assert not isinstance(value, datetime.datetime), (
            "Expected a `time`, but got a `datetime`. Refusing to coerce, as this may mean losing timezone "
            "information. Use a custom read-only field and deal with timezone issues explicitly."
        )
        if output_format.lower() == ISO_8601:
            return value.isoformat()
        return value.strftime(output_format)


def _check_duration_format(output_format: Any) -> None:
    if output_format is None or (
        isinstance(output_format, str) and output_format.lower() in (ISO_8601, DJANGO_DURATION_FORMAT)
    ):
        return
    if isinstance(output_format, str):
        raise ValueError(
            f"Unknown duration format provided, got '{output_format}' while expecting 'django', 'iso-8601' or `None`."
        )
    raise TypeError(f"duration format must be either str or `None`, not {type(output_format).__name__}")


class DurationField(Field):
    """``timedelta`` values; output as Django's ``[DD] [HH:[MM:]]ss[.uuuuuu]`` or ISO 8601 (``format``)."""

    default_error_messages = {
        "invalid": _("Duration has wrong format. Use one of these formats instead: {format}."),
        "max_value": _("Ensure this value is less than or equal to {max_value}."),
        "min_value": _("Ensure this value is greater than or equal to {min_value}."),
        "overflow": _("The number of days must be between {min_days} and {max_days}."),
    }

    def __init__(self, *, format: Any = empty, **kwargs: Any) -> None:
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        if format is not empty:
            _check_duration_format(format)
            self.format = format
        super().__init__(**kwargs)
        if self.max_value is not None:
            message = lazy_format(self.error_messages["max_value"], max_value=self.max_value)
            self.validators.append(MaxValueValidator(self.max_value, message=message))
        if self.min_value is not None:
            message = lazy_format(self.error_messages["min_value"], min_value=self.min_value)
            self.validators.append(MinValueValidator(self.min_value, message=message))

    def to_internal_value(self, value: Any) -> datetime.timedelta:
        if isinstance(value, datetime.timedelta):
            return value
        try:
            parsed = parse_duration(str(value))
        except OverflowError:
            self.fail("overflow", min_days=datetime.timedelta.min.days, max_days=datetime.timedelta.max.days)
        if parsed is None:
            self.fail("invalid", format="[DD] [HH:[MM:]]ss[.uuuuuu]")
        return parsed

    def to_representation(self, value: Any) -> Any:
        output_format = getattr(self, "format", api_settings.DURATION_FORMAT)
        if output_format is None:
            return value
        _check_duration_format(output_format)
        if output_format.lower() == ISO_8601:
            return duration_iso_string(value)
        return duration_string(value)

"""Boolean, string and number fields."""

from __future__ import annotations

import decimal
import math
import re
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    URLValidator,
    ip_address_validators,
)
from django.utils.encoding import smart_str
from django.utils.formats import localize_input, sanitize_separators
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

from django_bolt.fields.base import Field, empty
from django_bolt.settings import api_settings
from django_bolt.utils.formatting import lazy_format
from django_bolt.validators import ProhibitSurrogateCharactersValidator


def _add_bound_validators(field: Field, low: Any, high: Any, kind: str) -> None:
    """Append Django min/max validators whose messages come from the field's own error messages."""
    low_cls, high_cls = (
        (MinLengthValidator, MaxLengthValidator) if kind == "length" else (MinValueValidator, MaxValueValidator)
    )
    if high is not None:
        message = lazy_format(field.error_messages[f"max_{kind}"], **{f"max_{kind}": high})
        field.validators.append(high_cls(high, message=message))
    if low is not None:
        message = lazy_format(field.error_messages[f"min_{kind}"], **{f"min_{kind}": low})
        field.validators.append(low_cls(low, message=message))


class BooleanField(Field):
    default_error_messages = {"invalid": _("Must be a valid boolean.")}
    default_empty_html = False
    initial = False
    TRUE_VALUES = {"t", "y", "yes", "true", "on", "1", 1, True}  # noqa: B033 - listed as documented
    FALSE_VALUES = {"f", "n", "no", "false", "off", "0", 0, 0.0, False}  # noqa: B033
    NULL_VALUES = {"null", "", None}

    plain_output = True
    plain_types = (bool,)

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("allow_null", False):
            # An unchecked checkbox means "no value" rather than False for nullable fields.
            self.default_empty_html = None
            self.initial = None
        super().__init__(**kwargs)

    def _classify(self, value: Any) -> Any:
        """True/False/None for a recognised value, ``empty`` otherwise (unhashable values included)."""
        key = value.lower() if isinstance(value, str) else value
        try:
            if key in self.TRUE_VALUES:
                return True
            if key in self.FALSE_VALUES:
                return False
            if key in self.NULL_VALUES and self.allow_null:
                return None
        except TypeError:
            pass
        return empty

    def to_internal_value(self, data: Any) -> bool | None:
        result = self._classify(data)
        if result is empty:
            self.fail("invalid", input=data)
        return result

    def to_representation(self, value: Any) -> bool | None:
        result = self._classify(value)
        return bool(value) if result is empty else result


class CharField(Field):
    default_error_messages = {
        "invalid": _("Not a valid string."),
        "blank": _("This field may not be blank."),
        "max_length": _("Ensure this field has no more than {max_length} characters."),
        "min_length": _("Ensure this field has at least {min_length} characters."),
    }
    initial = ""

    plain_output = True
    plain_types = (str,)

    def __init__(self, **kwargs: Any) -> None:
        self.allow_blank = kwargs.pop("allow_blank", False)
        self.trim_whitespace = kwargs.pop("trim_whitespace", True)
        self.max_length = kwargs.pop("max_length", None)
        self.min_length = kwargs.pop("min_length", None)
        super().__init__(**kwargs)
        _add_bound_validators(self, self.min_length, self.max_length, "length")
        self.validators.append(ProhibitNullCharactersValidator())
        self.validators.append(ProhibitSurrogateCharactersValidator())

    def run_validation(self, data: Any = empty) -> Any:
        # Blank input is settled here so subclasses' to_internal_value never sees it.
        if data == "" or (self.trim_whitespace and str(data).strip() == ""):
            if not self.allow_blank:
                self.fail("blank")
            return ""
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> str:
        # Numbers may be coerced to text; booleans and containers are most likely mistakes.
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        value = str(data)
        return value.strip() if self.trim_whitespace else value

    def to_representation(self, value: Any) -> str:
        return str(value)


class EmailField(CharField):
    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(EmailValidator(message=self.error_messages["invalid"]))


class RegexField(CharField):
    default_error_messages = {"invalid": _("This value does not match the required pattern.")}

    def __init__(self, regex: str | re.Pattern, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(regex, message=self.error_messages["invalid"]))


class SlugField(CharField):
    default_error_messages = {
        "invalid": _('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
        "invalid_unicode": _('Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'),
    }

    def __init__(self, allow_unicode: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allow_unicode = allow_unicode
        if allow_unicode:
            validator = RegexValidator(
                re.compile(r"^[-\w]+\Z", re.UNICODE), message=self.error_messages["invalid_unicode"]
            )
        else:
            validator = RegexValidator(re.compile(r"^[-a-zA-Z0-9_]+$"), message=self.error_messages["invalid"])
        self.validators.append(validator)


class URLField(CharField):
    default_error_messages = {"invalid": _("Enter a valid URL.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(URLValidator(message=self.error_messages["invalid"]))


class UUIDField(Field):
    valid_formats = ("hex_verbose", "hex", "int", "urn")
    default_error_messages = {"invalid": _("Must be a valid UUID.")}

    def __init__(self, **kwargs: Any) -> None:
        self.uuid_format = kwargs.pop("format", "hex_verbose")
        if self.uuid_format not in self.valid_formats:
            raise ValueError(
                'Invalid format for uuid representation. Must be one of "{}"'.format('", "'.join(self.valid_formats))
            )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if isinstance(data, uuid.UUID):
            return data
        try:
            if isinstance(data, int):
                return uuid.UUID(int=data)
            if isinstance(data, str):
                return uuid.UUID(hex=data)
        except ValueError:
            pass
        self.fail("invalid", value=data)

    def to_representation(self, value: Any) -> Any:
        if self.uuid_format == "hex_verbose":
            return str(value)
        return getattr(value, self.uuid_format)


class IPAddressField(CharField):
    """IPv4 and/or IPv6 addresses (``protocol`` is ``"both"``, ``"ipv4"`` or ``"ipv6"``)."""

    default_error_messages = {"invalid": _("Enter a valid IPv4 or IPv6 address.")}

    def __init__(self, protocol: str = "both", **kwargs: Any) -> None:
        self.protocol = protocol.lower()
        self.unpack_ipv4 = self.protocol == "both"
        super().__init__(**kwargs)
        self.validators.extend(ip_address_validators(protocol, self.unpack_ipv4))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        if ":" in data and self.protocol in ("both", "ipv6"):
            # Normalise IPv6 (and unpack ::ffff:a.b.c.d when both protocols are accepted).
            try:
                return clean_ipv6_address(data, self.unpack_ipv4)
            except DjangoValidationError:
                self.fail("invalid", value=data)
        return super().to_internal_value(data)


_NUMBER_MESSAGES = {
    "max_value": _("Ensure this value is less than or equal to {max_value}."),
    "min_value": _("Ensure this value is greater than or equal to {min_value}."),
    "max_string_length": _("String value too large."),
}


class IntegerField(Field):
    default_error_messages = {"invalid": _("A valid integer is required."), **_NUMBER_MESSAGES}
    MAX_STRING_LENGTH = 1000  # Guards int() against huge hostile strings.
    re_decimal = re.compile(r"\.0*\s*$")  # "1.0" and "1." are integers, "1.2" is not

    plain_output = True
    plain_types = (int,)

    def __init__(self, **kwargs: Any) -> None:
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        _add_bound_validators(self, self.min_value, self.max_value, "value")

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            return int(self.re_decimal.sub("", str(data)))
        except (ValueError, TypeError):
            self.fail("invalid")

    def to_representation(self, value: Any) -> int:
        return int(value)


class BigIntegerField(IntegerField):
    """An integer that may be rendered as a string (``coerce_to_string`` / ``COERCE_BIGINT_TO_STRING``)."""

    default_error_messages = {"invalid": _("A valid biginteger is required."), **_NUMBER_MESSAGES}
    plain_output = False

    def __init__(self, coerce_to_string: bool | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if coerce_to_string is not None:
            self.coerce_to_string = coerce_to_string

    def to_representation(self, value: Any) -> int | str:
        if getattr(self, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
            return "" if value is None else str(value)
        return super().to_representation(value)


class FloatField(Field):
    default_error_messages = {
        "invalid": _("A valid number is required."),
        **_NUMBER_MESSAGES,
        "overflow": _("Integer value too large to convert to float"),
    }
    MAX_STRING_LENGTH = 1000

    plain_output = True
    plain_types = (float,)

    def __init__(self, **kwargs: Any) -> None:
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        _add_bound_validators(self, self.min_value, self.max_value, "value")

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            value = float(data)
        except (TypeError, ValueError):
            self.fail("invalid")
        except OverflowError:
            self.fail("overflow")
        if not math.isfinite(value):
            self.fail("invalid")
        return value

    def to_representation(self, value: Any) -> float:
        return float(value)


_ROUNDINGS = [value for name, value in vars(decimal).items() if name.startswith("ROUND_")]


class DecimalField(Field):
    """
    Fixed-precision decimals. Output is a string (``coerce_to_string`` / ``COERCE_DECIMAL_TO_STRING``),
    quantized to ``decimal_places``.
    """

    default_error_messages = {
        "invalid": _("A valid number is required."),
        "max_value": _NUMBER_MESSAGES["max_value"],
        "min_value": _NUMBER_MESSAGES["min_value"],
        "max_digits": _("Ensure that there are no more than {max_digits} digits in total."),
        "max_decimal_places": _("Ensure that there are no more than {max_decimal_places} decimal places."),
        "max_whole_digits": _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
        "max_string_length": _NUMBER_MESSAGES["max_string_length"],
    }
    MAX_STRING_LENGTH = 1000

    def __init__(
        self,
        max_digits: int | None,
        decimal_places: int | None,
        coerce_to_string: bool | None = None,
        max_value: Any = None,
        min_value: Any = None,
        localize: bool = False,
        rounding: str | None = None,
        normalize_output: bool = False,
        **kwargs: Any,
    ) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.localize = localize
        self.normalize_output = normalize_output
        if coerce_to_string is not None:
            self.coerce_to_string = coerce_to_string
        if localize:
            self.coerce_to_string = True
        self.max_value = max_value
        self.min_value = min_value
        for bound, name in ((max_value, "max_value"), (min_value, "min_value")):
            if bound is not None and not isinstance(bound, (int, decimal.Decimal)):
                warnings.warn(f"{name} should be an integer or Decimal instance.", stacklevel=2)
        if max_digits is not None and decimal_places is not None:
            self.max_whole_digits = max_digits - decimal_places
        else:
            self.max_whole_digits = None
        super().__init__(**kwargs)
        _add_bound_validators(self, min_value, max_value, "value")
        if rounding is not None:
            assert rounding in _ROUNDINGS, (
                f"Invalid rounding option {rounding}. Valid values for rounding are: {_ROUNDINGS}"
            )
        self.rounding = rounding

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # Blank text means null for a nullable decimal.
        if self.allow_null and smart_str(data).strip() == "":
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> decimal.Decimal:
        text = smart_str(data).strip()
        if self.localize:
            text = sanitize_separators(text)
        if len(text) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            value = decimal.Decimal(text)
        except decimal.DecimalException:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        return self.quantize(self.validate_precision(value))

    def validate_precision(self, value: decimal.Decimal) -> decimal.Decimal:
        """Check ``max_digits``/``decimal_places``/whole digits. Override to relax or extend the checks."""
        _sign, digits, exponent = value.as_tuple()
        if exponent >= 0:  # e.g. 1234500
            total = whole = len(digits) + exponent
            places = 0
        elif len(digits) > -exponent:  # e.g. 123.45
            total = len(digits)
            places = -exponent
            whole = total - places
        else:  # e.g. 0.001234
            total = places = -exponent
            whole = 0
        if self.max_digits is not None and total > self.max_digits:
            self.fail("max_digits", max_digits=self.max_digits)
        if self.decimal_places is not None and places > self.decimal_places:
            self.fail("max_decimal_places", max_decimal_places=self.decimal_places)
        if self.max_whole_digits is not None and whole > self.max_whole_digits:
            self.fail("max_whole_digits", max_whole_digits=self.max_whole_digits)
        return value

    def to_representation(self, value: Any) -> Any:
        coerce_to_string = getattr(self, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        if value is None:
            return "" if coerce_to_string else None
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        quantized = self.quantize(value)
        if self.normalize_output:
            quantized = quantized.normalize()
        if not coerce_to_string:
            return quantized
        if self.localize:
            return localize_input(quantized)
        return f"{quantized:f}"

    def quantize(self, value: decimal.Decimal) -> decimal.Decimal:
        """Round ``value`` to ``decimal_places`` (with ``rounding``), within ``max_digits`` of precision."""
        if self.decimal_places is None:
            return value
        context = decimal.getcontext().copy()
        if self.max_digits is not None:
            context.prec = self.max_digits
        return value.quantize(decimal.Decimal(".1") ** self.decimal_places, rounding=self.rounding, context=context)

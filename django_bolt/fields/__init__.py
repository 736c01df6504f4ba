"""
Serializer fields, with DRF's names, arguments, messages and error codes.

``from django_bolt.fields import CharField`` (or ``from django_bolt import serializers`` once serializers
re-export them). The package is split by kind of value; everything public is re-exported here.
"""

from django_bolt.fields.base import (
    MISSING_ERROR_MESSAGE,
    NOT_READ_ONLY_REQUIRED,
    NOT_READ_ONLY_WRITE_ONLY,
    NOT_REQUIRED_DEFAULT,
    REGEX_TYPE,
    USE_READONLYFIELD,
    BuiltinSignatureError,
    CreateOnlyDefault,
    CurrentUserDefault,
    Field,
    SkipField,
    empty,
    get_attribute,
    get_error_detail,
    is_simple_callable,
)
from django_bolt.fields.choice import (
    ChoiceField,
    FilePathField,
    MultipleChoiceField,
    flatten_choices_dict,
    iter_options,
    to_choices_dict,
)
from django_bolt.fields.composite import (  # noqa: F401 - _UnvalidatedField importable as in DRF
    DictField,
    HStoreField,
    JSONField,
    ListField,
    _UnvalidatedField,
)
from django_bolt.fields.files import FileField, ImageField
from django_bolt.fields.misc import HiddenField, ModelField, ReadOnlyField, SerializerMethodField
from django_bolt.fields.scalar import (
    BigIntegerField,
    BooleanField,
    CharField,
    DecimalField,
    EmailField,
    FloatField,
    IntegerField,
    IPAddressField,
    RegexField,
    SlugField,
    URLField,
    UUIDField,
)
from django_bolt.fields.temporal import DateField, DateTimeField, DurationField, TimeField
from django_bolt.settings import DJANGO_DURATION_FORMAT, ISO_8601

__all__ = [
    "BigIntegerField",
    "BooleanField",
    "BuiltinSignatureError",
    "CharField",
    "ChoiceField",
    "CreateOnlyDefault",
    "CurrentUserDefault",
    "DJANGO_DURATION_FORMAT",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DictField",
    "DurationField",
    "EmailField",
    "Field",
    "FileField",
    "FilePathField",
    "FloatField",
    "HStoreField",
    "HiddenField",
    "IPAddressField",
    "ISO_8601",
    "ImageField",
    "IntegerField",
    "JSONField",
    "ListField",
    "MISSING_ERROR_MESSAGE",
    "ModelField",
    "MultipleChoiceField",
    "NOT_READ_ONLY_REQUIRED",
    "NOT_READ_ONLY_WRITE_ONLY",
    "NOT_REQUIRED_DEFAULT",
    "REGEX_TYPE",
    "ReadOnlyField",
    "RegexField",
    "SerializerMethodField",
    "SkipField",
    "SlugField",
    "TimeField",
    "URLField",
    "USE_READONLYFIELD",
    "UUIDField",
    "empty",
    "flatten_choices_dict",
    "get_attribute",
    "get_error_detail",
    "is_simple_callable",
    "iter_options",
    "to_choices_dict",
]

"""
Serializers: DRF's ``rest_framework.serializers`` API (``Serializer``, ``ModelSerializer``,
``HyperlinkedModelSerializer``, ``ListSerializer``), with the serializer fields re-exported so that
``from django_bolt import serializers; serializers.CharField(...)`` reads as in DRF.

Reading is compiled: each serializer class gets a read plan once, and lists of model rows needing only plain
columns are fetched with ``values_list()`` and built without model instances (``django_bolt._plan``). The
output (``.data``, ``.errors``, ``.validated_data``) is DRF's, and ``serializer.json_bytes()`` gives the
bytes DRF's ``JSONRenderer`` would render, encoded with msgspec when that is provably identical.
"""

from django_bolt.exceptions import ErrorDetail, ValidationError  # noqa: F401
from django_bolt.fields import (  # noqa: F401 - re-exported for `serializers.CharField` style declarations
    BigIntegerField,
    BooleanField,
    CharField,
    ChoiceField,
    CreateOnlyDefault,
    CurrentUserDefault,
    DateField,
    DateTimeField,
    DecimalField,
    DictField,
    DurationField,
    EmailField,
    Field,
    FileField,
    FilePathField,
    FloatField,
    HiddenField,
    HStoreField,
    ImageField,
    IntegerField,
    IPAddressField,
    JSONField,
    ListField,
    ModelField,
    MultipleChoiceField,
    ReadOnlyField,
    RegexField,
    SerializerMethodField,
    SkipField,
    SlugField,
    TimeField,
    URLField,
    UUIDField,
    empty,
)
from django_bolt.relations import (  # noqa: F401
    Hyperlink,
    HyperlinkedIdentityField,
    HyperlinkedRelatedField,
    ManyRelatedField,
    PKOnlyObject,
    PrimaryKeyRelatedField,
    RelatedField,
    SlugRelatedField,
    StringRelatedField,
)
from django_bolt.serializers.base import (  # noqa: F401
    ALL_FIELDS,
    LIST_SERIALIZER_KWARGS,
    LIST_SERIALIZER_KWARGS_REMOVE,
    BaseSerializer,
    Serializer,
    SerializerMetaclass,
    as_serializer_error,
)
from django_bolt.serializers.list import ListSerializer  # noqa: F401
from django_bolt.serializers.model import (  # noqa: F401
    HyperlinkedModelSerializer,
    ModelSerializer,
    raise_errors_on_nested_writes,
)
from django_bolt.validators import (  # noqa: F401
    UniqueForDateValidator,
    UniqueForMonthValidator,
    UniqueForYearValidator,
    UniqueTogetherValidator,
    UniqueValidator,
)

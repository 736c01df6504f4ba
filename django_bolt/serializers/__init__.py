"""
Serializers: DRF's ``rest_framework.serializers`` API (``Serializer``, ``ModelSerializer``,
``HyperlinkedModelSerializer``, ``ListSerializer``), with the serializer fields re-exported so that
``from django_bolt import serializers; serializers.CharField(...)`` reads as in DRF. ``.data``, ``.errors``
(with codes), ``.validated_data`` and saved rows are DRF's.

How it is fast (``django_bolt.serializers.plans``):

* Fields are not deep-copied per instance. A class keeps its declared (or, for ``ModelSerializer``, generated
  once from ``Meta``) fields as templates; an instance gets cheap clones only when something needs bound
  fields: validation, ``serializer.fields``, or fields that read the context (method fields, hyperlinks,
  nested serializers). Overriding ``get_fields``/``build_field``/``get_field_names``/... keeps DRF's
  per-instance building.
* Reading goes through a read plan compiled once per class: fields whose value is a plain model column and
  whose ``to_representation`` only depends on the field's options are read straight from the instance
  ``__dict__`` and converted by generated code (no per-value call for ``plain_output`` fields).
* ``many=True`` over an unevaluated queryset whose plan only needs columns fetches ``values_list()`` of those
  columns and builds the rows without model instances (skipped for custom ``__init__``/``from_db``,
  ``pre_init``/``post_init`` receivers, DISTINCT, set operations, prefetches, evaluated querysets, and a
  ``to_representation``/``_readable_fields`` override on the child).
* ``serializer.json_bytes()`` (``await serializer.ajson_bytes()``) returns the bytes DRF's ``JSONRenderer``
  would produce for ``.data``, encoded with msgspec straight from the rows when every output type is known,
  otherwise by ``django_bolt.utils.json_bytes_json(data)`` (which the JSON renderer uses too).

Async actions: ``await serializer.ais_valid()``, ``await serializer.asave()``, ``await serializer.adata``
run the ORM work through ``django_bolt.sync.run_sync``.
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
from django_bolt.serializers.typed import TypedSerializer  # noqa: F401
from django_bolt.validators import (  # noqa: F401
    UniqueForDateValidator,
    UniqueForMonthValidator,
    UniqueForYearValidator,
    UniqueTogetherValidator,
    UniqueValidator,
)

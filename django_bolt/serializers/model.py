"""
``ModelSerializer``: a serializer whose fields, validators and ``create``/``update`` come from a Django model.

Building the fields from ``Meta`` is the expensive part of a DRF model serializer, and DRF redoes it for every
serializer instance. Here it is done once per class (a *template*); each instance gets cheap clones. A class
that overrides one of the field-building hooks (``get_fields``, ``build_field``, ``get_extra_kwargs``, ...)
may depend on instance state, so it builds per instance exactly like DRF.
"""

from __future__ import annotations

import copy
import traceback
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from django_bolt.fields import (
    BigIntegerField,
    BooleanField,
    CharField,
    ChoiceField,
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    EmailField,
    Field,
    FileField,
    FilePathField,
    FloatField,
    HStoreField,
    ImageField,
    IntegerField,
    IPAddressField,
    JSONField,
    ListField,
    ModelField,
    ReadOnlyField,
    SlugField,
    TimeField,
    URLField,
    UUIDField,
)
from django_bolt.relations import (
    HyperlinkedIdentityField,
    HyperlinkedRelatedField,
    PrimaryKeyRelatedField,
    SlugRelatedField,
)
from django_bolt.serializers import plans
from django_bolt.serializers.base import ALL_FIELDS, BaseSerializer, Serializer
from django_bolt.serializers.uniqueness import UniquenessMixin
from django_bolt.settings import api_settings
from django_bolt.utils import model_meta
from django_bolt.utils.field_mapping import (
    ClassLookupDict,
    get_field_kwargs,
    get_nested_relation_kwargs,
    get_relation_kwargs,
    get_url_kwargs,
    postgres_fields,
)

# Hooks whose override makes the field set possibly instance dependent (so no class-wide template).
FIELD_BUILDING_HOOKS = (
    "get_fields",
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
    "get_unique_together_constraints",
    "_get_model_fields",
)


def _nested_write_error(kind: str, method_name: str, serializer: Any) -> str:
    cls = type(serializer)
    return (
        f"The `.{method_name}()` method does not support writable {kind} fields by default.\nWrite an explicit "
        f"`.{method_name}()` method for serializer `{cls.__module__}.{cls.__name__}`, or set `read_only=True` on "
        f"{kind} serializer fields."
    )


def raise_errors_on_nested_writes(method_name: str, serializer: Any, validated_data: dict[str, Any]) -> None:
    """
    Refuse the default ``create``/``update`` when the data holds a writable nested serializer or a dotted
    source into a relation: how to save those (create? update? ignore?) is the application's decision.
    """
    relations = model_meta.get_field_info(serializer.Meta.model).relations

    def holds_nested(source: str) -> bool:
        return source in validated_data and source in relations and isinstance(validated_data[source], (list, dict))

    writable = list(serializer._writable_fields)
    assert not any(isinstance(field, BaseSerializer) and holds_nested(field.source) for field in writable), (
        _nested_write_error("nested", method_name, serializer)
    )
    assert not any(len(field.source_attrs) > 1 and holds_nested(field.source_attrs[0]) for field in writable), (
        _nested_write_error("dotted-source", method_name, serializer)
    )


class ModelSerializer(UniquenessMixin, Serializer):
    """
    A ``Serializer`` with fields generated from ``Meta.model``:

    * ``Meta.fields`` (a list, or ``"__all__"``) or ``Meta.exclude`` select the fields;
    * ``Meta.read_only_fields`` and ``Meta.extra_kwargs`` adjust the generated ones;
    * ``Meta.depth`` nests related objects (read-only) instead of primary keys;
    * ``Meta.validators`` replaces the unique-together/unique-for-date validators derived from the model;
    * ``create()``/``update()`` save through the model's default manager (many-to-many set after saving).

    Declared fields take precedence over generated ones. Async code uses ``await serializer.ais_valid()``,
    ``await serializer.asave()`` and ``await serializer.adata`` (see ``BaseSerializer``).
    """

    serializer_field_mapping: dict[type, type] = {
        models.AutoField: IntegerField,
        models.BigAutoField: BigIntegerField,
        models.BigIntegerField: BigIntegerField,
        models.BooleanField: BooleanField,
        models.CharField: CharField,
        models.CommaSeparatedIntegerField: CharField,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
        models.DecimalField: DecimalField,
        models.DurationField: DurationField,
        models.EmailField: EmailField,
        models.Field: ModelField,
        models.FileField: FileField,
        models.FloatField: FloatField,
        models.ImageField: ImageField,
        models.IntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.PositiveSmallIntegerField: IntegerField,
        models.SlugField: SlugField,
        models.SmallIntegerField: IntegerField,
        models.TextField: CharField,
        models.TimeField: TimeField,
        models.URLField: URLField,
        models.UUIDField: UUIDField,
        models.GenericIPAddressField: IPAddressField,
        models.FilePathField: FilePathField,
        models.JSONField: JSONField,
    }
    if hasattr(models, "NullBooleanField"):
        serializer_field_mapping[models.NullBooleanField] = BooleanField
    if postgres_fields is not None:
        serializer_field_mapping[postgres_fields.HStoreField] = HStoreField
        serializer_field_mapping[postgres_fields.ArrayField] = ListField
    serializer_related_field: type = PrimaryKeyRelatedField
    serializer_related_to_field: type = SlugRelatedField
    serializer_url_field: type = HyperlinkedIdentityField
    serializer_choice_field: type = ChoiceField

    # Name of the hyperlinked identity field; None means the URL_FIELD_NAME setting.
    url_field_name: str | None = None

    # Saving ---------------------------------------------------------------------------------------------

    def create(self, validated_data: dict[str, Any]) -> Any:
        """
        ``Model._default_manager.create(**validated_data)``, then set the many-to-many relations (they need a
        saved instance). Nested writes are refused; override this method to support them.
        """
        raise_errors_on_nested_writes("create", self, validated_data)
        model_class = self.Meta.model
        info = model_meta.get_field_info(model_class)
        many_to_many = {
            name: validated_data.pop(name)
            for name, relation in info.relations.items()
            if relation.to_many and name in validated_data
        }
        manager = model_class._default_manager
        try:
            instance = manager.create(**validated_data)
        except TypeError:
            raise TypeError(
                f"Got a `TypeError` when calling `{model_class.__name__}.{manager.name}.create()`. This may be "
                "because you have a writable field on the serializer class that is not a valid argument to "
                f"`{model_class.__name__}.{manager.name}.create()`. You may need to make the field read-only, or "
                f"override the {type(self).__name__}.create() method to handle this correctly.\n"
                f"Original exception was:\n {traceback.format_exc()}"
            )
        for name, value in many_to_many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        """Set each attribute, ``save()``, then set many-to-many relations. Nested writes are refused."""
        raise_errors_on_nested_writes("update", self, validated_data)
        relations = model_meta.get_field_info(instance).relations
        many_to_many = []
        for attr, value in validated_data.items():
            if attr in relations and relations[attr].to_many:
                many_to_many.append((attr, value))
            else:
                setattr(instance, attr, value)
        instance.save()
        # After save(): m2m signals may change the instance and must see it saved.
        for attr, value in many_to_many:
            getattr(instance, attr).set(value)
        return instance

    # Fields ---------------------------------------------------------------------------------------------

    @classmethod
    def _bolt_static_fields(cls) -> bool:
        static = cls.__dict__.get("_bolt_static")
        if static is None:
            static = all(
                getattr(cls, hook).__module__.startswith("django_bolt.serializers") for hook in FIELD_BUILDING_HOOKS
            )
            cls._bolt_static = static
        return static

    def get_fields(self) -> dict[str, Field]:
        """
        ``{field_name: field}`` for this instance: declared fields plus fields generated from the model
        (copies of a per-class template when the field-building hooks are not overridden).
        """
        if self.url_field_name is None:
            self.url_field_name = api_settings.URL_FIELD_NAME
        if type(self)._bolt_static_fields():
            template = _class_template(type(self))
            return {name: plans.clone_field(field) for name, field in template.items()}
        return self.build_fields()

    def build_fields(self) -> dict[str, Field]:
        """Generate the fields from ``Meta`` (what DRF's ``get_fields`` does for every instance)."""
        if self.url_field_name is None:
            self.url_field_name = api_settings.URL_FIELD_NAME
        name = type(self).__name__
        assert hasattr(self, "Meta"), f'Class {name} missing "Meta" attribute'
        assert hasattr(self.Meta, "model"), f'Class {name} missing "Meta.model" attribute'
        if model_meta.is_abstract_model(self.Meta.model):
            raise ValueError("Cannot use ModelSerializer with Abstract Models.")

        declared_fields = {key: plans.clone_field(field) for key, field in self._declared_fields.items()}
        model = self.Meta.model
        depth = getattr(self.Meta, "depth", 0)
        if depth is not None:
            assert depth >= 0, "'depth' may not be negative."
            assert depth <= 10, "'depth' may not be greater than 10."

        info = model_meta.get_field_info(model)
        field_names = self.get_field_names(declared_fields, info)
        extra_kwargs = self.get_extra_kwargs()
        extra_kwargs, hidden_fields = self.get_uniqueness_extra_kwargs(field_names, declared_fields, extra_kwargs)

        for field_name, field in declared_fields.items():
            relation = info.relations.get(field_name)
            if relation is not None and relation.to_many and field.default is None:
                # .set(None) would fail at save time.
                raise ValueError(
                    f"The field '{field_name}' on serializer '{name}' is a ManyToMany field and cannot have a "
                    "default value of None."
                )

        fields: dict[str, Field] = {}
        for field_name in field_names:
            if field_name in declared_fields:
                fields[field_name] = declared_fields[field_name]
                continue
            extra_field_kwargs = extra_kwargs.get(field_name, {})
            source = extra_field_kwargs.get("source", "*")
            if source == "*":
                source = field_name
            field_class, field_kwargs = self.build_field(source, info, model, depth)
            field_kwargs = self.include_extra_kwargs(field_kwargs, extra_field_kwargs)
            fields[field_name] = field_class(**field_kwargs)
        fields.update(hidden_fields)
        return fields

    def get_field_names(self, declared_fields: dict[str, Field], info: Any) -> list[str]:
        """
        The names of the fields to build: ``Meta.fields`` as given, or every default field minus
        ``Meta.exclude``.
        """
        fields = getattr(self.Meta, "fields", None)
        exclude = getattr(self.Meta, "exclude", None)
        name = type(self).__name__
        if fields and fields != ALL_FIELDS and not isinstance(fields, (list, tuple)):
            raise TypeError(f'The `fields` option must be a list or tuple or "__all__". Got {type(fields).__name__}.')
        if exclude and not isinstance(exclude, (list, tuple)):
            raise TypeError(f"The `exclude` option must be a list or tuple. Got {type(exclude).__name__}.")
        assert not (fields and exclude), f"Cannot set both 'fields' and 'exclude' options on serializer {name}."
        assert not (fields is None and exclude is None), (
            "Creating a ModelSerializer without either the 'fields' attribute or the 'exclude' attribute has "
            f"been deprecated since 3.3.0, and is now disallowed. Add an explicit fields = '__all__' to the "
            f"{name} serializer."
        )
        if fields == ALL_FIELDS:
            fields = None

        if fields is not None:
            # Fields declared on this class (not inherited ones) must be listed.
            required = set(declared_fields)
            for base in type(self).__bases__:
                required -= set(getattr(base, "_declared_fields", []))
            for field_name in required:
                assert field_name in fields, (
                    f"The field '{field_name}' was declared on serializer {name}, but has not been included in "
                    "the 'fields' option."
                )
            return fields

        fields = self.get_default_field_names(declared_fields, info)
        for field_name in exclude or ():
            assert field_name not in self._declared_fields, (
                f"Cannot both declare the field '{field_name}' and include it in the {name} 'exclude' option. "
                f"Remove the field or, if inherited from a parent serializer, disable with `{field_name} = None`."
            )
            assert field_name in fields, (
                f"The field '{field_name}' was included on serializer {name} in the 'exclude' option, but does not "
                "match any model field."
            )
            fields.remove(field_name)
        return fields

    def get_default_field_names(self, declared_fields: dict[str, Field], model_info: Any) -> list[str]:
        """Fields used when ``Meta.fields`` is ``"__all__"`` or absent: pk, declared, columns, forward relations."""
        return (
            [model_info.pk.name] + list(declared_fields) + list(model_info.fields) + list(model_info.forward_relations)
        )

    # Building one field ---------------------------------------------------------------------------------

    def build_field(self, field_name: str, info: Any, model_class: Any, nested_depth: int) -> tuple[type, dict]:
        """``(field_class, kwargs)`` for one generated field name."""
        if field_name in info.fields_and_pk:
            return self.build_standard_field(field_name, info.fields_and_pk[field_name])
        if field_name in info.relations:
            relation_info = info.relations[field_name]
            if not nested_depth:
                return self.build_relational_field(field_name, relation_info)
            return self.build_nested_field(field_name, relation_info, nested_depth)
        if hasattr(model_class, field_name):
            return self.build_property_field(field_name, model_class)
        if field_name == self.url_field_name:
            return self.build_url_field(field_name, model_class)
        return self.build_unknown_field(field_name, model_class)

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict]:
        """A plain model column, through ``serializer_field_mapping`` (choices → ``serializer_choice_field``)."""
        field_class = ClassLookupDict(self.serializer_field_mapping)[model_field]
        field_kwargs = get_field_kwargs(field_name, model_field)

        if model_field.one_to_one and model_field.primary_key:
            # A one-to-one primary key (e.g. multi-table inheritance) is a relation to the parent.
            field_class = self.serializer_related_field
            field_kwargs["queryset"] = model_field.related_model._default_manager
        if "choices" in field_kwargs:
            field_class = self.serializer_choice_field
            allowed = {
                "read_only", "write_only", "required", "default", "initial", "source", "label", "help_text",
                "style", "error_messages", "validators", "allow_null", "allow_blank", "choices",
            }  # fmt: skip
            field_kwargs = {key: value for key, value in field_kwargs.items() if key in allowed}
        if not issubclass(field_class, ModelField):
            field_kwargs.pop("model_field", None)
        if not issubclass(field_class, (CharField, ChoiceField)):
            field_kwargs.pop("allow_blank", None)
        if isinstance(model_field, models.JSONField):
            field_kwargs["encoder"] = getattr(model_field, "encoder", None)
            field_kwargs["decoder"] = getattr(model_field, "decoder", None)
        if postgres_fields is not None and isinstance(model_field, postgres_fields.ArrayField):
            child_class, child_kwargs = self.build_standard_field("child", model_field.base_field)
            field_kwargs["child"] = child_class(**child_kwargs)
        return field_class, field_kwargs

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[type, dict]:
        """A relation as ``serializer_related_field`` (pk), or a slug field when it targets a non-pk column."""
        field_class = self.serializer_related_field
        field_kwargs = get_relation_kwargs(field_name, relation_info)
        to_field = field_kwargs.pop("to_field", None)
        if (
            to_field
            and not relation_info.reverse
            and not relation_info.related_model._meta.get_field(to_field).primary_key
        ):
            field_kwargs["slug_field"] = to_field
            field_class = self.serializer_related_to_field
        if not issubclass(field_class, HyperlinkedRelatedField):
            field_kwargs.pop("view_name", None)
        return field_class, field_kwargs

    def build_nested_field(self, field_name: str, relation_info: Any, nested_depth: int) -> tuple[type, dict]:
        """A read-only nested ``ModelSerializer`` of the related model, one ``depth`` level down."""

        class NestedSerializer(ModelSerializer):
            class Meta:
                model = relation_info.related_model
                depth = nested_depth - 1
                fields = "__all__"

        return NestedSerializer, get_nested_relation_kwargs(relation_info)

    def build_property_field(self, field_name: str, model_class: Any) -> tuple[type, dict]:
        """A model property or method: read-only, output as is."""
        return ReadOnlyField, {}

    def build_url_field(self, field_name: str, model_class: Any) -> tuple[type, dict]:
        """The object's own URL (``serializer_url_field``)."""
        return self.serializer_url_field, get_url_kwargs(model_class)

    def build_unknown_field(self, field_name: str, model_class: Any) -> tuple[type, dict]:
        cls = type(self)
        raise ImproperlyConfigured(
            f"Field name `{field_name}` is not valid for model `{model_class.__name__}` in "
            f"`{cls.__module__}.{cls.__name__}`."
        )

    def include_extra_kwargs(self, kwargs: dict[str, Any], extra_kwargs: dict[str, Any]) -> dict[str, Any]:
        """Merge ``Meta.extra_kwargs`` for one field, dropping generated options they make invalid."""
        if extra_kwargs.get("read_only", False):
            for option in (
                "required", "default", "allow_blank", "min_length", "max_length", "min_value", "max_value",
                "validators", "queryset",
            ):  # fmt: skip
                kwargs.pop(option, None)
        if extra_kwargs.get("default") and kwargs.get("required") is False:
            kwargs.pop("required")
        if extra_kwargs.get("read_only", kwargs.get("read_only", False)):
            extra_kwargs.pop("required", None)  # a read-only field never takes `required`
        kwargs.update(extra_kwargs)
        return kwargs

    def get_extra_kwargs(self) -> dict[str, dict[str, Any]]:
        """``Meta.extra_kwargs`` (copied) with ``Meta.read_only_fields`` folded in."""
        extra_kwargs = copy.deepcopy(getattr(self.Meta, "extra_kwargs", {}))
        read_only_fields = getattr(self.Meta, "read_only_fields", None)
        if read_only_fields is not None:
            if not isinstance(read_only_fields, (list, tuple)):
                raise TypeError(
                    f"The `read_only_fields` option must be a list or tuple. Got {type(read_only_fields).__name__}."
                )
            for field_name in read_only_fields:
                extra_kwargs.setdefault(field_name, {})["read_only"] = True
        else:
            # Django admin spells it `readonly_fields`; catch the likely typo.
            cls = type(self)
            assert not hasattr(self.Meta, "readonly_fields"), (
                f"Serializer `{cls.__module__}.{cls.__name__}` has field `readonly_fields`; the correct spelling "
                "for the option is `read_only_fields`."
            )
        return extra_kwargs


def _class_template(cls: type) -> dict[str, Field]:
    """The unbound fields ``build_fields()`` gives for ``cls``, built once per class (and settings change)."""
    generation = plans.compile._generation
    entry = cls.__dict__.get("_bolt_fields_template")
    if entry is not None and entry[0] == generation:
        return entry[1]
    proto = plans.compile._prototype(cls)
    template = proto.build_fields()
    cls._bolt_fields_template = (generation, template)
    return template


class HyperlinkedModelSerializer(ModelSerializer):
    """
    A ``ModelSerializer`` that links instead of using primary keys: a ``url`` field (``URL_FIELD_NAME``)
    replaces ``id``, and relations are ``HyperlinkedRelatedField``s. Needs ``request`` in the context for
    absolute URLs, like DRF.
    """

    serializer_related_field = HyperlinkedRelatedField

    def get_default_field_names(self, declared_fields: dict[str, Field], model_info: Any) -> list[str]:
        return (
            [self.url_field_name] + list(declared_fields) + list(model_info.fields) + list(model_info.forward_relations)
        )

    def build_nested_field(self, field_name: str, relation_info: Any, nested_depth: int) -> tuple[type, dict]:
        class NestedSerializer(HyperlinkedModelSerializer):
            class Meta:
                model = relation_info.related_model
                depth = nested_depth - 1
                fields = "__all__"

        return NestedSerializer, get_nested_relation_kwargs(relation_info)

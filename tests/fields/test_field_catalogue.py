"""Every field class: same error messages, defaults and repr as DRF's class of the same name."""

import pytest
from django.db.models import Manager
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations

from django_bolt import fields as bolt_fields
from django_bolt import relations as bolt_relations
from tests.app.models import Item

# (class name, module, kwargs)
CATALOGUE = [
    ("BooleanField", "fields", {}),
    ("CharField", "fields", {"max_length": 3, "min_length": 1, "allow_blank": True, "trim_whitespace": False}),
    ("EmailField", "fields", {}),
    ("RegexField", "fields", {"regex": "^a$"}),
    ("SlugField", "fields", {"allow_unicode": True}),
    ("URLField", "fields", {}),
    ("UUIDField", "fields", {"format": "hex"}),
    ("IPAddressField", "fields", {"protocol": "ipv4"}),
    ("IntegerField", "fields", {"max_value": 3, "min_value": 1}),
    ("BigIntegerField", "fields", {"coerce_to_string": True}),
    ("FloatField", "fields", {"max_value": 3.5}),
    ("DecimalField", "fields", {"max_digits": 5, "decimal_places": 2, "coerce_to_string": False}),
    ("DateTimeField", "fields", {"format": "%Y", "input_formats": ["%Y"]}),
    ("DateField", "fields", {}),
    ("TimeField", "fields", {}),
    ("DurationField", "fields", {"format": "iso-8601"}),
    ("ChoiceField", "fields", {"choices": [1, 2], "allow_blank": True}),
    ("MultipleChoiceField", "fields", {"choices": [1, 2], "allow_empty": False}),
    ("FileField", "fields", {"max_length": 9, "use_url": False}),
    ("ImageField", "fields", {}),
    ("ListField", "fields", {"min_length": 1, "max_length": 3}),
    ("DictField", "fields", {"allow_empty": False}),
    ("HStoreField", "fields", {}),
    ("JSONField", "fields", {"binary": True}),
    ("ReadOnlyField", "fields", {}),
    ("HiddenField", "fields", {"default": 1}),
    ("SerializerMethodField", "fields", {"method_name": "get_x"}),
    ("ModelField", "fields", {"model_field": Item._meta.get_field("name"), "max_length": 100}),
    ("PrimaryKeyRelatedField", "relations", {"queryset": Item.objects}),
    ("SlugRelatedField", "relations", {"slug_field": "name", "queryset": Item.objects}),
    ("StringRelatedField", "relations", {}),
    ("HyperlinkedRelatedField", "relations", {"view_name": "item-detail", "read_only": True}),
    ("HyperlinkedIdentityField", "relations", {"view_name": "item-detail"}),
    ("PrimaryKeyRelatedField", "relations", {"queryset": Item.objects, "many": True}),
]

MODULES = {
    "bolt": {"fields": bolt_fields, "relations": bolt_relations},
    "drf": {"fields": drf_fields, "relations": drf_relations},
}
ATTRIBUTES = (
    "read_only",
    "write_only",
    "required",
    "allow_null",
    "initial",
    "default_empty_html",
    "style",
    "label",
    "help_text",
)


def make(impl, name, module, kwargs):
    return getattr(MODULES[impl][module], name)(**kwargs)


def describe(value):
    """Compare values across implementations by class name and text, not identity."""
    if isinstance(value, type):
        return value.__name__
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value if not isinstance(value, str) else str(value)
    if isinstance(value, Manager):
        return "manager"
    return type(value).__name__


@pytest.mark.parametrize("name,module,kwargs", CATALOGUE, ids=[f"{c[0]}-{i}" for i, c in enumerate(CATALOGUE)])
def test_same_as_drf(name, module, kwargs):
    ours, theirs = make("bolt", name, module, kwargs), make("drf", name, module, kwargs)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)
    messages = {key: str(value) for key, value in ours.error_messages.items()}
    assert messages == {key: str(value) for key, value in theirs.error_messages.items()}
    for attr in ATTRIBUTES:
        assert describe(getattr(ours, attr)) == describe(getattr(theirs, attr)), attr
    assert [type(v).__name__ for v in ours.validators] == [type(v).__name__ for v in theirs.validators]
    for attr in ("max_length", "min_length", "max_value", "min_value", "allow_blank", "allow_empty", "source"):
        assert describe(getattr(ours, attr, "-")) == describe(getattr(theirs, attr, "-")), attr


@pytest.mark.parametrize("name,module,kwargs", CATALOGUE, ids=[f"{c[0]}-{i}" for i, c in enumerate(CATALOGUE)])
def test_deepcopy_keeps_declaration(name, module, kwargs):
    import copy

    field = make("bolt", name, module, kwargs)
    clone = copy.deepcopy(field)
    assert type(clone) is type(field) and clone is not field
    assert repr(clone) == repr(field)

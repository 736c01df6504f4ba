"""Per-instance fields without deep copies: isolation of cloned fields, sub-fields and nested serializers."""

import decimal

import pytest

from django_bolt import fields, serializers
from django_bolt.serializers import plans as _plan
from tests.app.models import Item


class Tags(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False)
    choice = serializers.ChoiceField(choices=["a", "b"], required=False)


class Wrapper(serializers.Serializer):
    inner = Tags(many=True, required=False)
    one = Tags(required=False)


def test_sub_fields_are_cloned_and_reparented():
    first, second = Tags(), Tags()
    a, b = first.fields["tags"], second.fields["tags"]
    assert a is not b and a.child is not b.child
    assert a.child.parent is a and b.child.parent is b
    assert a.root is first and a.child.root is first
    a.child.max_length = 1
    a.child.validators.clear()
    assert Tags(data={"tags": ["abc"]}).is_valid()
    assert b.child.max_length == 3 and len(b.child.validators) > 0
    first.fields["choice"].choices = ["z"]
    assert list(second.fields["choice"].choices) == ["a", "b"]


def test_nested_serializers_are_cloned_with_their_own_state():
    first, second = Wrapper(context={"who": 1}), Wrapper(context={"who": 2})
    assert first.fields["inner"] is not second.fields["inner"]
    assert first.fields["inner"].child is not second.fields["inner"].child
    assert first.fields["inner"].child.context == {"who": 1}
    assert second.fields["one"].fields["tags"].context == {"who": 2}
    first.fields["one"].fields.pop("tags")
    assert "tags" in second.fields["one"].fields


def test_declared_templates_stay_unbound():
    Wrapper().fields  # noqa: B018
    template = Wrapper._declared_fields["one"]
    assert template.parent is None and template.field_name is None
    assert "fields" not in template.__dict__


def test_validation_through_cloned_nested_fields():
    serializer = Wrapper(data={"inner": [{"tags": ["abcd"]}], "one": {"scores": {"x": "y"}}})
    assert not serializer.is_valid()
    assert serializer.errors == {
        "inner": {0: {"tags": {0: ["Ensure this field has no more than 3 characters."]}}},
        "one": {"scores": {"x": ["A valid integer is required."]}},
    }


@pytest.mark.django_db
def test_no_deep_copies_per_serializer_instance(monkeypatch):
    class ItemSerializer(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"
            extra_kwargs = {"name": {"min_length": 1}}

    Item.objects.create(name="a", price=decimal.Decimal("1"))
    ItemSerializer().fields  # noqa: B018 - builds the class template (which may copy Meta.extra_kwargs)

    def refuse(self, memo):
        raise AssertionError("deep copy on the hot path")

    monkeypatch.setattr(fields.Field, "__deepcopy__", refuse)
    assert ItemSerializer(Item.objects.all(), many=True).data[0]["name"] == "a"
    assert ItemSerializer(Item.objects.first()).json_bytes().startswith(b'{"id":')
    serializer = ItemSerializer(data={"name": "b", "price": "2"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.save().name == "b"


def test_clone_of_none_and_plain_fields():
    assert _plan.clone_field(None) is None
    field = serializers.IntegerField(max_value=3, error_messages={"invalid": "no"})
    copy = _plan.clone_field(field)
    assert copy is not field and copy.max_value == 3 and copy.error_messages["invalid"] == "no"
    copy.error_messages["invalid"] = "changed"
    assert field.error_messages["invalid"] == "no"
    assert repr(copy) == repr(field)

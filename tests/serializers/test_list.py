"""ListSerializer / many=True: construction, DRF 3.18 error shapes, save, customization."""

import warnings

import pytest
from django.test import override_settings

from django_bolt import serializers
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList
from tests.serializers.twins import assert_same_data, assert_same_validation, pairs, twins


def make_item(s):
    class Entry(s.Serializer):
        name = s.CharField(max_length=3)
        n = s.IntegerField()

        def validate(self, attrs):
            if attrs["n"] == 7:
                raise s.ValidationError("no sevens")
            return attrs

    return Entry


ENTRY = twins(make_item)


@pytest.mark.parametrize(
    "data, kwargs",
    [
        ([{"name": "ab", "n": 1}, {"name": "cd", "n": "2"}], {}),
        ([{"name": "ab", "n": 1}, {"name": "", "n": "x"}, {"name": "abcd", "n": 2}, {"name": "ok", "n": 7}], {}),
        ([1, "a", None, {"name": "a", "n": 1}], {}),
        ({"name": "a"}, {}),
        ("abc", {}),
        (None, {}),
        ([], {"allow_empty": False}),
        ([{"name": "a", "n": 1}], {"min_length": 2}),
        ([{"name": "a", "n": 1}] * 3, {"max_length": 2}),
        ([{"name": "a", "n": 1}] * 2, {"min_length": 2, "max_length": 2}),
    ],
)
def test_many_validation_matches_drf(data, kwargs):
    expected, actual = assert_same_validation(ENTRY, data, many=True, **kwargs)
    if isinstance(expected.errors, dict) and expected.errors and isinstance(next(iter(expected.errors)), int):
        # DRF 3.18: failing items only, keyed by their (int) index.
        assert list(actual.errors) == list(expected.errors)


def test_errors_keyed_by_index_only_for_failing_items():
    serializer = ENTRY[1](data=[{"name": "ab", "n": 1}, {"name": "", "n": 1}, {"name": "ok", "n": 7}], many=True)
    assert not serializer.is_valid()
    assert isinstance(serializer.errors, ReturnDict)
    assert pairs(serializer.errors) == {
        1: {"name": [("This field may not be blank.", "blank")]},
        2: {"non_field_errors": [("no sevens", "invalid")]},
    }
    assert serializer.validated_data == []


@override_settings(REST_FRAMEWORK={"LIST_SERIALIZER_ERRORS_AS_DICT": False})
def test_legacy_list_error_format():
    data = [{"name": "ab", "n": 1}, {"name": "", "n": 1}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected, actual = assert_same_validation(ENTRY, data, many=True)
    assert isinstance(actual.errors, ReturnList)
    assert pairs(actual.errors) == [{}, {"name": [("This field may not be blank.", "blank")]}]


def test_many_returns_list_serializer_with_child():
    serializer = ENTRY[1](many=True, allow_empty=False, max_length=3, context={"a": 1}, partial=True)
    assert isinstance(serializer, serializers.ListSerializer)
    assert isinstance(serializer.child, ENTRY[1])
    assert serializer.child.parent is serializer and serializer.child.field_name == ""
    assert serializer.allow_empty is False and serializer.max_length == 3
    assert serializer.context == {"a": 1} and serializer.child.context == {"a": 1}
    assert serializer.partial is True and serializer.child.partial is True


def test_data_is_return_list_with_backlink():
    serializer = ENTRY[1]([{"name": "a", "n": 1}], many=True)
    assert isinstance(serializer.data, ReturnList)
    assert serializer.data.serializer is serializer
    assert serializer.data == [{"name": "a", "n": 1}]


def test_representation_matches_drf():
    assert_same_data(ENTRY, [{"name": "a", "n": 1}, {"name": "b", "n": 2}], many=True)
    assert_same_data(ENTRY, [], many=True)


def test_list_serializer_class_and_many_init():
    class Upper(serializers.ListSerializer):
        def to_representation(self, data):
            return [{**item, "name": item["name"].upper()} for item in super().to_representation(data)]

        def update(self, instance, validated_data):
            return [{**old, **new} for old, new in zip(instance, validated_data, strict=True)]

    class Row(serializers.Serializer):
        name = serializers.CharField()

        class Meta:
            list_serializer_class = Upper

    serializer = Row([{"name": "a"}], many=True)
    assert type(serializer) is Upper
    assert serializer.data == [{"name": "A"}]
    updating = Row([{"name": "a", "id": 1}], data=[{"name": "b"}], many=True)
    assert updating.is_valid()
    assert updating.save() == [{"name": "b", "id": 1}]

    class Custom(serializers.Serializer):
        name = serializers.CharField()

        @classmethod
        def many_init(cls, *args, **kwargs):
            kwargs["child"] = cls()
            return Upper(*args, **kwargs)

    assert type(Custom(many=True)) is Upper


def test_save_creates_each_item_with_kwargs():
    class Row(serializers.Serializer):
        name = serializers.CharField()

        def create(self, validated_data):
            return ("created", validated_data)

    serializer = Row(data=[{"name": "a"}, {"name": "b"}], many=True)
    assert serializer.is_valid()
    assert serializer.save(owner=1) == [("created", {"name": "a", "owner": 1}), ("created", {"name": "b", "owner": 1})]
    with pytest.raises(AssertionError, match="commit"):
        serializer.save(commit=True)


def test_update_is_not_supported_by_default():
    serializer = ENTRY[1]([{"name": "a", "n": 1}], data=[{"name": "b", "n": 2}], many=True)
    assert serializer.is_valid()
    with pytest.raises(NotImplementedError, match="multiple update"):
        serializer.save()


def test_run_child_validation_override():
    class Row(serializers.Serializer):
        name = serializers.CharField()

        def validate_name(self, value):
            return f"{value}:{self.instance}"

    class PerItem(serializers.ListSerializer):
        def run_child_validation(self, data):
            self.child.instance = data["name"].upper()
            return super().run_child_validation(data)

    serializer = PerItem(child=Row(), data=[{"name": "a"}, {"name": "b"}])
    assert serializer.is_valid()
    assert serializer.validated_data == [{"name": "a:A"}, {"name": "b:B"}]


def test_list_level_validate_and_validators():
    def make(s):
        class Rows(s.ListSerializer):
            def validate(self, attrs):
                if len(attrs) == 2:
                    raise s.ValidationError("two is a crowd")
                return attrs

        class Row(s.Serializer):
            n = s.IntegerField()

        return lambda **kw: Rows(child=Row(), **kw)

    drf_make, bolt_make = twins(make)
    expected, actual = drf_make(data=[{"n": 1}, {"n": 2}]), bolt_make(data=[{"n": 1}, {"n": 2}])
    assert expected.is_valid() is actual.is_valid() is False
    assert pairs(actual.errors) == pairs(expected.errors) == {"non_field_errors": [("two is a crowd", "invalid")]}


def test_nested_many_field_errors_inside_parent():
    def make(s):
        class Child(s.Serializer):
            n = s.IntegerField()

        class Parent(s.Serializer):
            children = Child(many=True, allow_empty=False)

        return Parent

    pair = twins(make)
    assert_same_validation(pair, {"children": [{"n": 1}, {"n": "x"}]})
    assert_same_validation(pair, {"children": []})
    assert_same_validation(pair, {"children": None})
    assert_same_validation(pair, {})


def test_repr():
    assert repr(ENTRY[1](many=True)).startswith("Entry(many=True):")


def test_empty_list_serializer_json_bytes():
    assert ENTRY[1](many=True).json_bytes() == b"[]"
    assert ENTRY[1](many=True).data == []


@pytest.mark.django_db
def test_json_bytes_follows_customised_list_and_data():
    import decimal

    from tests.app.models import Item
    from tests.serializers.twins import rendered

    Item.objects.create(name="a", price=decimal.Decimal("1"))

    class Upper(serializers.ListSerializer):
        def to_representation(self, data):
            return [{**row, "name": row["name"].upper()} for row in super().to_representation(data)]

    class Row(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = ["name", "price"]
            list_serializer_class = Upper

    class Wrapped(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = ["name"]

        @property
        def data(self):
            return {"wrapped": super().data}

    many = Row(Item.objects.all(), many=True)
    assert many.json_bytes() == rendered([{"name": "A", "price": "1.00"}])
    one = Wrapped(Item.objects.first())
    assert one.json_bytes() == rendered({"wrapped": {"name": "a"}})

"""Serializer (declared fields): validation, errors, representation, nesting, field isolation — against DRF."""

import decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings

from django_bolt import serializers
from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.utils.serializer_helpers import ReturnDict
from tests.serializers.twins import assert_same_data, assert_same_validation, pairs, plain, twins


def make_person(s):
    class Person(s.Serializer):
        name = s.CharField(max_length=10)
        age = s.IntegerField(min_value=0, required=False)
        email = s.EmailField(allow_blank=True, default="")
        score = s.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)

        def validate_name(self, value):
            if value == "root":
                raise s.ValidationError("reserved", code="reserved")
            return value.title()

        def validate(self, attrs):
            if attrs.get("age") == 13:
                raise s.ValidationError("unlucky")
            if attrs.get("age") == 99:
                raise s.ValidationError({"age": "too old"}, code="old")
            if attrs.get("age") == 98:
                raise DjangoValidationError("django says no", code="django")
            return attrs

    return Person


PERSON = twins(make_person)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "ann", "age": 3, "email": "a@example.com", "score": "1.5"},
        {"name": "ann"},
        {},
        {"name": "", "age": -1, "email": "nope", "score": "1.234"},
        {"name": "x" * 11, "age": "abc", "score": "abc"},
        {"name": "root"},
        {"name": None, "age": None, "score": None},
        {"name": "bob", "age": 13},
        {"name": "bob", "age": 99},
        {"name": "bob", "age": 98},
        [1, 2],
        "text",
        None,
    ],
)
def test_validation_matches_drf(data):
    assert_same_validation(PERSON, data)


def test_errors_are_return_dicts_with_backlink_and_codes():
    serializer = PERSON[1](data={"age": "x"})
    assert not serializer.is_valid()
    assert isinstance(serializer.errors, ReturnDict)
    assert serializer.errors.serializer is serializer
    assert serializer.errors["name"][0].code == "required"
    assert serializer.errors["age"] == [ErrorDetail("A valid integer is required.", code="invalid")]


def test_no_data_provided():
    serializer = PERSON[1](data=None)
    assert not serializer.is_valid()
    assert pairs(serializer.errors) == {"non_field_errors": [("No data provided", "null")]}


@override_settings(REST_FRAMEWORK={"NON_FIELD_ERRORS_KEY": "__all__"})
def test_non_field_errors_key_setting():
    expected, actual = assert_same_validation(PERSON, {"name": "bob", "age": 13})
    assert list(actual.errors) == ["__all__"]


@override_settings(BOLT={"NON_FIELD_ERRORS_KEY": "errors"})
def test_non_field_errors_key_from_bolt_settings():
    serializer = PERSON[1](data="nope")
    assert not serializer.is_valid()
    assert list(serializer.errors) == ["errors"]


def test_raise_exception():
    serializer = PERSON[1](data={})
    with pytest.raises(ValidationError) as info:
        serializer.is_valid(raise_exception=True)
    assert pairs(info.value.detail) == {"name": [("This field is required.", "required")]}
    assert info.value.status_code == 400


def test_validated_data_and_data_after_validation():
    expected, actual = assert_same_validation(PERSON, {"name": "ann", "score": "2"})
    assert actual.validated_data == {"name": "Ann", "email": "", "score": decimal.Decimal("2.00")}
    assert plain(actual.data) == plain(expected.data) == {"name": "Ann", "email": "", "score": "2.00"}


def test_data_of_invalid_serializer_is_the_input():
    expected, actual = assert_same_validation(PERSON, {"name": "", "age": "x", "extra": 1})
    assert plain(actual.data) == plain(expected.data) == {"name": "", "age": "x"}


def test_representation_of_objects_and_dicts():
    obj = SimpleNamespace(name="ann", age=4, email="a@b.c", score=decimal.Decimal("1.5"))
    assert assert_same_data(PERSON, obj) == {"name": "ann", "age": 4, "email": "a@b.c", "score": "1.50"}
    assert_same_data(PERSON, {"name": "bob", "age": None, "email": "", "score": None})


def test_missing_attribute_of_optional_field_is_skipped_and_required_one_fails():
    # age (required=False) missing is left out; name (required) missing is an error with DRF's message.
    assert_same_data(PERSON, {"name": "x", "email": ""})
    with pytest.raises(KeyError) as info:
        PERSON[1]({"email": ""}).data  # noqa: B018
    assert "Got KeyError when attempting to get a value for field `name` on serializer `Person`" in str(info.value)


def test_usage_assertions():
    with pytest.raises(AssertionError, match="is_valid"):
        PERSON[1](data={}).data  # noqa: B018
    with pytest.raises(AssertionError, match="is_valid"):
        PERSON[1](data={}).errors  # noqa: B018
    with pytest.raises(AssertionError, match="is_valid"):
        PERSON[1](data={}).validated_data  # noqa: B018
    with pytest.raises(AssertionError, match="data="):
        PERSON[1]().is_valid()
    with pytest.raises(AssertionError, match="is_valid"):
        PERSON[1](data={}).save()


def make_nested(s):
    class Address(s.Serializer):
        city = s.CharField()
        zip = s.RegexField(r"^\d{5}$")

    class Tag(s.Serializer):
        label = s.CharField(max_length=5)

    class Order(s.Serializer):
        ref = s.CharField()
        address = Address()
        billing = Address(required=False, allow_null=True)
        tags = Tag(many=True, required=False)
        flat = Address(source="*", required=False)
        note = s.CharField(source="meta.note", required=False)

    return Order


ORDER = twins(make_nested)


@pytest.mark.parametrize(
    "data",
    [
        {"ref": "a", "address": {"city": "Paris", "zip": "75001"}, "tags": [{"label": "x"}], "note": "hi"},
        {"ref": "a", "address": {"city": "", "zip": "1"}, "tags": [{"label": "ok"}, {"label": "toolong"}, {}]},
        {"ref": "a", "address": "oops", "billing": None, "tags": "nope"},
        {"ref": "a", "address": None, "billing": {"city": "x"}},
        {"ref": "a", "address": {"city": "P", "zip": "75001"}, "flat": {}},
        {"ref": "a", "address": {"city": "P", "zip": "75001"}, "city": "Lyon", "zip": "69001"},
    ],
)
def test_nested_validation_matches_drf(data):
    assert_same_validation(ORDER, data)


def test_nested_representation_matches_drf():
    obj = {
        "ref": "r1",
        "address": {"city": "Paris", "zip": "75001"},
        "billing": None,
        "tags": [{"label": "a"}, {"label": "b"}],
        "city": "Lyon",
        "zip": "69001",
        "meta": {"note": "n"},
    }
    assert assert_same_data(ORDER, obj) == {
        "ref": "r1",
        "address": {"city": "Paris", "zip": "75001"},
        "billing": None,
        "tags": [{"label": "a"}, {"label": "b"}],
        "flat": {"city": "Lyon", "zip": "69001"},
        "note": "n",
    }


def test_partial_update_skips_missing_fields():
    instance = {"name": "ann", "age": 1}
    expected, actual = assert_same_validation(PERSON, {"age": 5}, partial=True)
    assert actual.validated_data == {"age": 5}
    assert_same_validation(PERSON, {"age": "x"}, partial=True)
    assert PERSON[1](instance, data={}, partial=True).is_valid()


def test_read_only_defaults_reach_validators_but_not_validated_data():
    seen = []

    def make(s):
        def check(attrs):
            seen.append(dict(attrs))

        class S(s.Serializer):
            owner = s.CharField(read_only=True, default="me")
            title = s.CharField()

            class Meta:
                validators = [check]

        return S

    assert_same_validation(twins(make), {"title": "t"})
    assert seen == [{"owner": "me", "title": "t"}, {"owner": "me", "title": "t"}]


def test_serializer_level_validator_errors_become_non_field_errors():
    def make(s):
        def fail(attrs):
            raise s.ValidationError("bad pair", code="pair")

        class S(s.Serializer):
            a = s.IntegerField()

            class Meta:
                validators = [fail]

        return S

    expected, actual = assert_same_validation(twins(make), {"a": 1})
    assert pairs(actual.errors) == {"non_field_errors": [("bad pair", "pair")]}


def test_fields_are_per_instance_copies():
    first, second = PERSON[1](), PERSON[1]()
    assert first.fields["name"] is not second.fields["name"]
    first.fields["name"].required = False
    first.fields["age"].validators.append(lambda value: None)
    first.fields["name"].error_messages["required"] = "changed"
    assert second.fields["name"].required is True
    assert len(second.fields["age"].validators) == len(PERSON[1]().fields["age"].validators)
    assert second.fields["name"].error_messages["required"] == "This field is required."
    assert first.fields["name"].parent is first and first.fields["name"].root is first


def test_per_instance_field_changes_are_honoured_when_reading_and_validating():
    class Dynamic(PERSON[1]):
        def __init__(self, *args, hide=(), **kwargs):
            super().__init__(*args, **kwargs)
            for name in hide:
                self.fields.pop(name)

    obj = {"name": "a", "age": 1, "email": "", "score": None}
    assert Dynamic(obj, hide=["age", "score"]).data == {"name": "a", "email": ""}
    assert Dynamic(obj).data == {"name": "a", "age": 1, "email": "", "score": None}
    serializer = Dynamic(data={}, hide=["name"])
    assert serializer.is_valid(), serializer.errors


def test_get_fields_override_and_field_removal_by_none():
    def make(s):
        class Base(s.Serializer):
            a = s.CharField()
            b = s.CharField()

        class Child(Base):
            b = None
            c = s.IntegerField()

            def get_fields(self):
                fields = super().get_fields()
                fields["extra"] = s.SerializerMethodField()
                return fields

            def get_extra(self, obj):
                return self.context.get("who")

        return Child

    pair = twins(make)
    assert list(pair[1]().fields) == list(pair[0]().fields) == ["a", "c", "extra"]
    assert_same_data(pair, {"a": "x", "c": 3}, context={"who": "me"})


def test_declared_field_order_with_inheritance():
    def make(s):
        class A(s.Serializer):
            one = s.CharField()
            two = s.CharField()

        class B(s.Serializer):
            two = s.IntegerField()
            three = s.CharField()

        class C(A, B):
            four = s.CharField()
            one = s.IntegerField()

        return C

    drf_cls, bolt_cls = twins(make)
    assert list(bolt_cls._declared_fields) == list(drf_cls._declared_fields)
    assert [type(f).__name__ for f in bolt_cls().fields.values()] == [
        type(f).__name__ for f in drf_cls().fields.values()
    ]


def test_method_and_context_fields():
    def make(s):
        class S(s.Serializer):
            name = s.CharField()
            shout = s.SerializerMethodField()
            upper = s.SerializerMethodField(method_name="make_upper")

            def get_shout(self, obj):
                return obj["name"] + self.context["mark"]

            def make_upper(self, obj):
                return obj["name"].upper()

        return S

    assert assert_same_data(twins(make), {"name": "hi"}, context={"mark": "!"}) == {
        "name": "hi",
        "shout": "hi!",
        "upper": "HI",
    }


def test_bound_fields_and_repr():
    serializer = ORDER[1](data={"ref": "", "address": {"city": "x"}})
    serializer.is_valid()
    bound = serializer["address"]
    assert type(bound).__name__ == "NestedBoundField"
    assert bound["zip"].errors == ["This field is required."]
    assert [f.name for f in serializer][:2] == ["ref", "address"]
    assert repr(PERSON[1]()).startswith("Person():\n    name = CharField(max_length=10)")


def test_custom_base_serializer():
    def make(s):
        class Point(s.BaseSerializer):
            def to_representation(self, instance):
                return {"x": instance[0], "y": instance[1]}

            def to_internal_value(self, data):
                try:
                    return {"x": int(data["x"]), "y": int(data["y"])}
                except (KeyError, ValueError, TypeError):
                    raise s.ValidationError({"x": "bad point"})

            def create(self, validated_data):
                return [validated_data["x"], validated_data["y"], validated_data.get("z")]

        return Point

    drf_cls, bolt_cls = twins(make)
    assert bolt_cls((1, 2)).data == drf_cls((1, 2)).data == {"x": 1, "y": 2}
    good, bad = bolt_cls(data={"x": "3", "y": 4}), bolt_cls(data={"x": "a"})
    assert good.is_valid() and good.save(z=5) == [3, 4, 5]
    drf_bad = drf_cls(data={"x": "a"})
    assert not bad.is_valid() and not drf_bad.is_valid()
    assert pairs(bad.errors) == pairs(drf_bad.errors) == {"x": ("bad point", "invalid")}
    many = bolt_cls([(1, 2), (3, 4)], many=True)
    assert many.data == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]


def test_initial_values_without_data():
    assert PERSON[1]().data == PERSON[0]().data == {"name": "", "age": None, "email": "", "score": None}


def test_save_passes_kwargs_and_checks_return_value():
    class Saver(serializers.Serializer):
        name = serializers.CharField()

        def create(self, validated_data):
            return dict(validated_data, created=True)

        def update(self, instance, validated_data):
            instance.update(validated_data)
            return instance

    serializer = Saver(data={"name": "a"})
    assert serializer.is_valid()
    assert serializer.save(owner="me") == {"name": "a", "owner": "me", "created": True}
    existing = {"name": "old"}
    serializer = Saver(existing, data={"name": "new"})
    serializer.is_valid()
    assert serializer.save() is existing and existing == {"name": "new"}
    with pytest.raises(AssertionError, match="commit"):
        serializer.save(commit=False)
    serializer = Saver(data={"name": "a"})
    serializer.is_valid()
    serializer.data  # noqa: B018
    with pytest.raises(AssertionError, match="after accessing `serializer.data`"):
        serializer.save()

    class NoReturn(Saver):
        def create(self, validated_data):
            return None

    serializer = NoReturn(data={"name": "a"})
    serializer.is_valid()
    with pytest.raises(AssertionError, match="did not return an object instance"):
        serializer.save()


def test_invalid_save_is_refused():
    serializer = PERSON[1](data={})
    serializer.is_valid()
    with pytest.raises(AssertionError, match="invalid data"):
        serializer.save()


def test_to_representation_override_and_super():
    def make(s):
        class S(s.Serializer):
            a = s.IntegerField()

            def to_representation(self, instance):
                data = super().to_representation(instance)
                data["double"] = data["a"] * 2
                return data

        return S

    assert assert_same_data(twins(make), {"a": 2}) == {"a": 2, "double": 4}
    assert assert_same_data(twins(make), [{"a": 1}, {"a": 3}], many=True) == [
        {"a": 1, "double": 2},
        {"a": 3, "double": 6},
    ]

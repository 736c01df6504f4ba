"""ModelSerializer against DRF: generated fields, validation, uniqueness, create/update (DB rows), depth."""

import decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from django_bolt import serializers
from tests.app.models import Item
from tests.serializers.twins import assert_same_data, assert_same_validation, pairs, plain, run_both, twins

pytestmark = pytest.mark.django_db


def model_serializer(model, **meta):
    def make(s):
        attrs = {"Meta": type("Meta", (), {"model": model, **meta})}
        return type(f"{model.__name__}Serializer", (s.ModelSerializer,), attrs)

    return twins(make)


ITEM = model_serializer(Item, fields="__all__")
USER = model_serializer(User, fields=["id", "username", "email", "is_staff", "groups", "date_joined"])
PERMISSION = model_serializer(Permission, fields="__all__")


def field_summary(serializer):
    """What a generated field is: class, options and validator classes, comparable across implementations."""
    summary = {}
    for name, field in serializer.fields.items():
        options = {
            key: getattr(field, key, None)
            for key in (
                "read_only", "write_only", "required", "allow_null", "allow_blank", "max_length", "min_length",
                "max_value", "min_value", "max_digits", "decimal_places", "source", "label", "help_text", "style",
            )
        }  # fmt: skip
        options["default"] = repr(field.default) if type(field.default).__name__ != "type" else "empty"
        options["validators"] = sorted(type(v).__name__ for v in field.validators)
        if hasattr(field, "choices"):
            options["choices"] = dict(field.choices)
        if hasattr(field, "child_relation"):
            options["child"] = type(field.child_relation).__name__
        summary[name] = (type(field).__name__, options)
    return summary


@pytest.mark.parametrize(
    "model, meta",
    [
        (Item, {"fields": "__all__"}),
        (Item, {"exclude": ["description"]}),
        (Item, {"fields": ["name", "price"], "read_only_fields": ["price"]}),
        (Item, {"fields": "__all__", "extra_kwargs": {"name": {"min_length": 2}, "quantity": {"read_only": True}}}),
        (User, {"fields": "__all__"}),
        (Group, {"fields": "__all__"}),
        (Permission, {"fields": "__all__"}),
        (ContentType, {"fields": "__all__"}),
        (Permission, {"fields": "__all__", "depth": 1}),
        (User, {"fields": ["username", "groups", "user_permissions"], "depth": 2}),
        (Group, {"fields": ["name", "user_set"]}),
    ],
)
def test_generated_fields_match_drf(model, meta):
    drf_cls, bolt_cls = model_serializer(model, **meta)
    expected, actual = drf_cls(), bolt_cls()
    assert field_summary(actual) == field_summary(expected)
    assert [type(v).__name__ for v in actual.validators] == [type(v).__name__ for v in expected.validators]


def test_repr_matches_drf():
    for pair in (ITEM, USER):
        assert repr(pair[1]()).replace("django_bolt", "x") == repr(pair[0]()).replace("rest_framework", "x")


@pytest.fixture
def rows():
    items = [
        Item.objects.create(name="pen", description="blue ✓ \u2028", price=decimal.Decimal("1.5"), quantity=3),
        Item.objects.create(name="ink", price=decimal.Decimal("12345678.99"), is_active=False),
        Item.objects.create(name="nib", price=decimal.Decimal("-0.01"), quantity=-2),
    ]
    staff = Group.objects.create(name="staff")
    ops = Group.objects.create(name="ops")
    ann = User.objects.create_user("ann", "ann@example.com", "pw")
    ann.groups.set([staff, ops])
    User.objects.create_user("bob")
    return items


def test_data_matches_drf_for_rows(rows):
    assert_same_data(ITEM, Item.objects.all(), many=True)
    assert_same_data(ITEM, Item.objects.get(name="pen"))
    assert_same_data(USER, User.objects.all(), many=True)
    assert_same_data(USER, User.objects.prefetch_related("groups"), many=True)
    assert_same_data(PERMISSION, Permission.objects.all()[:20], many=True)
    assert_same_data(model_serializer(Permission, fields="__all__", depth=1), Permission.objects.all()[:5], many=True)
    assert_same_data(model_serializer(Group, fields=["name", "user_set"]), Group.objects.all(), many=True)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "a", "price": "1.00"},
        {"name": "", "price": "x", "quantity": 2**70, "is_active": "maybe"},
        {"name": "a" * 101, "price": "123456789.00"},
        {"price": "1.005", "created_at": "2020-01-01T00:00:00Z", "id": 5},
        {"name": None, "price": None, "description": None},
    ],
)
def test_item_validation_matches_drf(data):
    assert_same_validation(ITEM, data)


def test_unique_field_and_m2m_validation(rows):
    staff = Group.objects.get(name="staff")
    assert_same_validation(USER, {"username": "ann", "groups": [staff.pk]})
    assert_same_validation(USER, {"username": "new one!", "groups": [999999]})
    assert_same_validation(USER, {"username": "carl", "groups": ["x"]})
    assert_same_validation(USER, {"username": "carl", "groups": staff.pk})
    expected, actual = assert_same_validation(USER, {"username": "carl", "groups": [staff.pk]})
    assert actual.validated_data["groups"] == [staff]
    # Updating an instance to its own unique value is fine.
    ann = User.objects.get(username="ann")
    assert_same_validation(USER, {"username": "ann"}, instance=ann, partial=True)


def test_unique_together_validation():
    content_type = ContentType.objects.get_for_model(Item)
    existing = Permission.objects.filter(content_type=content_type).first()
    assert_same_validation(PERMISSION, {"name": "x", "codename": existing.codename, "content_type": content_type.pk})
    expected, actual = assert_same_validation(PERMISSION, {"name": "x", "codename": existing.codename})
    assert pairs(actual.errors) == {"content_type": [("This field is required.", "required")]}
    assert_same_validation(PERMISSION, {"name": "x", "codename": "fresh", "content_type": content_type.pk})
    assert_same_validation(PERMISSION, {"codename": existing.codename}, instance=existing, partial=True)


def saved_row(instance):
    return {k: v for k, v in Item.objects.filter(pk=instance.pk).values()[0].items() if k not in ("id", "created_at")}


def test_create_and_update_write_same_rows():
    data = {"name": "pen", "price": "2.50", "quantity": "4", "description": "d"}
    expected, actual = run_both(ITEM, data=data)
    assert expected.is_valid() and actual.is_valid()
    drf_obj, bolt_obj = expected.save(is_active=False), actual.save(is_active=False)
    assert (
        saved_row(bolt_obj)
        == saved_row(drf_obj)
        == {
            "name": "pen",
            "description": "d",
            "price": decimal.Decimal("2.50"),
            "quantity": 4,
            "is_active": False,
        }
    )
    assert plain(actual.data) | {"id": 0, "created_at": 0} == plain(expected.data) | {"id": 0, "created_at": 0}

    update = {"price": "3", "name": "pencil"}
    expected, actual = ITEM[0](drf_obj, data=update, partial=True), ITEM[1](bolt_obj, data=update, partial=True)
    assert expected.is_valid() and actual.is_valid()
    assert actual.save() is bolt_obj
    expected.save()
    assert saved_row(bolt_obj) == saved_row(drf_obj)
    assert bolt_obj.price == decimal.Decimal("3.00")


def test_many_to_many_create_and_update(rows):
    staff, ops = Group.objects.get(name="staff"), Group.objects.get(name="ops")
    serializer = USER[1](data={"username": "carl", "groups": [staff.pk, ops.pk]})
    assert serializer.is_valid(), serializer.errors
    user = serializer.save()
    assert set(user.groups.all()) == {staff, ops}
    serializer = USER[1](user, data={"groups": [ops.pk]}, partial=True)
    assert serializer.is_valid()
    serializer.save()
    assert list(user.groups.all()) == [ops]
    assert serializer.data["groups"] == [ops.pk]


def test_many_to_many_create_via_list_serializer(rows):
    staff = Group.objects.get(name="staff")
    serializer = USER[1](data=[{"username": "u1", "groups": [staff.pk]}, {"username": "u2", "groups": []}], many=True)
    assert serializer.is_valid(), serializer.errors
    users = serializer.save()
    assert [u.username for u in users] == ["u1", "u2"]
    assert list(users[0].groups.all()) == [staff]


def test_nested_writes_are_refused_by_default(rows):
    class GroupSerializer(serializers.ModelSerializer):
        class Meta:
            model = Group
            fields = ["name"]

    class UserWithGroups(serializers.ModelSerializer):
        groups = GroupSerializer(many=True)

        class Meta:
            model = User
            fields = ["username", "groups"]

    serializer = UserWithGroups(data={"username": "x", "groups": [{"name": "g"}]})
    assert serializer.is_valid(), serializer.errors
    with pytest.raises(AssertionError, match="does not support writable nested fields"):
        serializer.save()

    class DottedSource(serializers.ModelSerializer):
        type_model = serializers.CharField(source="content_type.model")

        class Meta:
            model = Permission
            fields = ["name", "codename", "type_model"]

    serializer = DottedSource(data={"name": "n", "codename": "c", "type_model": "item"})
    assert serializer.is_valid(), serializer.errors
    with pytest.raises(AssertionError, match="dotted-source"):
        serializer.save()

    class Overridden(UserWithGroups):
        def create(self, validated_data):
            groups = validated_data.pop("groups")
            user = User.objects.create(**validated_data)
            user.groups.set([Group.objects.create(**g) for g in groups])
            return user

    serializer = Overridden(data={"username": "y", "groups": [{"name": "g"}]})
    assert serializer.is_valid()
    assert [g.name for g in serializer.save().groups.all()] == ["g"]


def test_create_type_error_is_explained():
    class Bad(serializers.ModelSerializer):
        bogus = serializers.CharField()

        class Meta:
            model = Item
            fields = ["name", "price", "bogus"]

    serializer = Bad(data={"name": "a", "price": "1", "bogus": "x"})
    assert serializer.is_valid()
    with pytest.raises(TypeError, match="Got a `TypeError` when calling `Item.objects.create\\(\\)`"):
        serializer.save()


def test_meta_validators_replace_model_ones():
    calls = []

    class Perm(serializers.ModelSerializer):
        class Meta:
            model = Permission
            fields = "__all__"
            validators = [calls.append]

    assert [type(v).__name__ for v in PERMISSION[1]().validators] == ["UniqueTogetherValidator"]
    assert Perm().validators == [calls.append]
    content_type = ContentType.objects.get_for_model(Item)
    existing = Permission.objects.filter(content_type=content_type).first()
    serializer = Perm(data={"name": "x", "codename": existing.codename, "content_type": content_type.pk})
    assert serializer.is_valid()
    assert len(calls) == 1


@pytest.mark.parametrize(
    "meta, error, match",
    [
        ({"fields": "__all__", "exclude": ["name"]}, AssertionError, "Cannot set both"),
        ({}, AssertionError, "fields = '__all__'"),
        ({"fields": "name"}, TypeError, "must be a list or tuple"),
        ({"exclude": "name"}, TypeError, "must be a list or tuple"),
        ({"fields": ["nope"]}, ImproperlyConfigured, "Field name `nope` is not valid for model `Item`"),
        ({"exclude": ["nope"]}, AssertionError, "does not match any model field"),
        ({"fields": "__all__", "read_only_fields": "name"}, TypeError, "read_only_fields"),
        ({"fields": "__all__", "readonly_fields": ["name"]}, AssertionError, "read_only_fields"),
        ({"fields": "__all__", "depth": 11}, AssertionError, "depth"),
    ],
)
def test_meta_misconfiguration(meta, error, match):
    drf_cls, bolt_cls = model_serializer(Item, **meta)
    with pytest.raises(error, match=match):
        bolt_cls().fields  # noqa: B018
    with pytest.raises(error):
        drf_cls().fields  # noqa: B018


def test_declared_fields_must_be_listed():
    class S(serializers.ModelSerializer):
        extra = serializers.CharField()

        class Meta:
            model = Item
            fields = ["name"]

    with pytest.raises(AssertionError, match="'extra' was declared"):
        S().fields  # noqa: B018


def test_abstract_model_is_refused():
    class Abstract(models.Model):
        class Meta:
            abstract = True
            app_label = "testapp"

    class S(serializers.ModelSerializer):
        class Meta:
            model = Abstract
            fields = "__all__"

    with pytest.raises(ValueError, match="Abstract Models"):
        S().fields  # noqa: B018


def test_property_and_declared_fields(rows):
    def make(s):
        class S(s.ModelSerializer):
            label = s.CharField(source="name", read_only=True)
            upper = s.SerializerMethodField()

            class Meta:
                model = Item
                fields = ["id", "label", "upper", "pk", "__str__"]

            def get_upper(self, obj):
                return obj.name.upper()

        return S

    assert_same_data(twins(make), Item.objects.all(), many=True)


def test_class_template_is_built_once(monkeypatch):
    class Counted(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

    calls = []
    original = serializers.ModelSerializer.build_fields
    monkeypatch.setattr(serializers.ModelSerializer, "build_fields", lambda self: calls.append(1) or original(self))
    for _ in range(3):
        Counted().fields  # noqa: B018
    assert len(calls) == 1


def test_overridden_hooks_build_per_instance():
    class PerRequest(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

        def get_field_names(self, declared_fields, info):
            names = super().get_field_names(declared_fields, info)
            return [n for n in names if n != "price"] if self.context.get("hide_price") else names

    assert "price" not in PerRequest(context={"hide_price": True}).fields
    assert "price" in PerRequest().fields
    item = Item(name="a", price=decimal.Decimal("1"), quantity=1)
    assert "price" not in PerRequest(item, context={"hide_price": True}).data


def test_custom_field_mapping():
    class Mapped(serializers.ModelSerializer):
        serializer_field_mapping = {
            **serializers.ModelSerializer.serializer_field_mapping,
            models.TextField: serializers.JSONField,
        }

        class Meta:
            model = Item
            fields = ["description"]

    assert type(Mapped().fields["description"]).__name__ == "JSONField"


def test_url_field_name_defaults_from_settings():
    serializer = ITEM[1]()
    serializer.fields  # noqa: B018
    assert serializer.url_field_name == "url"

"""The Field base API (bind, get_attribute, get_value, defaults, validators, messages), against DRF's."""

import copy
import datetime as dt
import decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator
from django.http import QueryDict

from tests.app.models import Item
from tests.fields.parity import BOLT, both, build, pairs, validation_errors


class FakeSerializer:
    """The bits of a serializer that fields look at."""

    parent = None

    def __init__(self, instance=None, partial=False, context=None):
        self.instance = instance
        self.partial = partial
        self._context = context or {}


def bound(impl, name, field_name="thing", kwargs=None, **parent):
    field = build(impl, name, kwargs)
    field.bind(field_name, FakeSerializer(**parent))
    return field


@both
@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"read_only": True, "write_only": True}, "May not set both `read_only` and `write_only`"),
        ({"read_only": True, "required": True}, "May not set both `read_only` and `required`"),
        ({"required": True, "default": 1}, "May not set both `required` and `default`"),
    ],
)
def test_argument_assertions(impl, kwargs, message):
    with pytest.raises(AssertionError, match=message):
        build(impl, "CharField", kwargs)


@both
def test_plain_field_read_only_assertion(impl):
    with pytest.raises(AssertionError, match=r"Field\(read_only=True\) should be ReadOnlyField"):
        build(impl, "Field", {"read_only": True})


@both
@pytest.mark.parametrize(
    "kwargs,required",
    [({}, True), ({"default": 1}, False), ({"read_only": True}, False), ({"required": False}, False)],
)
def test_required_default(impl, kwargs, required):
    assert build(impl, "IntegerField", kwargs).required is required


@both
def test_core_attributes(impl):
    field = build(impl, "CharField", {"label": "L", "help_text": "H", "style": {"x": 1}, "initial": "i"})
    assert (field.label, field.help_text, field.style, field.initial) == ("L", "H", {"x": 1}, "i")
    field = build(impl, "CharField")
    assert (field.label, field.style, field.initial, field.field_name, field.parent) == (None, {}, "", None, None)
    assert field.get_initial() == ""
    assert build(impl, "CharField", {"initial": lambda: "called"}).get_initial() == "called"


@both
def test_bind(impl):
    field = bound(impl, "CharField", "first_name")
    assert (field.label, field.source, field.source_attrs) == ("First name", "first_name", ["first_name"])
    field = bound(impl, "CharField", "x", {"source": "owner.profile.name", "label": "Given"})
    assert (field.label, field.source_attrs) == ("Given", ["owner", "profile", "name"])
    field = bound(impl, "CharField", "x", {"source": "*"})
    assert field.source_attrs == []
    with pytest.raises(AssertionError, match="It is redundant to specify `source='x'` on field 'CharField'"):
        bound(impl, "CharField", "x", {"source": "x"})


@both
def test_root_and_context(impl):
    field = build(impl, "CharField")
    assert field.root is field and field.context == {}
    parent = FakeSerializer(context={"request": "R"})
    field.bind("x", parent)
    assert field.root is parent and field.context == {"request": "R"}
    child = build(impl, "ListField", lambda i: {"child": i.fields.CharField()})
    child.bind("tags", parent)
    assert child.child.root is parent and child.child.context["request"] == "R"


@both
def test_error_messages_merge_along_mro(impl):
    class Custom(impl.fields.CharField):
        default_error_messages = {"blank": "Custom blank.", "mine": "Mine {x}."}

    field = Custom(error_messages={"mine": "Override {x}."})
    assert field.error_messages["required"] == "This field is required."
    assert field.error_messages["invalid"] == "Not a valid string."
    assert field.error_messages["blank"] == "Custom blank."
    assert validation_errors(impl, lambda: field.fail("mine", x=1)) == [("Override 1.", "mine")]
    assert validation_errors(impl, lambda: field.run_validation("")) == [("Custom blank.", "blank")]
    with pytest.raises(AssertionError, match="ValidationError raised by `Custom`, but error key `nope` does not exist"):
        field.fail("nope")


@both
def test_missing_and_null_input(impl):
    field = build(impl, "IntegerField")
    assert validation_errors(impl, lambda: field.run_validation()) == [("This field is required.", "required")]
    assert validation_errors(impl, lambda: field.run_validation(None)) == [("This field may not be null.", "null")]
    with pytest.raises(impl.fields.SkipField):
        build(impl, "IntegerField", {"required": False}).run_validation()
    assert build(impl, "IntegerField", {"default": 5}).run_validation() == 5
    assert build(impl, "IntegerField", {"default": lambda: 6}).run_validation() == 6
    assert build(impl, "IntegerField", {"allow_null": True}).run_validation(None) is None
    # Defaults are not validated.
    assert build(impl, "IntegerField", {"default": "x"}).run_validation() == "x"
    # Read-only fields ignore input and use their default.
    assert build(impl, "IntegerField", {"read_only": True, "default": 7}).run_validation(3) == 7
    with pytest.raises(impl.fields.SkipField):
        build(impl, "IntegerField", {"read_only": True}).run_validation(3)


@both
def test_partial_skips_missing_values_and_defaults(impl):
    field = bound(impl, "IntegerField", "n", {"default": 5}, partial=True)
    with pytest.raises(impl.fields.SkipField):
        field.run_validation()
    field = bound(impl, "IntegerField", "n", partial=True)
    with pytest.raises(impl.fields.SkipField):
        field.run_validation()


@both
def test_null_with_source_star_keeps_validating(impl):
    class Whole(impl.fields.Field):
        def to_internal_value(self, data):
            return {"seen": data}

    field = Whole(source="*", allow_null=True)
    field.bind("whole", FakeSerializer())
    assert field.run_validation(None) == {"seen": None}


@both
def test_requires_context_default(impl):
    class FromContext:
        requires_context = True

        def __call__(self, serializer_field):
            return serializer_field.context["value"]

    field = bound(impl, "IntegerField", "n", {"default": FromContext()}, context={"value": 42})
    assert field.run_validation() == 42


@both
def test_current_user_default(impl):
    class Request:
        user = "alice"

    field = bound(
        impl, "HiddenField", "owner", {"default": impl.fields.CurrentUserDefault()}, context={"request": Request()}
    )
    assert field.get_value({"owner": "mallory"}) is impl.fields.empty
    assert field.run_validation(field.get_value({"owner": "mallory"})) == "alice"
    assert repr(impl.fields.CurrentUserDefault()) == "CurrentUserDefault()"


@both
def test_create_only_default(impl):
    default = impl.fields.CreateOnlyDefault(lambda: "new")
    assert bound(impl, "CharField", "c", {"default": default}).run_validation() == "new"
    with pytest.raises(impl.fields.SkipField):
        bound(impl, "CharField", "c", {"default": default}, instance=object()).run_validation()
    assert bound(impl, "CharField", "c", {"default": impl.fields.CreateOnlyDefault("v")}).run_validation() == "v"

    class FromContext:
        requires_context = True

        def __call__(self, field):
            return field.context["v"]

    field = bound(
        impl, "CharField", "c", {"default": impl.fields.CreateOnlyDefault(FromContext())}, context={"v": "ctx"}
    )
    assert field.run_validation() == "ctx"
    assert repr(impl.fields.CreateOnlyDefault(1)) == "CreateOnlyDefault(1)"


@both
def test_run_validators(impl):
    def django_style(value):
        raise DjangoValidationError("Bad %(v)s.", code="bad", params={"v": value})

    def drf_style(value):
        raise impl.exceptions.ValidationError("Also bad.", code="also")

    def no_code(value):
        raise DjangoValidationError("No code.")

    field = build(impl, "IntegerField", {"validators": [django_style, drf_style, no_code]})
    assert validation_errors(impl, lambda: field.run_validation(3)) == [
        ("Bad 3.", "bad"),
        ("Also bad.", "also"),
        ("No code.", "invalid"),
    ]

    def dict_style(value):
        raise impl.exceptions.ValidationError({"other": ["x"]})

    field = build(impl, "IntegerField", {"validators": [django_style, dict_style]})
    assert validation_errors(impl, lambda: field.run_validation(3)) == {"other": [("x", "invalid")]}

    class WithContext:
        requires_context = True

        def __call__(self, value, serializer_field):
            if value != serializer_field.context["expected"]:
                raise impl.exceptions.ValidationError("Unexpected.")

    field = bound(impl, "IntegerField", "n", {"validators": [WithContext()]}, context={"expected": 1})
    assert field.run_validation("1") == 1
    assert validation_errors(impl, lambda: field.run_validation(2)) == [("Unexpected.", "invalid")]


@both
def test_validators_kwarg_replaces_defaults_then_appends(impl):
    own = MaxValueValidator(1)
    field = build(impl, "CharField", {"validators": [own], "max_length": 2})
    assert field.validators[0] is own
    assert [type(v).__name__ for v in field.validators][1:] == [
        "MaxLengthValidator",
        "ProhibitNullCharactersValidator",
        "ProhibitSurrogateCharactersValidator",
    ]
    field.validators = []
    assert field.run_validation("a\x00bcd") == "a\x00bcd"


@both
def test_get_error_detail(impl):
    detail = impl.fields.get_error_detail(DjangoValidationError(["one", DjangoValidationError("two", code="c")]))
    assert pairs(detail) == [("one", "invalid"), ("two", "c")]
    detail = impl.fields.get_error_detail(DjangoValidationError({"a": ["x %(n)s"]}, params={"n": 1}))
    assert pairs(detail) == {"a": [("x %(n)s", "invalid")]}
    detail = impl.fields.get_error_detail(DjangoValidationError("m %(n)s", code="k", params={"n": 2}))
    assert pairs(detail) == [("m 2", "k")]


class Obj:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class Missing(Obj):
    @property
    def related(self):
        raise ObjectDoesNotExist()

    def method(self):
        return "called"

    def needs_arg(self, x):
        return x

    def broken(self):
        raise AttributeError("inner")


@both
def test_get_attribute(impl):
    obj = Missing(name="n", owner=Obj(profile={"city": "Paris"}))
    assert bound(impl, "CharField", "name").get_attribute(obj) == "n"
    assert bound(impl, "CharField", "x", {"source": "owner.profile.city"}).get_attribute(obj) == "Paris"
    assert bound(impl, "CharField", "related").get_attribute(obj) is None
    assert bound(impl, "CharField", "method").get_attribute(obj) == "called"
    assert bound(impl, "CharField", "needs_arg").get_attribute(obj) == obj.needs_arg
    assert bound(impl, "CharField", "x", {"source": "*"}).get_attribute(obj) is obj
    assert bound(impl, "CharField", "key").get_attribute({"key": "v"}) == "v"
    with pytest.raises(
        ValueError, match='Exception raised in callable attribute "broken"; original exception was: inner'
    ):
        bound(impl, "CharField", "broken").get_attribute(obj)
    assert impl.fields.get_attribute({"a": Obj(b=1)}, ["a", "b"]) == 1


@both
def test_get_attribute_missing(impl):
    obj = Obj()
    assert bound(impl, "CharField", "nope", {"default": "d"}).get_attribute(obj) == "d"
    assert bound(impl, "CharField", "nope", {"allow_null": True}).get_attribute(obj) is None
    with pytest.raises(impl.fields.SkipField):
        bound(impl, "CharField", "nope", {"required": False}).get_attribute(obj)
    with pytest.raises(AttributeError) as info:
        bound(impl, "CharField", "nope").get_attribute(obj)
    assert str(info.value) == (
        "Got AttributeError when attempting to get a value for field `nope` on serializer `FakeSerializer`.\n"
        "The serializer field might be named incorrectly and not match any attribute or key on the `Obj` "
        "instance.\nOriginal exception text was: 'Obj' object has no attribute 'nope'."
    )
    with pytest.raises(KeyError, match="Got KeyError when attempting to get a value for field `nope`"):
        bound(impl, "CharField", "nope").get_attribute({})


@both
def test_get_attribute_builtin(impl):
    with pytest.raises(
        impl.fields.BuiltinSignatureError, match="Field source for `FakeSerializer.x` maps to a built-in"
    ):
        bound(impl, "CharField", "x", {"source": "items"}).get_attribute(Obj(items=len))


@both
def test_get_value_json_and_html(impl):
    f = bound(impl, "CharField", "name")
    assert f.get_value({"name": "a"}) == "a"
    assert f.get_value({}) is impl.fields.empty
    assert f.get_value(QueryDict("name=a")) == "a"
    assert f.get_value(QueryDict("name=")) == ""
    assert f.get_value(QueryDict("")) is impl.fields.empty
    assert bound(impl, "CharField", "name", {"allow_null": True}).get_value(QueryDict("name=")) is None
    assert (
        bound(impl, "CharField", "name", {"allow_null": True, "allow_blank": True}).get_value(QueryDict("name=")) == ""
    )
    assert bound(impl, "CharField", "name", {"required": False}).get_value(QueryDict("name=")) is impl.fields.empty
    f = bound(impl, "CharField", "name", {"required": False, "allow_blank": True})
    assert f.get_value(QueryDict("name=")) == ""
    # An unchecked box is absent from the form: it means False unless the update is partial.
    assert bound(impl, "BooleanField", "on").get_value(QueryDict("")) is False
    assert bound(impl, "BooleanField", "on", {"default": True}).get_value(QueryDict("")) is True
    assert bound(impl, "BooleanField", "on", partial=True).get_value(QueryDict("")) is impl.fields.empty
    assert bound(impl, "BooleanField", "on", {"allow_null": True}).get_value(QueryDict("")) is None


@both
def test_read_only_field(impl):
    field = bound(impl, "ReadOnlyField", "method")
    assert field.read_only and not field.required
    assert field.to_representation({"a": 1}) == {"a": 1}
    assert field.get_attribute(Missing()) == "called"


@both
def test_hidden_field(impl):
    with pytest.raises(AssertionError, match="default is a required argument."):
        build(impl, "HiddenField")
    field = bound(impl, "HiddenField", "h", {"default": 3})
    assert field.write_only and field.get_value({"h": 9}) is impl.fields.empty
    assert field.run_validation(field.get_value({"h": 9})) == 3


@both
def test_serializer_method_field(impl):
    class Parent(FakeSerializer):
        def get_total(self, obj):
            return obj["a"] + obj["b"]

        def compute(self, obj):
            return "custom"

    field = build(impl, "SerializerMethodField")
    field.bind("total", Parent())
    assert field.read_only and field.source == "*" and field.method_name == "get_total"
    assert field.to_representation(field.get_attribute({"a": 1, "b": 2})) == 3
    field = build(impl, "SerializerMethodField", {"method_name": "compute"})
    field.bind("other", Parent())
    assert field.to_representation({}) == "custom"


@both
def test_model_field(impl):
    price = Item._meta.get_field("price")
    created = Item._meta.get_field("created_at")
    item = Item(name="x", price=decimal.Decimal("1.50"), created_at=dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC))
    field = bound(impl, "ModelField", "price", {"model_field": price})
    assert field.get_attribute(item) is item
    assert field.to_representation(item) == decimal.Decimal("1.50")
    assert field.run_validation("2.5") == decimal.Decimal("2.5")
    # The model field's own Django ValidationError propagates (serializers convert it).
    with pytest.raises(DjangoValidationError, match="value must be a decimal number"):
        field.run_validation("x")
    assert bound(impl, "ModelField", "created_at", {"model_field": created}).to_representation(item) == item.created_at
    name = bound(impl, "ModelField", "name", {"model_field": Item._meta.get_field("name"), "max_length": 3})
    assert validation_errors(impl, lambda: name.run_validation("abcd")) == [
        ("Ensure this field has no more than 3 characters.", "max_length")
    ]


@both
def test_repr(impl):
    assert repr(build(impl, "CharField", {"max_length": 3, "label": "N"})) == "CharField(label='N', max_length=3)"
    assert repr(build(impl, "DecimalField", {"max_digits": 5, "decimal_places": 2})) == (
        "DecimalField(decimal_places=2, max_digits=5)"
    )
    field = impl.fields.RegexField(r"^\d+$", validators=[MaxValueValidator(1)])
    assert repr(field) == "RegexField('^\\\\d+$', validators=[<django.core.validators.MaxValueValidator object>])"
    assert repr(build(impl, "ListField", lambda i: {"child": i.fields.IntegerField()})) == (
        "ListField(child=IntegerField())"
    )


@both
def test_deepcopy_rebuilds_from_arguments(impl):
    validator = MaxValueValidator(1)
    field = build(impl, "IntegerField", {"validators": [validator], "max_value": 5})
    field.bind("n", FakeSerializer())
    clone = copy.deepcopy(field)
    assert clone is not field and clone.parent is None and clone.field_name is None
    assert clone.validators[0] is validator
    assert clone._kwargs == field._kwargs
    lst = build(impl, "ListField", lambda i: {"child": i.fields.IntegerField()})
    assert copy.deepcopy(lst).child is not lst.child


@both
def test_custom_drf_style_field(impl):
    """A custom field written against DRF's documented API works on both."""

    class Color(impl.fields.Field):
        default_error_messages = {"incorrect_format": "Incorrect format. Expected `rgb(#,#,#)`."}

        def to_representation(self, value):
            return "rgb({}, {}, {})".format(*value)

        def to_internal_value(self, data):
            data = data.strip("rgb(").rstrip(")")
            try:
                red, green, blue = (int(c) for c in data.split(","))
            except ValueError:
                self.fail("incorrect_format")
            return (red, green, blue)

    field = Color()
    assert field.run_validation("rgb(1,2,3)") == (1, 2, 3)
    assert field.to_representation((1, 2, 3)) == "rgb(1, 2, 3)"
    assert validation_errors(impl, lambda: field.run_validation("x")) == [
        ("Incorrect format. Expected `rgb(#,#,#)`.", "incorrect_format")
    ]


@both
def test_base_field_not_implemented(impl):
    field = build(impl, "Field")
    with pytest.raises(NotImplementedError, match=r"Field.to_internal_value\(\) must be implemented"):
        field.run_validation(1)
    with pytest.raises(NotImplementedError, match=r"Field.to_representation\(\) must be implemented"):
        field.to_representation(1)


@both
def test_generic_alias(impl):
    assert impl.fields.CharField[str] is impl.fields.CharField


# --- django_bolt only: the plain-output promise read by compiled serializers ---

PLAIN = [
    ("CharField", {}, "abc"),
    ("EmailField", {}, "a@b.co"),
    ("IntegerField", {}, 5),
    ("FloatField", {}, 1.5),
    ("BooleanField", {}, True),
    ("ReadOnlyField", {}, {"x": [1]}),
    ("JSONField", {}, {"x": [1]}),
    ("ListField", {}, None),
]


@pytest.mark.parametrize("name,kwargs,sample", PLAIN)
def test_plain_output_promise_holds(name, kwargs, sample):
    field = build(BOLT, name, kwargs)
    if name == "ListField":
        assert not field.plain_output and field.child.plain_output
        return
    assert field.plain_output
    assert field.plain_types is None or type(sample) in field.plain_types
    assert field.to_representation(sample) is sample or field.to_representation(sample) == sample


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("DecimalField", {"max_digits": 5, "decimal_places": 2}),
        ("DateTimeField", {}),
        ("UUIDField", {}),
        ("ChoiceField", {"choices": [1]}),
        ("BigIntegerField", {}),
        ("JSONField", {"binary": True}),
        ("SerializerMethodField", {}),
        ("Field", {}),
    ],
)
def test_plain_output_not_promised(name, kwargs):
    assert build(BOLT, name, kwargs).plain_output is False


def test_plain_output_dropped_by_custom_to_representation():
    class Upper(BOLT.fields.CharField):
        def to_representation(self, value):
            return value.upper()

    class Kept(BOLT.fields.CharField):
        plain_output = True

        def to_representation(self, value):
            return super().to_representation(value)

    class NoOverride(BOLT.fields.CharField):
        pass

    class UpperMixin:
        def to_representation(self, value):
            return value.upper()

    class Mixed(UpperMixin, BOLT.fields.CharField):
        pass

    assert Upper.plain_output is False
    assert Mixed.plain_output is False
    assert type("Sub", (Upper,), {}).plain_output is False
    assert Kept.plain_output is True
    assert NoOverride.plain_output is True
    # bool is an int subclass but IntegerField turns it into 1: the promise is per exact type.
    assert bool not in BOLT.fields.IntegerField.plain_types


@both
def test_messages_translate_like_drf(impl):
    from django.utils import translation

    with translation.override("fr"):
        errors = validation_errors(impl, lambda: build(impl, "CharField").run_validation(""))
        required = validation_errors(impl, lambda: build(impl, "IntegerField", {"max_value": 1}).run_validation(2))
    assert errors == [("Ce champ ne peut être vide.", "blank")]
    assert required == [("Assurez-vous que cette valeur est inférieure ou égale à 1.", "max_value")]

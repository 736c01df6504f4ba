"""Uniqueness validators (on real rows of Item) and ProhibitSurrogateCharactersValidator, against DRF's."""

import datetime as dt
import decimal

import pytest
from django.db.models import Q

from tests.app.models import Item
from tests.fields.parity import both, validation_errors

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 5, 17, 12, 0, tzinfo=dt.UTC)


class FakeSerializer:
    """What the validators read off a serializer: ``instance``, ``parent`` and bound ``fields``."""

    parent = None

    def __init__(self, impl, instance=None, sources=None):
        self.instance = instance
        self._context = {}
        self.fields = {}
        for name in ("name", "description", "quantity", "created_at", "price"):
            field = impl.fields.CharField()
            source = (sources or {}).get(name)
            if source:
                field.source = source
            field.bind(name, self)
            self.fields[name] = field


@pytest.fixture
def item():
    item = Item.objects.create(name="alpha", description="d", quantity=2, price=decimal.Decimal("1.00"))
    Item.objects.filter(pk=item.pk).update(created_at=WHEN)
    item.refresh_from_db()
    return item


@both
def test_unique_validator(impl, item):
    validator = impl.validators.UniqueValidator(queryset=Item.objects.all())
    serializer = FakeSerializer(impl)
    field = serializer.fields["name"]
    assert validation_errors(impl, lambda: validator("alpha", field)) == [("This field must be unique.", "unique")]
    validator("beta", field)
    # On update the instance itself does not clash.
    validator("alpha", FakeSerializer(impl, instance=item).fields["name"])
    # Values of the wrong type for the column are "no clash", not a crash.
    impl.validators.UniqueValidator(queryset=Item.objects.all())("x", FakeSerializer(impl).fields["quantity"])


@both
def test_unique_validator_options(impl, item):
    field = FakeSerializer(impl).fields["name"]
    lookup = impl.validators.UniqueValidator(queryset=Item.objects.all(), lookup="iexact", message="Taken.")
    assert validation_errors(impl, lambda: lookup("ALPHA", field)) == [("Taken.", "unique")]
    # The model field is the last part of the field's source.
    renamed = FakeSerializer(impl, sources={"description": "name"}).fields["description"]
    assert validation_errors(impl, lambda: impl.validators.UniqueValidator(Item.objects.all())("alpha", renamed)) == [
        ("This field must be unique.", "unique")
    ]
    assert repr(impl.validators.UniqueValidator(queryset=Item.objects.all())) == (
        "<UniqueValidator(queryset=<QuerySet [<Item: alpha>]>)>"
    )
    qs = Item.objects.all()
    assert impl.validators.UniqueValidator(qs) == impl.validators.UniqueValidator(qs)
    assert impl.validators.UniqueValidator(qs) != impl.validators.UniqueValidator(qs, lookup="iexact")


@both
def test_unique_validator_many_update_guard(impl, item):
    serializer = FakeSerializer(impl, instance=[item])

    class ListParent:
        many = True

    serializer.parent = ListParent()
    with pytest.raises(RuntimeError, match="`UniqueValidator` cannot determine the current instance"):
        impl.validators.UniqueValidator(Item.objects.all())("alpha", serializer.fields["name"])


@both
def test_unique_together(impl, item):
    validator = impl.validators.UniqueTogetherValidator(queryset=Item.objects.all(), fields=["name", "quantity"])
    serializer = FakeSerializer(impl)
    assert validation_errors(impl, lambda: validator({"name": "alpha", "quantity": 2}, serializer)) == [
        ("The fields name, quantity must make a unique set.", "unique")
    ]
    validator({"name": "alpha", "quantity": 3}, serializer)
    assert validation_errors(impl, lambda: validator({"name": "alpha"}, serializer)) == {
        "quantity": ("This field is required.", "required")
    }
    # A None in the set never clashes (SQL NULLs are distinct)...
    validator({"name": None, "quantity": 2}, serializer)


@both
def test_unique_together_update(impl, item):
    other = Item.objects.create(name="beta", quantity=2, price=1)
    validator = impl.validators.UniqueTogetherValidator(queryset=Item.objects.all(), fields=["name", "quantity"])
    serializer = FakeSerializer(impl, instance=other)
    # Missing values come from the instance; unchanged values are not re-checked.
    validator({}, serializer)
    validator({"name": "beta"}, serializer)
    assert validation_errors(impl, lambda: validator({"name": "alpha"}, serializer)) == [
        ("The fields name, quantity must make a unique set.", "unique")
    ]
    validator({"name": "alpha", "quantity": 5}, serializer)
    # Updating the clashing row itself is fine.
    validator({"name": "alpha", "quantity": 2}, FakeSerializer(impl, instance=item))


@both
def test_unique_together_options(impl, item):
    serializer = FakeSerializer(impl)
    custom = impl.validators.UniqueTogetherValidator(
        queryset=Item.objects.all(), fields=("name", "quantity"), message="{field_names} clash", code="dup"
    )
    assert validation_errors(impl, lambda: custom({"name": "alpha", "quantity": 2}, serializer)) == [
        ("name, quantity clash", "dup")
    ]
    nulls = impl.validators.UniqueTogetherValidator(
        queryset=Item.objects.all(), fields=["name", "description"], nulls_distinct=False
    )
    Item.objects.create(name="gamma", description="", price=1)
    assert validation_errors(impl, lambda: nulls({"name": "gamma", "description": ""}, serializer)) == [
        ("The fields name, description must make a unique set.", "unique")
    ]
    assert repr(nulls) == (
        "<UniqueTogetherValidator(queryset=<QuerySet [<Item: alpha>, <Item: gamma>]>, "
        "fields=['name', 'description'], nulls_distinct=False)>"
    )


@both
def test_unique_together_with_condition(impl, item):
    validator = impl.validators.UniqueTogetherValidator(
        queryset=Item.objects.all(),
        fields=["name"],
        condition_fields=["quantity"],
        condition=Q(quantity__gt=1),
    )
    serializer = FakeSerializer(impl)
    assert validation_errors(impl, lambda: validator({"name": "alpha", "quantity": 5}, serializer)) == [
        ("The fields name must make a unique set.", "unique")
    ]
    # The condition does not hold for the new row: no constraint applies.
    validator({"name": "alpha", "quantity": 1}, serializer)
    assert validation_errors(impl, lambda: validator({"name": "alpha"}, serializer)) == {
        "quantity": ("This field is required.", "required")
    }


@both
@pytest.mark.parametrize(
    "name,message,clash,free",
    [
        ("UniqueForDateValidator", 'This field must be unique for the "created_at" date.', WHEN, WHEN.replace(day=18)),
        (
            "UniqueForMonthValidator",
            'This field must be unique for the "created_at" month.',
            WHEN.replace(day=1),
            WHEN.replace(month=6),
        ),
        (
            "UniqueForYearValidator",
            'This field must be unique for the "created_at" year.',
            WHEN.replace(month=1),
            WHEN.replace(year=2025),
        ),
    ],
)
def test_unique_for_date(impl, item, name, message, clash, free):
    validator = getattr(impl.validators, name)(queryset=Item.objects.all(), field="name", date_field="created_at")
    serializer = FakeSerializer(impl)
    assert validation_errors(impl, lambda: validator({"name": "alpha", "created_at": clash}, serializer)) == {
        "name": (message, "unique")
    }
    validator({"name": "alpha", "created_at": free}, serializer)
    validator({"name": "beta", "created_at": clash}, serializer)
    validator({"name": "alpha", "created_at": clash}, FakeSerializer(impl, instance=item))
    assert validation_errors(impl, lambda: validator({"name": "alpha"}, serializer)) == {
        "created_at": ("This field is required.", "required")
    }
    assert repr(validator) == (f"<{name}(queryset=<QuerySet [<Item: alpha>]>, field='name', date_field='created_at')>")


@both
def test_prohibit_surrogates(impl):
    validator = impl.validators.ProhibitSurrogateCharactersValidator()
    validator("plain ✓ text")
    assert validation_errors(impl, lambda: validator("a\udfffb")) == [
        ("Surrogate characters are not allowed: U+DFFF.", "surrogate_characters_not_allowed")
    ]
    assert validator == impl.validators.ProhibitSurrogateCharactersValidator()


@both
def test_validators_declare_context(impl):
    assert impl.validators.UniqueValidator.requires_context
    assert impl.validators.UniqueTogetherValidator.requires_context
    assert impl.validators.UniqueForDateValidator.requires_context
    assert not getattr(impl.validators.ProhibitSurrogateCharactersValidator, "requires_context", False)


def test_qs_helpers_swallow_bad_values():
    from django_bolt.validators import qs_exists, qs_exists_with_condition, qs_filter

    assert qs_filter(Item.objects.all(), quantity="x").count() == 0
    assert qs_exists(Item.objects.filter(pk__in=[])) is False
    assert qs_exists_with_condition(Item.objects.all(), Q(nope=1), {}) is False

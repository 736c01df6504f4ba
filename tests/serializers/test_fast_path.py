"""
The compiled read path: column plans, the values_list fast path for querysets, direct JSON encoding — always
compared with DRF's output and DRF's JSONRenderer bytes.
"""

import datetime
import decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.signals import post_init
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from django_bolt import serializers
from django_bolt.serializers import plans as _plan
from tests.app.models import Item
from tests.serializers.twins import assert_same_data, plain, rendered, twins

pytestmark = pytest.mark.django_db


def make_item(s):
    class ItemSerializer(s.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

    return ItemSerializer


ITEM = twins(make_item)


def make_user(s):
    class UserSerializer(s.ModelSerializer):
        class Meta:
            model = User
            fields = ["id", "username", "email", "last_login", "is_staff", "date_joined", "groups"]

    return UserSerializer


@pytest.fixture
def items():
    created = [
        Item.objects.create(name="pen", description='blue ✓ \u2028 \u2029 "q" \\ /', price=decimal.Decimal("1.5")),
        Item.objects.create(name="ink", price=decimal.Decimal("12345678.99"), quantity=7, is_active=False),
        Item.objects.create(name="nib", price=decimal.Decimal("-0.01"), quantity=-2),
        Item.objects.create(name="cap", price=decimal.Decimal("0"), quantity=2**31 - 1),
    ]
    # Whole-second and pre-1900 timestamps exercise the ISO formatting edges.
    Item.objects.filter(pk=created[1].pk).update(created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
    Item.objects.filter(pk=created[2].pk).update(created_at=datetime.datetime(1850, 6, 1, 0, 0, 0, 10, datetime.UTC))
    return created


def selected_sql(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"] for q in queries.captured_queries]


def test_queryset_list_fetches_only_needed_columns(items):
    class Narrow(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = ["name", "price"]

    sql = selected_sql(lambda: Narrow(Item.objects.all(), many=True).data)
    assert len(sql) == 1
    assert '"description"' not in sql[0] and '"name"' in sql[0] and '"price"' in sql[0]
    sliced = selected_sql(lambda: Narrow(Item.objects.order_by("-id")[1:3], many=True).data)
    assert len(sliced) == 1 and '"description"' not in sliced[0] and "LIMIT 2" in sliced[0]
    assert Narrow(Item.objects.all(), many=True).data == [
        {"name": "pen", "price": "1.50"},
        {"name": "ink", "price": "12345678.99"},
        {"name": "nib", "price": "-0.01"},
        {"name": "cap", "price": "0.00"},
    ]


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Item.objects.all(),
        lambda: Item.objects.filter(quantity__gte=0).order_by("-price"),
        lambda: Item.objects.all()[1:3],
        lambda: Item.objects.only("name"),
        lambda: Item.objects.defer("description", "price"),
        lambda: Item.objects.none(),
        lambda: Item.objects.filter(pk__in=[]),
        lambda: Item.objects.distinct(),
        lambda: Item.objects.filter(quantity__gt=0).order_by().union(Item.objects.filter(name="pen").order_by()),
        lambda: Item.objects.annotate(n=Item.objects.values("pk")[:1]),
        lambda: Item.objects.select_related(),
        lambda: list(Item.objects.all()),
        lambda: list(Item.objects.only("name")),
        lambda: Item.objects.values(),
        lambda: Item.objects.all().iterator(),
    ],
)
def test_list_output_matches_drf(items, queryset):
    drf_cls, bolt_cls = ITEM
    expected = drf_cls(queryset(), many=True).data
    body = rendered(expected)
    assert plain(bolt_cls(queryset(), many=True).data) == plain(expected)
    assert bolt_cls(queryset(), many=True).json_bytes() == body
    assert rendered(bolt_cls(queryset(), many=True).data) == body


def test_evaluated_queryset_is_not_queried_again(items):
    queryset = Item.objects.all()
    list(queryset)
    assert selected_sql(lambda: ITEM[1](queryset, many=True).data) == []


def test_single_object_and_unsaved_values(items):
    assert_same_data(ITEM, Item.objects.get(name="ink"))
    # Attribute values of unsaved/unrefreshed instances are converted like DRF does (int price, int name).
    odd = Item(id=99, name=123, description="", price=3, quantity="5", is_active=1, created_at=None)
    assert_same_data(ITEM, odd)
    assert_same_data(ITEM, [odd, items[0]], many=True)


def test_nullable_columns_and_relations():
    User.objects.create_user("ann", "a@example.com", last_login=timezone.now())
    User.objects.create_user("bob")
    pair = twins(make_user)
    assert_same_data(pair, User.objects.all(), many=True)
    assert_same_data(pair, User.objects.prefetch_related("groups"), many=True)


def make_fk(s):
    from django.contrib.auth.models import Permission

    class PermissionSerializer(s.ModelSerializer):
        class Meta:
            model = Permission
            fields = ["id", "codename", "content_type"]

    return PermissionSerializer


def test_foreign_key_pk_comes_from_the_column():
    from django.contrib.auth.models import Permission

    pair = twins(make_fk)
    sql = selected_sql(lambda: pair[1](Permission.objects.all(), many=True).data)
    assert len(sql) == 1 and '"content_type_id"' in sql[0]
    assert_same_data(pair, Permission.objects.all()[:30], many=True)
    assert_same_data(pair, list(Permission.objects.all()[:30]), many=True)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York", "Europe/Paris"])
def test_active_timezone_is_applied(items, zone):
    with timezone.override(zone):
        assert_same_data(ITEM, Item.objects.all(), many=True)
        assert_same_data(ITEM, list(Item.objects.all()), many=True)


@pytest.mark.parametrize(
    "options",
    [
        {"COERCE_DECIMAL_TO_STRING": False},
        {"COERCE_BIGINT_TO_STRING": True},
        {"DATETIME_FORMAT": "%Y-%m-%d %H:%M"},
        {"DATETIME_FORMAT": None},
    ],
)
def test_settings_are_honoured(items, options):
    with override_settings(REST_FRAMEWORK=options):
        assert_same_data(ITEM, Item.objects.all(), many=True)
        assert_same_data(ITEM, Item.objects.first())


@pytest.mark.parametrize("options", [{"UNICODE_JSON": False}, {"COMPACT_JSON": False}, {"STRICT_JSON": False}])
def test_json_style_settings(items, options):
    # DRF's JSONRenderer reads these settings once, at import: configure a renderer the way they would.
    renderer = JSONRenderer()
    renderer.ensure_ascii = not options.get("UNICODE_JSON", True)
    renderer.compact = options.get("COMPACT_JSON", True)
    renderer.strict = options.get("STRICT_JSON", True)
    expected = renderer.render(ITEM[0](Item.objects.all(), many=True).data)
    with override_settings(REST_FRAMEWORK=options):
        assert ITEM[1](Item.objects.all(), many=True).json_bytes() == expected


@override_settings(USE_TZ=False)
def test_naive_datetimes_without_use_tz():
    Item.objects.create(name="naive", price=1)
    assert_same_data(ITEM, Item.objects.all(), many=True)


def test_post_init_receivers_keep_instances(items):
    def receiver(sender, instance, **kwargs):
        instance.name = instance.name.upper()

    post_init.connect(receiver, sender=Item)
    try:
        sql = selected_sql(lambda: ITEM[1](Item.objects.all(), many=True).data)
        assert '"description"' in sql[0]
        assert ITEM[1](Item.objects.all(), many=True).data[0]["name"] == "PEN"
        assert_same_data(ITEM, Item.objects.all(), many=True)
    finally:
        post_init.disconnect(receiver, sender=Item)


def test_overridden_to_representation_is_called_per_object(items):
    def make(s):
        class S(make_item(s)):
            def to_representation(self, instance):
                data = super().to_representation(instance)
                data["twice"] = instance.quantity * 2
                return data

        return S

    assert_same_data(twins(make), Item.objects.all(), many=True)


def test_custom_field_subclasses_use_their_own_methods(items):
    def make(s):
        class Shout(s.CharField):
            def to_representation(self, value):
                return value.upper()

        class S(s.ModelSerializer):
            name = Shout()

            class Meta:
                model = Item
                fields = ["name", "price"]

        return S

    assert_same_data(twins(make), Item.objects.all(), many=True)


def test_class_plan_needs_no_per_instance_fields(items):
    serializer = ITEM[1](Item.objects.first())
    serializer.data  # noqa: B018
    assert "fields" not in serializer.__dict__
    listing = ITEM[1](Item.objects.all(), many=True)
    listing.data  # noqa: B018
    assert "fields" not in listing.child.__dict__


def test_touched_fields_get_an_instance_plan(items):
    serializer = ITEM[1](Item.objects.first())
    del serializer.fields["description"]
    serializer.fields["price"].coerce_to_string = False
    data = serializer.data
    assert "description" not in data and data["price"] == decimal.Decimal("1.50")
    assert "description" in ITEM[1](Item.objects.first()).data


def test_settings_change_invalidates_class_plans(items):
    first = ITEM[1](Item.objects.first()).data
    with override_settings(REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": False}):
        assert ITEM[1](Item.objects.first()).data["price"] == decimal.Decimal("1.50")
    assert ITEM[1](Item.objects.first()).data == first


def test_nested_serializers_and_method_fields(items):
    def make(s):
        class Small(s.ModelSerializer):
            class Meta:
                model = Item
                fields = ["id", "name"]

        class Wrapped(s.Serializer):
            title = s.CharField()
            items = Small(many=True)
            best = Small()
            count = s.SerializerMethodField()

            def get_count(self, obj):
                return len(obj["items"])

        return Wrapped

    payload = {"title": "t", "items": Item.objects.all(), "best": Item.objects.first()}
    assert_same_data(twins(make), payload)


def test_floats_and_other_values_encode_like_drf():
    def make(s):
        class S(s.Serializer):
            f = s.FloatField()
            d = s.DictField()
            j = s.JSONField()

        return S

    values = [0.1, 1e-05, 1e16, 1.5e300, -0.0, 123456789.123, 5e-324, 1e-4, 9999999999999998.0]
    rows = [{"f": v, "d": {"k": v, "n": None}, "j": [v, "x\u2028", True]} for v in values]
    assert_same_data(twins(make), rows, many=True)


def test_encode_json_of_errors_and_odd_types():
    serializer = ITEM[1](data={"name": "", "price": "x"})
    serializer.is_valid()
    payload = {
        "errors": serializer.errors,
        "when": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        "amount": decimal.Decimal("1.10"),
        "tuple": (1, 2),
        "lazy": timezone.gettext_lazy("Not found.") if hasattr(timezone, "gettext_lazy") else "Not found.",
        1: "int key",
    }
    assert _plan.encode_json(payload) == rendered(payload)
    assert _plan.encode_json(None) == rendered(None) == b""


def test_generated_code_is_shared_between_instances(items):
    before = len(_plan.codegen._instance_fns)
    for _ in range(3):
        ITEM[1](Item.objects.all(), many=True).data  # noqa: B018
        ITEM[1](list(Item.objects.all()), many=True).data  # noqa: B018
    after = len(_plan.codegen._instance_fns)
    assert after - before <= 2


def test_custom_readable_fields_are_followed(items):
    def make(s):
        class S(make_item(s)):
            @property
            def _readable_fields(self):
                for field in self.fields.values():
                    if field.field_name in ("name", "price"):
                        yield field

        return S

    assert assert_same_data(twins(make), Item.objects.all(), many=True)[0] == {"name": "pen", "price": "1.50"}


def make_plain(s):
    class Plain(s.Serializer):
        name = s.CharField()
        count = s.IntegerField(required=False)
        when = s.DateTimeField(default=None)
        price = s.DecimalField(max_digits=6, decimal_places=2, default="1.5")
        flag = s.BooleanField(required=False)

    return Plain


PLAIN = twins(make_plain)


def test_plain_serializer_over_dicts_matches_drf():
    when = datetime.datetime(2024, 1, 1, 12, 30, tzinfo=datetime.UTC)
    rows = [
        {"name": "a", "count": 1, "when": when, "price": decimal.Decimal("2"), "flag": True},
        {"name": "b", "count": "7", "when": None, "price": 3, "flag": 0},
        {"name": 5, "price": None},
        {"name": lambda: "called", "count": lambda: 3, "when": when, "price": "1", "flag": False},
        SimpleNamespace(name="obj", count=2, when=when, price=decimal.Decimal("9.99"), flag=True),
    ]
    assert_same_data(PLAIN, rows, many=True)
    for row in rows:
        assert_same_data(PLAIN, row)


def test_plain_serializer_partial_read_of_missing_keys():
    # Defaults apply to missing keys, except for partial serializers (SkipField): same as DRF.
    row = {"name": "a"}
    assert_same_data(PLAIN, row)
    assert_same_data(PLAIN, [row], many=True)
    drf_cls, bolt_cls = PLAIN
    assert plain(bolt_cls(row, partial=True).data) == plain(drf_cls(row, partial=True).data)
    assert plain(bolt_cls([row], many=True, partial=True).data) == plain(drf_cls([row], many=True, partial=True).data)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="raw values only SQLite can store")
def test_fused_sqlite_columns_match_drf_on_odd_stored_values(items):
    # Values written behind Django's back: floats needing Django's 15-digit rounding, integers in a decimal
    # column, a non-boolean integer in a boolean column, ISO text with an offset in a datetime column.
    table = Item._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET price = 2.675, is_active = 2 WHERE name = 'pen'")
        cursor.execute(f"UPDATE {table} SET price = 7, created_at = '2024-02-03T04:05:06+05:00' WHERE name = 'ink'")
        cursor.execute(f"UPDATE {table} SET price = 0.125, created_at = '2024-02-03 04:05:06' WHERE name = 'nib'")
    assert_same_data(ITEM, Item.objects.all(), many=True)
    assert ITEM[1](Item.objects.all(), many=True).data[0]["price"] == "2.68"

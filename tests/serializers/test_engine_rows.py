"""
The engine's row builder (``_engine.build_rows``) and JSON check (``_engine.passes_through``): every value is
compared with the Python steps they stand in for, and the fast conversions are shown to be taken.
"""

import datetime
import decimal
import random
import zoneinfo

import pytest
from django.utils import timezone

from django_bolt._engine import build_rows, passes_through
from django_bolt.serializers.plans import convert
from django_bolt.serializers.plans.convert import RUST_DATETIME, RUST_DECIMAL, zone_offsets
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList
from tests.app.models import Item
from tests.serializers.test_encode import VALUES
from tests.serializers.test_fast_path import ITEM
from tests.serializers.twins import assert_same_data

UTC = datetime.UTC


class Counted:
    """The column's Python conversion, counting the values the engine handed back to it."""

    def __init__(self, convert):
        self.convert, self.calls = convert, 0

    def __call__(self, value):
        self.calls += 1
        return self.convert(value)


def one_column(spec, values):
    return [row["v"] for row in build_rows([(value,) for value in values], ("v",), (spec,))]


# Decimals ------------------------------------------------------------------------------------------------


def django_decimal_text(places, max_digits):
    """Django's SQLite decimal converter, then DRF's default output (what the fused column stands in for)."""
    create = decimal.Context(prec=15).create_decimal_from_float
    step = decimal.Decimal(1).scaleb(-places)
    context = decimal.Context(prec=max_digits)

    def convert(value):
        try:
            return format(create(value).quantize(step, context=context), "f")
        except decimal.InvalidOperation:
            return "invalid"

    return convert


def decimal_values():
    rng = random.Random(7)
    values = [0.0, -0.0, 0.125, 0.375, 2.675, -0.001, 1.005, 99.995, 562949953421312.5, 0.1 + 0.2, 1e-7, 1e15]
    values += [float("inf"), float("nan"), 1e300, 5e-324, 0, 7, -7, 10**14, 10**15, -(10**18)]
    values += [round(rng.uniform(-1e6, 1e6), rng.randint(0, 6)) for _ in range(3000)]
    values += [rng.uniform(-1e4, 1e4) for _ in range(1000)]
    values += [rng.randint(-(10**9), 10**9) / 10 ** rng.randint(0, 9) for _ in range(1000)]
    return values


@pytest.mark.parametrize(("places", "max_digits"), [(2, 10), (0, 5), (4, 20), (2, 4), (6, 30)])
def test_decimal_text_is_djangos_quantized_text(places, max_digits):
    reference = django_decimal_text(places, max_digits)
    slow = Counted(reference)
    values = decimal_values()
    assert one_column((RUST_DECIMAL, places, max_digits, slow, True, None), values) == [reference(v) for v in values]
    # Only the odd values go back to Python: 16-17 significant digits, non-finite, too long for the column.
    assert slow.calls == sum(1 for v in values if reference(v) == "invalid" or long_or_odd(v))


def long_or_odd(value):
    if isinstance(value, int):
        return abs(value) >= 10**15
    if value != value or value in (float("inf"), float("-inf")):
        return True
    return len(decimal.Decimal(repr(value)).normalize().as_tuple().digits) > 15


def test_typical_prices_never_leave_the_engine():
    slow = Counted(django_decimal_text(2, 10))
    values = [i / 100 for i in range(-100_000, 100_000, 7)]
    assert one_column((RUST_DECIMAL, 2, 10, slow, True, None), values) == [
        django_decimal_text(2, 10)(v) for v in values
    ]
    assert slow.calls == 0


def drf_decimal(places, max_digits):
    from rest_framework import serializers as drf

    field = drf.DecimalField(max_digits=max_digits, decimal_places=places)

    def convert(value):
        try:
            return field.to_representation(value)
        except decimal.InvalidOperation:
            return "invalid"

    return convert


DECIMALS = [decimal.Decimal(text) for text in ("12.50", "-0.05", "0.00", "-0.00", "123.45", "99999999.99", "1.5")]
DECIMALS += [decimal.Decimal(t) for t in ("1E+2", "NaN", "Infinity", "-Infinity", "sNaN", "7", "0E-8", "1.005")]
DECIMALS += [decimal.Decimal(random.Random(3).randint(-(10**9), 10**9)).scaleb(-2) for _ in range(500)]


@pytest.mark.parametrize(("places", "max_digits"), [(2, 10), (2, 4), (0, 5), (3, 12)])
def test_decimal_values_as_psycopg_reads_them_are_drfs_text(places, max_digits):
    # A Decimal already quantized to the field is written as its str(); anything else takes the field's path,
    # which rounds, or raises as DRF's does (a value with more digits than max_digits, Infinity, sNaN).
    from django_bolt import serializers

    _kind, to_text, _types = convert.converter(serializers.DecimalField(max_digits=max_digits, decimal_places=places))
    spec = to_text.rust_column
    assert spec[0] == RUST_DECIMAL
    expected = drf_decimal(places, max_digits)
    slow = Counted(expected)
    out = one_column((*spec[:3], slow, *spec[4:]), DECIMALS)
    assert out == [expected(v) for v in DECIMALS]
    assert [expected(v) for v in DECIMALS] == [drf_decimal_or_invalid(to_text, v) for v in DECIMALS]
    plain = [v for v in DECIMALS if quantized_text(v, places, max_digits)]
    assert slow.calls == len(DECIMALS) - len(plain) and all(expected(v) == str(v) for v in plain)


def quantized_text(value, places, max_digits):
    whole, point, fraction = str(value).lstrip("-").partition(".")
    form = whole.isdigit() and len(fraction) == places and (fraction.isdigit() if places else not point)
    return form and max(1, len((whole + fraction).lstrip("0"))) <= max_digits


def drf_decimal_or_invalid(convert_one, value):
    try:
        return convert_one(value)
    except decimal.InvalidOperation:
        return "invalid"


# Datetimes -----------------------------------------------------------------------------------------------


def drf_text(value, zone):
    """Django makes the stored naive UTC value aware; DRF's field converts it to the zone and writes it."""
    try:
        text = value.replace(tzinfo=UTC).astimezone(zone).isoformat()
    except OverflowError:
        return "overflow"
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def around(moment, hours, step_minutes=7):
    start = moment - datetime.timedelta(hours=hours)
    return [start + datetime.timedelta(minutes=step_minutes * i, microseconds=i % 3) for i in range(hours * 120 // 7)]


# DST changes, half-hour and quarter-hour offsets, local mean time with seconds, the calendar's ends.
MOMENTS = [
    *around(datetime.datetime(2024, 3, 10, 8), 3),
    *around(datetime.datetime(2024, 11, 3, 7), 3),
    *around(datetime.datetime(2024, 3, 10, 5, 30), 2),
    *around(datetime.datetime(2024, 4, 6, 15), 2),
    *around(datetime.datetime(1883, 11, 18, 18), 2),
    datetime.datetime(1850, 6, 1, 0, 0, 0, 10),
    datetime.datetime(2026, 1, 1, 12, 1, 0, 123456),
    datetime.datetime(1, 1, 1),
    datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
]
ZONES = ["America/Chicago", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu", "Europe/London"]


@pytest.mark.parametrize("zone_name", ZONES)
def test_datetime_text_in_a_zone_is_drfs(zone_name):
    zone = zoneinfo.ZoneInfo(zone_name)
    slow = Counted(lambda value: drf_text(value, zone))
    assert one_column((RUST_DATETIME, zone_offsets(zone), slow, None), MOMENTS) == [drf_text(v, zone) for v in MOMENTS]
    # Only values in an hour with an offset change, and the calendar's ends, are written by Python.
    offsets = zone_offsets(zone)
    changing = [v for v in MOMENTS if offsets(hour_of(v)) is None or drf_text(v, zone) == "overflow"]
    assert slow.calls == len(changing) < len(MOMENTS) / 5
    # ... which are the hours around a change (or at the calendar's ends, where Python may overflow).
    assert all(v.year in (1, 9999) or offset_changes_near(v, zone) for v in changing)


def offset_changes_near(value, zone):
    hour = datetime.timedelta(hours=1)
    return len({drf_text(moment, zone)[-6:] for moment in (value - hour, value, value + hour)}) > 1


def hour_of(value):
    return (value - datetime.datetime(1970, 1, 1)) // datetime.timedelta(hours=1)


def test_utc_datetime_text_and_other_values_go_back():
    aware = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    values = [*MOMENTS[:50], aware, "2024-01-01 00:00:00", datetime.date(2024, 1, 1)]
    slow = Counted(lambda value: ("slow", value))
    out = one_column((RUST_DATETIME, None, slow, None), values)
    assert out[:50] == [drf_text(v, UTC) for v in MOMENTS[:50]]
    assert out[50:] == [("slow", v) for v in values[50:]]
    assert slow.calls == 3


@pytest.mark.parametrize("zone_name", ["UTC", "America/Chicago", "Asia/Kathmandu"])
def test_aware_utc_datetimes_as_psycopg_reads_them(zone_name):
    # psycopg returns timestamptz values with tzinfo=datetime.timezone.utc on a UTC connection (Django's).
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = [moment.replace(tzinfo=UTC) for moment in MOMENTS[:-2]]
    others = [MOMENTS[0], aware[0].astimezone(zoneinfo.ZoneInfo("UTC")), aware[0].astimezone(zone)]
    slow = Counted(lambda value: ("slow", value))
    offsets = None if zone_name == "UTC" else zone_offsets(zone)
    out = one_column((RUST_DATETIME, offsets, slow, UTC), aware + others)
    fast = [text for text in out if not isinstance(text, tuple)]
    assert fast == [
        drf_text(v.replace(tzinfo=None), zone)
        for v in aware
        if offsets is None or offsets(hour_of(v.replace(tzinfo=None))) is not None
    ]
    assert out[-3:] == [("slow", v) for v in others]


@pytest.mark.django_db
def test_field_output_in_a_zone_uses_the_engine_for_utc_values():
    # The default DateTimeField output carries the engine's column for values already in UTC.
    from django_bolt import serializers

    field = serializers.DateTimeField()
    with timezone.override("America/Chicago"):
        _kind, to_text, _types = convert.converter(field)
    kind, offsets, slow, utc = to_text.rust_column
    assert (kind, slow, utc) == (RUST_DATETIME, to_text, UTC)
    moment = datetime.datetime(2024, 7, 1, 12, tzinfo=UTC)
    assert one_column(to_text.rust_column, [moment]) == [to_text(moment)] == ["2024-07-01T07:00:00-05:00"]


def test_none_is_none_and_plain_columns_keep_their_kinds():
    rows = [(None, None, None, None), [1, "a", 2.5, "x"]]  # a driver may answer lists
    columns = ((0,), (1, str.upper, (int,)), (2, repr), (1, str.upper, (str,)))
    assert build_rows(rows, ("a", "b", "c", "d"), columns) == [
        {"a": None, "b": None, "c": None, "d": None},
        {"a": 1, "b": "A", "c": "2.5", "d": "x"},
    ]
    with pytest.raises(ValueError):
        build_rows([(1, 2)], ("a", "b", "c"), ((0,), (0,), (0,)))


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/Chicago", "America/St_Johns", "Australia/Lord_Howe"])
def test_lists_across_offset_changes_match_drf(zone):
    item = Item.objects.create(name="pen", price=decimal.Decimal("1.50"))
    for i, moment in enumerate(around(datetime.datetime(2024, 3, 10, 8), 2, step_minutes=13)[:40]):
        clone = Item.objects.create(name=f"pen {i}", price=decimal.Decimal(i) / 8)
        Item.objects.filter(pk=clone.pk).update(created_at=moment.replace(tzinfo=UTC))
    Item.objects.filter(pk=item.pk).update(created_at=datetime.datetime(1883, 11, 18, 17, 55, tzinfo=UTC))
    with timezone.override(zone):
        assert_same_data(ITEM, Item.objects.order_by("pk"), many=True)


# The JSON check ------------------------------------------------------------------------------------------


def python_passes_through(value):
    """The check as it was written in Python (json_bytes.py before the engine took it over)."""
    scalars, keys = {str, int, bool, type(None)}, {str, int}
    kind = value.__class__
    if kind in scalars:
        return True
    if kind is float:
        return abs(value) == 0.0 or 1e-4 <= abs(value) < 1e16
    if kind is dict or kind is ReturnDict:
        if not keys.issuperset(map(type, value)):
            return False
        items = value.values()
    elif kind is list or kind is tuple or kind is ReturnList:
        items = value
    else:
        return isinstance(value, str)
    return all(python_passes_through(item) for item in items)


class Number(int):
    pass


EXTRA = [
    [Number(1)],
    {"x": float("nan")},
    (1, (2, [3.5e-5])),
    {"k": {False: 1}},
    ReturnDict({"a": [ReturnList([1e15], serializer=None)]}, serializer=None),
    [[[[[[["deep"]]]]]]],
]


@pytest.mark.parametrize("value", [*VALUES, *EXTRA])
def test_json_check_is_the_python_check(value):
    assert passes_through(value, (ReturnDict,), (ReturnList,)) is python_passes_through(value)


# Model instances (``_engine.build_from_instances``) ------------------------------------------------------


class ItemProxy(Item):
    class Meta:
        proxy = True
        app_label = "testapp"


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Australia/Lord_Howe"])
def test_instances_are_built_by_the_engine_as_drf_represents_them(zone, monkeypatch):
    from django_bolt.serializers.plans import lists

    calls = []
    engine = lists._engine_build_from_instances
    monkeypatch.setattr(lists, "_engine_build_from_instances", lambda *a: calls.append(1) or engine(*a))
    for i in range(6):
        Item.objects.create(name=f"pen {i}", price=decimal.Decimal(i) / 4, quantity=i, is_active=bool(i % 2))
    Item.objects.filter(quantity=3).update(created_at=datetime.datetime(2024, 3, 10, 7, 59, 59, 999999, tzinfo=UTC))
    instances = list(Item.objects.order_by("pk"))
    # Values a view may have set on an instance, of types the database would not give.
    instances[1].price = 2.5
    instances[2].created_at = datetime.datetime(2024, 1, 1, 12, 30)  # naive: DRF makes it aware
    instances[3].is_active = 1
    instances[4].name = None
    mixed = [
        *instances,
        Item.objects.only("name").order_by("pk").first(),  # a deferred column: the per-object path
        ItemProxy.objects.order_by("-pk").first(),  # a subclass instance
    ]
    with timezone.override(zone):
        assert_same_data(ITEM, mixed, many=True)
    assert calls  # the engine built them


@pytest.mark.django_db
def test_an_object_that_is_not_a_model_instance_takes_the_fields_path():
    from django_bolt.serializers.plans import lists
    from django_bolt.serializers.plans.compile import read_plan

    class Loose:
        def __init__(self, **values):
            self.__dict__.update(values)

    Item.objects.create(name="pen", price=decimal.Decimal("1.50"))
    child = ITEM[1]()
    plan = read_plan(child)
    item = Item.objects.get()
    loose = Loose(**{name: getattr(item, name) for name in plan.attnames})
    assert lists.represent_instances(plan, [item, loose]) == [child.to_representation(item)] * 2

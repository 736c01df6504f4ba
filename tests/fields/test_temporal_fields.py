"""Date/time/duration fields against DRF's (the project runs with USE_TZ=True, TIME_ZONE='UTC')."""

import datetime as dt
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.fields.parity import both, build, check_invalid, check_output, check_valid, table_ids, validation_errors

UTC = dt.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NY = zoneinfo.ZoneInfo("America/New_York")
ISO_DT = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"

VALID = [
    ("DateTimeField", {}, "2024-01-02T03:04:05Z", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("DateTimeField", {}, "2024-01-02T03:04:05.123456Z", dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
    ("DateTimeField", {}, "2024-01-02T03:04", dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC)),
    ("DateTimeField", {}, "2024-01-02 03:04:05", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("DateTimeField", {}, "2024-01-02T05:04:05+02:00", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("DateTimeField", {}, dt.datetime(2024, 1, 2, 3, 4), dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC)),
    (
        "DateTimeField",
        {"default_timezone": PARIS},
        "2024-01-02T03:04:05",
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PARIS),
    ),
    (
        "DateTimeField",
        {"default_timezone": PARIS},
        "2024-01-02T03:04:05Z",
        dt.datetime(2024, 1, 2, 4, 4, 5, tzinfo=PARIS),
    ),
    (
        "DateTimeField",
        {"input_formats": ["%d/%m/%Y %H:%M"]},
        "02/01/2024 03:04",
        dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    ),
    (
        "DateTimeField",
        {"input_formats": ["%d/%m/%Y %H:%M", "iso-8601"]},
        "2024-01-02T03:04:05Z",
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    ),
    ("DateTimeField", {"allow_null": True}, None, None),
    # Wall-clock times in a DST gap or overlap are accepted as DRF does (fold=0).
    ("DateTimeField", {"default_timezone": NY}, "2024-03-10T02:30:00", dt.datetime(2024, 3, 10, 2, 30, tzinfo=NY)),
    ("DateTimeField", {"default_timezone": NY}, "2024-11-03T01:30:00", dt.datetime(2024, 11, 3, 1, 30, tzinfo=NY)),
    ("DateField", {}, "2024-01-02", dt.date(2024, 1, 2)),
    ("DateField", {}, dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
    ("DateField", {"input_formats": ["%d/%m/%Y"]}, "02/01/2024", dt.date(2024, 1, 2)),
    ("TimeField", {}, "03:04", dt.time(3, 4)),
    ("TimeField", {}, "03:04:05.5", dt.time(3, 4, 5, 500000)),
    ("TimeField", {}, dt.time(3, 4), dt.time(3, 4)),
    ("TimeField", {"input_formats": ["%I:%M %p"]}, "03:04 PM", dt.time(15, 4)),
    ("DurationField", {}, "3 08:32:01.000123", dt.timedelta(days=3, hours=8, minutes=32, seconds=1, microseconds=123)),
    ("DurationField", {}, "08:01", dt.timedelta(minutes=8, seconds=1)),
    ("DurationField", {}, "P3DT1H", dt.timedelta(days=3, hours=1)),
    ("DurationField", {}, 86400, dt.timedelta(days=1)),
    ("DurationField", {}, dt.timedelta(seconds=5), dt.timedelta(seconds=5)),
    ("DurationField", {"max_value": dt.timedelta(hours=1)}, "01:00:00", dt.timedelta(hours=1)),
]

INVALID = [
    (
        "DateTimeField",
        {},
        "nope",
        [(f"Datetime has wrong format. Use one of these formats instead: {ISO_DT}.", "invalid")],
    ),
    (
        "DateTimeField",
        {},
        "2024-13-02T00:00",
        [(f"Datetime has wrong format. Use one of these formats instead: {ISO_DT}.", "invalid")],
    ),
    (
        "DateTimeField",
        {},
        12,
        [(f"Datetime has wrong format. Use one of these formats instead: {ISO_DT}.", "invalid")],
    ),
    (
        "DateTimeField",
        {"input_formats": ["%d/%m/%Y %H:%M", "iso-8601"]},
        "x",
        [(f"Datetime has wrong format. Use one of these formats instead: DD/MM/YYYY hh:mm, {ISO_DT}.", "invalid")],
    ),
    ("DateTimeField", {}, dt.date(2024, 1, 2), [("Expected a datetime but got a date.", "date")]),
    ("DateTimeField", {}, None, [("This field may not be null.", "null")]),
    (
        "DateTimeField",
        {"default_timezone": zoneinfo.ZoneInfo("Etc/GMT-14")},
        dt.datetime(9999, 12, 31, 23, tzinfo=UTC),
        [("Datetime value out of range.", "overflow")],
    ),
    (
        "DateField",
        {},
        "2024-02-30",
        [("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", "invalid")],
    ),
    ("DateField", {}, "nope", [("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", "invalid")]),
    (
        "DateField",
        {"input_formats": ["%b %d %Y"]},
        "2024-01-02",
        [("Date has wrong format. Use one of these formats instead: [Jan-Dec] DD YYYY.", "invalid")],
    ),
    ("DateField", {}, dt.datetime(2024, 1, 2), [("Expected a date but got a datetime.", "datetime")]),
    (
        "TimeField",
        {},
        "25:00",
        [("Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].", "invalid")],
    ),
    (
        "TimeField",
        {"input_formats": ["%H%M%S%z"]},
        "x",
        [("Time has wrong format. Use one of these formats instead: hhmmss[+HHMM|-HHMM].", "invalid")],
    ),
    (
        "DurationField",
        {},
        "nope",
        [("Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].", "invalid")],
    ),
    (
        "DurationField",
        {},
        "1000000000 00:00:00",
        [("The number of days must be between -999999999 and 999999999.", "overflow")],
    ),
    (
        "DurationField",
        {"max_value": dt.timedelta(hours=1)},
        "01:00:01",
        [("Ensure this value is less than or equal to 1:00:00.", "max_value")],
    ),
    (
        "DurationField",
        {"min_value": dt.timedelta(hours=1)},
        "00:59",
        [("Ensure this value is greater than or equal to 1:00:00.", "min_value")],
    ),
]

OUTPUT = [
    ("DateTimeField", {}, dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05Z"),
    ("DateTimeField", {}, dt.datetime(2024, 1, 2, 3, 4, 5, 120, tzinfo=UTC), "2024-01-02T03:04:05.000120Z"),
    ("DateTimeField", {}, dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PARIS), "2024-01-02T02:04:05Z"),
    ("DateTimeField", {}, dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05Z"),
    (
        "DateTimeField",
        {"default_timezone": PARIS},
        dt.datetime(2024, 7, 2, 3, 4, tzinfo=UTC),
        "2024-07-02T05:04:00+02:00",
    ),
    ("DateTimeField", {"format": "%Y/%m/%d %H:%M"}, dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC), "2024/01/02 03:04"),
    (
        "DateTimeField",
        {"format": None},
        dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
        dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    ),
    ("DateTimeField", {}, "2024-01-02 already text", "2024-01-02 already text"),
    ("DateTimeField", {}, None, None),
    ("DateTimeField", {}, "", None),
    ("DateField", {}, dt.date(2024, 1, 2), "2024-01-02"),
    ("DateField", {"format": "%d.%m.%Y"}, dt.date(2024, 1, 2), "02.01.2024"),
    ("DateField", {"format": None}, dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
    ("DateField", {}, "2024-01-02", "2024-01-02"),
    ("DateField", {}, None, None),
    ("TimeField", {}, dt.time(3, 4, 5), "03:04:05"),
    ("TimeField", {}, dt.time(3, 4, 5, 6), "03:04:05.000006"),
    ("TimeField", {}, dt.time(0, 0), "00:00:00"),
    ("TimeField", {"format": "%H.%M"}, dt.time(3, 4), "03.04"),
    ("TimeField", {}, None, None),
    ("TimeField", {}, "", None),
    ("DurationField", {}, dt.timedelta(days=1, hours=2, seconds=3), "1 02:00:03"),
    ("DurationField", {}, dt.timedelta(seconds=3, microseconds=5), "00:00:03.000005"),
    ("DurationField", {}, dt.timedelta(days=-1), "-1 00:00:00"),
    ("DurationField", {"format": "iso-8601"}, dt.timedelta(days=1, hours=2, seconds=3), "P1DT02H00M03S"),
    ("DurationField", {"format": None}, dt.timedelta(seconds=3), dt.timedelta(seconds=3)),
]


@both
@pytest.mark.parametrize("name,kwargs,data,expected", VALID, ids=table_ids(VALID))
def test_valid(impl, name, kwargs, data, expected):
    check_valid(impl, name, kwargs, data, expected)
    if isinstance(expected, dt.datetime):
        value = build(impl, name, kwargs).run_validation(data)
        assert value.tzinfo == expected.tzinfo or value.utcoffset() == expected.utcoffset()


@both
@pytest.mark.parametrize("name,kwargs,data,expected", INVALID, ids=table_ids(INVALID))
def test_invalid(impl, name, kwargs, data, expected):
    check_invalid(impl, name, kwargs, data, expected)


@both
@pytest.mark.parametrize("name,kwargs,value,expected", OUTPUT, ids=table_ids(OUTPUT))
def test_output(impl, name, kwargs, value, expected):
    check_output(impl, name, kwargs, value, expected)


@both
@override_settings(USE_TZ=False)
def test_naive_without_use_tz(impl):
    field = build(impl, "DateTimeField")
    assert field.run_validation("2024-01-02T03:04:05+02:00") == dt.datetime(2024, 1, 2, 1, 4, 5)
    assert field.run_validation("2024-01-02T03:04:05").tzinfo is None
    assert field.to_representation(dt.datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05"
    assert field.to_representation(dt.datetime(2024, 1, 2, 3, 4, tzinfo=PARIS)) == "2024-01-02T02:04:00"


@both
def test_current_timezone_is_used(impl):
    with timezone.override(PARIS):
        field = build(impl, "DateTimeField")
        assert field.to_representation(dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC)) == "2024-01-02T04:04:00+01:00"
        assert field.run_validation("2024-01-02T03:04").utcoffset() == dt.timedelta(hours=1)


@both
def test_settings_formats(impl):
    settings = {
        "DATETIME_FORMAT": "%Y",
        "DATE_FORMAT": "%m",
        "TIME_FORMAT": "%H",
        "DURATION_FORMAT": "iso-8601",
        "DATE_INPUT_FORMATS": ["%d.%m.%Y"],
    }
    with override_settings(REST_FRAMEWORK=settings):
        assert build(impl, "DateTimeField").to_representation(dt.datetime(2024, 1, 2, tzinfo=UTC)) == "2024"
        assert build(impl, "DateField").to_representation(dt.date(2024, 3, 2)) == "03"
        assert build(impl, "TimeField").to_representation(dt.time(7, 0)) == "07"
        assert build(impl, "DurationField").to_representation(dt.timedelta(seconds=1)) == "P0DT00H00M01S"
        assert build(impl, "DateField").run_validation("02.01.2024") == dt.date(2024, 1, 2)
        assert validation_errors(impl, lambda: build(impl, "DateField").run_validation("2024-01-02")) == [
            ("Date has wrong format. Use one of these formats instead: DD.MM.YYYY.", "invalid")
        ]


@both
def test_date_and_time_fields_refuse_datetimes_on_output(impl):
    with pytest.raises(AssertionError, match="Expected a `date`, but got a `datetime`"):
        build(impl, "DateField").to_representation(dt.datetime(2024, 1, 2))
    with pytest.raises(AssertionError, match="Expected a `time`, but got a `datetime`"):
        build(impl, "TimeField").to_representation(dt.datetime(2024, 1, 2))


@both
def test_duration_format_errors(impl):
    with pytest.raises(ValueError, match="Unknown duration format provided, got 'weird'"):
        build(impl, "DurationField", {"format": "weird"})
    with pytest.raises(TypeError, match="duration format must be either str or `None`, not int"):
        build(impl, "DurationField", {"format": 5})
    with override_settings(REST_FRAMEWORK={"DURATION_FORMAT": "weird"}):
        with pytest.raises(ValueError, match="Unknown duration format provided"):
            build(impl, "DurationField").to_representation(dt.timedelta(1))

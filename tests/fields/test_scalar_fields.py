"""Boolean, string and number fields: one table, run against django_bolt's fields and DRF's."""

import decimal
import uuid

import pytest
from django.test import override_settings

from tests.fields.parity import both, build, check_invalid, check_output, check_valid, table_ids

D = decimal.Decimal
UUID = uuid.UUID("825d7aeb-05a9-45b5-a5b7-05df87923cda")

# (field, kwargs, input, internal value)
VALID = [
    ("BooleanField", {}, True, True),
    ("BooleanField", {}, "true", True),
    ("BooleanField", {}, "TRUE", True),
    ("BooleanField", {}, "on", True),
    ("BooleanField", {}, "Y", True),
    ("BooleanField", {}, 1, True),
    ("BooleanField", {}, "1", True),
    ("BooleanField", {}, "off", False),
    ("BooleanField", {}, "No", False),
    ("BooleanField", {}, 0, False),
    ("BooleanField", {}, 0.0, False),
    ("BooleanField", {}, "f", False),
    ("BooleanField", {"allow_null": True}, "null", None),
    ("BooleanField", {"allow_null": True}, None, None),
    ("BooleanField", {"allow_null": True}, "", None),
    ("CharField", {}, "abc", "abc"),
    ("CharField", {}, "  abc  ", "abc"),
    ("CharField", {"trim_whitespace": False}, "  abc ", "  abc "),
    ("CharField", {}, 1, "1"),
    ("CharField", {}, 1.5, "1.5"),
    ("CharField", {"allow_blank": True}, "", ""),
    ("CharField", {"allow_blank": True}, "   ", ""),
    ("CharField", {"allow_null": True}, None, None),
    ("CharField", {"max_length": 3}, "abc", "abc"),
    ("CharField", {"min_length": 2}, "ab", "ab"),
    ("CharField", {"max_length": 3}, " abc ", "abc"),
    ("EmailField", {}, "a@example.com", "a@example.com"),
    ("EmailField", {}, " a@example.com ", "a@example.com"),
    ("RegexField", {"regex": r"^\d+$"}, "123", "123"),
    ("SlugField", {}, "a-slug_1", "a-slug_1"),
    ("SlugField", {"allow_unicode": True}, "slüg", "slüg"),
    ("URLField", {}, "http://example.com/x?y=1", "http://example.com/x?y=1"),
    ("UUIDField", {}, "825d7aeb-05a9-45b5-a5b7-05df87923cda", UUID),
    ("UUIDField", {}, "825d7aeb05a945b5a5b705df87923cda", UUID),
    ("UUIDField", {}, "urn:uuid:825d7aeb-05a9-45b5-a5b7-05df87923cda", UUID),
    ("UUIDField", {}, UUID.int, UUID),
    ("UUIDField", {}, UUID, UUID),
    ("IPAddressField", {}, "127.0.0.1", "127.0.0.1"),
    ("IPAddressField", {}, "::ffff:10.10.10.10", "10.10.10.10"),
    ("IPAddressField", {}, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
    ("IPAddressField", {"protocol": "ipv6"}, "::ffff:10.10.10.10", "::ffff:10.10.10.10"),
    ("IPAddressField", {"protocol": "IPv4"}, "1.2.3.4", "1.2.3.4"),
    ("IntegerField", {}, "1", 1),
    ("IntegerField", {}, "1.0", 1),
    ("IntegerField", {}, "1.", 1),
    ("IntegerField", {}, " 7 ", 7),
    ("IntegerField", {}, 1.0, 1),
    ("IntegerField", {}, 0, 0),
    ("IntegerField", {}, "-12", -12),
    ("IntegerField", {"max_value": 10, "min_value": 1}, 10, 10),
    ("IntegerField", {"allow_null": True}, None, None),
    ("BigIntegerField", {}, "9223372036854775807", 9223372036854775807),
    ("FloatField", {}, "1.5", 1.5),
    ("FloatField", {}, 1, 1.0),
    ("FloatField", {}, "1e3", 1000.0),
    ("FloatField", {"max_value": 1.5}, 1.5, 1.5),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "12.3", D("12.30")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, 12.3, D("12.30")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, " 0.01 ", D("0.01")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, 3, D("3.00")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, D("-999.99"), D("-999.99")),
    ("DecimalField", {"max_digits": None, "decimal_places": 2}, "123456789.1", D("123456789.10")),
    ("DecimalField", {"max_digits": 5, "decimal_places": None}, "1.2345", D("1.2345")),
    ("DecimalField", {"max_digits": None, "decimal_places": None}, "1e2", D("1e2")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "allow_null": True}, "", None),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "allow_null": True}, "  ", None),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "allow_null": True}, None, None),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "max_value": 10}, "10", D("10.00")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "localize": True}, "1.5", D("1.50")),
]

# (field, kwargs, input, [(message, code), ...])
INVALID = [
    ("BooleanField", {}, "maybe", [("Must be a valid boolean.", "invalid")]),
    ("BooleanField", {}, 2, [("Must be a valid boolean.", "invalid")]),
    ("BooleanField", {}, [], [("Must be a valid boolean.", "invalid")]),
    ("BooleanField", {}, "null", [("Must be a valid boolean.", "invalid")]),
    ("BooleanField", {}, None, [("This field may not be null.", "null")]),
    ("CharField", {}, "", [("This field may not be blank.", "blank")]),
    ("CharField", {}, "   ", [("This field may not be blank.", "blank")]),
    ("CharField", {}, None, [("This field may not be null.", "null")]),
    ("CharField", {}, True, [("Not a valid string.", "invalid")]),
    ("CharField", {}, ["a"], [("Not a valid string.", "invalid")]),
    ("CharField", {}, {"a": 1}, [("Not a valid string.", "invalid")]),
    ("CharField", {"max_length": 3}, "abcd", [("Ensure this field has no more than 3 characters.", "max_length")]),
    ("CharField", {"min_length": 3}, "ab", [("Ensure this field has at least 3 characters.", "min_length")]),
    ("CharField", {}, "a\x00b", [("Null characters are not allowed.", "null_characters_not_allowed")]),
    (
        "CharField",
        {},
        "a\ud800b",
        [("Surrogate characters are not allowed: U+D800.", "surrogate_characters_not_allowed")],
    ),
    (
        "CharField",
        {"min_length": 5},
        "a\x00b",
        [
            ("Ensure this field has at least 5 characters.", "min_length"),
            ("Null characters are not allowed.", "null_characters_not_allowed"),
        ],
    ),
    ("CharField", {"error_messages": {"blank": "Say something."}}, "", [("Say something.", "blank")]),
    ("EmailField", {}, "nope", [("Enter a valid email address.", "invalid")]),
    ("EmailField", {}, "a@b", [("Enter a valid email address.", "invalid")]),
    ("RegexField", {"regex": r"^\d+$"}, "12a", [("This value does not match the required pattern.", "invalid")]),
    (
        "SlugField",
        {},
        "a slug",
        [('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.', "invalid")],
    ),
    (
        "SlugField",
        {},
        "slüg",
        [('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.', "invalid")],
    ),
    (
        "SlugField",
        {"allow_unicode": True},
        "sl üg",
        [('Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.', "invalid")],
    ),
    ("URLField", {}, "example", [("Enter a valid URL.", "invalid")]),
    ("UUIDField", {}, "nope", [("Must be a valid UUID.", "invalid")]),
    ("UUIDField", {}, 1.5, [("Must be a valid UUID.", "invalid")]),
    ("UUIDField", {}, -1, [("Must be a valid UUID.", "invalid")]),
    ("IPAddressField", {}, "1.2.3", [("Enter a valid IPv4 or IPv6 address.", "invalid")]),
    ("IPAddressField", {}, "::1::2", [("Enter a valid IPv4 or IPv6 address.", "invalid")]),
    ("IPAddressField", {}, 127, [("Enter a valid IPv4 or IPv6 address.", "invalid")]),
    ("IPAddressField", {"protocol": "ipv4"}, "::1", [("Enter a valid IPv4 address.", "invalid")]),
    ("IPAddressField", {"protocol": "ipv6"}, "1.2.3.4", [("Enter a valid IPv6 address.", "invalid")]),
    ("IntegerField", {}, "abc", [("A valid integer is required.", "invalid")]),
    ("IntegerField", {}, "1.5", [("A valid integer is required.", "invalid")]),
    ("IntegerField", {}, [], [("A valid integer is required.", "invalid")]),
    ("IntegerField", {}, None, [("This field may not be null.", "null")]),
    ("IntegerField", {}, "1" * 1001, [("String value too large.", "max_string_length")]),
    ("IntegerField", {"max_value": 10}, 11, [("Ensure this value is less than or equal to 10.", "max_value")]),
    ("IntegerField", {"min_value": 1}, 0, [("Ensure this value is greater than or equal to 1.", "min_value")]),
    ("BigIntegerField", {}, "x", [("A valid biginteger is required.", "invalid")]),
    ("FloatField", {}, "abc", [("A valid number is required.", "invalid")]),
    ("FloatField", {}, "nan", [("A valid number is required.", "invalid")]),
    ("FloatField", {}, "inf", [("A valid number is required.", "invalid")]),
    ("FloatField", {}, 10**400, [("Integer value too large to convert to float", "overflow")]),
    ("FloatField", {}, "1" * 1001, [("String value too large.", "max_string_length")]),
    ("FloatField", {"max_value": 1.5}, 2, [("Ensure this value is less than or equal to 1.5.", "max_value")]),
    ("FloatField", {"min_value": 0.5}, 0, [("Ensure this value is greater than or equal to 0.5.", "min_value")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "abc", [("A valid number is required.", "invalid")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "NaN", [("A valid number is required.", "invalid")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "sNaN", [("A valid number is required.", "invalid")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "Inf", [("A valid number is required.", "invalid")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "-Infinity", [("A valid number is required.", "invalid")]),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "", [("A valid number is required.", "invalid")]),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
        "1234.56",
        [("Ensure that there are no more than 5 digits in total.", "max_digits")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
        "1.234",
        [("Ensure that there are no more than 2 decimal places.", "max_decimal_places")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
        "0.001",
        [("Ensure that there are no more than 2 decimal places.", "max_decimal_places")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
        "1234",
        [("Ensure that there are no more than 3 digits before the decimal point.", "max_whole_digits")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
        "1e5",
        [("Ensure that there are no more than 5 digits in total.", "max_digits")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2, "max_value": 10},
        "10.01",
        [("Ensure this value is less than or equal to 10.", "max_value")],
    ),
    (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2, "min_value": D("0.5")},
        "0.1",
        [("Ensure this value is greater than or equal to 0.5.", "min_value")],
    ),
    (
        "DecimalField",
        {"max_digits": None, "decimal_places": None},
        "1" * 1001,
        [("String value too large.", "max_string_length")],
    ),
]

# (field, kwargs, value, output)
OUTPUT = [
    ("BooleanField", {}, True, True),
    ("BooleanField", {}, False, False),
    ("BooleanField", {}, "true", True),
    ("BooleanField", {}, "off", False),
    ("BooleanField", {}, 1, True),
    ("BooleanField", {}, 5, True),
    ("BooleanField", {}, "", False),
    ("BooleanField", {}, "null", True),
    ("BooleanField", {}, [], False),
    ("BooleanField", {"allow_null": True}, None, None),
    ("BooleanField", {"allow_null": True}, "null", None),
    ("BooleanField", {}, None, False),
    ("CharField", {}, "abc", "abc"),
    ("CharField", {}, "  abc ", "  abc "),
    ("CharField", {}, 12, "12"),
    ("CharField", {}, None, "None"),
    ("EmailField", {}, "a@example.com", "a@example.com"),
    ("UUIDField", {}, UUID, "825d7aeb-05a9-45b5-a5b7-05df87923cda"),
    ("UUIDField", {"format": "hex"}, UUID, "825d7aeb05a945b5a5b705df87923cda"),
    ("UUIDField", {"format": "int"}, UUID, UUID.int),
    ("UUIDField", {"format": "urn"}, UUID, "urn:uuid:825d7aeb-05a9-45b5-a5b7-05df87923cda"),
    ("IntegerField", {}, 3, 3),
    ("IntegerField", {}, "3", 3),
    ("IntegerField", {}, 3.7, 3),
    ("IntegerField", {}, True, 1),
    ("BigIntegerField", {}, 2**63, 2**63),
    ("BigIntegerField", {"coerce_to_string": True}, 2**63, "9223372036854775808"),
    ("BigIntegerField", {"coerce_to_string": True}, None, ""),
    ("FloatField", {}, 1, 1.0),
    ("FloatField", {}, "1.5", 1.5),
    ("FloatField", {}, D("2.5"), 2.5),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, D("1.5"), "1.50"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, 1.5, "1.50"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, "1.5", "1.50"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, 2, "2.00"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, D("1.005"), "1.00"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "rounding": decimal.ROUND_UP}, D("1.001"), "1.01"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2}, None, ""),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "coerce_to_string": False}, None, None),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "coerce_to_string": False}, D("1.5"), D("1.50")),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "normalize_output": True}, D("1.50"), "1.5"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "normalize_output": True}, D("100"), "100"),
    ("DecimalField", {"max_digits": None, "decimal_places": None}, D("1E+2"), "100"),
    ("DecimalField", {"max_digits": 8, "decimal_places": 3}, D("-0.5"), "-0.500"),
    ("DecimalField", {"max_digits": 5, "decimal_places": 2, "localize": True}, D("1.5"), "1.50"),
]


@both
@pytest.mark.parametrize("name,kwargs,data,expected", VALID, ids=table_ids(VALID))
def test_valid(impl, name, kwargs, data, expected):
    check_valid(impl, name, kwargs, data, expected)


@both
@pytest.mark.parametrize("name,kwargs,data,expected", INVALID, ids=table_ids(INVALID))
def test_invalid(impl, name, kwargs, data, expected):
    check_invalid(impl, name, kwargs, data, expected)


@both
@pytest.mark.parametrize("name,kwargs,value,expected", OUTPUT, ids=table_ids(OUTPUT))
def test_output(impl, name, kwargs, value, expected):
    check_output(impl, name, kwargs, value, expected)


@both
@pytest.mark.parametrize("coerce,expected", [(True, "1.50"), (False, D("1.50"))])
def test_decimal_coerce_setting(impl, coerce, expected):
    with override_settings(REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": coerce}, BOLT={}):
        assert (
            build(impl, "DecimalField", {"max_digits": 5, "decimal_places": 2}).to_representation(D("1.5")) == expected
        )


@both
def test_bigint_coerce_setting(impl):
    with override_settings(REST_FRAMEWORK={"COERCE_BIGINT_TO_STRING": True}):
        assert build(impl, "BigIntegerField").to_representation(5) == "5"
    assert build(impl, "BigIntegerField").to_representation(5) == 5


@both
def test_decimal_field_rejects_bad_rounding(impl):
    with pytest.raises(AssertionError, match="Invalid rounding option"):
        build(impl, "DecimalField", {"max_digits": 5, "decimal_places": 2, "rounding": "ROUND_NOPE"})


@both
def test_decimal_bound_warning(impl):
    with pytest.warns(UserWarning, match="max_value should be an integer or Decimal instance."):
        build(impl, "DecimalField", {"max_digits": 5, "decimal_places": 2, "max_value": 1.5})


@both
def test_uuid_bad_format(impl):
    with pytest.raises(ValueError, match='Must be one of "hex_verbose", "hex", "int", "urn"'):
        build(impl, "UUIDField", {"format": "nope"})


@both
def test_boolean_field_html_defaults(impl):
    field = build(impl, "BooleanField")
    assert (field.initial, field.default_empty_html) == (False, False)
    field = build(impl, "BooleanField", {"allow_null": True})
    assert (field.initial, field.default_empty_html) == (None, None)


@both
def test_char_field_validators_order(impl):
    field = build(impl, "CharField", {"max_length": 3, "min_length": 1})
    names = [type(v).__name__ for v in field.validators]
    assert names == [
        "MaxLengthValidator",
        "MinLengthValidator",
        "ProhibitNullCharactersValidator",
        "ProhibitSurrogateCharactersValidator",
    ]

"""ListField, DictField, HStoreField, JSONField against DRF's, including HTML form input."""

import decimal
import json

import pytest
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from tests.fields.parity import both, build, check_invalid, check_output, check_valid, table_ids, validation_errors


def ints(impl, **extra):
    return {"child": impl.fields.IntegerField(), **extra}


VALID = [
    ("ListField", {}, [1, "a", None, {"x": 1}], [1, "a", None, {"x": 1}]),
    ("ListField", {}, (1, 2), [1, 2]),
    ("ListField", ints, ["1", 2, "3.0"], [1, 2, 3]),
    ("ListField", ints, [], []),
    ("ListField", lambda impl: ints(impl, min_length=1, max_length=2), [1, 2], [1, 2]),
    ("ListField", lambda impl: {"child": impl.fields.CharField(allow_null=True)}, ["a", None], ["a", None]),
    (
        "ListField",
        lambda impl: {"child": impl.fields.ListField(child=impl.fields.IntegerField())},
        [["1"], []],
        [[1], []],
    ),
    ("ListField", {"allow_null": True}, None, None),
    ("DictField", {}, {"a": 1, "b": [2]}, {"a": 1, "b": [2]}),
    ("DictField", ints, {"a": "1", 2: 3}, {"a": 1, "2": 3}),
    ("DictField", ints, {}, {}),
    ("HStoreField", {}, {"a": "x", "b": None, "c": ""}, {"a": "x", "b": None, "c": ""}),
    ("HStoreField", {}, {"a": 1}, {"a": "1"}),
    ("JSONField", {}, {"a": [1, 2.5, None, True]}, {"a": [1, 2.5, None, True]}),
    ("JSONField", {}, "text", "text"),
    ("JSONField", {}, 3, 3),
    ("JSONField", {}, [], []),
    ("JSONField", {"binary": True}, '{"a": 1}', {"a": 1}),
    ("JSONField", {"binary": True}, b"[1, 2]", [1, 2]),
    ("JSONField", {"allow_null": True}, None, None),
]

INVALID = [
    ("ListField", {}, "abc", [('Expected a list of items but got type "str".', "not_a_list")]),
    ("ListField", {}, {"a": 1}, [('Expected a list of items but got type "dict".', "not_a_list")]),
    ("ListField", {}, 5, [('Expected a list of items but got type "int".', "not_a_list")]),
    ("ListField", {}, None, [("This field may not be null.", "null")]),
    ("ListField", {"allow_empty": False}, [], [("This list may not be empty.", "empty")]),
    (
        "ListField",
        ints,
        [1, "x", 3, None],
        {1: [("A valid integer is required.", "invalid")], 3: [("This field may not be null.", "null")]},
    ),
    (
        "ListField",
        lambda impl: ints(impl, min_length=2),
        [1],
        [("Ensure this field has at least 2 elements.", "min_length")],
    ),
    (
        "ListField",
        lambda impl: ints(impl, max_length=2),
        [1, 2, 3],
        [("Ensure this field has no more than 2 elements.", "max_length")],
    ),
    (
        "ListField",
        lambda impl: {"child": impl.fields.ListField(child=impl.fields.IntegerField())},
        [[1], [2, "x"]],
        {1: {1: [("A valid integer is required.", "invalid")]}},
    ),
    (
        "ListField",
        lambda impl: {"child": impl.fields.CharField(max_length=2)},
        ["abc", "a\x00"],
        {
            0: [("Ensure this field has no more than 2 characters.", "max_length")],
            1: [("Null characters are not allowed.", "null_characters_not_allowed")],
        },
    ),
    ("DictField", {}, [1], [('Expected a dictionary of items but got type "list".', "not_a_dict")]),
    ("DictField", {}, "x", [('Expected a dictionary of items but got type "str".', "not_a_dict")]),
    ("DictField", {"allow_empty": False}, {}, [("This dictionary may not be empty.", "empty")]),
    ("DictField", ints, {"a": "x", 1: 2}, {"a": [("A valid integer is required.", "invalid")]}),
    ("DictField", ints, {1: "x"}, {"1": [("A valid integer is required.", "invalid")]}),
    ("HStoreField", {}, {"a": ["x"]}, {"a": [("Not a valid string.", "invalid")]}),
    ("JSONField", {}, {"a": {1, 2}}, [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {}, float("nan"), [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {}, decimal.Decimal("1"), [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {"binary": True}, "{nope", [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {"binary": True}, "NaN", [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {"binary": True}, 5, [("Value must be valid JSON.", "invalid")]),
    ("JSONField", {}, None, [("This field may not be null.", "null")]),
]

OUTPUT = [
    ("ListField", {}, [1, "a", None], [1, "a", None]),
    ("ListField", ints, ["1", 2, None], [1, 2, None]),
    ("ListField", lambda impl: {"child": impl.fields.DecimalField(max_digits=4, decimal_places=1)}, [1], ["1.0"]),
    ("DictField", {}, {"a": 1}, {"a": 1}),
    ("DictField", ints, {1: "2", "b": None}, {"1": 2, "b": None}),
    ("HStoreField", {}, {"a": 1, "b": None}, {"a": "1", "b": None}),
    ("JSONField", {}, {"a": [1]}, {"a": [1]}),
    ("JSONField", {"binary": True}, {"a": [1]}, b'{"a": [1]}'),
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


class FakeRoot:
    """Stands in for a serializer: a parentless root with ``partial``."""

    parent = None

    def __init__(self, partial=False):
        self.partial = partial


def bound(impl, name, field_name, kwargs=None, partial=False):
    field = build(impl, name, kwargs)
    field.bind(field_name, FakeRoot(partial))
    return field


@both
def test_list_field_html_input(impl):
    field = bound(impl, "ListField", "tags", ints)
    assert field.get_value(QueryDict("tags=1&tags=2")) == ["1", "2"]
    assert field.get_value(QueryDict("tags[1]=b&tags[0]=a")) == ["a", "b"]
    assert field.get_value(QueryDict("other=1")) is impl.fields.empty
    assert field.get_value({"tags": [1]}) == [1]
    assert field.get_value({}) is impl.fields.empty
    assert field.run_validation(field.get_value(QueryDict("tags[0]=4"))) == [4]
    partial = bound(impl, "ListField", "tags", ints, partial=True)
    assert partial.get_value(QueryDict("other=1")) is impl.fields.empty
    assert partial.get_value(QueryDict("tags[0]=1")) == ["1"]
    assert partial.get_value({}) is impl.fields.empty
    # A QueryDict given as the whole value is read as an indexed list.
    assert field.to_internal_value(QueryDict("[0]=1&[1]=2")) == [1, 2]


@both
def test_list_field_html_dict_items(impl):
    field = bound(impl, "ListField", "items")
    value = field.get_value(QueryDict("items[0]name=a&items[0]qty=1&items[1]name=b"))
    assert [dict(v.items()) for v in value] == [{"name": "a", "qty": "1"}, {"name": "b"}]
    assert isinstance(value[0], MultiValueDict)


@both
def test_dict_field_html_input(impl):
    field = bound(impl, "DictField", "meta", ints)
    assert field.get_value(QueryDict("meta.a=1&meta.b=2")) == MultiValueDict({"a": ["1"], "b": ["2"]})
    assert field.run_validation(field.get_value(QueryDict("meta.a=1&meta.b=2"))) == {"a": 1, "b": 2}
    assert field.get_value(QueryDict("meta=")) == {}
    assert field.get_value(QueryDict("other=1")) is impl.fields.empty
    assert field.to_internal_value(QueryDict("a=1&a=5")) == {"a": 5}


@both
def test_json_field_html_input(impl):
    field = bound(impl, "JSONField", "data")
    value = field.get_value(QueryDict("data=%7B%22a%22%3A%201%7D"))
    assert value == '{"a": 1}' and value.is_json_string
    assert field.run_validation(value) == {"a": 1}
    assert validation_errors(impl, lambda: field.run_validation(field.get_value(QueryDict("data=nope")))) == [
        ("Value must be valid JSON.", "invalid")
    ]
    assert field.get_value(QueryDict("")) is impl.fields.empty


@both
def test_json_field_encoder_decoder(impl):
    class Enc(json.JSONEncoder):
        def default(self, o):
            return str(o) if isinstance(o, decimal.Decimal) else super().default(o)

    class Dec(json.JSONDecoder):
        def __init__(self, **kwargs):
            super().__init__(parse_float=decimal.Decimal, **kwargs)

    field = build(impl, "JSONField", {"encoder": Enc, "decoder": Dec, "binary": True})
    assert field.run_validation('{"a": 1.5}') == {"a": decimal.Decimal("1.5")}
    assert field.to_representation({"a": decimal.Decimal("1.5")}) == b'{"a": "1.5"}'
    plain = build(impl, "JSONField", {"encoder": Enc})
    assert plain.run_validation({"a": decimal.Decimal("1")}) == {"a": decimal.Decimal("1")}


@both
def test_child_checks(impl):
    with pytest.raises(AssertionError, match="`child` has not been instantiated."):
        build(impl, "ListField", {"child": impl.fields.IntegerField})
    with pytest.raises(AssertionError, match="The `source` argument is not meaningful"):
        build(impl, "DictField", lambda i: {"child": i.fields.IntegerField(source="x")})
    with pytest.raises(AssertionError, match="must be an instance of `CharField`"):
        build(impl, "HStoreField", ints)


@both
def test_children_are_bound_and_not_shared(impl):
    one, two = build(impl, "ListField"), build(impl, "ListField")
    assert one.child is not two.child
    assert one.child.parent is one and one.child.field_name == ""
    field = build(impl, "ListField", ints)
    assert field.child.parent is field
    assert field.initial == [] and build(impl, "DictField").initial == {}

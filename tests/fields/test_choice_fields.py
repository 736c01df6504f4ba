"""ChoiceField, MultipleChoiceField and FilePathField against DRF's."""

import enum
import os

import pytest
from django.db import models
from django.http import QueryDict

from tests.fields.parity import both, build, check_invalid, check_output, check_valid, table_ids


class Color(models.TextChoices):
    RED = "r", "Red"
    BLUE = "b", "Blue"


class Size(models.IntegerChoices):
    SMALL = 1
    LARGE = 2


class Plain(enum.Enum):
    ONE = 1
    TWO = "two"


PAIRS = [(1, "One"), (2, "Two"), ("x", "Ex")]
GROUPED = [("Numbers", [(1, "One"), (2, "Two")]), ("Letters", (("a", "A"),)), "z"]

VALID = [
    ("ChoiceField", {"choices": PAIRS}, 1, 1),
    ("ChoiceField", {"choices": PAIRS}, "1", 1),
    ("ChoiceField", {"choices": PAIRS}, "x", "x"),
    ("ChoiceField", {"choices": [1, 2, 3]}, "3", 3),
    ("ChoiceField", {"choices": GROUPED}, "2", 2),
    ("ChoiceField", {"choices": GROUPED}, "a", "a"),
    ("ChoiceField", {"choices": GROUPED}, "z", "z"),
    ("ChoiceField", {"choices": PAIRS, "allow_blank": True}, "", ""),
    ("ChoiceField", {"choices": PAIRS, "allow_null": True}, None, None),
    ("ChoiceField", {"choices": Color.choices}, "r", "r"),
    ("ChoiceField", {"choices": Color.choices}, Color.RED, "r"),
    ("ChoiceField", {"choices": Size.choices}, Size.LARGE, 2),
    ("ChoiceField", {"choices": Size.choices}, "2", 2),
    ("ChoiceField", {"choices": [(Plain.ONE, "one"), (Plain.TWO, "two")]}, Plain.TWO, Plain.TWO),
    ("ChoiceField", {"choices": [(Plain.ONE, "one"), (Plain.TWO, "two")]}, "two", Plain.TWO),
    ("MultipleChoiceField", {"choices": PAIRS}, ["1", 2, "x"], [1, 2, "x"]),
    ("MultipleChoiceField", {"choices": PAIRS}, ["1", 1, "2", "1"], [1, 2]),
    ("MultipleChoiceField", {"choices": PAIRS}, [], []),
    ("MultipleChoiceField", {"choices": PAIRS}, ("x",), ["x"]),
    ("MultipleChoiceField", {"choices": PAIRS, "allow_blank": True}, [""], [""]),
]

INVALID = [
    ("ChoiceField", {"choices": PAIRS}, "3", [('"3" is not a valid choice.', "invalid_choice")]),
    ("ChoiceField", {"choices": PAIRS}, "", [('"" is not a valid choice.', "invalid_choice")]),
    ("ChoiceField", {"choices": PAIRS}, None, [("This field may not be null.", "null")]),
    ("ChoiceField", {"choices": PAIRS}, [1], [('"[1]" is not a valid choice.', "invalid_choice")]),
    ("ChoiceField", {"choices": GROUPED}, "Numbers", [('"Numbers" is not a valid choice.', "invalid_choice")]),
    ("ChoiceField", {"choices": Color.choices}, "Red", [('"Red" is not a valid choice.', "invalid_choice")]),
    (
        "ChoiceField",
        {"choices": PAIRS, "error_messages": {"invalid_choice": "Pick one, not {input}."}},
        "9",
        [("Pick one, not 9.", "invalid_choice")],
    ),
    ("MultipleChoiceField", {"choices": PAIRS}, "1", [('Expected a list of items but got type "str".', "not_a_list")]),
    ("MultipleChoiceField", {"choices": PAIRS}, 1, [('Expected a list of items but got type "int".', "not_a_list")]),
    ("MultipleChoiceField", {"choices": PAIRS}, ["1", "5"], [('"5" is not a valid choice.', "invalid_choice")]),
    (
        "MultipleChoiceField",
        {"choices": PAIRS, "allow_empty": False},
        [],
        [("This selection may not be empty.", "empty")],
    ),
]

OUTPUT = [
    ("ChoiceField", {"choices": PAIRS}, 1, 1),
    ("ChoiceField", {"choices": PAIRS}, "1", 1),
    ("ChoiceField", {"choices": PAIRS}, "unknown", "unknown"),
    ("ChoiceField", {"choices": PAIRS}, "", ""),
    ("ChoiceField", {"choices": PAIRS}, None, None),
    ("ChoiceField", {"choices": Color.choices}, Color.BLUE, "b"),
    ("ChoiceField", {"choices": Size.choices}, Size.SMALL, 1),
    ("ChoiceField", {"choices": [(Plain.ONE, "one")]}, Plain.ONE, Plain.ONE),
    ("ChoiceField", {"choices": [1, 2]}, 5, 5),
    ("MultipleChoiceField", {"choices": PAIRS}, ["1", 2, "x", 1], [1, 2, "x"]),
    ("MultipleChoiceField", {"choices": PAIRS}, {"2"}, [2]),
    ("MultipleChoiceField", {"choices": PAIRS}, ["nope"], ["nope"]),
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
def test_choices_structures(impl):
    field = build(impl, "ChoiceField", {"choices": GROUPED})
    assert field.grouped_choices == {"Numbers": {1: "One", 2: "Two"}, "Letters": {"a": "A"}, "z": "z"}
    assert field.choices == {1: "One", 2: "Two", "a": "A", "z": "z"}
    assert field.choice_strings_to_values == {"1": 1, "2": 2, "a": "a", "z": "z"}
    field.choices = [(5, "Five")]
    assert field.run_validation("5") == 5
    assert field.grouped_choices == {5: "Five"}


@both
def test_iter_options(impl):
    field = build(impl, "ChoiceField", {"choices": GROUPED, "html_cutoff": 2, "html_cutoff_text": "Over {count}"})
    options = [
        (o.start_option_group, o.end_option_group, getattr(o, "value", None), getattr(o, "label", None))
        for o in field.iter_options()
    ]
    assert options == [
        (True, False, None, "Numbers"),
        (False, False, 1, None),
        (False, False, 2, None),
        (False, True, None, None),
        (False, False, "n/a", None),
    ]
    last = list(field.iter_options())[-1]
    assert (last.display_text, last.disabled) == ("Over 2", True)


@both
def test_multiple_choice_reads_form_lists(impl):
    field = build(impl, "MultipleChoiceField", {"choices": PAIRS})
    field.bind("tags", parent=None)
    assert field.get_value(QueryDict("tags=1&tags=x")) == ["1", "x"]
    assert field.get_value(QueryDict("")) == []
    assert field.get_value({"tags": [2]}) == [2]
    assert field.get_value({}) is impl.fields.empty


@both
def test_file_path_field(impl, tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.py").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("c")
    field = build(impl, "FilePathField", {"path": str(tmp_path), "match": r".*\.txt$", "recursive": True})
    a, c = os.path.join(tmp_path, "a.txt"), os.path.join(tmp_path, "sub", "c.txt")
    # Django's form field lists a blank choice first when the field is not required.
    assert list(field.choices) == ["", a, c]
    assert field.run_validation(a) == a
    from tests.fields.parity import validation_errors

    assert validation_errors(impl, lambda: field.run_validation("nope")) == [
        ('"nope" is not a valid path choice.', "invalid_choice")
    ]
    folders = build(impl, "FilePathField", {"path": str(tmp_path), "allow_files": False, "allow_folders": True})
    assert list(folders.choices) == ["", os.path.join(tmp_path, "sub")]

"""Choice fields: single, multiple, and file-system paths."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

from django.forms import FilePathField as DjangoFilePathField
from django.utils.translation import gettext_lazy as _

from django_bolt.fields.base import Field, empty
from django_bolt.utils import html


def to_choices_dict(choices: Any) -> dict[Any, Any]:
    """
    Normalise choices to a dict, groups as nested dicts: ``[1]`` → ``{1: 1}``,
    ``[(1, "1st")]`` → ``{1: "1st"}``, ``[("Group", ((1, "1st"), 2))]`` → ``{"Group": {1: "1st", 2: 2}}``.
    """
    result: dict[Any, Any] = {}
    for choice in choices:
        if not isinstance(choice, (list, tuple)):
            result[choice] = choice
            continue
        key, value = choice
        result[key] = to_choices_dict(value) if isinstance(value, (list, tuple)) else value
    return result


def flatten_choices_dict(choices: dict[Any, Any]) -> dict[Any, Any]:
    """Drop the group level of a grouped choices dict."""
    flat: dict[Any, Any] = {}
    for key, value in choices.items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    return flat


class _StartOptionGroup:
    start_option_group = True
    end_option_group = False

    def __init__(self, label: Any) -> None:
        self.label = label


class _EndOptionGroup:
    start_option_group = False
    end_option_group = True


class _Option:
    start_option_group = False
    end_option_group = False

    def __init__(self, value: Any, display_text: Any, disabled: bool = False) -> None:
        self.value = value
        self.display_text = display_text
        self.disabled = disabled


def iter_options(grouped_choices: dict[Any, Any], cutoff: int | None = None, cutoff_text: Any = None) -> Iterator[Any]:
    """Options and option-group markers for rendering a ``<select>``, stopping after ``cutoff`` options."""
    count = 0
    for key, value in grouped_choices.items():
        if cutoff and count >= cutoff:
            break
        if isinstance(value, dict):
            yield _StartOptionGroup(label=key)
            for sub_key, sub_value in value.items():
                if cutoff and count >= cutoff:
                    break
                yield _Option(value=sub_key, display_text=sub_value)
                count += 1
            yield _EndOptionGroup()
        else:
            yield _Option(value=key, display_text=value)
            count += 1
    if cutoff and count >= cutoff and cutoff_text:
        yield _Option(value="n/a", display_text=cutoff_text.format(count=cutoff), disabled=True)


def _choice_key(value: Any) -> str:
    # Input is matched on text, so "1" and 1 both pick the choice 1. An Enum member whose str() is not its
    # value's (a plain Enum, unlike a str/int mix-in) is matched through its value.
    if isinstance(value, Enum) and str(value) != str(value.value):
        return str(value.value)
    return str(value)


class ChoiceField(Field):
    default_error_messages = {"invalid_choice": _('"{input}" is not a valid choice.')}
    html_cutoff: int | None = None
    html_cutoff_text = _("More than {count} items...")

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        self.choices = choices
        self.html_cutoff = kwargs.pop("html_cutoff", self.html_cutoff)
        self.html_cutoff_text = kwargs.pop("html_cutoff_text", self.html_cutoff_text)
        self.allow_blank = kwargs.pop("allow_blank", False)
        super().__init__(**kwargs)

    @property
    def choices(self) -> dict[Any, Any]:
        """The flat ``{value: display}`` dict; assigning accepts any choices style and rebuilds the lookups."""
        return self._choices

    @choices.setter
    def choices(self, choices: Any) -> None:
        self.grouped_choices = to_choices_dict(choices)
        self._choices = flatten_choices_dict(self.grouped_choices)
        self.choice_strings_to_values = {_choice_key(key): key for key in self._choices}

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[_choice_key(data)]
        except KeyError:
            self.fail("invalid_choice", input=data)

    def to_representation(self, value: Any) -> Any:
        if value in ("", None):
            return value
        return self.choice_strings_to_values.get(_choice_key(value), value)

    def iter_options(self) -> Iterator[Any]:
        """Options for rendering a ``<select>`` widget in templates."""
        return iter_options(self.grouped_choices, cutoff=self.html_cutoff, cutoff_text=self.html_cutoff_text)


class MultipleChoiceField(ChoiceField):
    default_error_messages = {
        "invalid_choice": _('"{input}" is not a valid choice.'),
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This selection may not be empty."),
    }
    default_empty_html: Any = []

    def __init__(self, **kwargs: Any) -> None:
        self.allow_empty = kwargs.pop("allow_empty", True)
        super().__init__(**kwargs)

    def get_value(self, dictionary: Any) -> Any:
        if self.field_name not in dictionary and getattr(self.root, "partial", False):
            return empty
        # Form data repeats the key once per selected option.
        if html.is_html_input(dictionary):
            return dictionary.getlist(self.field_name)
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        # De-duplicated, first occurrence order kept.
        single = super().to_internal_value
        return list(dict.fromkeys(single(item) for item in data))

    def to_representation(self, value: Any) -> list[Any]:
        lookup = self.choice_strings_to_values
        return list(dict.fromkeys(lookup.get(str(item), item) for item in value))


class FilePathField(ChoiceField):
    """A choice among the files (and/or folders) under ``path``, listed once at construction."""

    default_error_messages = {"invalid_choice": _('"{input}" is not a valid path choice.')}

    def __init__(
        self,
        path: str,
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        required: bool | None = None,
        **kwargs: Any,
    ) -> None:
        # Django's form field knows how to walk the directory.
        listing = DjangoFilePathField(
            path,
            match=match,
            recursive=recursive,
            allow_files=allow_files,
            allow_folders=allow_folders,
            required=required,
        )
        kwargs["choices"] = listing.choices
        kwargs["required"] = required
        super().__init__(**kwargs)

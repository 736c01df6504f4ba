"""
django-taggit for Bolt serializers: ``TagListSerializerField`` and ``TaggitSerializer`` behave as
``taggit.serializers``' do for DRF (same input forms, messages and output).

``taggit.serializers`` is built on DRF's classes, so it cannot be mixed into a Bolt serializer (Python refuses the
two metaclasses). A DRF ``TaggitSerializer`` used unchanged as a Bolt view's ``serializer_class`` needs nothing:
that is the compat step. Porting the serializer to ``django_bolt.serializers`` means importing these instead::

    from django_bolt.contrib.taggit import TaggitSerializer, TagListSerializerField
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

from django_bolt import serializers


class TagList(list):
    """The tags of an object; ``str()`` gives JSON (indented unless ``pretty_print=False``), as taggit's does."""

    def __init__(self, *args: Any, pretty_print: bool = True) -> None:
        super().__init__(*args)
        self.pretty_print = pretty_print

    def __add__(self, other: Any) -> TagList:
        return TagList(super().__add__(other))

    def __getitem__(self, item: Any) -> Any:
        result = super().__getitem__(item)
        return TagList(result) if isinstance(item, slice) else result

    def __str__(self) -> str:
        if self.pretty_print:
            return json.dumps(self, sort_keys=True, indent=4, separators=(",", ": "))
        return json.dumps(self)


class TagListSerializerField(serializers.ListField):
    """A ``TaggableManager`` as a list of tag names; accepts a list of strings or a JSON list in a string."""

    child = serializers.CharField()
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "invalid_json": _("Invalid json list. A tag list submitted in string form must be valid json."),
        "not_a_str": _("All list items must be of string type."),
    }
    # Tag ordering for the output (e.g. ["name"]); None keeps the manager's order.
    order_by: list[str] | None = None

    def __init__(self, **kwargs: Any) -> None:
        pretty_print = kwargs.pop("pretty_print", True)
        kwargs["style"] = {"base_template": "textarea.html", **kwargs.pop("style", {})}
        super().__init__(**kwargs)
        self.pretty_print = pretty_print

    def to_internal_value(self, value: Any) -> list[str]:
        if isinstance(value, str):
            try:
                value = json.loads(value or "[]")
            except ValueError:
                self.fail("invalid_json")
        if not isinstance(value, list):
            self.fail("not_a_list", input_type=type(value).__name__)
        for item in value:
            if not isinstance(item, str):
                self.fail("not_a_str")
            self.child.run_validation(item)
        return value

    def to_representation(self, value: Any) -> TagList:
        if isinstance(value, TagList):
            return value
        if not isinstance(value, list):
            tags = value.all()
            if self.order_by:
                tags = tags.order_by(*self.order_by)
            value = [tag.name for tag in tags]
        return TagList(value, pretty_print=self.pretty_print)


class TaggitSerializer(serializers.Serializer):
    """Mix in before ``ModelSerializer``: saves each ``TagListSerializerField`` with the manager's ``set()``."""

    def create(self, validated_data: dict[str, Any]) -> Any:
        tags = self._pop_tags(validated_data)
        return self._save_tags(super().create(validated_data), tags)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        tags = self._pop_tags(validated_data)
        return self._save_tags(super().update(instance, validated_data), tags)

    def _save_tags(self, instance: Any, tags: dict[str, list[str]]) -> Any:
        for name, values in tags.items():
            getattr(instance, name).set(values)
        return instance

    def _pop_tags(self, validated_data: dict[str, Any]) -> dict[str, list[str]]:
        return {
            name: validated_data.pop(name)
            for name, field in self.fields.items()
            if isinstance(field, TagListSerializerField) and name in validated_data
        }

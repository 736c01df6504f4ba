"""
The OPTIONS response: ``SimpleMetadata`` describes the view (name, description, renderers, parsers) and, for
generic views the user may write to, the fields ``POST``/``PUT`` accept (``actions``).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.encoding import force_str

from django_bolt import exceptions
from django_bolt.request import clone_request
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import call_hook, maybe_await


class BaseMetadata:
    def determine_metadata(self, request: Any, view: Any) -> Any:
        """Return the OPTIONS body (may be a coroutine)."""
        raise NotImplementedError(".determine_metadata() must be overridden.")


def _label_lookup() -> list[tuple[type, str]]:
    """Field class → type label, most specific classes first (imported late: serializers import views)."""
    from django_bolt import fields, serializers

    table = [
        (fields.ImageField, "image upload"),
        (fields.FileField, "file upload"),
        (fields.MultipleChoiceField, "multiple choice"),
        (fields.ChoiceField, "choice"),
        (fields.URLField, "url"),
        (fields.EmailField, "email"),
        (fields.RegexField, "regex"),
        (fields.SlugField, "slug"),
        (fields.CharField, "string"),
        (fields.UUIDField, "string"),
        (fields.BooleanField, "boolean"),
        (fields.IntegerField, "integer"),
        (fields.FloatField, "float"),
        (fields.DecimalField, "decimal"),
        (fields.DateTimeField, "datetime"),
        (fields.DateField, "date"),
        (fields.TimeField, "time"),
        (fields.DurationField, "duration"),
        (fields.ListField, "list"),
        (fields.DictField, "nested object"),
        (serializers.Serializer, "nested object"),
        (fields.Field, "field"),
    ]
    return table


class SimpleMetadata(BaseMetadata):
    """DRF's default metadata: ``name``, ``description``, ``renders``, ``parses`` and ``actions``."""

    _labels: list[tuple[type, str]] | None = None

    def label_for(self, field: Any) -> str:
        """The type label of a serializer field (``string``, ``integer``, ``nested object``…)."""
        if SimpleMetadata._labels is None:
            SimpleMetadata._labels = _label_lookup()
        for cls in type(field).__mro__:
            for field_class, label in SimpleMetadata._labels:
                if cls is field_class:
                    return label
        return "field"

    async def determine_metadata(self, request: Any, view: Any) -> dict:
        metadata: dict[str, Any] = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
        if hasattr(view, "get_serializer"):
            actions = await self.determine_actions(request, view)
            if actions:
                metadata["actions"] = actions
        return metadata

    async def determine_actions(self, request: Any, view: Any) -> dict:
        """Field descriptions for POST and PUT, for those the user passes the permission checks of."""
        actions = {}
        for method in [m for m in view.allowed_methods if m in ("POST", "PUT")]:
            view.request = clone_request(request, method)
            try:
                if hasattr(view, "check_permissions"):
                    await maybe_await(view.check_permissions(view.request))
                if method == "PUT" and hasattr(view, "get_object"):
                    await call_hook(view.get_object)
            except (exceptions.APIException, PermissionDenied, Http404):
                pass
            else:
                serializer = view.get_serializer()
                if _is_drf_serializer(serializer):
                    # A team's DRF serializer (compat): DRF's own description of it, off the event loop (a DRF
                    # field's choices may query the database).
                    actions[method] = await run_sync(_drf_serializer_info, serializer)
                else:
                    actions[method] = self.get_serializer_info(serializer)
            finally:
                view.request = request
        return actions

    def get_serializer_info(self, serializer: Any) -> dict:
        """``{field name: field info}`` of a serializer (the child's for a list serializer)."""
        from django_bolt.fields import HiddenField

        if hasattr(serializer, "child"):
            serializer = serializer.child
        return {
            name: self.get_field_info(field)
            for name, field in serializer.fields.items()
            if not isinstance(field, HiddenField)
        }

    def get_field_info(self, field: Any) -> dict:
        """Type, required, read_only, label, help text, bounds, choices, nested children of one field."""
        from django_bolt import relations

        candidates = (getattr(relations, "RelatedField", None), getattr(relations, "ManyRelatedField", None))
        related = tuple(cls for cls in candidates if cls)
        info: dict[str, Any] = {"type": self.label_for(field), "required": getattr(field, "required", False)}
        for attr in (
            "read_only",
            "label",
            "help_text",
            "min_length",
            "max_length",
            "min_value",
            "max_value",
            "max_digits",
            "decimal_places",
        ):
            value = getattr(field, attr, None)
            if value is not None and value != "":
                info[attr] = force_str(value, strings_only=True)
        if getattr(field, "child", None):
            info["child"] = self.get_field_info(field.child)
        elif getattr(field, "fields", None):
            info["children"] = self.get_serializer_info(field)
        if not info.get("read_only") and not isinstance(field, related) and hasattr(field, "choices"):
            info["choices"] = [
                {"value": value, "display_name": force_str(name, strings_only=True)}
                for value, name in field.choices.items()
            ]
        return info


def _is_drf_serializer(serializer: Any) -> bool:
    drf = sys.modules.get("rest_framework.serializers")
    return drf is not None and isinstance(serializer, drf.BaseSerializer)


def _drf_serializer_info(serializer: Any) -> dict:
    from rest_framework.metadata import SimpleMetadata as DRFSimpleMetadata

    return DRFSimpleMetadata().get_serializer_info(serializer)

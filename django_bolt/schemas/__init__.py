"""OpenAPI for Bolt routes through drf-spectacular: ``openapi.SchemaGenerator``, ``openapi.AutoSchema``, and the
schema and documentation views (``views``). This module itself imports neither DRF nor spectacular."""

from __future__ import annotations

from typing import Any


class DefaultSchema:
    """
    ``APIView.schema``: an instance of ``DEFAULT_SCHEMA_CLASS`` bound to the view (``view=None`` on the class), as
    DRF's descriptor gives; spectacular's decorators and generator read it. A view may set its own ``schema``
    (an ``AutoSchema`` subclass instance) or ``None``.
    """

    def __get__(self, instance: Any, owner: type) -> Any:
        from django_bolt.settings import api_settings

        if instance is not None and "_schema" in instance.__dict__:
            return instance.__dict__["_schema"]
        schema = api_settings.DEFAULT_SCHEMA_CLASS()
        schema.view = instance
        return schema

    def __set__(self, instance: Any, schema: Any) -> None:
        # view.schema = ... (spectacular does it for @extend_schema'd actions): that view's own inspector.
        instance.__dict__["_schema"] = schema
        if schema is not None:
            schema.view = instance

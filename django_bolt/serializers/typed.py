"""
Typed models where DRF names a serializer: a Bolt view's ``serializer_class`` (or ``get_serializer_class()`` per
action) may be a pydantic ``BaseModel`` or a msgspec ``Struct``. ``get_serializer()`` then wraps it in a
``TypedSerializer``, which has the serializer API the generic views use (``is_valid``/``ais_valid``,
``validated_data``, ``errors``, ``save``/``asave``, ``data``/``adata``, ``many=``, ``partial=``):

- input is validated by the model (pydantic-core or msgspec, in compiled code); errors come back in DRF's shape —
  ``{"field": ["message"]}``, nested for nested models and list items, model-level errors under
  ``non_field_errors`` — with DRF's "This field is required." for a missing field;
- output is the model built from the instance's attributes and dumped to JSON types by the library, with no
  per-field Python pass;
- ``save()`` creates or updates the view's queryset model from ``validated_data`` (the fields the client sent).

The OpenAPI document describes the model with its own JSON schema (``django_bolt.schemas``).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable
from functools import lru_cache
from typing import Any

from django.db import models

from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.fields import empty
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync

_REQUIRED = "This field is required."


def _library(cls: Any) -> str | None:
    """``"pydantic"`` or ``"msgspec"`` for a model class of either, else None (no import of either here)."""
    if not isinstance(cls, type):
        return None
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and issubclass(cls, pydantic.BaseModel):
        return "pydantic"
    msgspec = sys.modules.get("msgspec")
    if msgspec is not None and issubclass(cls, msgspec.Struct):
        return "msgspec"
    return None


def is_typed_model(cls: Any) -> bool:
    return _library(cls) is not None


@lru_cache(maxsize=1024)
def _list_adapter(model: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _nest(errors: dict[str, Any], path: list[str], detail: ErrorDetail) -> None:
    target = errors
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target.setdefault(path[-1], []).append(detail)


def _pydantic_errors(exc: Any) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for error in exc.errors(include_url=False):
        path = [str(part) for part in error["loc"]] or [api_settings.NON_FIELD_ERRORS_KEY]
        if error["type"] == "missing":
            detail = ErrorDetail(_REQUIRED, code="required")
        else:
            detail = ErrorDetail(error["msg"], code=error["type"])
        _nest(errors, path, detail)
    return errors


def _msgspec_errors(exc: Exception) -> dict[str, Any]:
    # msgspec reports the first error: "<message> - at `$.field[0].name`", or a missing field at its parent.
    message, _, where = str(exc).partition(" - at `")
    path = [p for p in where.rstrip("`").removeprefix("$").replace("[", ".").replace("]", "").split(".") if p]
    if message.startswith("Object missing required field `"):
        path.append(message.split("`")[1])
        return _nest_new(path, ErrorDetail(_REQUIRED, code="required"))
    return _nest_new(path or [api_settings.NON_FIELD_ERRORS_KEY], ErrorDetail(message, code="invalid"))


def _nest_new(path: list[str], detail: ErrorDetail) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    _nest(errors, path, detail)
    return errors


class TypedSerializer:
    """The serializer API over a pydantic model or msgspec Struct (see the module docstring)."""

    def __init__(
        self,
        model: type,
        instance: Any = None,
        data: Any = empty,
        *,
        many: bool = False,
        partial: bool = False,
        context: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.library = _library(model)
        self.instance = instance
        if data is not empty:
            self.initial_data = data
        self.many = many
        self.partial = partial
        self.context = context or {}

    # DRF's OPTIONS metadata lists serializer fields; a typed model documents itself in the OpenAPI document.
    fields: dict[str, Any] = {}

    # Input -------------------------------------------------------------------------------------------------

    def _input(self) -> Any:
        data = self.initial_data
        if hasattr(data, "dict") and not isinstance(data, dict):  # a QueryDict (form data)
            data = data.dict()
        if self.partial and self.instance is not None and isinstance(data, dict):
            return {**self._represent(self.instance), **data}, set(data)
        return data, set(data) if isinstance(data, dict) else None

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        assert hasattr(self, "initial_data"), "Cannot call `.is_valid()` without passing `data=`."
        if not hasattr(self, "_validated_data"):
            data, sent = self._input()
            self._errors: Any = {}
            try:
                self._validated_data = self._validate(data, sent)
            except ValidationError as exc:
                self._validated_data = {}
                self._errors = exc.detail
        if self._errors and raise_exception:
            raise ValidationError(self._errors)
        return not self._errors

    def _validate(self, data: Any, sent: set[str] | None) -> Any:
        if self.library == "pydantic":
            from pydantic import ValidationError as PydanticError

            try:
                value = self.model.model_validate(data)  # type: ignore[attr-defined]
            except PydanticError as exc:
                raise ValidationError(_pydantic_errors(exc)) from None
            dumped = value.model_dump()
        else:
            import msgspec

            try:
                value = msgspec.convert(data, self.model)
            except msgspec.ValidationError as exc:
                raise ValidationError(_msgspec_errors(exc)) from None
            dumped = msgspec.structs.asdict(value)
        return {key: dumped[key] for key in dumped if sent is None or key in sent}

    @property
    def validated_data(self) -> dict[str, Any]:
        assert hasattr(self, "_validated_data"), "You must call `.is_valid()` before accessing `.validated_data`."
        return self._validated_data

    @property
    def errors(self) -> Any:
        assert hasattr(self, "_errors"), "You must call `.is_valid()` before accessing `.errors`."
        return self._errors

    async def ais_valid(self, *, raise_exception: bool = False) -> bool:
        return await run_sync(self.is_valid, raise_exception=raise_exception)

    # Saving ------------------------------------------------------------------------------------------------

    def _django_model(self) -> type[models.Model]:
        view = self.context.get("view")
        queryset = getattr(view, "queryset", None)
        if queryset is None and view is not None:
            queryset = view.get_queryset()
        assert queryset is not None, "save() needs the view's queryset to know which Django model to write"
        return queryset.model

    def save(self, **kwargs: Any) -> Any:
        assert not self.errors, "You cannot call `.save()` on a serializer with invalid data."
        values = {**self.validated_data, **kwargs}
        if self.instance is None:
            self.instance = self._django_model()._default_manager.create(**values)
        else:
            for name, value in values.items():
                setattr(self.instance, name, value)
            self.instance.save()
        self.__dict__.pop("_data", None)
        return self.instance

    async def asave(self, **kwargs: Any) -> Any:
        return await run_sync(self.save, **kwargs)

    # Output ------------------------------------------------------------------------------------------------

    def _represent(self, instance: Any) -> Any:
        if self.library == "pydantic":
            return self.model.model_validate(instance, from_attributes=True).model_dump(mode="json")  # type: ignore[attr-defined]
        import msgspec

        return msgspec.to_builtins(msgspec.convert(instance, self.model, from_attributes=True))

    def _represent_many(self, items: Any) -> list[Any]:
        items = list(items.all() if isinstance(items, models.manager.BaseManager) else items)
        if self.library == "pydantic":
            adapter = _list_adapter(self.model)
            return adapter.dump_python(adapter.validate_python(items, from_attributes=True), mode="json")
        import msgspec

        return msgspec.to_builtins(msgspec.convert(items, list[self.model], from_attributes=True))  # type: ignore[name-defined]

    @property
    def data(self) -> Any:
        if "_data" not in self.__dict__:
            if self.instance is not None:
                source = self.instance
            elif hasattr(self, "_validated_data") and not self.errors:
                source = self._validated_data
            else:
                source = getattr(self, "initial_data", None) if self.many else {}
            if self.many:
                self._data = self._represent_many(source or [])
            else:
                self._data = self._represent(source) if source is not None else {}
        return self._data

    @property
    def adata(self) -> Awaitable[Any]:
        return run_sync(lambda: self.data)

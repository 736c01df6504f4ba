"""
What a model looks like to a ``ModelSerializer``: its primary key, plain columns, and relations in both directions.

``get_field_info(model)`` returns a ``FieldInfo`` named tuple. The answer only depends on the model class, which
is fixed once the app registry is ready, so it is computed once per model and cached.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple


class RelationInfo(NamedTuple):
    """One relation as seen from the model that owns the serializer."""

    model_field: Any  # the forward model field, ``None`` for reverse relations
    related_model: type
    to_many: bool
    to_field: str | None
    has_through_model: bool
    reverse: bool


class FieldInfo(NamedTuple):
    pk: Any  # the primary key model field (the parent's one under multi-table inheritance)
    fields: dict[str, Any]  # name -> non-relational model field
    forward_relations: dict[str, RelationInfo]
    reverse_relations: dict[str, RelationInfo]
    fields_and_pk: dict[str, Any]  # ``fields`` plus the pk, reachable both as "pk" and by its name
    relations: dict[str, RelationInfo]  # forward then reverse relations


def get_field_info(model: Any) -> FieldInfo:
    """Describe ``model`` (a model class; an instance is accepted too, as DRF allows)."""
    if not isinstance(model, type):
        model = type(model)
    return _field_info(model)


@cache
def _field_info(model: type) -> FieldInfo:
    opts = model._meta.concrete_model._meta
    pk = _primary_key(opts)
    fields = {f.name: f for f in opts.fields if f.serialize and not f.remote_field}
    forward = _forward_relations(opts)
    reverse = _reverse_relations(opts)
    fields_and_pk = {"pk": pk, pk.name: pk, **fields}
    return FieldInfo(pk, fields, forward, reverse, fields_and_pk, {**forward, **reverse})


def _primary_key(opts: Any) -> Any:
    # A child model in multi-table inheritance has a one-to-one "parent link" as its pk; the serializer
    # exposes the root parent's primary key instead.
    pk = opts.pk
    while pk.remote_field is not None and pk.remote_field.parent_link:
        pk = pk.remote_field.model._meta.pk
    return pk


def _to_field(field: Any) -> str | None:
    to_fields = getattr(field, "to_fields", None)
    return to_fields[0] if to_fields else None


def _forward_relations(opts: Any) -> dict[str, RelationInfo]:
    relations: dict[str, RelationInfo] = {}
    for field in opts.fields:
        if field.serialize and field.remote_field:
            relations[field.name] = RelationInfo(
                model_field=field,
                related_model=field.remote_field.model,
                to_many=False,
                to_field=_to_field(field),
                has_through_model=False,
                reverse=False,
            )
    for field in opts.many_to_many:
        if field.serialize:
            relations[field.name] = RelationInfo(
                model_field=field,
                related_model=field.remote_field.model,
                to_many=True,
                to_field=None,
                has_through_model=not field.remote_field.through._meta.auto_created,
                reverse=False,
            )
    return relations


def _reverse_relations(opts: Any) -> dict[str, RelationInfo]:
    relations: dict[str, RelationInfo] = {}
    related = list(opts.related_objects)
    # Reverse foreign keys / one-to-ones first, then reverse many-to-many (the order DRF lists them in).
    for relation in [r for r in related if not r.field.many_to_many]:
        relations[relation.get_accessor_name()] = RelationInfo(
            model_field=None,
            related_model=relation.related_model,
            to_many=relation.field.remote_field.multiple,
            to_field=_to_field(relation.field),
            has_through_model=False,
            reverse=True,
        )
    for relation in [r for r in related if r.field.many_to_many]:
        through = getattr(relation.field.remote_field, "through", None)
        relations[relation.get_accessor_name()] = RelationInfo(
            model_field=None,
            related_model=relation.related_model,
            to_many=True,
            to_field=None,
            has_through_model=through is not None and not through._meta.auto_created,
            reverse=True,
        )
    return relations


def is_abstract_model(model: Any) -> bool:
    """True for an abstract model class (which cannot back a ``ModelSerializer``)."""
    meta = getattr(model, "_meta", None)
    return bool(getattr(meta, "abstract", False))

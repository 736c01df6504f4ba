"""utils.model_meta and utils.field_mapping against DRF's own helpers, on every model installed."""

import pytest
from django.apps import apps
from django.db import models
from rest_framework.utils import field_mapping as drf_mapping
from rest_framework.utils import model_meta as drf_meta

from django_bolt.utils import field_mapping, model_meta

MODELS = [model for model in apps.get_models() if not model._meta.abstract]


def describe(value):
    """Validators, querysets and model fields as comparable descriptions."""
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {key: describe(item) for key, item in value.items()}
    kind = type(value).__name__
    if kind == "UniqueValidator":
        return (kind, str(value.message), describe(value.queryset))
    if isinstance(value, models.Manager):
        return ("manager", value.model, value.name)
    if isinstance(value, models.QuerySet):
        return ("queryset", value.model, str(value.query))
    return value


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_field_info_matches_drf(model):
    ours, theirs = model_meta.get_field_info(model), drf_meta.get_field_info(model)
    assert ours.pk == theirs.pk
    assert ours.fields == theirs.fields
    assert ours.fields_and_pk == theirs.fields_and_pk
    assert {k: tuple(v) for k, v in ours.relations.items()} == {k: tuple(v) for k, v in theirs.relations.items()}
    assert list(ours.forward_relations) == list(theirs.forward_relations)
    assert list(ours.reverse_relations) == list(theirs.reverse_relations)
    assert model_meta.is_abstract_model(model) is drf_meta.is_abstract_model(model) is False


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_field_kwargs_match_drf(model):
    info = drf_meta.get_field_info(model)
    for name, model_field in info.fields_and_pk.items():
        assert describe(field_mapping.get_field_kwargs(name, model_field)) == describe(
            drf_mapping.get_field_kwargs(name, model_field)
        ), name
    for name, relation in info.relations.items():
        assert describe(field_mapping.get_relation_kwargs(name, relation)) == describe(
            drf_mapping.get_relation_kwargs(name, relation)
        ), name
        assert field_mapping.get_nested_relation_kwargs(relation) == drf_mapping.get_nested_relation_kwargs(relation)
    assert field_mapping.get_url_kwargs(model) == drf_mapping.get_url_kwargs(model)
    assert field_mapping.get_detail_view_name(model) == drf_mapping.get_detail_view_name(model)


def test_class_lookup_dict():
    class Base:
        pass

    class Child(Base):
        pass

    lookup = field_mapping.ClassLookupDict({Base: "base", object: "object"})
    assert lookup[Child()] == "base" and lookup[1] == "object"
    lookup[Child] = "child"
    assert lookup[Child()] == "child"
    with pytest.raises(KeyError, match="Class int not found"):
        field_mapping.ClassLookupDict({str: 1})[5]

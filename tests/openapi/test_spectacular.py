"""drf-spectacular documents a Bolt API exactly as it documents the same API written with DRF: paths,
operations (ids, parameters incl. pagination/filters/search/ordering, bodies, responses, security), components,
and the ``@extend_schema`` family and ``AutoSchema`` subclasses on Bolt views, serializers and fields."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator as SpectacularGenerator

from django_bolt.schemas.openapi import SchemaGenerator
from tests.openapi.api import build


@pytest.fixture(autouse=True)
def spectacular_schema(settings):
    settings.REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}


def document(generator_class, patterns) -> dict:
    GENERATOR_STATS.reset()
    schema = generator_class(patterns=patterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    return schema


def test_a_bolt_api_is_documented_as_its_drf_twin():
    drf = document(SpectacularGenerator, build(drf=True))
    bolt = document(SchemaGenerator, build(drf=False))
    assert list(bolt["paths"]) == list(drf["paths"])
    for path, operations in drf["paths"].items():
        assert bolt["paths"][path] == operations, path
    assert bolt["components"] == drf["components"]
    assert bolt == drf


def test_what_the_annotations_say_is_in_the_document():
    bolt = document(SchemaGenerator, build(drf=False))
    books = bolt["paths"]["/books/"]["get"]
    assert books["summary"] == "All the books"
    names = {parameter["name"] for parameter in books["parameters"]}
    assert names == {"lang", "limit", "offset", "ordering", "pages", "search", "status"}
    assert bolt["paths"]["/books/{id}/"]["delete"]["description"] == "Remove a book for good."
    writer = bolt["paths"]["/books/{id}/writer/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert writer["schema"] == {"$ref": "#/components/schemas/Author"}
    assert bolt["components"]["schemas"]["Author"]["properties"]["contact"]["format"] == "email"
    assert bolt["paths"]["/authors/"]["get"]["tags"] == ["catalogue"]
    assert {"tokenAuth", "cookieAuth", "basicAuth"} <= set(bolt["components"]["securitySchemes"])


def test_bolts_default_schema_class_is_a_real_autoschema():
    from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

    from django_bolt.settings import api_settings

    assert issubclass(api_settings.DEFAULT_SCHEMA_CLASS, SpectacularAutoSchema)

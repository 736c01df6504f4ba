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


def _mid_migration_patterns(bolt_fields: list[str]) -> list:
    from rest_framework import serializers as drf_serializers

    from django_bolt import routers, serializers, viewsets
    from tests.serializers_app.models import Author

    class AuthorSerializer(drf_serializers.ModelSerializer):  # noqa: F811 - the same name on purpose
        """An author."""

        class Meta:
            model = Author
            fields = ["id", "name"]

    drf_serializer = AuthorSerializer

    class AuthorSerializer(serializers.ModelSerializer):  # noqa: F811 - its Bolt port
        """An author."""

        class Meta:
            model = Author
            fields = bolt_fields

    class Kept(viewsets.ReadOnlyModelViewSet):  # the compat step: DRF's serializer kept
        queryset = Author.objects.all()
        serializer_class = drf_serializer

    class Ported(Kept):
        serializer_class = AuthorSerializer

    router = routers.SimpleRouter()
    router.register("kept", Kept, basename="kept")
    router.register("ported", Ported, basename="ported")
    return router.urls


def test_a_drf_serializer_and_its_bolt_port_are_one_component():
    # Mid-migration one endpoint keeps the DRF serializer, another uses its Bolt port: the same contract.
    schema = document(SchemaGenerator, _mid_migration_patterns(["id", "name"]))
    assert list(schema["components"]["schemas"]) == ["Author"]


def test_a_port_that_differs_from_its_drf_serializer_is_reported():
    GENERATOR_STATS.reset()
    SchemaGenerator(patterns=_mid_migration_patterns(["id", "name", "email"])).get_schema(request=None, public=True)
    assert any("identical names" in warning for warning in GENERATOR_STATS._warn_cache)

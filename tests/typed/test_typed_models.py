"""A pydantic model or msgspec Struct as a Bolt view's ``serializer_class``: input validated with errors in DRF's
shape, output dumped by the library, writes through ``save()``, and the OpenAPI document using the model's
JSON schema."""

from __future__ import annotations

import decimal

import pytest

from django_bolt.test import BoltClient
from tests.app.models import Item


@pytest.fixture
def client(db):
    Item.objects.create(name="pen", price="1.50", quantity=3)
    Item.objects.create(name="ink", description="blue", price="12.00", is_active=False)
    return BoltClient("tests.typed.api")


@pytest.mark.parametrize("prefix", ["pyitems", "msitems"])
def test_output_is_the_models_dump(client, prefix):
    body = client.get(f"/{prefix}/").json()
    assert [(i["name"], i["price"], i["quantity"], i["is_active"]) for i in body] == [
        ("pen", "1.50", 3, True),
        ("ink", "12.00", 0, False),
    ]
    pen = body[0]
    assert pen["created_at"].startswith(str(Item.objects.get(name="pen").created_at.date()))
    assert client.get(f"/{prefix}/{pen['id']}/").json() == pen
    assert client.get(f"/{prefix}/999/").status_code == 404


@pytest.mark.parametrize("prefix", ["pyitems", "msitems"])
def test_create_update_and_delete_write_the_model(client, prefix):
    response = client.post(f"/{prefix}/", {"name": "nib", "price": "0.75", "quantity": 10}, format="json")
    assert response.status_code == 201
    created = Item.objects.get(pk=response.json()["id"])
    assert (created.name, created.price, created.quantity) == ("nib", decimal.Decimal("0.75"), 10)
    assert response.json()["name"] == "nib"
    response = client.patch(f"/{prefix}/{created.pk}/", {"quantity": 2}, format="json")
    assert (response.status_code, response.json()["quantity"], response.json()["name"]) == (200, 2, "nib")
    created.refresh_from_db()
    assert created.quantity == 2
    assert client.delete(f"/{prefix}/{created.pk}/").status_code == 204
    assert not Item.objects.filter(pk=created.pk).exists()


def test_pydantic_errors_come_back_in_drfs_shape(client):
    response = client.post("/pyitems/", {"price": "abc", "quantity": -1, "tags": [{"label": ""}]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["This field is required."]
    assert list(body) == ["name", "price", "quantity", "tags"]
    assert body["price"] == ["Input should be a valid decimal"]
    assert body["quantity"] == ["Input should be greater than or equal to 0"]
    assert body["tags"] == {"0": {"label": ["String should have at least 1 character"]}}
    response = client.post("/pyitems/", {"name": "free", "price": "0"}, format="json")
    assert response.json() == {"non_field_errors": ["Value error, A free item cannot be active."]}
    assert Item.objects.count() == 2  # nothing written


def test_msgspec_errors_come_back_in_drfs_shape(client):
    response = client.post("/msitems/", {"price": "1"}, format="json")
    assert (response.status_code, response.json()) == (400, {"name": ["This field is required."]})
    response = client.post("/msitems/", {"name": "x", "price": "1", "quantity": -1}, format="json")
    assert response.json() == {"quantity": ["Expected `int` >= 0"]}
    assert Item.objects.count() == 2


def test_the_openapi_document_uses_the_models_json_schema(settings):
    from drf_spectacular.drainage import GENERATOR_STATS

    from django_bolt.schemas.openapi import SchemaGenerator
    from tests.typed import api

    settings.REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
    GENERATOR_STATS.reset()
    document = SchemaGenerator(patterns=api.urlpatterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    schemas = document["components"]["schemas"]
    assert schemas["ItemModel"]["properties"]["quantity"] == {
        "default": 0,
        "minimum": 0,
        "title": "Quantity",
        "type": "integer",
    }
    assert schemas["ItemModel"]["description"] == "An item of the inventory."
    assert "Tag" in schemas
    assert schemas["ItemStruct"]["required"] == ["name", "price"]
    ok = document["paths"]["/pyitems/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"type": "array", "items": {"$ref": "#/components/schemas/ItemModel"}}
    body = document["paths"]["/msitems/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ItemStruct"}

"""A Bolt view reached through Django's handler (DRF's APIClient here; gunicorn alike) works: the Bolt pipeline
runs on the Django request, its ORM work sees the test's transaction, and Django gets an HttpResponse."""

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.test import APIClient

from tests.app.models import Item

URLS = "tests.fallthrough.bolt_in_django_urls"


@pytest.fixture
def items(db):
    return [Item.objects.create(name=f"item{i}", price="1.50", quantity=i) for i in range(2)]


@override_settings(MIDDLEWARE=[], ROOT_URLCONF=URLS)
def test_list_retrieve_and_errors(items):
    client = APIClient()
    response = client.get("/items/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": items[0].pk, "name": "item0", "price": "1.50", "quantity": 0},
        {"id": items[1].pk, "name": "item1", "price": "1.50", "quantity": 1},
    ]
    assert client.get("/items/999/").json() == {"detail": "No Item matches the given query."}
    assert client.post("/items/", {"name": "x"}, format="json").status_code == 403


@override_settings(MIDDLEWARE=[], ROOT_URLCONF=URLS)
def test_writes_with_forced_authentication(items):
    client = APIClient()
    client.force_authenticate(User.objects.create_user("ann"))
    response = client.post("/items/", {"name": "x"}, format="json")
    assert (response.status_code, response.json()) == (400, {"price": ["This field is required."]})
    response = client.post("/items/", {"name": "new", "price": "2.00"}, format="json")
    assert response.status_code == 201 and Item.objects.filter(name="new").exists()
    assert client.delete(f"/items/{items[0].pk}/").status_code == 204
    assert not Item.objects.filter(pk=items[0].pk).exists()

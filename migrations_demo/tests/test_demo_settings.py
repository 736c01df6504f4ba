"""
The settings pattern of docs/migration-guide.md: Bolt reads ``BOLT`` first, then ``REST_FRAMEWORK``, key by key.
A project whose policies come from ``REST_FRAMEWORK`` may leave them there (DRF's classes run in Bolt views through
compat) or give Bolt its own ``DEFAULT_*`` classes in ``BOLT`` (the native, faster end state).
"""

from types import SimpleNamespace

import pytest
import rest_framework.authentication
from catalog.bolt_serializers import AuthorSerializer
from catalog.models import Author

import django_bolt.authentication
import django_bolt.permissions
from django_bolt import viewsets
from django_bolt.routers import SimpleRouter
from django_bolt.test import BoltClient

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 2,
}
BOLT = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["django_bolt.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["django_bolt.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "django_bolt.pagination.PageNumberPagination",
}


class SettingsDrivenAuthorViewSet(viewsets.ModelViewSet):
    """Names no policy: everything comes from the settings."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


def make_client() -> BoltClient:
    router = SimpleRouter()
    router.register("authors", SettingsDrivenAuthorViewSet)
    return BoltClient(SimpleNamespace(urlpatterns=router.urls))


@pytest.fixture
def client(catalog):
    return make_client()


def test_bolt_keys_win_plain_values_are_shared(settings, client, catalog):
    settings.REST_FRAMEWORK = REST_FRAMEWORK
    settings.BOLT = BOLT
    view = SettingsDrivenAuthorViewSet()
    assert view.authentication_classes == [django_bolt.authentication.TokenAuthentication]
    assert view.permission_classes == [django_bolt.permissions.IsAuthenticatedOrReadOnly]

    body = client.get("/authors/").json()
    assert (body["count"], len(body["results"])) == (3, 2)  # PAGE_SIZE from REST_FRAMEWORK
    response = client.post("/authors/", {"name": "Anonymous"}, format="json")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    client.credentials(**catalog.auth("alice"))
    assert client.post("/authors/", {"name": "Known"}, format="json").status_code == 201


def test_without_bolt_keys_the_drf_defaults_run_through_compat(settings, catalog):
    # DRF's PageNumberPagination reads PAGE_SIZE when rest_framework.pagination is imported: the team's
    # subclass (page_size = 10) makes the test independent of import order, as in DRF.
    settings.REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_PAGINATION_CLASS": "catalog.pagination.CatalogPagination"}
    settings.BOLT = {}
    client = make_client()  # after the settings: a route's policies are decided when it is compiled
    # REST_FRAMEWORK's DRF classes are the Bolt view's defaults, and they work there as in DRF.
    assert SettingsDrivenAuthorViewSet().authentication_classes == [rest_framework.authentication.TokenAuthentication]
    body = client.get("/authors/?page_size=2").json()
    assert (body["count"], len(body["results"]), body["next"]) == (
        3,
        2,
        "http://testserver/authors/?page=2&page_size=2",
    )
    response = client.post("/authors/", {"name": "Anonymous"}, format="json")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    client.credentials(**catalog.auth("alice"))
    assert client.post("/authors/", {"name": "Known"}, format="json").status_code == 201
    assert Author.objects.filter(name="Known").exists()

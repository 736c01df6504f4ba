"""A DRF HyperlinkedModelSerializer kept in a Bolt viewset links to the Bolt routes (the endpoint exists only in
ROOT_BOLTCONF): the URLs are the ones DRF would build if it still served them."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest
from rest_framework import serializers

from compat.app.models import Book
from django_bolt.routers import DefaultRouter
from django_bolt.test import BoltClient
from django_bolt.viewsets import BoltModelViewSet


class LinkedBookSerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Book
        fields = ["url", "title"]
        extra_kwargs = {"url": {"view_name": "linkedbook-detail"}}


class LinkedBookViewSet(BoltModelViewSet):
    queryset = Book.objects.order_by("id")
    serializer_class = LinkedBookSerializer


@pytest.fixture
def bolt_only_urls(settings):
    router = DefaultRouter()
    router.register("linked", LinkedBookViewSet, basename="linkedbook")
    module = ModuleType("compat_linked_bolt_urls")
    module.urlpatterns = router.urls
    sys.modules[module.__name__] = module
    settings.ROOT_BOLTCONF = module.__name__
    settings.ROOT_URLCONF = "compat.drf_urls"  # has no "linkedbook-detail": DRF alone could not reverse it
    yield
    sys.modules.pop(module.__name__, None)


def test_links_point_at_the_bolt_routes(db, bolt_only_urls):
    book = Book.objects.create(title="Dune", price="9.50")
    response = BoltClient().get("/linked/", headers={"Host": "api.example.com"})
    assert response.status_code == 200
    assert response.json() == [{"url": f"http://api.example.com/linked/{book.pk}/", "title": "Dune"}]

"""Clear start-up errors for what Bolt's routing cannot serve: DRF classes, and unported Django views."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from django.views import View
from rest_framework import generics, viewsets

from django_bolt.conf import build_engine
from django_bolt.routers import DefaultRouter
from tests.app.models import Item


class LegacyViewSet(viewsets.ModelViewSet):
    queryset = Item.objects.all()


class LegacyList(generics.ListAPIView):
    queryset = Item.objects.all()


class PlainView(View):
    def get(self, request):
        pass


def test_drf_viewset_on_a_bolt_router_says_how_to_port_it():
    with pytest.raises(ImproperlyConfigured) as error:
        DefaultRouter().register("legacy", LegacyViewSet, basename="legacy")
    message = str(error.value)
    assert message.startswith("LegacyViewSet is a DRF ViewSet (rest_framework.viewsets.ModelViewSet)")
    assert "ROOT_URLCONF" in message and "django_bolt.viewsets.BoltModelViewSet" in message


def test_unported_views_in_bolt_urls_are_named():
    with pytest.raises(ImproperlyConfigured, match=r"LegacyList is a DRF view \(rest_framework.generics.ListAPIView"):
        build_engine(type("urls", (), {"urlpatterns": [path("legacy/", LegacyList.as_view())]}))
    with pytest.raises(ImproperlyConfigured, match=r"The view PlainView for route"):
        build_engine(type("urls", (), {"urlpatterns": [path("plain/", PlainView.as_view())]}))

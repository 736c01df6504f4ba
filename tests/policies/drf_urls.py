"""The DRF twins of the policy tests (the reference behaviour)."""

from django.urls import path

from tests.policies.twins import build, drf_framework

urlpatterns = [path(route, view) for route, view in build(drf_framework())]

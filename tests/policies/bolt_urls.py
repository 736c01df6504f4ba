"""The django_bolt implementations compared with ``drf_urls`` (same routes)."""

from django_bolt.urls import path
from tests.policies.twins import bolt_framework, build

urlpatterns = [path(route, view) for route, view in build(bolt_framework())]

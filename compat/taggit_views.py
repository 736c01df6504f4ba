"""django-taggit three ways: a DRF viewset with taggit's DRF serializer; a Bolt viewset keeping that serializer
(compat); a Bolt viewset with the serializer ported to ``django_bolt.contrib.taggit``. Same URL each way."""

from __future__ import annotations

from rest_framework import routers as drf_routers
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets as drf_viewsets
from rest_framework.renderers import JSONRenderer
from taggit import serializers as taggit_drf

from compat.app.models import Article
from django_bolt import routers, serializers, viewsets
from django_bolt.contrib import taggit


class DRFArticleSerializer(taggit_drf.TaggitSerializer, drf_serializers.ModelSerializer):
    tags = taggit_drf.TagListSerializerField(required=False)

    class Meta:
        model = Article
        fields = ["id", "title", "tags"]


class BoltArticleSerializer(taggit.TaggitSerializer, serializers.ModelSerializer):
    tags = taggit.TagListSerializerField(required=False)

    class Meta:
        model = Article
        fields = ["id", "title", "tags"]


class _Open:
    queryset = Article.objects.prefetch_related("tags")
    authentication_classes: list = []
    permission_classes: list = []
    pagination_class = None


class DRFArticleViewSet(_Open, drf_viewsets.ModelViewSet):
    serializer_class = DRFArticleSerializer
    renderer_classes = [JSONRenderer]


class CompatArticleViewSet(_Open, viewsets.BoltModelViewSet):
    serializer_class = DRFArticleSerializer
    renderer_classes = [JSONRenderer]  # DRF's renderer, kept too


class NativeArticleViewSet(_Open, viewsets.BoltModelViewSet):
    serializer_class = BoltArticleSerializer


def _urls(router_module, viewset) -> list:
    router = router_module.SimpleRouter()
    router.register("articles", viewset, basename="article")
    return router.urls


drf_urlpatterns = _urls(drf_routers, DRFArticleViewSet)
bolt_compat_urlpatterns = _urls(routers, CompatArticleViewSet)
bolt_native_urlpatterns = _urls(routers, NativeArticleViewSet)

"""drf-nested-routers (``/authors/{author_pk}/books/``) around a DRF viewset pair and around the Bolt port of the
same pair: the router package is used unchanged for both."""

from __future__ import annotations

from rest_framework import serializers as drf_serializers
from rest_framework import viewsets as drf_viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework_nested import routers

from django_bolt import serializers, viewsets
from tests.serializers_app.models import Author, Book


def _api(serializers_module, viewsets_module, **extra) -> list:
    class AuthorSerializer(serializers_module.ModelSerializer):
        class Meta:
            model = Author
            fields = ["id", "name"]

    class BookSerializer(serializers_module.ModelSerializer):
        class Meta:
            model = Book
            fields = ["id", "title", "author"]
            read_only_fields = ["author"]

    class Open:
        authentication_classes: list = []
        permission_classes: list = []

    class AuthorViewSet(Open, viewsets_module.ModelViewSet):
        queryset = Author.objects.order_by("id")
        serializer_class = AuthorSerializer

    class BookViewSet(Open, viewsets_module.ModelViewSet):
        serializer_class = BookSerializer

        def get_queryset(self):
            return Book.objects.filter(author=self.kwargs["author_pk"]).order_by("id")

        def perform_create(self, serializer):
            serializer.save(author_id=self.kwargs["author_pk"])

    for cls in (AuthorViewSet, BookViewSet):
        for name, value in extra.items():
            setattr(cls, name, value)
    router = routers.SimpleRouter()
    router.register("authors", AuthorViewSet)
    nested = routers.NestedSimpleRouter(router, "authors", lookup="author")
    nested.register("books", BookViewSet, basename="author-books")
    return router.urls + nested.urls


drf_urlpatterns = _api(drf_serializers, drf_viewsets, renderer_classes=[JSONRenderer])
bolt_urlpatterns = _api(serializers, viewsets)

"""
One API written twice from the same source: ``build(drf=True)`` with DRF's modules, ``build(drf=False)`` with
Bolt's. Many field types, nested and method fields, a custom field with ``@extend_schema_field``,
``@extend_schema``/``@extend_schema_view``/``OpenApiParameter``, an ``AutoSchema`` subclass, every built-in
authentication, permissions, pagination, filters and versioning — the schema test compares what spectacular
documents for each.
"""

from __future__ import annotations

import importlib
from typing import Any

from django_filters import rest_framework as django_filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view

from tests.serializers_app.models import Author, Book


class TaggedSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        return ["catalogue"]


def build(drf: bool) -> list:
    def module(name: str) -> Any:
        return importlib.import_module(f"{'rest_framework' if drf else 'django_bolt'}.{name}")

    serializers, viewsets, routers = module("serializers"), module("viewsets"), module("routers")
    authentication, permissions, pagination = module("authentication"), module("permissions"), module("pagination")
    filters, decorators = module("filters"), module("decorators")
    if drf:
        filter_backend = django_filters.DjangoFilterBackend
    else:
        filter_backend = filters.DjangoFilterBackend

    @extend_schema_field(OpenApiTypes.EMAIL)
    class ContactField(serializers.CharField):
        pass

    class AuthorSerializer(serializers.ModelSerializer):
        """An author of books."""

        contact = ContactField(source="email", read_only=True)
        initials = serializers.SerializerMethodField()

        class Meta:
            model = Author
            fields = ["id", "name", "email", "born", "contact", "initials"]

        def get_initials(self, obj: Author) -> str:
            return obj.name[:1]

    class BookSerializer(serializers.ModelSerializer):
        author = AuthorSerializer(read_only=True)
        author_id = serializers.PrimaryKeyRelatedField(source="author", queryset=Author.objects.all(), write_only=True)
        tag_labels = serializers.SlugRelatedField(source="tags", slug_field="label", many=True, read_only=True)
        score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=10, required=False)
        notes = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=5)
        extra = serializers.DictField(child=serializers.IntegerField(), required=False)
        meta = serializers.JSONField(required=False)
        uid = serializers.UUIDField(read_only=True, default=None)
        stamp = serializers.DateTimeField(read_only=True, default=None)
        duration = serializers.DurationField(required=False)
        kind = serializers.ChoiceField(choices=[("a", "Alpha"), ("b", "Beta")], required=False)
        link = serializers.URLField(required=False, allow_blank=True)
        ip = serializers.IPAddressField(required=False)
        ratio = serializers.FloatField(required=False)
        flag = serializers.BooleanField(required=False)
        slug = serializers.SlugField(required=False)
        when = serializers.TimeField(required=False)

        class Meta:
            model = Book
            fields = ["id", "title", "author", "author_id", "editor", "tags", "status", "rating", "pages"]
            fields += ["tag_labels", "score", "notes", "extra", "meta", "uid", "stamp", "duration", "kind", "link"]
            fields += ["ip", "ratio", "flag", "slug", "when"]
            read_only_fields = ["rating"]
            extra_kwargs = {"title": {"help_text": "The title on the cover."}}

    class Pages(pagination.LimitOffsetPagination):
        default_limit = 5
        max_limit = 50

    class BookFilter(django_filters.FilterSet):
        class Meta:
            model = Book
            fields = ["status", "pages"]

    @extend_schema_view(
        list=extend_schema(summary="All the books", parameters=[OpenApiParameter("lang", str, description="Language")]),
        destroy=extend_schema(description="Remove a book for good."),
    )
    class BookViewSet(viewsets.ModelViewSet):
        """Books of the catalogue."""

        queryset = Book.objects.all()
        serializer_class = BookSerializer
        authentication_classes = [
            authentication.TokenAuthentication,
            authentication.SessionAuthentication,
            authentication.BasicAuthentication,
        ]
        permission_classes = [permissions.IsAuthenticatedOrReadOnly]
        pagination_class = Pages
        filter_backends = [filter_backend, filters.SearchFilter, filters.OrderingFilter]
        filterset_class = BookFilter
        search_fields = ["title"]
        ordering_fields = ["title", "pages"]

        @extend_schema(request=None, responses={200: AuthorSerializer})
        @decorators.action(detail=True, methods=["get"])
        def writer(self, request: Any, pk: Any = None) -> Any:
            raise NotImplementedError

        @decorators.action(detail=False, methods=["post"], serializer_class=AuthorSerializer)
        def propose(self, request: Any) -> Any:
            raise NotImplementedError

    class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Author.objects.all()
        serializer_class = AuthorSerializer
        permission_classes = [permissions.AllowAny]
        authentication_classes: list = []
        pagination_class = pagination.PageNumberPagination
        schema = TaggedSchema()

    if not drf:  # Bolt's actions are coroutines (the schema does not see the difference)
        for cls, names in ((BookViewSet, ("writer", "propose")),):
            for name in names:
                method = getattr(cls, name)

                async def coroutine(self: Any, request: Any, *args: Any, __method: Any = method, **kwargs: Any) -> Any:
                    raise NotImplementedError

                coroutine.__dict__.update(method.__dict__)
                coroutine.__name__ = coroutine.__qualname__ = name
                coroutine.__doc__ = method.__doc__
                setattr(cls, name, coroutine)

    router = routers.DefaultRouter()
    router.register("books", BookViewSet)
    router.register("authors", AuthorViewSet)
    return router.urls

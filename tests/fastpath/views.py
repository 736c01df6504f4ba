"""
The viewsets of the fast-path tests, defined once and built twice: against django_bolt and against DRF (the
reference). ``build(modules)`` takes a namespace of the framework's modules and returns ``(prefix, viewset)``
pairs; the Bolt side counts the calls of its overridden hooks so tests can see which route a request took.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import Q

from tests.app.models import Item
from tests.serializers_app.models import Author, Book


def _modules(framework: str) -> SimpleNamespace:
    if framework == "drf":
        from rest_framework import filters, pagination, permissions, serializers, viewsets
    else:
        from django_bolt import filters, pagination, permissions, serializers, viewsets
    return SimpleNamespace(
        filters=filters, pagination=pagination, permissions=permissions, serializers=serializers, viewsets=viewsets
    )


def build(framework: str) -> list[tuple[str, type]]:
    m = _modules(framework)
    s = m.serializers
    is_bolt = framework == "bolt"

    class ItemSerializer(s.ModelSerializer):
        class Meta:
            model = Item
            fields = ["id", "name", "description", "price", "quantity", "is_active", "created_at"]

    class BookSerializer(s.ModelSerializer):
        author_name = s.CharField(source="author.name", default=None)

        class Meta:
            model = Book
            fields = ["id", "title", "author", "author_name", "status", "rating", "pages"]

    class Base(m.viewsets.ModelViewSet):
        authentication_classes: list = []
        permission_classes: list = []
        pagination_class = None
        serializer_class = ItemSerializer

    class Items(Base):
        queryset = Item.objects.order_by("id")

    class ItemsByPrice(Base):
        queryset = Item.objects.filter(is_active=True).order_by("-price", "id")

    class ItemsByName(Base):
        queryset = Item.objects.all()
        lookup_field = "name"

    class ActiveItems(Base):
        # An overridden get_queryset: Django's path, whatever it returns.
        def get_queryset(self) -> Any:
            return Item.objects.filter(is_active=True)

    class PassThrough(Base):
        queryset = Item.objects.order_by("id")

        def get_queryset(self) -> Any:
            return super().get_queryset()

    class InPlace(Base):
        queryset = Item.objects.order_by("id")

        def get_queryset(self) -> Any:
            queryset = super().get_queryset()
            queryset.query.add_q(Q(is_active=True))  # changes the clone in place (a bad idea, but honoured)
            return queryset

    class FilteredHook(Base):
        queryset = Item.objects.order_by("id")

        def filter_queryset(self, queryset: Any) -> Any:
            return queryset.filter(quantity__lt=50)

    class ObjectHook(Base):
        queryset = Item.objects.order_by("id")

        if is_bolt:

            async def get_object(self) -> Any:
                obj = await super().get_object()
                obj.name = obj.name.upper()
                return obj

        else:

            def get_object(self) -> Any:
                obj = super().get_object()
                obj.name = obj.name.upper()
                return obj

    class Searched(Base):
        queryset = Item.objects.order_by("id")
        filter_backends = [m.filters.SearchFilter, m.filters.OrderingFilter]
        search_fields = ["name"]
        ordering_fields = ["price", "quantity"]

    class Paged(Base):
        queryset = Item.objects.order_by("id")

        class pagination_class(m.pagination.PageNumberPagination):  # noqa: N801 - DRF's attribute name
            page_size = 3

    class Extra(Base):
        queryset = Item.objects.order_by("id").extra(select={"double": "quantity * 2"})

    class Books(Base):
        queryset = Book.objects.select_related("author").order_by("id")
        serializer_class = BookSerializer

    class PagedBooks(Books):
        """A serializer reading through a relation: the page's rows are instances."""

        pagination_class = Paged.pagination_class

    class PrefetchedBooks(Books):
        queryset = Book.objects.select_related("author").prefetch_related("tags").order_by("id")

    class OnlyOwnAuthor(m.permissions.BasePermission):
        message = "Not this author."

        if is_bolt:

            async def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
                return obj.author_id is None or obj.author.name != "Forbidden"

        else:

            def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
                return obj.author_id is None or obj.author.name != "Forbidden"

    class SyncDeny(m.permissions.BasePermission):
        message = "Sync says no."

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return obj.title != "Secret"

    class GuardedBooks(Books):
        permission_classes = [SyncDeny, OnlyOwnAuthor]

    extra: list[tuple[str, type]] = []
    if is_bolt:

        class AwaitableAnswer(m.permissions.BasePermission):
            # A sync method answering with an awaitable: awaited on the loop, after the fetch.
            message = "Awaitable says no."

            def has_object_permission(self, request: Any, view: Any, obj: Any) -> Any:
                async def answer() -> bool:
                    return obj.quantity % 2 == 0

                return answer()

        class AwaitablePermission(Items):
            permission_classes = [AwaitableAnswer]

        class ItemsWithAdata(ItemSerializer):
            @property
            async def adata(self) -> Any:
                return {"wrapped": self.data["id"]}

        class CustomAdata(Items):
            serializer_class = ItemsWithAdata

        extra = [("awaitable-perm", AwaitablePermission), ("custom-adata", CustomAdata)]

    return [
        *extra,
        ("items", Items),
        ("by-price", ItemsByPrice),
        ("by-name", ItemsByName),
        ("active", ActiveItems),
        ("pass", PassThrough),
        ("in-place", InPlace),
        ("filtered", FilteredHook),
        ("object-hook", ObjectHook),
        ("searched", Searched),
        ("paged", Paged),
        ("paged-books", PagedBooks),
        ("extra", Extra),
        ("prefetched", PrefetchedBooks),
        ("books", Books),
        ("guarded", GuardedBooks),
    ]


def urlpatterns(framework: str) -> list:
    if framework == "drf":
        from rest_framework.routers import SimpleRouter
    else:
        from django_bolt.routers import SimpleRouter
    router = SimpleRouter()
    for prefix, viewset in build(framework):
        router.register(prefix, viewset, basename=prefix.replace("-", "_"))
    return router.urls


__all__ = ["Author", "Book", "Item", "build", "urlpatterns"]

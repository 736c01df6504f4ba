"""
``authors`` and ``books`` ported to native Bolt ViewSets. Compared with ``views``: the imports come from
``django_bolt``, the custom actions are ``async def``, ``get_object()`` is awaited, and the ORM work of the
actions goes through ``run_sync`` (the standard list/create/retrieve/update/destroy actions do that themselves).
``reviews`` took the first, cheapest step only: a Bolt base class around the team's DRF classes.
"""

from django.db.models import Avg
from drf_spectacular.utils import extend_schema

from django_bolt import viewsets
from django_bolt.authentication import SessionAuthentication, TokenAuthentication
from django_bolt.decorators import action
from django_bolt.filters import OrderingFilter, SearchFilter
from django_bolt.permissions import IsAdminUser, IsAuthenticatedOrReadOnly
from django_bolt.response import Response
from django_bolt.sync import run_sync

from . import views as drf_views
from .bolt_pagination import CatalogPagination
from .bolt_serializers import AuthorSerializer, BookSerializer, ReviewSerializer
from .models import Author, Book


class CatalogViewSet(viewsets.ModelViewSet):
    """The policies every catalog endpoint shares."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = CatalogPagination
    filter_backends = [SearchFilter, OrderingFilter]
    ordering = ["id"]


class AuthorViewSet(CatalogViewSet):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    search_fields = ["name", "country"]
    ordering_fields = ["id", "name"]


class BookViewSet(CatalogViewSet):
    queryset = Book.objects.select_related("author").annotate(avg_rating=Avg("reviews__rating"))
    serializer_class = BookSerializer
    search_fields = ["title", "author__name", "=isbn"]
    ordering_fields = ["id", "title", "price", "published"]

    def get_queryset(self):
        # Unchanged from DRF: the hooks stay synchronous and run in the sync bridge.
        queryset = super().get_queryset()
        in_stock = self.request.query_params.get("in_stock")
        if in_stock in ("true", "false"):
            queryset = queryset.filter(in_stock=in_stock == "true")
        return queryset

    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser])
    async def restock(self, request, pk=None):
        book = await self.get_object()
        book.in_stock = True
        await run_sync(book.save, update_fields=["in_stock"])
        return Response(await self.get_serializer(book).adata)

    @extend_schema(responses=ReviewSerializer(many=True))  # a page of reviews, not the book
    @action(detail=True)
    async def reviews(self, request, pk=None):
        book = await self.get_object()

        def page_of_reviews() -> Response:
            # Queryset evaluation, pagination and serialization all query the database: one bridge call.
            queryset = book.reviews.select_related("user").order_by("-rating", "id")
            page = self.paginate_queryset(queryset)
            serializer = ReviewSerializer(page, many=True, context=self.get_serializer_context())
            return self.get_paginated_response(serializer.data)

        return await run_sync(page_of_reviews)


# ``reviews``, moved the cheapest way (the compat step): the base class is Bolt's, everything else is still the
# team's DRF code from ``views.ReviewViewSet`` — DRF serializer, DRF authentication, DRF and custom permissions,
# DRF pagination and filters — used as it is. No action is overridden, so nothing else changes. The docstring is
# the DRF one: it is the endpoint's description in the OpenAPI document.
class ReviewViewSet(viewsets.ModelViewSet):
    """Reviews of the books; only a review's author may change or delete it."""

    queryset = drf_views.ReviewViewSet.queryset
    serializer_class = drf_views.ReviewViewSet.serializer_class
    authentication_classes = drf_views.ReviewViewSet.authentication_classes
    permission_classes = drf_views.ReviewViewSet.permission_classes
    pagination_class = drf_views.ReviewViewSet.pagination_class
    filter_backends = drf_views.ReviewViewSet.filter_backends
    search_fields = drf_views.ReviewViewSet.search_fields
    ordering_fields = drf_views.ReviewViewSet.ordering_fields
    ordering = drf_views.ReviewViewSet.ordering

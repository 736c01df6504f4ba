"""
The catalog API as the team wrote it with DRF. ``authors`` and ``books`` are also ported to Bolt
(``bolt_views``); these DRF versions stay until the switch, and the tests run against both.
"""

from django.db.models import Avg
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from .models import Author, Book, Review
from .pagination import CatalogPagination
from .permissions import IsReviewAuthorOrReadOnly
from .serializers import AuthorSerializer, BookSerializer, ReviewSerializer


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
        queryset = super().get_queryset()
        in_stock = self.request.query_params.get("in_stock")
        if in_stock in ("true", "false"):
            queryset = queryset.filter(in_stock=in_stock == "true")
        return queryset

    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser])
    def restock(self, request, pk=None):
        book = self.get_object()
        book.in_stock = True
        book.save(update_fields=["in_stock"])
        return Response(self.get_serializer(book).data)

    @extend_schema(responses=ReviewSerializer(many=True))  # a page of reviews, not the book
    @action(detail=True)
    def reviews(self, request, pk=None):
        book = self.get_object()
        queryset = book.reviews.select_related("user").order_by("-rating", "id")
        page = self.paginate_queryset(queryset)
        serializer = ReviewSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class ReviewViewSet(CatalogViewSet):
    """Reviews of the books; only a review's author may change or delete it."""

    queryset = Review.objects.select_related("user")
    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, IsReviewAuthorOrReadOnly]
    search_fields = ["comment"]
    ordering_fields = ["id", "rating", "created"]

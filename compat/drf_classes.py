"""
The same Book API twice: a DRF ``ModelViewSet`` (``drf_urlpatterns``) and a ``BoltModelViewSet`` that keeps the
team's DRF classes — DRF serializer, TokenAuthentication, permission, PageNumberPagination, DRF exceptions and
DRF ``Response`` in its actions (``bolt_urlpatterns``). Only the base class and ``async def`` differ.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action as drf_action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as DRFResponse
from rest_framework.throttling import UserRateThrottle
from rest_framework_simplejwt.authentication import JWTAuthentication

from compat.app.models import Book
from django_bolt.decorators import action
from django_bolt.routers import SimpleRouter as BoltRouter
from django_bolt.viewsets import BoltModelViewSet, BoltReadOnlyModelViewSet


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title", "author", "price", "in_stock"]

    def validate_title(self, value):
        if value.lower() == "forbidden":
            raise serializers.ValidationError("This title is not allowed.", code="forbidden")
        return value


class Pages(PageNumberPagination):
    page_size = 2
    page_size_query_param = "size"


class Policies:
    queryset = Book.objects.order_by("id")
    serializer_class = BookSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_fields = ["price", "in_stock"]
    search_fields = ["title"]
    ordering_fields = ["price", "title"]
    # DRF's own JSON renderer on both sides (no browsable API: see docs/deviations.md).
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    content_negotiation_class = DefaultContentNegotiation
    # No PATCH: DRF still authenticates first (401 for anonymous), then answers 405 with this route's Allow.
    http_method_names = ["get", "post", "put", "delete", "head", "options"]


def _raise(kind: str) -> None:
    raise {
        "not_found": drf_exceptions.NotFound("No such shelf."),
        "denied": drf_exceptions.PermissionDenied(),
        "throttled": drf_exceptions.Throttled(wait=12),
        "invalid": drf_exceptions.ValidationError({"shelf": ["Pick a shelf."]}),
        "parse": drf_exceptions.ParseError(),
    }[kind]


class DRFBookViewSet(Policies, viewsets.ModelViewSet):
    @drf_action(detail=False, methods=["get"], url_path=r"fail/(?P<kind>\w+)")
    def fail(self, request, kind=None):
        _raise(kind)

    @drf_action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        book = self.get_object()
        return DRFResponse({"title": book.title}, headers={"X-Shelf": "A"})

    @drf_action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return DRFResponse(serializer.data)


class BoltBookViewSet(Policies, BoltModelViewSet):
    @action(detail=False, methods=["get"], url_path=r"fail/(?P<kind>\w+)")
    async def fail(self, request, kind=None):
        _raise(kind)

    @action(detail=True, methods=["get"])
    async def summary(self, request, pk=None):
        book = await self.get_object()
        return DRFResponse({"title": book.title}, headers={"X-Shelf": "A"})

    @action(detail=True, methods=["post"])
    async def rename(self, request, pk=None):
        # The async serializer API on the team's DRF serializer (django_bolt.compat).
        serializer = self.get_serializer(await self.get_object(), data=request.data, partial=True)
        await serializer.ais_valid(raise_exception=True)
        await serializer.asave()
        return DRFResponse(await serializer.adata)


class Throttle(UserRateThrottle):
    rate = "2/min"
    scope = "compat-jwt"


class JWTPolicies:
    """simplejwt's JWTAuthentication and DRF's throttles, kept as they are."""

    queryset = Book.objects.order_by("id")
    serializer_class = BookSerializer
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [Throttle]
    renderer_classes = [JSONRenderer]
    pagination_class = None


class DRFJWTBookViewSet(JWTPolicies, viewsets.ReadOnlyModelViewSet):
    pass


class BoltJWTBookViewSet(JWTPolicies, BoltReadOnlyModelViewSet):
    pass


def _drf_routes():
    from rest_framework.routers import SimpleRouter

    router = SimpleRouter()
    router.register("drfbooks", DRFBookViewSet, basename="drfbook")
    router.register("jwtbooks", DRFJWTBookViewSet, basename="jwtbook")
    return router.urls


bolt_router = BoltRouter()
bolt_router.register("drfbooks", BoltBookViewSet, basename="drfbook")
bolt_router.register("jwtbooks", BoltJWTBookViewSet, basename="jwtbook")

drf_urlpatterns = _drf_routes()
bolt_urlpatterns = bolt_router.urls

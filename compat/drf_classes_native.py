"""
The third way of ``compat.drf_classes``' Book API: everything ported to Bolt's own classes (serializer,
TokenAuthentication, permission, pagination, filter backends, parsers, renderer, negotiation, exceptions,
Response). Same requests, same answers as DRF and as the compat version (``compat/test_drf_classes.py``).
"""

from __future__ import annotations

from compat.app.models import Book
from django_bolt import exceptions, serializers
from django_bolt.authentication import TokenAuthentication
from django_bolt.decorators import action
from django_bolt.filters import DjangoFilterBackend, OrderingFilter, SearchFilter
from django_bolt.negotiation import DefaultContentNegotiation
from django_bolt.pagination import PageNumberPagination
from django_bolt.parsers import FormParser, JSONParser, MultiPartParser
from django_bolt.permissions import IsAuthenticatedOrReadOnly
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.routers import SimpleRouter
from django_bolt.viewsets import BoltModelViewSet


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


def _raise(kind: str) -> None:
    raise {
        "not_found": exceptions.NotFound("No such shelf."),
        "denied": exceptions.PermissionDenied(),
        "throttled": exceptions.Throttled(wait=12),
        "invalid": exceptions.ValidationError({"shelf": ["Pick a shelf."]}),
        "parse": exceptions.ParseError(),
    }[kind]


class NativeBookViewSet(BoltModelViewSet):
    queryset = Book.objects.order_by("id")
    serializer_class = BookSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_fields = ["price", "in_stock"]
    search_fields = ["title"]
    ordering_fields = ["price", "title"]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    content_negotiation_class = DefaultContentNegotiation
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    @action(detail=False, methods=["get"], url_path=r"fail/(?P<kind>\w+)")
    async def fail(self, request, kind=None):
        _raise(kind)

    @action(detail=True, methods=["get"])
    async def summary(self, request, pk=None):
        book = await self.get_object()
        return Response({"title": book.title}, headers={"X-Shelf": "A"})

    @action(detail=True, methods=["post"])
    async def rename(self, request, pk=None):
        serializer = self.get_serializer(await self.get_object(), data=request.data, partial=True)
        await serializer.ais_valid(raise_exception=True)
        await serializer.asave()
        return Response(await serializer.adata)


router = SimpleRouter()
router.register("drfbooks", NativeBookViewSet, basename="drfbook")
urlpatterns = router.urls

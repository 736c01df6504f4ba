"""The DRF twins: the reference implementation of every behaviour the parity tests compare."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, generics, serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes, renderer_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FileUploadParser, FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from compat.app.models import Book
from compat.policies import make_policies

policies = make_policies(exceptions, Response)


class BookSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["id", "url", "title", "author", "price", "published", "in_stock", "genre"]

    def get_url(self, obj: Book) -> str:
        return f"http://testserver/books/{obj.pk}/"


class Base:
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []


class BookViewSet(Base, viewsets.ModelViewSet):
    """Books of the shop."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filter_backends = [policies.TitleFilter]

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        book = self.get_object()
        book.in_stock = True
        book.save()
        return Response({"status": "published", "id": book.pk})

    @action(detail=False, url_path="cheap", url_name="cheap-books")
    def cheap(self, request):
        books = self.get_queryset().filter(price__lt=10)
        return Response(self.get_serializer(books, many=True).data)

    @cheap.mapping.delete
    def delete_cheap(self, request):
        count, _ = self.get_queryset().filter(price__lt=10).delete()
        return Response({"deleted": count})

    @action(detail=True, url_path="set-price", methods=["put"])
    def set_price(self, request, pk=None):
        book = self.get_object()
        book.price = request.data["price"]
        book.save()
        return Response(self.get_serializer(book).data)


class ReadOnlyBookViewSet(Base, viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    lookup_field = "title"
    lookup_value_regex = "[a-z]+"


class GuardedBookViewSet(Base, viewsets.ModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    authentication_classes = [policies.HeaderTokenAuth]
    permission_classes = [policies.IsAuthenticated, policies.CheapBooksOnly]


class SilentGuardedView(Base, APIView):
    authentication_classes = [policies.SilentAuth]
    permission_classes = [policies.IsAuthenticated]

    def get(self, request):
        return Response({"user": str(request.user), "auth": request.auth})


class ThrottledView(Base, APIView):
    throttle_classes = [policies.NoWriteThrottle]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


class PagedBooks(Base, generics.ListCreateAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    pagination_class = policies.SlicePaginator


class BookDetail(Base, generics.RetrieveUpdateDestroyAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    lookup_url_kwarg = "book_id"


class Errors(Base, APIView):
    def get(self, request, kind):
        if kind == "http404":
            raise Http404("Nothing here.")
        if kind == "denied":
            raise PermissionDenied("Go away.")
        if kind == "validation":
            raise exceptions.ValidationError({"field": ["bad"]})
        if kind == "throttled":
            raise exceptions.Throttled(wait=1.5)
        if kind == "parse":
            raise exceptions.ParseError()
        raise exceptions.NotFound()


class Echo(Base, APIView):
    def post(self, request):
        files = {name: [f.name, f.size] for name, f in request.FILES.items()}
        if hasattr(request.data, "getlist"):
            data = {key: request.POST.getlist(key) for key in request.POST}
        else:
            data = request.data
        return Response({"data": data, "files": files, "content_type": request.content_type.split(";")[0]})


class MultiRenderer(Base, APIView):
    renderer_classes = [JSONRenderer, policies.PlainTextRenderer]

    def get(self, request):
        return Response({"x": 1})


@api_view(["GET", "POST"])
@authentication_classes([])
@permission_classes([])
@renderer_classes([JSONRenderer])
def function_view(request):
    return Response({"method": request.method})


class SmallPages(PageNumberPagination):
    page_size = 2


class DefaultPolicyBookViewSet(viewsets.ModelViewSet):
    """Authentication and permission classes from the defaults (Session, Basic; AllowAny)."""

    renderer_classes = [JSONRenderer]
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class PrivateBookViewSet(DefaultPolicyBookViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = SmallPages


class TokenWhoAmI(APIView):
    renderer_classes = [JSONRenderer]
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username})


class Upload(Base, APIView):
    parser_classes = [FileUploadParser]

    def put(self, request, filename=None):
        upload = request.data["file"]
        return Response({"name": upload.name, "size": upload.size, "head": upload.read(5).decode()})

"""Views of the unit tests in tests/views (served through the engine's test client)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse

from compat.app.models import Book
from django_bolt import exceptions, serializers, viewsets
from django_bolt.decorators import action
from django_bolt.response import Response
from django_bolt.sync import run_sync
from django_bolt.views import APIView


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title", "price"]


class Open:
    authentication_classes: list = []
    permission_classes: list = []


class CreateThenFail(Open, APIView):
    """Writes a row, then fails in the way named by the URL."""

    async def post(self, request, how):
        await run_sync(Book.objects.create, title="ghost", price=Decimal("1.00"))
        if how == "api":
            raise exceptions.ValidationError({"title": ["nope"]})
        if how == "crash":
            raise RuntimeError("boom")
        return Response({"ok": True}, status=201)


class AsyncAllow:
    async def has_permission(self, request, view):
        return request.headers.get("X-Allow") == "yes"

    async def has_object_permission(self, request, view, obj):
        return True


class DBPermission:
    """Sync permission reading the database: the pipeline must move it off the event loop."""

    def has_permission(self, request, view):
        return Book.objects.filter(title="key").exists()


class AsyncAuth:
    async def aauthenticate(self, request):
        if request.headers.get("X-User"):
            return type("U", (), {"is_authenticated": True, "username": request.headers["X-User"]})(), "tok"
        return None

    def authenticate_header(self, request):
        return "Custom"


class DBAuth:
    """Sync authenticator that hits the database (run in the sync bridge)."""

    def authenticate(self, request):
        book = Book.objects.filter(title=request.headers.get("X-Book", "")).first()
        if book is None:
            return None
        return type("U", (), {"is_authenticated": True, "username": book.title})(), book.pk

    def authenticate_header(self, request):
        return "Book"


class Who(APIView):
    authentication_classes = [AsyncAuth, DBAuth]
    permission_classes = [AsyncAllow]

    async def get(self, request):
        user = await request.auser()
        return Response({"user": getattr(user, "username", None), "auth": request.auth})


class DBGuarded(Open, APIView):
    permission_classes = [DBPermission]

    async def get(self, request):
        return Response({"ok": True})


class AsyncThrottle:
    async def allow_request(self, request, view):
        return False

    def wait(self):
        return 0.2


class Throttled(Open, APIView):
    throttle_classes = [AsyncThrottle]

    async def get(self, request):
        return Response({})


class Plain(Open, APIView):
    async def get(self, request):
        response = HttpResponse("plain text", content_type="text/plain")
        response["X-Extra"] = "1"
        return response


class Session(Open, APIView):
    async def get(self, request):
        # Loading the session reads the database: through the bridge.
        return Response({"visits": await run_sync(request.session.get, "visits", 0)})

    async def post(self, request):
        visits = await run_sync(request.session.get, "visits", 0) + 1
        request.session["visits"] = visits
        return Response({"visits": visits})


class SessionThenRefuse(Open, APIView):
    """Writes the session, then refuses: under ATOMIC_REQUESTS the view's writes roll back, the session is still
    saved (Django's SessionMiddleware saves after the view's transaction, for answers below 500)."""

    async def post(self, request):
        request.session["visits"] = await run_sync(request.session.get, "visits", 0) + 1
        raise exceptions.ValidationError({"detail": "refused"})


class BookViewSet(Open, viewsets.ModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def get_object(self):
        # A DRF-style sync override: runs in the sync bridge.
        return Book.objects.get(title=self.kwargs["pk"])

    async def perform_create(self, serializer):
        # An async override: awaited on the loop.
        await serializer.asave(author="async-hook")

    @action(detail=True)
    async def links(self, request, pk=None):
        return Response(
            {
                "self": self.reverse_action("detail", args=[pk]),
                "extra": self.get_extra_action_url_map(),
                "action": self.action,
                "name": self.get_view_name(),
            }
        )

    @action(detail=False, url_path="list-meta", name="Meta Listing")
    async def list_meta(self, request):
        return Response({"action": self.action, "basename": self.basename, "detail": self.detail})

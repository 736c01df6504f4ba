"""Bolt-only routes with custom policy classes (sync and async, DB-reading) for the policy unit tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from compat.app.models import Book
from django_bolt import authentication, exceptions, generics, pagination, permissions, serializers
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.sync import run_sync
from django_bolt.urls import path
from django_bolt.views import APIView


class AsyncHeaderAuth:
    """An async authenticator (not a BaseAuthentication subclass): ``X-User: <name>``."""

    async def authenticate(self, request: Any) -> Any:
        name = request.headers.get("X-User")
        if name is None:
            return None
        if name == "nobody":
            raise exceptions.AuthenticationFailed("No such user.")
        # run_sync rather than aget(): it shares the test transaction (and the pool's connections in production).
        user = await run_sync(User.objects.get, username=name)
        return user, "async"

    def authenticate_header(self, request: Any) -> str:
        return "X-User"


class SyncDBAuth(authentication.BaseAuthentication):
    """A sync authenticator reading the database (must run in the sync bridge)."""

    def authenticate(self, request: Any) -> Any:
        name = request.headers.get("X-User")
        if name is None:
            return None
        return User.objects.get(username=name), "sync"


class CredentialsTokenAuth(authentication.TokenAuthentication):
    """Overrides only ``authenticate_credentials``, as DRF projects commonly do."""

    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> Any:
        user, token = super().authenticate_credentials(key)
        return user, f"custom:{token.key[:4]}"


class StaffByDB(permissions.BasePermission):
    """A sync permission that queries the database."""

    message = {"reason": "staff only"}

    def has_permission(self, request: Any, view: Any) -> bool:
        return User.objects.filter(pk=request.user.pk, is_staff=True).exists()


class AsyncNever(permissions.BasePermission):
    code = "never"

    async def has_permission(self, request: Any, view: Any) -> bool:
        return False


class Who(APIView):
    renderer_classes = [JSONRenderer]
    permission_classes = [permissions.IsAuthenticated]

    async def get(self, request: Any) -> Response:
        return Response({"user": str(request.user), "auth": str(request.auth)})


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title"]


class Books(generics.ListAPIView):
    renderer_classes = [JSONRenderer]
    authentication_classes: list = []
    permission_classes: list = []
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class PagedBooks(Books):
    pagination_class = pagination.LimitOffsetPagination


class Lazy(Who):
    """Authenticates only when something reads ``request.user`` (DRF's documented no-op override)."""

    authentication_classes = [authentication.TokenAuthentication]
    permission_classes = [permissions.AllowAny]

    async def perform_authentication(self, request: Any) -> None:
        pass

    async def get(self, request: Any) -> Response:
        if "who" in request.query_params:
            return Response({"user": str(await request.auser())})
        return Response({"user": "not asked"})


def view(name: str, base: type = Who, **attrs: Any) -> Any:
    return type(name, (base,), attrs).as_view()


urlpatterns = [
    path("async-auth/", view("AsyncAuth", authentication_classes=[AsyncHeaderAuth])),
    path("sync-auth/", view("SyncAuth", authentication_classes=[SyncDBAuth])),
    path("credentials/", view("Credentials", authentication_classes=[CredentialsTokenAuth])),
    path(
        "staff-db/",
        view("StaffDB", authentication_classes=[authentication.TokenAuthentication], permission_classes=[StaffByDB]),
    ),
    path(
        "async-composed/",
        view(
            "AsyncComposed",
            authentication_classes=[authentication.TokenAuthentication],
            permission_classes=[permissions.IsAuthenticated & (AsyncNever | StaffByDB)],
        ),
    ),
    path("default-auth/", view("DefaultAuth", permission_classes=[permissions.AllowAny])),
    path("lazy/", Lazy.as_view()),
    path("lazy-guarded/", view("LazyGuarded", Lazy, permission_classes=[permissions.IsAuthenticated])),
    path("books/", Books.as_view()),
    path("paged-books/", PagedBooks.as_view()),
    # Token + a permission on a default list: authentication and permissions join the list's bridge call.
    path(
        "token-books/",
        view(
            "TokenBooks",
            Books,
            authentication_classes=[authentication.TokenAuthentication],
            permission_classes=[permissions.IsAuthenticated],
        ),
    ),
    path(
        "token-books-async-permission/",
        view(
            "TokenBooksAsync",
            Books,
            authentication_classes=[authentication.TokenAuthentication],
            permission_classes=[permissions.IsAuthenticated & (AsyncNever | StaffByDB)],
        ),
    ),
]

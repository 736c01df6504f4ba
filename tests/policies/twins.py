"""
The views of the policy tests, built twice from one description: once with DRF's classes (the reference) and
once with django_bolt's. ``build(fw)`` returns ``[(route, view)]``; ``drf_urls``/``bolt_urls`` turn it into
``urlpatterns``. Bolt handlers are ``async def`` wrappers around the same bodies; the custom policies used on
the bolt side are written ``async def`` where the test is about async policies.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django_filters import rest_framework as django_filters

from compat.app.models import Book

AUTH_SCHEMES = ("session", "basic", "token", "default", "token-session", "jwt", "jwt-stateless", "remote", "none")


class PriceFilterSet(django_filters.FilterSet):
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")

    class Meta:
        model = Book
        fields = ["genre", "min_price", "max_price"]


def drf_framework() -> SimpleNamespace:
    from django_filters.rest_framework import DjangoFilterBackend
    from rest_framework import authentication, filters, generics, pagination, permissions, serializers, throttling
    from rest_framework.renderers import JSONRenderer
    from rest_framework.response import Response
    from rest_framework.views import APIView
    from rest_framework_simplejwt import views as jwt_views
    from rest_framework_simplejwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication

    return SimpleNamespace(
        is_async=False,
        APIView=APIView,
        generics=generics,
        serializers=serializers,
        Response=Response,
        JSONRenderer=JSONRenderer,
        authentication=authentication,
        permissions=permissions,
        throttling=throttling,
        pagination=pagination,
        filters=filters,
        DjangoFilterBackend=DjangoFilterBackend,
        JWTAuthentication=JWTAuthentication,
        JWTStateless=JWTStatelessUserAuthentication,
        jwt_views=jwt_views,
    )


def bolt_framework() -> SimpleNamespace:
    from django_bolt import authentication, filters, generics, pagination, permissions, serializers, throttling
    from django_bolt.jwt import views as jwt_views
    from django_bolt.jwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication
    from django_bolt.renderers import JSONRenderer
    from django_bolt.response import Response
    from django_bolt.views import APIView

    return SimpleNamespace(
        is_async=True,
        APIView=APIView,
        generics=generics,
        serializers=serializers,
        Response=Response,
        JSONRenderer=JSONRenderer,
        authentication=authentication,
        permissions=permissions,
        throttling=throttling,
        pagination=pagination,
        filters=filters,
        DjangoFilterBackend=filters.DjangoFilterBackend,
        JWTAuthentication=JWTAuthentication,
        JWTStateless=JWTStatelessUserAuthentication,
        jwt_views=jwt_views,
    )


def _handler(fw: SimpleNamespace, body: Any) -> Any:
    if not fw.is_async:
        return body

    async def handler(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        return body(self, request, *args, **kwargs)

    return handler


def _whoami(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
    auth = request.auth
    return self.response_class(
        {
            "user": str(request.user),
            "authenticated": bool(request.user and request.user.is_authenticated),
            "auth": None if auth is None else type(auth).__name__,
            "method": request.method,
        }
    )


def _permission_classes(fw: SimpleNamespace) -> dict[str, list]:
    perms = fw.permissions

    if fw.is_async:

        class ReadOnly(perms.BasePermission):
            async def has_permission(self, request: Any, view: Any) -> bool:
                return request.method in perms.SAFE_METHODS

        class Refuses(perms.BasePermission):
            message = "Custom says no."
            code = "custom_no"

            async def has_permission(self, request: Any, view: Any) -> bool:
                return False

    else:

        class ReadOnly(perms.BasePermission):
            def has_permission(self, request: Any, view: Any) -> bool:
                return request.method in perms.SAFE_METHODS

        class Refuses(perms.BasePermission):
            message = "Custom says no."
            code = "custom_no"

            def has_permission(self, request: Any, view: Any) -> bool:
                return False

    class CheapOnly(perms.BasePermission):
        message = "Only cheap books."

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return obj.price < 100

    return {
        "authenticated": [perms.IsAuthenticated],
        "admin": [perms.IsAdminUser],
        "readonly": [perms.IsAuthenticatedOrReadOnly],
        "admin-or-readonly": [perms.IsAdminUser | ReadOnly],
        "not-authenticated": [~perms.IsAuthenticated],
        "refuses": [Refuses],
        "auth-and-refuses": [perms.IsAuthenticated & Refuses],
        "both-listed": [perms.IsAuthenticated, Refuses],
        "admin-or-cheap": [perms.IsAdminUser | CheapOnly],
        "cheap": [CheapOnly],
        "model": [perms.DjangoModelPermissions],
        "model-anon": [perms.DjangoModelPermissionsOrAnonReadOnly],
        "object": [perms.DjangoObjectPermissions],
    }


def build(fw: SimpleNamespace) -> list[tuple[str, Any]]:
    auth, perms, thr, pag, flt = fw.authentication, fw.permissions, fw.throttling, fw.pagination, fw.filters
    handler = _handler(fw, _whoami)

    class BookSerializer(fw.serializers.ModelSerializer):
        class Meta:
            model = Book
            fields = ["id", "title", "author", "price", "genre", "in_stock"]

    class Base:
        renderer_classes = [fw.JSONRenderer]
        throttle_classes: list = []
        response_class = fw.Response

    class Who(Base, fw.APIView):
        permission_classes = [perms.IsAuthenticated]
        get = post = handler

    class Open(Who):
        permission_classes = [perms.AllowAny]

    scheme_classes = {
        "session": [auth.SessionAuthentication],
        "basic": [auth.BasicAuthentication],
        "token": [auth.TokenAuthentication],
        "token-session": [auth.TokenAuthentication, auth.SessionAuthentication],
        "jwt": [fw.JWTAuthentication],
        "jwt-stateless": [fw.JWTStateless],
        "remote": [type("HeaderRemoteUser", (auth.RemoteUserAuthentication,), {"header": "HTTP_REMOTE_USER"})],
        "none": [],
    }
    routes: list[tuple[str, Any]] = []
    for scheme in AUTH_SCHEMES:
        attrs = {} if scheme == "default" else {"authentication_classes": scheme_classes[scheme]}
        routes.append((f"auth/{scheme}/", type(f"Who_{scheme}", (Who,), attrs).as_view()))
        routes.append((f"auth/{scheme}/open/", type(f"Open_{scheme}", (Open,), attrs).as_view()))

    # Permissions: token authentication (cheap, and its 401 has a challenge) or none (401 becomes 403).
    class BookList(Base, fw.generics.ListCreateAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        authentication_classes = [auth.TokenAuthentication]

    class BookDetail(Base, fw.generics.RetrieveUpdateDestroyAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        authentication_classes = [auth.TokenAuthentication]

    for name, classes in _permission_classes(fw).items():
        attrs = {"permission_classes": classes}
        routes.append(
            (
                f"perm/{name}/",
                type(
                    f"Perm_{name}",
                    (Who,),
                    {**attrs, "authentication_classes": [auth.TokenAuthentication], "put": handler, "delete": handler},
                ).as_view(),
            )
        )
        routes.append((f"perm/{name}/books/", type(f"PermList_{name}", (BookList,), attrs).as_view()))
        routes.append((f"perm/{name}/books/<int:pk>/", type(f"PermDetail_{name}", (BookDetail,), attrs).as_view()))
    routes.append(
        ("perm/silent/", type("PermSilent", (Who,), {"authentication_classes": [auth.SessionAuthentication]}).as_view())
    )

    # Throttles: small explicit rates (DRF reads DEFAULT_THROTTLE_RATES at import time).
    class AnonTwice(thr.AnonRateThrottle):
        rate = "2/min"

    class UserTwice(thr.UserRateThrottle):
        rate = "2/min"

    class Scoped(thr.ScopedRateThrottle):
        THROTTLE_RATES = {"burst": "3/hour", "other": "1/day"}

    class Throttled(Who):
        permission_classes = [perms.AllowAny]
        authentication_classes = [auth.TokenAuthentication]

    routes += [
        ("throttle/anon/", type("ThrAnon", (Throttled,), {"throttle_classes": [AnonTwice]}).as_view()),
        ("throttle/user/", type("ThrUser", (Throttled,), {"throttle_classes": [UserTwice]}).as_view()),
        ("throttle/both/", type("ThrBoth", (Throttled,), {"throttle_classes": [AnonTwice, UserTwice]}).as_view()),
        (
            "throttle/burst/",
            type("ThrBurst", (Throttled,), {"throttle_classes": [Scoped], "throttle_scope": "burst"}).as_view(),
        ),
        (
            "throttle/burst2/",
            type("ThrBurst2", (Throttled,), {"throttle_classes": [Scoped], "throttle_scope": "burst"}).as_view(),
        ),
        (
            "throttle/other/",
            type("ThrOther", (Throttled,), {"throttle_classes": [Scoped], "throttle_scope": "other"}).as_view(),
        ),
        ("throttle/unscoped/", type("ThrUnscoped", (Throttled,), {"throttle_classes": [Scoped]}).as_view()),
    ]

    # Pagination and filters.
    class ListBooks(Base, fw.generics.ListAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        authentication_classes: list = []
        permission_classes: list = []

    class Numbered(pag.PageNumberPagination):
        page_size = 2
        page_size_query_param = "size"
        max_page_size = 3

    class LimitOffset(pag.LimitOffsetPagination):
        default_limit = 2
        max_limit = 3

    class CursorByPrice(pag.CursorPagination):
        page_size = 2
        ordering = "price"
        page_size_query_param = "size"

    class CursorById(pag.CursorPagination):
        page_size = 2
        ordering = "-id"

    def listing(name: str, **attrs: Any) -> Any:
        return type(f"List_{name.replace('/', '_')}", (ListBooks,), attrs).as_view()

    routes += [
        ("pages/number/", listing("number", pagination_class=Numbered)),
        ("pages/limit/", listing("limit", pagination_class=LimitOffset)),
        ("pages/cursor/", listing("cursor", pagination_class=CursorByPrice)),
        ("pages/cursor-id/", listing("cursor-id", pagination_class=CursorById)),
        (
            "pages/cursor-ordering/",
            listing(
                "cursor-ordering",
                pagination_class=CursorById,
                filter_backends=[flt.OrderingFilter],
                ordering_fields=["price", "title"],
            ),
        ),
        (
            "filters/search/",
            listing("search", filter_backends=[flt.SearchFilter], search_fields=["title", "^author", "=genre"]),
        ),
        (
            "filters/search-pk/",
            listing("search-pk", filter_backends=[flt.SearchFilter], search_fields=["=id", "published__year"]),
        ),
        (
            "filters/ordering/",
            listing(
                "ordering", filter_backends=[flt.OrderingFilter], ordering_fields=["title", "price"], ordering=["-id"]
            ),
        ),
        (
            "filters/ordering-all/",
            listing("ordering-all", filter_backends=[flt.OrderingFilter], ordering_fields="__all__"),
        ),
        (
            "filters/ordering-default/",
            listing("ordering-default", filter_backends=[flt.OrderingFilter], ordering="title"),
        ),
        (
            "filters/django/",
            listing("django", filter_backends=[fw.DjangoFilterBackend], filterset_fields=["genre", "in_stock"]),
        ),
        (
            "filters/django-class/",
            listing("django-class", filter_backends=[fw.DjangoFilterBackend], filterset_class=PriceFilterSet),
        ),
        (
            "filters/all/",
            listing(
                "all",
                filter_backends=[fw.DjangoFilterBackend, flt.SearchFilter, flt.OrderingFilter],
                filterset_fields=["genre"],
                search_fields=["title", "author"],
                ordering_fields=["price"],
                pagination_class=Numbered,
            ),
        ),
    ]

    # JWT endpoints.
    json_only = {"renderer_classes": [fw.JSONRenderer]}
    routes += [
        ("jwt/obtain/", type("Obtain", (fw.jwt_views.TokenObtainPairView,), json_only).as_view()),
        ("jwt/refresh/", type("Refresh", (fw.jwt_views.TokenRefreshView,), json_only).as_view()),
        ("jwt/verify/", type("Verify", (fw.jwt_views.TokenVerifyView,), json_only).as_view()),
        ("jwt/sliding/", type("Sliding", (fw.jwt_views.TokenObtainSlidingView,), json_only).as_view()),
        ("jwt/sliding/refresh/", type("SlidingRefresh", (fw.jwt_views.TokenRefreshSlidingView,), json_only).as_view()),
    ]
    return routes

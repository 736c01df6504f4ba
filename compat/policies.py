"""
Test-local policy classes used identically by both twins (they only use the protocol both frameworks share).

Each framework must see its own exception classes, so the classes are built per exceptions module.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


class TokenUser:
    is_authenticated = True
    is_anonymous = False

    def __init__(self, username: str) -> None:
        self.username = username

    def __str__(self) -> str:
        return self.username


def make_policies(exceptions: Any, response_class: Any) -> SimpleNamespace:
    class HeaderTokenAuth:
        """``X-Token: good`` authenticates; ``X-Token: bad`` fails; absent means anonymous. 401 + challenge."""

        def authenticate(self, request: Any) -> Any:
            token = request.headers.get("X-Token")
            if token is None:
                return None
            if token != "good":
                raise exceptions.AuthenticationFailed("Invalid token.")
            return TokenUser("alice"), token

        def authenticate_header(self, request: Any) -> str:
            return 'Token realm="api"'

    class SilentAuth(HeaderTokenAuth):
        """Same, without a challenge: a 401 becomes 403."""

        def authenticate_header(self, request: Any) -> None:
            return None

    class IsAuthenticated:
        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated)

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return True

    class CheapBooksOnly:
        message = "Only cheap books."
        code = "too_expensive"

        def has_permission(self, request: Any, view: Any) -> bool:
            return True

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return obj.price < 100

    class NoWriteThrottle:
        """Refuses writes with a 3.2 s wait (Retry-After rounds up)."""

        def allow_request(self, request: Any, view: Any) -> bool:
            return request.method in ("GET", "HEAD", "OPTIONS")

        def wait(self) -> float:
            return 3.2

    class TitleFilter:
        def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
            title = request.query_params.get("title")
            return queryset.filter(title__icontains=title) if title else queryset

    class PlainTextRenderer:
        media_type = "text/plain"
        format = "txt"
        charset = "utf-8"

        def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None) -> bytes:
            return str(data).encode()

    class SlicePaginator:
        """A minimal paginator (``?limit=``), enough to exercise the view's pagination hooks."""

        def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
            self.count = queryset.count()
            return list(queryset[: int(request.query_params.get("limit", 2))])

        def get_paginated_response(self, data: Any) -> Any:
            return response_class({"count": self.count, "results": data})

    return SimpleNamespace(**{name: value for name, value in locals().items() if isinstance(value, type)})

"""
Pagination styles: page number, limit/offset and cursor, with DRF's query parameters and envelopes.

``paginate_queryset(queryset, request, view)`` runs the count and the page query (synchronous, DRF's hook: the
generic ``list`` action calls it from the sync bridge). Async code calls ``await apaginate_queryset(...)``,
which does the same work in the bridge so the worker thread never waits on the database.
``get_paginated_response(data)`` wraps a serialized page in the envelope, with absolute ``next``/``previous``
links built from the request URL.
"""

from __future__ import annotations

import contextlib
from base64 import b64decode, b64encode
from collections import namedtuple
from typing import Any
from urllib import parse

from django.core.paginator import InvalidPage, Page
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from django_bolt import prepared_pages
from django_bolt.exceptions import NotFound
from django_bolt.response import Response
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.urls import remove_query_param, replace_query_param

Cursor = namedtuple("Cursor", ["offset", "reverse", "position"])


class _PageSizeSetting:
    """Defaults ``page_size``/``default_limit`` to ``PAGE_SIZE``, read when used (so overrides apply)."""

    def __get__(self, instance: Any, owner: type | None = None) -> int | None:
        return api_settings.PAGE_SIZE


def _positive_int(value: Any, strict: bool = False, cutoff: int | None = None) -> int:
    """``int(value)``, refusing negatives (and zero when ``strict``), capped at ``cutoff``."""
    number = int(value)
    if number < 0 or (number == 0 and strict):
        raise ValueError(value)
    return min(number, cutoff) if cutoff else number


def _gets_counted(number: Any) -> bool:
    """Whether Django's ``Paginator.page(number)`` counts: it refuses a number that is not a positive integer
    first (``validate_number``), and DRF then runs no query."""
    try:
        if isinstance(number, float) and not number.is_integer():
            return False
        return int(number) >= 1
    except (TypeError, ValueError):
        return False


def _size_from_query(request: Any, param: str | None, cutoff: int | None) -> int | None:
    """A client-chosen page size, or ``None`` when absent or invalid (then the default applies)."""
    if param:
        with contextlib.suppress(KeyError, ValueError):
            return _positive_int(request.query_params[param], strict=True, cutoff=cutoff)
    return None


def _uri_property(example: str) -> dict[str, Any]:
    return {"type": "string", "nullable": True, "format": "uri", "example": example}


def _int_parameter(name: str, description: Any) -> dict[str, Any]:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": force_str(description),
        "schema": {"type": "integer"},
    }


class BasePagination:
    """Base of the paginators: implement ``paginate_queryset`` and ``get_paginated_response``."""

    display_page_controls = False

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        """The items of the requested page, or ``None`` to leave the view unpaginated."""
        raise NotImplementedError("paginate_queryset() must be implemented.")

    async def apaginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        """``paginate_queryset`` run in the sync bridge (it counts and slices through the ORM)."""
        return await run_sync(self.paginate_queryset, queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        """The response for a serialized page."""
        raise NotImplementedError("get_paginated_response() must be implemented.")

    def get_paginated_response_schema(self, schema: Any) -> Any:
        """The OpenAPI schema of the envelope around ``schema`` (the list of items)."""
        return schema

    def get_results(self, data: Any) -> Any:
        return data["results"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The OpenAPI query parameters of this style."""
        return []


class PageNumberPagination(BasePagination):
    """``?page=4`` (and ``?page_size=`` when ``page_size_query_param`` is set); ``?page=last`` works too."""

    page_size: Any = _PageSizeSetting()
    django_paginator_class = DjangoPaginator
    page_query_param = "page"
    page_query_description = _("A page number within the paginated result set.")
    # None: clients cannot choose the page size.
    page_size_query_param: str | None = None
    page_size_query_description = _("Number of results to return per page.")
    max_page_size: int | None = None
    last_page_strings: tuple[str, ...] = ("last",)
    invalid_page_message = _("Invalid page.")

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        page = self._page_of(queryset, request)
        if page is None:
            return None
        if type(page.paginator) is DjangoPaginator:
            prepared_pages.rows_compiled(page, queryset)
        return list(page)

    def _page_of(self, queryset: Any, request: Any) -> Page | None:
        """``self.page``: the requested page, its items not read yet (``None`` when pagination is off)."""
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        compiled = type(paginator) is DjangoPaginator
        if compiled and request.query_params.get(self.page_query_param) in self.last_page_strings:
            prepared_pages.count_compiled(paginator, queryset)  # "last" asks for the number of pages
        page_number = self.get_page_number(request, paginator)
        if compiled and "count" not in paginator.__dict__ and _gets_counted(page_number):
            prepared_pages.count_compiled(paginator, queryset)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc)))
        return self.page

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        """The requested page number (``1`` when absent); ``last`` means the final page."""
        page_number = request.query_params.get(self.page_query_param) or 1
        if page_number in self.last_page_strings:
            page_number = paginator.num_pages
        return page_number

    def get_page_size(self, request: Any) -> int | None:
        """The client's ``page_size_query_param`` (capped at ``max_page_size``) or ``page_size``."""
        size = _size_from_query(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self) -> str | None:
        if not self.page.has_next():
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self) -> str | None:
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        page_number = self.page.previous_page_number()
        if page_number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page_number)

    def get_paginated_response_schema(self, schema: Any) -> dict[str, Any]:
        example = "http://api.example.org/accounts/?{}={}"
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": _uri_property(example.format(self.page_query_param, 4)),
                "previous": _uri_property(example.format(self.page_query_param, 2)),
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = [_int_parameter(self.page_query_param, self.page_query_description)]
        if self.page_size_query_param is not None:
            parameters.append(_int_parameter(self.page_size_query_param, self.page_size_query_description))
        return parameters


class LimitOffsetPagination(BasePagination):
    """``?limit=100&offset=400``; ``limit`` defaults to ``PAGE_SIZE`` and is capped at ``max_limit``."""

    default_limit: Any = _PageSizeSetting()
    limit_query_param = "limit"
    limit_query_description = _("Number of results to return per page.")
    offset_query_param = "offset"
    offset_query_description = _("The initial index from which to return the results.")
    max_limit: int | None = None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.count = self.get_count(queryset)
        self.offset = self.get_offset(request)
        if self.count == 0 or self.offset > self.count:
            return []
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_limit(self, request: Any) -> int | None:
        """The client's ``limit`` (capped at ``max_limit``), else ``default_limit``."""
        limit = _size_from_query(request, self.limit_query_param, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Any) -> int:
        """The client's ``offset``; ``0`` when absent or invalid."""
        try:
            return _positive_int(request.query_params[self.offset_query_param])
        except (KeyError, ValueError):
            return 0

    def get_count(self, queryset: Any) -> int:
        """The number of items: ``queryset.count()``, or ``len()`` for a list."""
        try:
            return queryset.count()
        except (AttributeError, TypeError):
            return len(queryset)

    def get_next_link(self) -> str | None:
        if self.offset + self.limit >= self.count:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_previous_link(self) -> str | None:
        if self.offset <= 0:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        if self.offset - self.limit <= 0:
            return remove_query_param(url, self.offset_query_param)
        return replace_query_param(url, self.offset_query_param, self.offset - self.limit)

    def get_paginated_response_schema(self, schema: Any) -> dict[str, Any]:
        example = "http://api.example.org/accounts/?{}={}&{}=100"
        offset, limit = self.offset_query_param, self.limit_query_param
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": _uri_property(example.format(offset, 400, limit)),
                "previous": _uri_property(example.format(offset, 200, limit)),
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            _int_parameter(self.limit_query_param, self.limit_query_description),
            _int_parameter(self.offset_query_param, self.offset_query_description),
        ]


def _reverse_ordering(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item[1:] if item.startswith("-") else "-" + item for item in ordering)


class CursorPagination(BasePagination):
    """
    Opaque ``?cursor=`` links over a fixed ``ordering`` (an unchanging, unique or nearly unique field):
    stable under inserts, no count query. The cursor is base64 of ``o=<offset>&r=<reverse>&p=<position>``,
    the same encoding as DRF, so cursors remain valid across a migration.
    """

    cursor_query_param = "cursor"
    cursor_query_description = _("The pagination cursor value.")
    page_size: Any = _PageSizeSetting()
    invalid_cursor_message = _("Invalid cursor")
    ordering: Any = "-created"
    page_size_query_param: str | None = None
    page_size_query_description = _("Number of results to return per page.")
    max_page_size: int | None = None
    # Caps the offset a client can ask for: a huge offset would be an expensive query.
    offset_cutoff = 1000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        offset, reverse, current_position = self.cursor if self.cursor is not None else (0, False, None)

        queryset = queryset.order_by(*(_reverse_ordering(self.ordering) if reverse else self.ordering))
        if current_position is not None:
            order = self.ordering[0]
            # Walking against the field's own direction means "before" the position, else "after" it.
            lookup = "__lt" if self.cursor.reverse != order.startswith("-") else "__gt"
            queryset = queryset.filter(**{order.lstrip("-") + lookup: current_position})

        # One extra row tells whether another page follows.
        results = list(queryset[offset : offset + self.page_size + 1])
        self.page = results[: self.page_size]
        has_following = len(results) > len(self.page)
        following_position = self._get_position_from_instance(results[-1], self.ordering) if has_following else None

        if reverse:
            self.page = list(reversed(self.page))
            self.has_next = current_position is not None or offset > 0
            self.has_previous = has_following
            if self.has_next:
                self.next_position = current_position
            if self.has_previous:
                self.previous_position = following_position
        else:
            self.has_next = has_following
            self.has_previous = current_position is not None or offset > 0
            if self.has_next:
                self.next_position = following_position
            if self.has_previous:
                self.previous_position = current_position
        return self.page

    def get_page_size(self, request: Any) -> int | None:
        size = _size_from_query(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def _marker(self, items: Any, compare: Any) -> tuple[int, Any, bool]:
        """Walk ``items`` until a position differs from its neighbour's: ``(offset, position, found)``."""
        offset = 0
        position = None
        for item in items:
            position = self._get_position_from_instance(item, self.ordering)
            if position != compare:
                return offset, position, True
            compare = position
            offset += 1
        return offset, position, False

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if self.page and self.cursor and self.cursor.reverse and self.cursor.offset != 0:
            # Turning around after an offset cursor: the last row's own position is the reference.
            compare = self._get_position_from_instance(self.page[-1], self.ordering)
        else:
            compare = self.next_position
        offset, position, found = self._marker(reversed(self.page), compare)
        if self.page and not found:
            # Every row of the page shares one position: carry an offset instead.
            if not self.has_previous:
                offset, position = self.page_size, None
            elif self.cursor.reverse:
                offset, position = 0, self.previous_position
            else:
                offset, position = self.cursor.offset + self.page_size, self.previous_position
        if not self.page:
            position = self.next_position
        return self.encode_cursor(Cursor(offset=offset, reverse=False, position=position))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if self.page and self.cursor and not self.cursor.reverse and self.cursor.offset != 0:
            compare = self._get_position_from_instance(self.page[0], self.ordering)
        else:
            compare = self.previous_position
        offset, position, found = self._marker(self.page, compare)
        if self.page and not found:
            if not self.has_next:
                offset, position = self.page_size, None
            elif self.cursor.reverse:
                offset, position = self.cursor.offset + self.page_size, self.next_position
            else:
                offset, position = 0, self.next_position
        if not self.page:
            position = self.previous_position
        return self.encode_cursor(Cursor(offset=offset, reverse=True, position=position))

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        """``ordering``, unless a filter backend of the view with ``get_ordering`` (OrderingFilter) decides."""
        ordering = self.ordering
        ordering_filters = [cls for cls in getattr(view, "filter_backends", []) if hasattr(cls, "get_ordering")]
        if ordering_filters:
            from_filter = ordering_filters[0]().get_ordering(request, queryset, view)
            if from_filter:
                ordering = from_filter
        assert ordering is not None, (
            "Using cursor pagination, but no ordering attribute was declared on the pagination class."
        )
        assert "__" not in ordering, (
            "Cursor pagination does not support double underscore lookups for orderings. Orderings should be an "
            'unchanging, unique or nearly-unique field on the model, such as "-created" or "pk".'
        )
        assert isinstance(ordering, (str, list, tuple)), (
            f"Invalid ordering. Expected string or tuple, but got {type(ordering).__name__}"
        )
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def decode_cursor(self, request: Any) -> Cursor | None:
        """The request's cursor, ``None`` without one; 404 ``Invalid cursor`` when it does not decode."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True)
            offset = _positive_int(tokens.get("o", ["0"])[0], cutoff=self.offset_cutoff)
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message)
        return Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor: Cursor) -> str:
        """The page URL carrying ``cursor``."""
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        encoded = b64encode(parse.urlencode(tokens, doseq=True).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def _get_position_from_instance(self, instance: Any, ordering: tuple[str, ...]) -> str:
        field_name = ordering[0].lstrip("-")
        value = instance[field_name] if isinstance(instance, dict) else getattr(instance, field_name)
        return str(value)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: Any) -> dict[str, Any]:
        example = "http://api.example.org/accounts/?{}={}"
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": _uri_property(example.format(self.cursor_query_param, 'cD00ODY%3D"')),
                "previous": _uri_property(example.format(self.cursor_query_param, "cj0xJnA9NDg3")),
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": force_str(self.cursor_query_description),
                "schema": {"type": "string"},
            }
        ]
        if self.page_size_query_param is not None:
            parameters.append(_int_parameter(self.page_size_query_param, self.page_size_query_description))
        return parameters

"""
Compiled SQL for the paginators: the count and the rows of a page of a view's untouched queryset, and the
``PageNumberPagination`` side that uses them (``count_compiled``, ``rows_compiled``, ``page_columns``).

``PageNumberPagination`` hands Django's ``Paginator`` the view's queryset; the paginator counts it
(``queryset.count()``) and slices it (``queryset[bottom:top]``), and each of those rebuilds and recompiles the
query — more time than SQLite takes to run either. For a queryset that ``django_bolt.prepared_queries`` tracks
(the default ``get_queryset()`` clone, untouched), both statements are compiled once per shape (the page's
bounds are part of the SQL, so each ``bottom:top`` is a shape of its own) and re-executed. On SQLite a count is
answered again while the database is unchanged (``django_bolt.utils.sqlite_counts``); on PostgreSQL a page's
rows and its count go to the server in one round trip.

Exactness: the count statement is the one Django executes for ``count()``, captured through Django's own
``execute_wrapper`` when the shape is compiled (a single ``SELECT COUNT(...)``, answering an integer); the page's
rows become instances as ``ModelIterable`` builds them. Anything unusual (a queryset subclass overriding ``count``,
annotations, a result that is not an integer) keeps Django's path.
"""

from __future__ import annotations

import weakref
from functools import cache
from typing import Any

from django.core.paginator import InvalidPage, Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.db.models.query import QuerySet

from django_bolt import prepared_queries as queries
from django_bolt.exceptions import NotFound
from django_bolt.prepared_lookups import ObjectQuery
from django_bolt.serializers.plans.lists import FetchedColumns, built_rows, columns_plan
from django_bolt.utils import sql_rows, sqlite_counts


class _CountQuery:
    __slots__ = ("sql", "params", "signature")

    def __init__(self, sql: str, params: tuple, signature: tuple) -> None:
        self.sql = sql
        self.params = params
        self.signature = signature


def count(queryset: Any) -> int | None:
    """``queryset.count()`` through compiled SQL, or ``None`` when Django's path must answer."""
    if not _counts_as_compiled(queryset):
        return None
    counted: list[int] = []

    def build(db: str, signature: tuple) -> _CountQuery | None:
        template, answer = _capture_count(queryset, db, signature)
        counted.append(answer)
        return template

    template = queries.prepared(queryset, "count", (), build)
    if counted:
        return counted[0]  # Django's own answer for this request, counted while capturing
    if template is queries.MISS:
        return None
    return _counted(sqlite_counts.count_rows(connections[queryset.db], template.sql, template.params))


def _counted(rows: list) -> int | None:
    # One integer, as Django's count reads it; anything else: Django's path answers.
    value = rows[0][0] if len(rows) == 1 else None
    if type(value) is not int:
        return None
    queries.stats["count"] += 1
    return value


def _counts_as_compiled(queryset: Any) -> bool:
    # A filled result cache is what Django counts, and an overridden count() must run: Django's path answers.
    return queryset._result_cache is None and type(queryset).count is QuerySet.count


def _capture_count(queryset: QuerySet, db: str, signature: tuple) -> tuple[_CountQuery | None, int]:
    """Django's ``count()`` of ``queryset``, and its statement when it is one plain ``SELECT COUNT`` (a queryset
    with annotations keeps Django's path)."""
    statements: list[tuple[str, tuple]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connections[db].execute_wrapper(record):
        counted = queryset._chain().count()
    if queryset._query.annotations or len(statements) != 1 or not statements[0][0].startswith("SELECT COUNT("):
        return None, counted
    return _CountQuery(*statements[0], signature), counted


def page_rows(queryset: Any, bottom: int, top: int) -> list[Any] | None:
    """The instances of ``queryset[bottom:top]`` through compiled SQL, or ``None`` for Django's path."""
    if queryset._result_cache is not None or queryset._query.is_sliced:
        return None

    def build(db: str, signature: tuple) -> Any:
        part = queryset._chain()[bottom:top]
        compiled = queries.compile_query(part._query, db)
        return None if compiled is None else ObjectQuery(part._query, *compiled, db, signature)

    template = queries.prepared(queryset, "page", (bottom, top), build)
    if template is queries.MISS:
        return None
    queries.stats["page"] += 1
    connection = connections[template.db]
    return template.instances(sql_rows.fetch(connection, template.sql, template.params), connection)


# One never-evaluated ``source[bottom:top]`` per shape: the source of the tagged page querysets below, whose
# column statements django_bolt.prepared_queries compiles once.
_slices: dict[tuple, tuple[weakref.ref, QuerySet]] = {}


def tagged_slice(queryset: Any, bottom: int, top: int) -> QuerySet | None:
    """``queryset[bottom:top]`` tagged like a view's queryset (so its columns come from compiled SQL), or
    ``None`` when ``queryset`` is not an untouched view queryset."""
    base = queries._source_of(queryset)
    if base is None or queryset._result_cache is not None or queryset._query.is_sliced:
        return None
    if not queries._is_pristine(queries._signature(queryset), base):
        return None
    key = (id(base), bottom, top)
    entry = _slices.get(key)
    if entry is None or entry[0]() is not base:
        if len(_slices) >= queries._MAX_ENTRIES:
            _slices.clear()
        entry = _slices[key] = (weakref.ref(base), base._chain()[bottom:top])
    tagged = entry[1]._chain()
    queries.mark_source(tagged, entry[1])
    return tagged


# The paginator's side ------------------------------------------------------------------------------------


def count_compiled(paginator: DjangoPaginator, queryset: Any) -> None:
    # Django's Paginator caches `count` (a cached_property): fill it from the compiled statement when there is one.
    counted = count(queryset)
    if counted is not None:
        paginator.__dict__["count"] = counted


def page_columns(paginator: Any, view: Any, queryset: Any) -> Any:
    """
    ``view``'s paginated list with ``paginator`` (a ``PageNumberPagination`` with Django's ``Paginator`` and
    DRF's ``paginate_queryset``) where the serializer reads plain columns: it is given the page as a queryset
    slice, so the rows come from the plan's columns through compiled SQL instead of model instances. ``None``
    when pagination is off (the caller's ordinary path answers).
    """
    counted = _counted_page(paginator, view, queryset)
    if counted is not None:
        return counted
    page = paginator._page_of(queryset, view.request)
    if page is None:
        return None
    query = getattr(page.object_list, "_query", None)
    tagged = None
    if type(page) is Page and type(page.paginator) is DjangoPaginator and query is not None:
        tagged = tagged_slice(queryset, query.low_mark, query.high_mark)
    if tagged is not None:
        serializer = view.get_serializer(tagged, many=True)
        if columns_plan(serializer) is not None:
            return view.get_paginated_response(serializer.data)
    if type(page.paginator) is DjangoPaginator:
        rows_compiled(page, queryset)
    serializer = view.get_serializer(list(page), many=True)
    return view.get_paginated_response(serializer.data)


def rows_compiled(page: Any, queryset: Any) -> None:
    # Django's Page turns `object_list` (the sliced queryset) into a list when first indexed: do it from the
    # compiled statement of this slice instead.
    sliced = page.object_list
    if type(page) is not Page or not isinstance(sliced, QuerySet) or sliced._result_cache is not None:
        return
    query = sliced._query
    rows = page_rows(queryset, query.low_mark, query.high_mark)
    if rows is not None:
        page.object_list = rows


# A page that tells its total -------------------------------------------------------------------------------


def _columns_and_count(tagged: Any, attnames: tuple[str, ...], queryset: Any) -> tuple[Any, int | None]:
    """
    ``queries.columns(tagged, attnames)``, and — on PostgreSQL, once both statements are compiled — the count of
    ``queryset`` read by the same statement (``_page_with_count``): DRF counts every page, and a round trip
    costs more than the count of most tables. ``(None, None)`` when the columns take Django's path; the count is
    ``None`` when the page has no row to carry it (an empty page tells its own total).
    """
    page = queries.columns_template(tagged, attnames)
    if page is None:
        return None, None
    connection = connections[page.db]
    if connection.vendor == "postgresql" and page.db == queryset.db and _counts_as_compiled(queryset):
        counter = queries.ready(queryset, "count", ())
        sql = _page_with_count(page.sql, counter.sql) if counter is not queries.MISS else None
        if sql is not None:
            rows = list(sql_rows.fetch(connection, sql, (*counter.params, *page.params), psycopg_times=True))
            counted = _counted([rows[0][:1]]) if rows else None
            return queries.read_columns(page, connection, [row[1:] for row in rows]), counted
    return queries.read_columns(page, connection), None


def _page_with_count(page_sql: str, count_sql: str) -> str | None:
    """
    The page's ``SELECT`` with the count statement as its first column, a scalar subquery PostgreSQL runs once:
    one statement, one round trip, both read from one snapshot (~60 µs of CPU a page less than sending the two
    in psycopg's pipeline mode, measured on this machine). Placeholders keep their order: the count's first.
    ``None`` for a page statement it cannot be spliced into (``DISTINCT``).
    """
    if not page_sql.startswith("SELECT ") or page_sql.startswith("SELECT DISTINCT"):
        return None
    return f"SELECT ({count_sql}), {page_sql[len('SELECT ') :]}"


@cache
def _default_classes() -> tuple[type, type]:
    # Imported on first use (both modules import this one), not on every request.
    from django_bolt.generics import GenericAPIView
    from django_bolt.pagination import PageNumberPagination

    return GenericAPIView, PageNumberPagination


def _counted_page(paginator: Any, view: Any, queryset: Any) -> Any:
    """
    ``page_columns`` reading the page first: a page with fewer rows than the page size is the last one, so it
    tells the total (rows before it plus its own) and the paginator needs no ``COUNT`` — an empty first page
    means no rows, an empty later one is past the end (404, as DRF); a full page is counted as usual. Only for a
    plain page number (``?page=3``, or none), with the paginator's and the view's default hooks; ``None``
    otherwise (the count-first path answers, and decides invalid numbers).
    """
    GenericAPIView, PageNumberPagination = _default_classes()  # noqa: N806 - classes

    cls = type(paginator)
    if (
        paginator.django_paginator_class is not DjangoPaginator
        or cls.get_page_size is not PageNumberPagination.get_page_size
        or cls.get_page_number is not PageNumberPagination.get_page_number
        or cls._page_of is not PageNumberPagination._page_of
        or type(view).get_serializer is not GenericAPIView.get_serializer
    ):
        return None
    request = view.request
    size = paginator.get_page_size(request)
    asked = request.query_params.get(paginator.page_query_param) or "1"
    if not size or not (asked.isascii() and asked.isdigit()) or int(asked) < 1:
        return None
    number = int(asked)
    bottom = (number - 1) * size
    tagged = tagged_slice(queryset, bottom, bottom + size)
    if tagged is None:
        return None
    serializer = view.get_serializer(tagged, many=True)
    plan = columns_plan(serializer)
    fetched, counted = (None, None) if plan is None else _columns_and_count(tagged, plan.attnames, queryset)
    if fetched is None:
        return None
    # The page's dicts are built now when the engine reads the rows itself (SQLite), else its rows are read.
    rows = built_rows(plan, FetchedColumns(*fetched))
    counting = DjangoPaginator(queryset, size)
    told = len(rows) < size
    if told:
        counting.__dict__["count"] = bottom + len(rows)
        queries.stats["counted_by_page"] += 1
    elif counted is not None:
        counting.__dict__["count"] = counted
    else:
        count_compiled(counting, queryset)
    try:
        page = counting.page(number)
    except InvalidPage as exc:
        if not told:  # rows deleted between the two statements: the count-first path decides
            return None
        # An empty page past the first is past the end, whatever the exact count.
        raise NotFound(paginator.invalid_page_message.format(page_number=asked, message=str(exc))) from exc
    paginator.request = request
    paginator.page = page
    tagged._bolt_fetched = (plan.attnames, FetchedColumns(rows, fetched[1], fetched[2]))
    return view.get_paginated_response(serializer.data)

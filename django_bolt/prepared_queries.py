"""
Compiled SQL reuse for the generic views' default queries.

Django rebuilds and recompiles a queryset's SQL for every evaluation: for a detail view that is the filter for
the lookup, the clones ``get()`` makes, and the compiler walking every selected column, which costs more than
the database round trip itself. The queries the default hooks run have a fixed shape per view: the view's
class-level ``queryset`` (plus the lookup filter for ``get_object``, or the plan's columns for a list). Their
SQL is compiled once per (source queryset, lookup or columns, database alias, settings generation) and then
re-executed with the request's parameters.

Which querysets qualify: ``GenericAPIView.get_queryset()`` tags the ``.all()`` clone of the class-level
queryset with its source (``mark_source``). Every queryset method returns a new clone without that tag, so a
hook that filters, orders, annotates or prefetches (``filter_backends``, an overridden ``get_queryset``...)
takes Django's normal path by construction; a cheap signature of the query also catches in-place changes.

Eligibility is decided when a shape is compiled; a later request is served when its clone's signature equals
the template's (the signature covers everything that decision read that a query can change in place).

Exactness: the cached SQL is what Django compiled for the first request of that shape; a statement is re-run
only with parameters proven to sit where Django puts them. The lookups (``get_object``, ``get_row``) are in
``django_bolt.prepared_lookups``, the paginator's count and page in ``django_bolt.prepared_pages``.

Statements run through ``django_bolt.utils.sql_rows`` (on SQLite, the driver's own cursor when Django's wrapper
would only add overhead).
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.db import connections
from django.db.models.query import ModelIterable, QuerySet
from django.db.models.sql.query import Query

from django_bolt.utils import sql_rows

# What reached the cache, for tests and diagnostics: "object"/"columns" hits, "*_compiled" misses.
stats: Counter[str] = Counter()

MISS = object()

_TAG = "_bolt_source"
_MAX_ENTRIES = 2048
_templates: dict[tuple, tuple[Any, Any]] = {}
_failures: dict[tuple, int] = {}
_seen: dict[tuple, weakref.ref] = {}
_MAX_FAILURES = 16

# Bumped on any settings change: compiled SQL and its parameters depend on database and time zone settings.
_generation = 0


def _settings_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1
    _templates.clear()
    _failures.clear()
    _seen.clear()


setting_changed.connect(_settings_changed)


def generation() -> int:
    """The settings generation compiled statements belong to (for caches kept outside this module)."""
    return _generation


class _Tag:
    """The source of a view's queryset clone. Pickled or copied, it becomes ``None``: a copy is not the clone."""

    __slots__ = ("source", "query")

    def __init__(self, source: QuerySet, query: Query) -> None:
        self.source = source
        self.query = query

    def __reduce__(self) -> tuple:
        return (type(None), ())

    def __copy__(self) -> None:
        return None

    def __deepcopy__(self, memo: dict) -> None:
        return None


def mark_source(queryset: QuerySet, source: QuerySet) -> None:
    """Record that ``queryset`` is an untouched ``.all()`` of ``source`` (tags don't survive cloning)."""
    queryset.__dict__[_TAG] = _Tag(source, queryset._query)


def _source_of(queryset: Any) -> QuerySet | None:
    tag = getattr(queryset, "__dict__", {}).get(_TAG)
    if tag is None or tag.query is not queryset._query or queryset._deferred_filter is not None:
        return None
    return tag.source


def _signature(queryset: QuerySet) -> tuple:
    """The parts of a query that Django's own mutating methods change, to detect in-place edits."""
    q = queryset._query
    where = q.where
    return (
        type(queryset),
        type(q),
        q.model,
        len(where.children),
        where.connector,
        where.negated,
        q.order_by,
        q.extra_order_by,
        q.default_ordering,
        q.standard_ordering,
        q.low_mark,
        q.high_mark,
        q.distinct,
        q.distinct_fields,
        q.select,
        q.values_select,
        q.default_cols,
        q.select_related,
        tuple(q.annotations),
        q.annotation_select_mask,
        tuple(q.extra),
        q.extra_tables,
        q.deferred_loading,
        q.select_for_update,
        q.group_by,
        q.combinator,
        len(q.alias_map),
        q.alias_prefix,
        queryset._iterable_class,
        queryset._fields,
        queryset._prefetch_related_lookups,
        bool(queryset._known_related_objects),
        queryset._sticky_filter,
    )


def _is_pristine(signature: tuple, source: QuerySet) -> bool:
    """
    Templates are only built from clones whose signature matches their source's: a hook that changed the
    tagged clone in place (``queryset.query.add_q(...)``) makes it differ. Later requests compare their clone's
    signature with the template's, which also rejects a source changed in place after compiling.
    """
    return signature == _signature(source)


# The QuerySet methods Django's path runs for get_object_or_404() and for values_list(): a subclass that
# overrides any of them must see its override called.
_METHODS = (
    "get",
    "filter",
    "_filter_or_exclude",
    "_filter_or_exclude_inplace",
    "order_by",
    "values_list",
    "_values",
    "_chain",
    "_clone",
    "_fetch_all",
    "__len__",
    "__iter__",
    "iterator",
    "_iterator",
)


@lru_cache(maxsize=512)  # bounded: classes may be created at runtime
def _default_methods(cls: type) -> bool:
    return all(getattr(cls, name, None) is getattr(QuerySet, name) for name in _METHODS)


def _eligible(queryset: QuerySet) -> bool:
    """Plain model querysets whose evaluation is fully Django's default machinery."""
    q = queryset._query
    return (
        _default_methods(type(queryset))
        and type(q) is Query
        and not q.is_empty()
        and q.compiler == "SQLCompiler"
        and queryset._result_cache is None
        and queryset._iterable_class is ModelIterable
        and not queryset._prefetch_related_lookups
        and not queryset._known_related_objects
        and not q.combinator
        and not q.select_for_update
        and not q.extra
        and not q.extra_tables
        and not q.distinct_fields
    )


def _lookup(key: tuple, base: QuerySet) -> Any:
    """The template for ``key``; ``MISS`` to compile one; ``None`` for Django's path."""
    entry = _templates.get(key)
    if entry is not None and entry[0] is base:
        return entry[1]
    seen = _seen.get(key)
    if seen is None or seen() is not base:
        # Compile on the second sighting: a source queryset made anew for every request (a view assigning
        # `self.queryset` per request) is never seen twice and never pays for compiling. Weak references:
        # a new queryset may reuse a dead one's id.
        if len(_seen) >= _MAX_ENTRIES:
            _seen.clear()
        _seen[key] = weakref.ref(base)
        return None
    return MISS


def _store(key: tuple, base: QuerySet, template: Any) -> None:
    if len(_templates) >= _MAX_ENTRIES:
        _templates.clear()
        _failures.clear()
    _templates[key] = (base, template)
    _failures.pop(key, None)


def _failed(key: tuple, base: QuerySet) -> None:
    # Compiling failed for this request's value. A shape that keeps failing before any success (a condition
    # that is always empty, say) stops being tried: its requests go straight to Django's path.
    count = _failures.get(key, 0) + 1
    if count >= _MAX_FAILURES:
        _store(key, base, None)
    else:
        _failures[key] = count


class Compiled:
    """One compiled statement: its SQL and parameters, and what reading its rows needs per connection."""

    def __init__(self, query: Query, compiler: Any, sql: str, params: tuple, db: str, signature: tuple) -> None:
        self.query = query
        self.sql = sql
        self.params = params
        self.db = db
        self.signature = signature
        self.col_count = compiler.col_count
        self.fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        self._per_connection: weakref.WeakKeyDictionary[Any, tuple] = weakref.WeakKeyDictionary()

    def for_connection(self, connection: Any) -> tuple[Any, list, list]:
        """
        ``(compiler, converters, converters per column)`` bound to ``connection`` (connections are per thread,
        and converters receive theirs).
        """
        found = self._per_connection.get(connection)
        if found is None:
            compiler = connection.ops.compiler(self.query.compiler)(self.query, connection, self.db)
            converters = compiler.get_converters(self.fields)
            per_column = [converters.get(i) for i in range(self.col_count)]
            found = (compiler, list(converters.items()), per_column)
            self._per_connection[connection] = found
        return found


class Retry(Exception):
    """Compiling failed for this request's value (a bad lookup value, an always-empty condition): try later."""


def compile_query(query: Query, db: str) -> tuple[Any, str, tuple] | None:
    """
    ``(compiler, sql, params)``, or ``None`` when the SQL is not reusable (unstable, extra columns); raises
    ``Retry`` when compiling fails (EmptyResultSet and the like: Django's path decides that request).
    """
    try:
        compiler = query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        again = query.get_compiler(using=db).as_sql()
    except Exception as exc:
        raise Retry from exc
    if (
        not sql
        or again != (sql, params)
        or compiler.has_extra_select
        or compiler.has_composite_fields([selected[0] for selected in compiler.select[0 : compiler.col_count]])
    ):
        return None
    return compiler, sql, tuple(params)


def prepared(queryset: Any, kind: str, shape: tuple, build: Callable[[str, tuple], Any]) -> Any:
    """
    The compiled statement of ``kind`` (``"object"``, ``"columns"``, ``"page"``…) and ``shape`` for this request's
    view queryset, or ``MISS`` for Django's path. ``build(db, signature)`` compiles it on the shape's second
    sighting, for an eligible, pristine queryset; it returns the template (with that ``signature``), ``None`` for
    a shape that is never reusable, or raises ``Retry`` when this request's value made compiling fail.
    """
    base = _source_of(queryset)
    if base is None:
        return MISS
    signature = _signature(queryset)
    db = queryset.db
    key = _key(kind, base, shape, db)
    template = _lookup(key, base)
    if template is MISS:
        if not _eligible(queryset) or not _is_pristine(signature, base):
            return MISS
        stats[f"{kind}_compiled"] += 1
        try:
            template = build(db, signature)
        except Retry:
            _failed(key, base)
            return MISS
        _store(key, base, template)
    if template is None or signature != template.signature:
        return MISS
    return template


def _key(kind: str, base: QuerySet, shape: tuple, db: str) -> tuple:
    return (kind, id(base), *shape, db, _generation)


def ready(queryset: Any, kind: str, shape: tuple) -> Any:
    """The template ``prepared`` would answer when it is already compiled, else ``MISS`` (nothing compiled, no
    sighting counted): for a caller that can only use a statement it does not have to run first."""
    base = _source_of(queryset)
    if base is None:
        return MISS
    entry = _templates.get(_key(kind, base, shape, queryset.db))
    if entry is None or entry[0] is not base or entry[1] is None or _signature(queryset) != entry[1].signature:
        return MISS
    return entry[1]


# Columns of a list ---------------------------------------------------------------------------------------


def columns(queryset: Any, attnames: tuple[str, ...]) -> tuple[Any, list, Any] | None:
    """
    ``(rows, converters per column, connection)`` of ``queryset.values_list(*attnames)`` through compiled
    SQL, or ``None`` when the queryset is not an untouched view queryset (the caller runs ``values_list``).
    """
    template = columns_template(queryset, attnames)
    return None if template is None else read_columns(template, connections[template.db])


def read_columns(template: Compiled, connection: Any, rows: Any = None) -> tuple[Any, list, Any]:
    """``columns``'s answer for its ``template`` on ``connection`` (its database's): ``rows`` when the caller
    already fetched them."""
    stats["columns"] += 1
    per_column = template.for_connection(connection)[2]
    if rows is None:
        rows = sql_rows.deferred(connection, template.sql, template.params, psycopg_times=True)
    return rows, per_column, connection


def columns_template(queryset: Any, attnames: tuple[str, ...]) -> Compiled | None:
    """The compiled ``values_list(*attnames)`` statement ``columns`` runs, or ``None``."""

    def build(db: str, signature: tuple) -> Compiled | None:
        values = queryset.values_list(*attnames)
        compiled = compile_query(values.query, db)
        return None if compiled is None else Compiled(values.query, *compiled, db, signature)

    template = prepared(queryset, "columns", (attnames,), build)
    return None if template is MISS else template

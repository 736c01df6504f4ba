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

Exactness: the cached SQL is what Django compiled for the first request of that shape. For ``get_object`` the
lookup condition is rebuilt for each request exactly as ``build_lookup`` does (the lookup class on the same
column, whose ``get_prep_value`` runs as usual) and compiled on its own (for ``lhs op rhs`` lookups only the
value's side: the column's SQL is compiled once per connection); its SQL must equal the cached
fragment, and the position of its parameters among the others was proven once by compiling the query with a
marker in the lookup's place. Whenever anything differs or fails (a bad lookup value, a value that turns the
lookup into ``IS NULL``, an out-of-range integer), the request goes through Django's own path, which then
produces Django's exact result or error. Rows become model instances as ``ModelIterable`` builds them
(``from_db``, backend converters, ``select_related`` populators, annotations).

Statements run through ``django_bolt.utils.sql_rows`` (on SQLite, the driver's own cursor when Django's wrapper
would only add overhead).
"""

from __future__ import annotations

import re
import uuid
import weakref
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.lookups import BuiltinLookup, Exact, Lookup
from django.db.models.query import MAX_GET_RESULTS, ModelIterable, QuerySet, get_related_populators
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND
from django.http import Http404

from django_bolt.utils.sql_rows import converted as _converted
from django_bolt.utils.sql_rows import fetch as _fetch

# What reached the cache, for tests and diagnostics: "object"/"columns" hits, "*_compiled" misses.
stats: Counter[str] = Counter()

MISS = object()

_TAG = "_bolt_source"
_MAX_ENTRIES = 2048
_templates: dict[tuple, tuple[Any, Any]] = {}
_failures: dict[tuple, int] = {}
_seen: dict[tuple, weakref.ref] = {}
_MAX_FAILURES = 16
# Plain URL values only: anything else (expressions, lists, model instances) goes through build_filter.
_PLAIN_VALUES = frozenset({str, int, uuid.UUID})
_MARK = "\x00bolt-lookup\x00"
_PLACEHOLDERS = re.compile(r"%%|%s")

# Lookups whose as_sql is BuiltinLookup's "lhs op rhs" (Exact adds only a boolean-column form).
_PLAIN_AS_SQL = (BuiltinLookup.as_sql, Exact.as_sql)

# Bumped on any settings change: compiled SQL and its parameters depend on database and time zone settings.
_generation = 0


def _settings_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1
    _templates.clear()
    _failures.clear()
    _seen.clear()


setting_changed.connect(_settings_changed)


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


class _Marker:
    """Stands in for the lookup while proving where its SQL and parameters go in the whole statement."""

    contains_aggregate = False
    contains_over_clause = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return _MARK, []


def _placeholders(sql: str) -> int:
    return sum(1 for token in _PLACEHOLDERS.findall(sql) if token == "%s")


class _Compiled:
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


class _Retry(Exception):
    """Compiling failed for this request's value (a bad lookup value, an always-empty condition): try later."""


def _compile(query: Query, db: str) -> tuple[Any, str, tuple] | None:
    """
    ``(compiler, sql, params)``, or ``None`` when the SQL is not reusable (unstable, extra columns); raises
    ``_Retry`` when compiling fails (EmptyResultSet and the like: Django's path decides that request).
    """
    try:
        compiler = query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        again = query.get_compiler(using=db).as_sql()
    except Exception as exc:
        raise _Retry from exc
    if (
        not sql
        or again != (sql, params)
        or compiler.has_extra_select
        or compiler.has_composite_fields([selected[0] for selected in compiler.select[0 : compiler.col_count]])
    ):
        return None
    return compiler, sql, tuple(params)


# get_object ---------------------------------------------------------------------------------------------


class _RowQuery(_Compiled):
    """``queryset.values_list(*columns).get(<lookup_field>=value)`` with the lookup's fragment and parameter slot
    located (``_build_object_query``)."""

    def __init__(self, query: Query, compiler: Any, sql: str, params: tuple, db: str, signature: tuple) -> None:
        super().__init__(query, compiler, sql, params, db, signature)
        self.lookup_class: Any = None
        self.lhs: Any = None
        self.fragment = ""
        self.before: tuple = ()
        self.after: tuple = ()
        # The left-hand side's SQL per connection, for lookups built the BuiltinLookup way (see condition()).
        self._lhs_sql: weakref.WeakKeyDictionary[Any, tuple[str, list]] = weakref.WeakKeyDictionary()

    def condition(self, lookup: Any, compiler: Any, connection: Any) -> tuple[str, list]:
        """
        ``compiler.compile(lookup)``. For lookups that compile as ``BuiltinLookup`` does (``lhs op rhs``, no
        vendor-specific ``as_<vendor>``), the left-hand side — the column, the same for every request — is
        compiled once per connection and only the value's side per request.
        """
        cls = type(lookup)
        if (
            cls.as_sql not in _PLAIN_AS_SQL
            or cls.process_lhs is not BuiltinLookup.process_lhs
            or cls.get_rhs_op is not BuiltinLookup.get_rhs_op
            or hasattr(cls, "as_" + connection.vendor)
            or isinstance(lookup.rhs, bool)  # Exact's boolean-column form
        ):
            return compiler.compile(lookup)
        lhs = self._lhs_sql.get(connection)
        if lhs is None:
            lhs = self._lhs_sql[connection] = lookup.process_lhs(compiler, connection)
        rhs_sql, rhs_params = lookup.process_rhs(compiler, connection)
        return f"{lhs[0]} {lookup.get_rhs_op(connection, rhs_sql)}", [*lhs[1], *rhs_params]

    def rows(self, value: Any, connection: Any) -> Any:
        """The rows for ``value`` (as the driver returns them), or ``MISS`` for Django's path."""
        compiler = self.for_connection(connection)[0]
        try:
            lookup = self.lookup_class(self.lhs, value)
            if lookup.rhs is None and not lookup.can_use_none_as_rhs:
                return MISS  # Django makes this an IS NULL test
            fragment_sql, fragment_params = self.condition(lookup, compiler, connection)
        except Exception:  # a value Django refuses (404) or an always-empty lookup: Django's path answers
            return MISS
        if fragment_sql != self.fragment:
            return MISS
        return _fetch(connection, self.sql, (*self.before, *fragment_params, *self.after))


class _ObjectQuery(_RowQuery):
    """``queryset.get(<lookup_field>=value)``: rows become instances as ``ModelIterable`` builds them."""

    def __init__(self, query: Query, compiler: Any, sql: str, params: tuple, db: str, signature: tuple) -> None:
        super().__init__(query, compiler, sql, params, db, signature)
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [selected[0].target.attname for selected in compiler.select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, compiler.select, db)
        self.annotation_col_map = compiler.annotation_col_map

    def instances(self, rows: Any, connection: Any) -> list[Any]:
        """``ModelIterable``'s loop over the driver's ``rows`` (known related objects are excluded by
        eligibility), after the backend's converters."""
        converters = self.for_connection(connection)[1]
        if converters:
            rows = _converted(rows, converters, connection)
        out = []
        model, db, init_list, start, end = self.model, self.db, self.init_list, self.start, self.end
        for row in rows:
            obj = model.from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            if self.annotation_col_map:
                for attr_name, col_pos in self.annotation_col_map.items():
                    setattr(obj, attr_name, row[col_pos])
            out.append(obj)
        return out


def _build_object_query(
    queryset: QuerySet, lookup_field: str, value: Any, db: str, signature: tuple, attnames: tuple = ()
) -> _ObjectQuery | None:
    if connections[DEFAULT_DB_ALIAS].features.interprets_empty_strings_as_nulls or queryset._query.is_sliced:
        return None
    base_where = queryset._query.where
    if base_where.connector != AND or base_where.negated:
        return None
    try:
        # QuerySet.get()'s own steps: filter, clear the ordering, limit the rows.
        clone = queryset.filter(**{lookup_field: value}).order_by()
        if attnames:  # just these columns (get_row)
            clone = clone.values_list(*attnames)
        clone.query.set_limits(high=MAX_GET_RESULTS)
    except Exception as exc:
        raise _Retry from exc
    query = clone.query
    where = query.where
    if where.connector != AND or where.negated or len(where.children) != len(base_where.children) + 1:
        return None
    node = where.children[-1]
    if not isinstance(node, Lookup):
        return None
    if node.rhs is None:
        raise _Retry
    compiled = _compile(query, db)
    if compiled is None or (not attnames and compiled[0].klass_info is None):
        return None
    compiler, sql, params = compiled
    try:
        fragment = compiler.compile(node)
        if compiler.compile(type(node)(node.lhs, value)) != fragment:
            return None
        where.children[-1] = _Marker()
        try:
            marked_sql, marked_params = query.get_compiler(using=db).as_sql()
        finally:
            where.children[-1] = node
    except Exception as exc:
        raise _Retry from exc
    fragment_sql, fragment_params = fragment
    if not fragment_sql or marked_sql.count(_MARK) != 1 or _MARK in fragment_sql:
        return None
    slot = _placeholders(marked_sql[: marked_sql.index(_MARK)])
    before, after = tuple(marked_params[:slot]), tuple(marked_params[slot:])
    if marked_sql.replace(_MARK, fragment_sql) != sql or (*before, *fragment_params, *after) != params:
        return None
    template = (_RowQuery if attnames else _ObjectQuery)(query, compiler, sql, params, db, signature)
    template.lookup_class, template.lhs, template.fragment = type(node), node.lhs, fragment_sql
    template.before, template.after = before, after
    return template


def prepared(queryset: Any, kind: str, shape: tuple, build: Callable[[str, tuple], Any]) -> Any:
    """
    The compiled statement of ``kind`` (``"object"``, ``"columns"``, ``"page"``…) and ``shape`` for this request's
    view queryset, or ``MISS`` for Django's path. ``build(db, signature)`` compiles it on the shape's second
    sighting, for an eligible, pristine queryset; it returns the template (with that ``signature``), ``None`` for
    a shape that is never reusable, or raises ``_Retry`` when this request's value made compiling fail.
    """
    base = _source_of(queryset)
    if base is None:
        return MISS
    signature = _signature(queryset)
    db = queryset.db
    key = (kind, id(base), *shape, db, _generation)
    template = _lookup(key, base)
    if template is MISS:
        if not _eligible(queryset) or not _is_pristine(signature, base):
            return MISS
        stats[f"{kind}_compiled"] += 1
        try:
            template = build(db, signature)
        except _Retry:
            _failed(key, base)
            return MISS
        _store(key, base, template)
    if template is None or signature != template.signature:
        return MISS
    return template


def _lookup_template(queryset: Any, lookup_field: str, value: Any, attnames: tuple = ()) -> Any:
    """The compiled lookup statement for this request's queryset (``MISS`` for Django's path)."""
    if value.__class__ not in _PLAIN_VALUES:
        return MISS

    def build(db: str, signature: tuple) -> Any:
        return _build_object_query(queryset, lookup_field, value, db, signature, attnames)

    return prepared(queryset, "row" if attnames else "object", (lookup_field, attnames), build)


def get_object(queryset: Any, lookup_field: str, value: Any) -> Any:
    """
    ``get_object_or_404(queryset, **{lookup_field: value})`` through compiled SQL, or ``MISS`` when this
    request must take Django's path (which the caller then runs).
    """
    looked_up = _lookup_rows(queryset, lookup_field, value, ())
    if looked_up is MISS:
        return MISS
    template, connection, rows = looked_up
    stats["object"] += 1
    found = template.instances(rows, connection)
    if len(found) == 1:
        return found[0]
    model = queryset.model
    if not found:
        raise Http404(f"No {model._meta.object_name} matches the given query.")
    count = len(found) if len(found) < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
    raise model.MultipleObjectsReturned(
        f"get() returned more than one {model._meta.object_name} -- it returned {count}!"
    )


def get_row(queryset: Any, lookup_field: str, value: Any, attnames: tuple[str, ...]) -> Any:
    """
    ``(rows, converters per column, connection)`` of ``queryset.values_list(*attnames)`` filtered by the lookup
    (at most ``MAX_GET_RESULTS`` rows, as ``get()`` reads), through compiled SQL; ``MISS`` for Django's path.
    """
    looked_up = _lookup_rows(queryset, lookup_field, value, attnames)
    if looked_up is MISS:
        return MISS
    template, connection, rows = looked_up
    stats["row"] += 1
    return list(rows), template.for_connection(connection)[2], connection


def _lookup_rows(queryset: Any, lookup_field: str, value: Any, attnames: tuple) -> Any:
    """``(template, connection, rows)`` of the compiled lookup statement for ``value``, or ``MISS``."""
    template = _lookup_template(queryset, lookup_field, value, attnames)
    if template is MISS:
        return MISS
    connection = connections[template.db]
    rows = template.rows(value, connection)
    return MISS if rows is MISS else (template, connection, rows)


# Columns of a list ---------------------------------------------------------------------------------------


def columns(queryset: Any, attnames: tuple[str, ...]) -> tuple[Any, list, Any] | None:
    """
    ``(rows, converters per column, connection)`` of ``queryset.values_list(*attnames)`` through compiled
    SQL, or ``None`` when the queryset is not an untouched view queryset (the caller runs ``values_list``).
    """

    def build(db: str, signature: tuple) -> _Compiled | None:
        values = queryset.values_list(*attnames)
        compiled = _compile(values.query, db)
        return None if compiled is None else _Compiled(values.query, *compiled, db, signature)

    template = prepared(queryset, "columns", (attnames,), build)
    if template is MISS:
        return None
    stats["columns"] += 1
    connection = connections[template.db]
    per_column = template.for_connection(connection)[2]
    return _fetch(connection, template.sql, template.params), per_column, connection

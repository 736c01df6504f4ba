"""
Compiled lookups: ``get_object_or_404(queryset, **{lookup_field: value})`` (``get_object``) and the same lookup
reading just some columns of the row (``get_row``), re-executed with each request's value from the statement
``django_bolt.prepared_queries`` compiles once per view queryset and shape.

The lookup condition is rebuilt for each request exactly as ``build_lookup`` does (the lookup class on the same
column, whose ``get_prep_value`` runs as usual) and compiled on its own (for ``lhs op rhs`` lookups only the
value's side: the column's SQL is compiled once per connection); its SQL must equal the cached fragment, and the
position of its parameters among the others was proven once by compiling the query with a marker in the
lookup's place. Whenever anything differs or fails, the caller takes Django's own path, which then produces
Django's exact result or error. Rows become model instances as ``ModelIterable`` builds them (``from_db``,
backend converters, ``select_related`` populators, annotations).
"""

from __future__ import annotations

import re
import uuid
import weakref
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, IntegerField, TextField, UUIDField
from django.db.models.lookups import BuiltinLookup, Exact, Lookup
from django.db.models.query import MAX_GET_RESULTS, QuerySet, get_related_populators
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND
from django.http import Http404

from django_bolt import prepared_queries as queries
from django_bolt.prepared_queries import MISS, Compiled, Retry, compile_query
from django_bolt.utils import sql_rows
from django_bolt.utils.sql_rows import converted as _converted

# Plain URL values only: anything else (expressions, lists, model instances) goes through build_filter.
_PLAIN_VALUES = frozenset({str, int, uuid.UUID})
_MARK = "\x00bolt-lookup\x00"
_PLACEHOLDERS = re.compile(r"%%|%s")
# Lookups whose as_sql is BuiltinLookup's "lhs op rhs" (Exact adds only a boolean-column form).
_PLAIN_AS_SQL = (BuiltinLookup.as_sql, Exact.as_sql)


class _Marker:
    """Stands in for the lookup while proving where its SQL and parameters go in the whole statement."""

    contains_aggregate = False
    contains_over_clause = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return _MARK, []


def _placeholders(sql: str) -> int:
    return sum(1 for token in _PLACEHOLDERS.findall(sql) if token == "%s")


class RowQuery(Compiled):
    """``queryset.values_list(*columns).get(<lookup_field>=value)`` with the lookup's fragment and parameter slot
    located (``_build_object_query``)."""

    # Rows become data, not instances: psycopg's own timestamptz loader will do (sql_rows._psycopg_timestamptz).
    psycopg_times = True

    def __init__(self, query: Query, compiler: Any, sql: str, params: tuple, db: str, signature: tuple) -> None:
        super().__init__(query, compiler, sql, params, db, signature)
        self.lookup_class: Any = None
        self.lhs: Any = None
        self.fragment = ""
        self.before: tuple = ()
        self.after: tuple = ()
        # The left-hand side's SQL per connection, for lookups built the BuiltinLookup way (see condition()).
        self._lhs_sql: weakref.WeakKeyDictionary[Any, tuple[str, list]] = weakref.WeakKeyDictionary()
        # The condition per connection and value, for Django's own lookups on Django's own fields (see rows()).
        self._conditions: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[str, list]]] = weakref.WeakKeyDictionary()
        self._pure: bool | None = None

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

    def pure_condition(self) -> bool:
        """
        Whether the condition is a function of the value alone (per connection), so it may be remembered: one of
        Django's lookups on an integer, text or UUID field whose value preparation is Django's own (a date field
        reads the timezone setting and warns about naive values; a project's field class could prepare a value
        from anything, e.g. the active tenant). Values are str, int or UUID (``_PLAIN_VALUES``).
        """
        pure = self._pure
        if pure is None:
            field = getattr(self.lhs, "output_field", None)
            pure = self._pure = (
                isinstance(field, _SETTINGS_FREE_FIELDS)
                and _from_django(self.lookup_class, ("get_prep_lookup", "process_rhs", "get_db_prep_lookup"))
                and _from_django(type(field), ("get_prep_value", "get_db_prep_value", "to_python"))
            )
        return pure

    def rows(self, value: Any, connection: Any, deferred: bool = False) -> Any:
        """The rows for ``value`` (as the driver returns them), or ``MISS`` for Django's path; ``deferred``: as
        ``sql_rows.deferred`` (rows the engine may read itself later)."""
        compiler = self.for_connection(connection)[0]
        known = self._conditions.get(connection) if self.pure_condition() else None
        key = (value.__class__, value)
        remembered = known.get(key) if known is not None else None
        if remembered is not None:
            fragment_sql, fragment_params = remembered
        else:
            try:
                lookup = self.lookup_class(self.lhs, value)
                if lookup.rhs is None and not lookup.can_use_none_as_rhs:
                    return MISS  # Django makes this an IS NULL test
                fragment_sql, fragment_params = self.condition(lookup, compiler, connection)
            except Exception:  # a value Django refuses (404) or an always-empty lookup: Django's path answers
                return MISS
            if fragment_sql != self.fragment:
                return MISS
            if self._pure:
                if known is None:
                    known = self._conditions.setdefault(connection, {})
                elif len(known) >= _CONDITIONS_MAX:
                    known.clear()
                known[key] = (fragment_sql, tuple(fragment_params))
        params = (*self.before, *fragment_params, *self.after)
        fetch = sql_rows.deferred if deferred else sql_rows.fetch
        return fetch(connection, self.sql, params, psycopg_times=self.psycopg_times)


_CONDITIONS_MAX = 1024
_SETTINGS_FREE_FIELDS = (IntegerField, CharField, TextField, UUIDField)


def _from_django(cls: type, methods: tuple[str, ...]) -> bool:
    """``cls`` is Django's and so is each of ``methods`` it has."""
    if not cls.__module__.startswith("django.db.models."):
        return False
    for name in methods:
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), None)
        if owner is not None and not owner.__module__.startswith("django.db.models."):
            return False
    return True


class ObjectQuery(RowQuery):
    """``queryset.get(<lookup_field>=value)``: rows become instances as ``ModelIterable`` builds them."""

    psycopg_times = False

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
) -> ObjectQuery | None:
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
        raise Retry from exc
    query = clone.query
    where = query.where
    if where.connector != AND or where.negated or len(where.children) != len(base_where.children) + 1:
        return None
    node = where.children[-1]
    if not isinstance(node, Lookup):
        return None
    if node.rhs is None:
        raise Retry
    compiled = compile_query(query, db)
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
        raise Retry from exc
    fragment_sql, fragment_params = fragment
    if not fragment_sql or marked_sql.count(_MARK) != 1 or _MARK in fragment_sql:
        return None
    slot = _placeholders(marked_sql[: marked_sql.index(_MARK)])
    before, after = tuple(marked_params[:slot]), tuple(marked_params[slot:])
    if marked_sql.replace(_MARK, fragment_sql) != sql or (*before, *fragment_params, *after) != params:
        return None
    template = (RowQuery if attnames else ObjectQuery)(query, compiler, sql, params, db, signature)
    template.lookup_class, template.lhs, template.fragment = type(node), node.lhs, fragment_sql
    template.before, template.after = before, after
    return template


def _lookup_template(queryset: Any, lookup_field: str, value: Any, attnames: tuple = ()) -> Any:
    """The compiled lookup statement for this request's queryset (``MISS`` for Django's path)."""
    if value.__class__ not in _PLAIN_VALUES:
        return MISS

    def build(db: str, signature: tuple) -> Any:
        return _build_object_query(queryset, lookup_field, value, db, signature, attnames)

    return queries.prepared(queryset, "row" if attnames else "object", (lookup_field, attnames), build)


def get_object(queryset: Any, lookup_field: str, value: Any) -> Any:
    """
    ``get_object_or_404(queryset, **{lookup_field: value})`` through compiled SQL, or ``MISS`` when this
    request must take Django's path (which the caller then runs).
    """
    template = _lookup_template(queryset, lookup_field, value)
    return MISS if template is MISS else _object(template, value)


class OwnedLookup:
    """
    ``get_object`` for a queryset the framework itself builds and never changes (the token authenticator's
    ``select_related("user")``): the compiled statement is kept per database and settings generation instead of
    being found again through a tagged clone of the queryset on every request (a clone deep-copies
    ``select_related``). Same statement, same checks of the value, same instances.
    """

    def __init__(self, source: QuerySet, lookup_field: str) -> None:
        self.source = source
        self.lookup_field = lookup_field
        self._templates: dict[tuple[str, int], Any] = {}

    def get(self, value: Any) -> Any:
        """The one instance for ``value`` (``Http404`` when none), or ``MISS`` for Django's path."""
        if value.__class__ not in _PLAIN_VALUES:
            return MISS
        key = (self.source.db, queries.generation())
        template = self._templates.get(key)
        if template is None:
            queryset = self.source.all()
            queries.mark_source(queryset, self.source)
            template = _lookup_template(queryset, self.lookup_field, value)
            if template is MISS:
                return MISS
            if len(self._templates) > 8:  # stale generations
                self._templates.clear()
            self._templates[key] = template
        return _object(template, value)


def _object(template: Any, value: Any) -> Any:
    connection = connections[template.db]
    rows = template.rows(value, connection)
    if rows is MISS:
        return MISS
    queries.stats["object"] += 1
    found = template.instances(rows, connection)
    if len(found) == 1:
        return found[0]
    model = template.model
    if not found:
        raise Http404(f"No {model._meta.object_name} matches the given query.")
    count = len(found) if len(found) < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
    raise model.MultipleObjectsReturned(
        f"get() returned more than one {model._meta.object_name} -- it returned {count}!"
    )


def get_row(queryset: Any, lookup_field: str, value: Any, attnames: tuple[str, ...]) -> Any:
    """
    ``(rows, converters per column, connection)`` of ``queryset.values_list(*attnames)`` filtered by the lookup
    (at most ``MAX_GET_RESULTS`` rows, as ``get()`` reads), through compiled SQL; ``MISS`` for Django's path. On
    SQLite the rows are a ``sql_rows.SqliteRows`` the engine reads into output dicts.
    """
    template = _lookup_template(queryset, lookup_field, value, attnames)
    if template is MISS:
        return MISS
    connection = connections[template.db]
    rows = template.rows(value, connection, deferred=True)
    if rows is MISS:
        return MISS
    queries.stats["row"] += 1
    return rows, template.for_connection(connection)[2], connection

"""
Filter backends: ``SearchFilter``, ``OrderingFilter`` and django-filter's ``DjangoFilterBackend``.

A backend's ``filter_queryset(request, queryset, view)`` narrows or orders the view's queryset; it only builds
the query (no database access), so the generic views call it wherever the queryset is assembled.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.encoding import force_str
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from django_bolt.exceptions import ErrorDetail, ValidationError
from django_bolt.settings import api_settings


class _Setting:
    """A class attribute defaulting to an API setting, read when used."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(api_settings, self.name)


def _query_parameter(name: str, description: Any) -> dict[str, Any]:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": force_str(description),
        "schema": {"type": "string"},
    }


def search_smart_split(search_terms: str) -> list[str]:
    """Split a search string into terms: on spaces and commas, keeping quoted phrases together."""
    terms = []
    for term in smart_split(search_terms):
        term = term.strip(",")
        if term.startswith(('"', "'")) and term[0] == term[-1]:
            terms.append(unescape_string_literal(term))
        else:
            terms.extend(sub_term.strip() for sub_term in term.split(",") if sub_term)
    return terms


class BaseFilterBackend:
    """Base of filter backends: implement ``filter_queryset``."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        """The filtered queryset."""
        raise NotImplementedError(".filter_queryset() must be overridden.")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The OpenAPI query parameters of this backend."""
        return []


class SearchFilter(BaseFilterBackend):
    """
    ``?search=`` over the view's ``search_fields``. Every term must match at least one field. A field prefix
    picks the lookup: ``^`` starts-with, ``=`` exact, ``@`` full-text (PostgreSQL), ``$`` regex; none means
    ``icontains``.
    """

    search_param: Any = _Setting("SEARCH_PARAM")
    lookup_prefixes = {"^": "istartswith", "=": "iexact", "@": "search", "$": "iregex"}
    default_lookup = "icontains"
    search_title = _("Search")
    search_description = _("A search term.")

    def get_search_fields(self, view: Any, request: Any) -> Any:
        """The fields to search; override to vary them by request."""
        return getattr(view, "search_fields", None)

    def get_search_terms(self, request: Any) -> list[str]:
        """The terms of the search parameter (validated like a ``CharField``: no NUL characters)."""
        from django_bolt.fields import CharField

        value = request.query_params.get(self.search_param, "")
        cleaned = CharField(trim_whitespace=False, allow_blank=True).run_validation(value)
        return search_smart_split(cleaned)

    def construct_search(self, field_name: str, queryset: Any) -> str:
        """The ORM lookup for a search field (``"^title"`` → ``"title__istartswith"``)."""
        lookup = self.lookup_prefixes.get(field_name[0])
        if lookup:
            return LOOKUP_SEP.join([field_name[1:], lookup])
        # A path ending in a lookup the field understands (``"created__year"``) is used as written.
        opts = queryset.model._meta
        prev_field = None
        for part in field_name.split(LOOKUP_SEP):
            if part == "pk":
                part = opts.pk.name
            try:
                field = opts.get_field(part)
            except FieldDoesNotExist:
                if prev_field and prev_field.get_lookup(part):
                    return field_name
            else:
                prev_field = field
                if hasattr(field, "path_infos"):
                    opts = field.path_infos[-1].to_opts
        return LOOKUP_SEP.join([field_name, self.default_lookup])

    def must_call_distinct(self, queryset: Any, search_fields: Any) -> bool:
        """Whether a search field crosses a many-to-many relation (matches would repeat rows)."""
        for search_field in search_fields:
            opts = queryset.model._meta
            if search_field[0] in self.lookup_prefixes:
                search_field = search_field[1:]
            if isinstance(queryset, models.QuerySet) and search_field in queryset.query.annotations:
                continue
            for part in search_field.split(LOOKUP_SEP):
                field = opts.get_field(part)
                if not hasattr(field, "get_path_info"):
                    break
                path_info = field.get_path_info()
                opts = path_info[-1].to_opts
                if any(path.m2m for path in path_info):
                    return True
        return False

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        search_fields = self.get_search_fields(view, request)
        search_terms = self.get_search_terms(request)
        if not search_fields or not search_terms:
            return queryset
        lookups = [self.construct_search(str(field), queryset) for field in search_fields]
        conditions = (reduce(operator.or_, (models.Q(**{lookup: term}) for lookup in lookups)) for term in search_terms)
        base = queryset
        queryset = queryset.filter(reduce(operator.and_, conditions))
        if self.must_call_distinct(queryset, search_fields):
            # EXISTS rather than DISTINCT: keeps the caller's ordering and annotations valid.
            queryset = base.filter(models.Exists(queryset.filter(pk=models.OuterRef("pk"))))
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [_query_parameter(self.search_param, self.search_description)]


class OrderingFilter(BaseFilterBackend):
    """
    ``?ordering=-price,title`` among the view's ``ordering_fields`` (``"__all__"`` for every model field;
    default: the serializer's readable fields). Unknown fields are ignored; the view's ``ordering`` applies
    when none is left.
    """

    ordering_param: Any = _Setting("ORDERING_PARAM")
    ordering_fields: Any = None
    ordering_title = _("Ordering")
    ordering_description = _("Which field to use when ordering the results.")

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        """The requested valid ordering, else the default one (``view.ordering``)."""
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            ordering = self.remove_invalid_fields(queryset, fields, view, request)
            if ordering:
                return ordering
        return self.get_default_ordering(view)

    def get_default_ordering(self, view: Any) -> Any:
        ordering = getattr(view, "ordering", None)
        return (ordering,) if isinstance(ordering, str) else ordering

    def get_default_valid_fields(self, queryset: Any, view: Any, context: dict | None = None) -> list[tuple]:
        """Without ``ordering_fields``: the serializer's readable, model-backed fields."""
        if hasattr(view, "get_serializer_class"):
            try:
                serializer_class = view.get_serializer_class()
            except AssertionError:
                serializer_class = None
        else:
            serializer_class = getattr(view, "serializer_class", None)
        if serializer_class is None:
            raise ImproperlyConfigured(
                f"Cannot use {type(self).__name__} on a view which does not have either a 'serializer_class', "
                "an overriding 'get_serializer_class' or 'ordering_fields' attribute."
            )
        model_class = queryset.model
        properties = [
            attr for attr in dir(model_class) if isinstance(getattr(model_class, attr), property) and attr != "pk"
        ]
        return [
            (field.source.replace(".", "__") or field_name, field.label)
            for field_name, field in serializer_class(context=context or {}).fields.items()
            if not getattr(field, "write_only", False) and field.source != "*" and field.source not in properties
        ]

    def get_valid_fields(self, queryset: Any, view: Any, context: dict | None = None) -> list[tuple]:
        """``(name, label)`` pairs the client may order by."""
        valid_fields = getattr(view, "ordering_fields", self.ordering_fields)
        if valid_fields is None:
            return self.get_default_valid_fields(queryset, view, context or {})
        if valid_fields == "__all__":
            fields = [(field.name, field.verbose_name) for field in queryset.model._meta.fields]
            return fields + [(key, key.title().split("__")) for key in queryset.query.annotations]
        return [(item, item) if isinstance(item, str) else item for item in valid_fields]

    def remove_invalid_fields(self, queryset: Any, fields: list[str], view: Any, request: Any) -> list[str]:
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        return [term for term in fields if term.removeprefix("-") in valid]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [_query_parameter(self.ordering_param, self.ordering_description)]


def translate_validation(error_dict: Any) -> ValidationError:
    """A Django form ``ErrorDict`` as a 400 ``ValidationError`` (field → messages with codes)."""
    return ValidationError(
        {
            key: [ErrorDetail(error.message % (error.params or ()), code=error.code) for error in errors]
            for key, errors in error_dict.as_data().items()
        }
    )


class DjangoFilterBackend(BaseFilterBackend):
    """
    django-filter integration: the view's ``filterset_class``, or a FilterSet generated for
    ``filterset_fields``, filters by the query parameters; invalid values answer 400 with the form errors.

    FilterSets come from ``django_filters.rest_framework`` (ISO datetimes, ``true``/``false`` booleans) —
    that module is plain django-filter; only its backend touches DRF, which is why this one exists.
    """

    raise_exception = True

    @property
    def filterset_base(self) -> type:
        from django_filters.rest_framework import FilterSet

        return FilterSet

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        """The bound FilterSet for this request, or ``None`` when the view configures none."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        return filterset_class(**self.get_filterset_kwargs(request, queryset, view))

    def get_filterset_class(self, view: Any, queryset: Any = None) -> Any:
        """``view.filterset_class``, else a FilterSet over ``view.filterset_fields``."""
        filterset_class = getattr(view, "filterset_class", None)
        filterset_fields = getattr(view, "filterset_fields", None)
        if filterset_class:
            filterset_model = filterset_class._meta.model
            if filterset_model and queryset is not None:
                assert issubclass(queryset.model, filterset_model), (
                    f"FilterSet model {filterset_model} does not match queryset model {queryset.model}"
                )
            return filterset_class
        if filterset_fields and queryset is not None:
            base = self.filterset_base
            meta_base = getattr(base, "Meta", object)
            meta = type("Meta", (meta_base,), {"model": queryset.model, "fields": filterset_fields})
            return type("AutoFilterSet", (base,), {"Meta": meta})
        return None

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        return {"data": request.query_params, "queryset": queryset, "request": request}

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.qs

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        queryset = getattr(view, "queryset", None)
        filterset_class = self.get_filterset_class(view, queryset)
        if not filterset_class:
            return []
        return [
            {
                "name": name,
                "required": field.extra["required"],
                "in": "query",
                "description": force_str(field.label) if field.label is not None else name,
                "schema": {"type": "string"},
            }
            for name, field in filterset_class.base_filters.items()
        ]

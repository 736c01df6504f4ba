"""
Relational fields: represent a related object by its pk, a slug, its ``str()`` or a hyperlink, and turn that
back into the object on input. ``many=True`` on any of them builds a ``ManyRelatedField`` wrapping one.
"""

from __future__ import annotations

import contextlib
from operator import attrgetter
from typing import Any
from urllib import parse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Manager
from django.db.models.query import QuerySet
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve
from django.utils.encoding import smart_str, uri_to_iri
from django.utils.translation import gettext_lazy as _

from django_bolt.fields import Field, empty, get_attribute, is_simple_callable, iter_options
from django_bolt.reverse import reverse
from django_bolt.settings import api_settings
from django_bolt.utils import html


def _resolve(path: str) -> Any:
    """Match a URL path against the routes the engine serves (``ROOT_BOLTCONF``), then Django's URLconf."""
    bolt_urlconf = getattr(settings, "ROOT_BOLTCONF", None)
    if bolt_urlconf:
        with contextlib.suppress(Resolver404):
            return resolve(path, urlconf=bolt_urlconf)
    return resolve(path)


def method_overridden(method_name: str, klass: type, instance: Any) -> bool:
    """True when ``instance``'s class redefines ``klass.method_name``."""
    base = getattr(klass, method_name)
    return getattr(base, "__func__", base) is not getattr(instance, method_name).__func__


class ObjectValueError(ValueError):
    """``queryset.get()`` failed with a ValueError (bad lookup value), kept apart from unrelated ValueErrors."""


class ObjectTypeError(TypeError):
    """``queryset.get()`` failed with a TypeError (bad lookup value), kept apart from unrelated TypeErrors."""


class Hyperlink(str):
    """A URL string that also knows the object it points to (``.obj``; ``.name`` is its ``str()``)."""

    is_hyperlink = True

    def __new__(cls, url: str, obj: Any) -> Hyperlink:
        self = super().__new__(cls, url)
        self.obj = obj
        return self

    def __getnewargs__(self) -> tuple[str, str]:
        return (str(self), self.name)

    @property
    def name(self) -> str:
        # Computed on demand: str() of a model instance may hit the database.
        return str(self.obj)


class PKOnlyObject:
    """Stands in for a related instance when only its pk is needed (saves loading the object)."""

    def __init__(self, pk: Any) -> None:
        self.pk = pk

    def __str__(self) -> str:
        return f"{self.pk}"


# Arguments of a many=True declaration that belong to the list rather than to each child
# (validators stay with the child).
MANY_RELATION_KWARGS = (
    "read_only",
    "write_only",
    "required",
    "default",
    "initial",
    "source",
    "label",
    "help_text",
    "style",
    "error_messages",
    "allow_empty",
    "html_cutoff",
    "html_cutoff_text",
)


def _html_cutoff_settings(field: Field, kwargs: dict[str, Any]) -> None:
    cutoff = api_settings.HTML_SELECT_CUTOFF
    field.html_cutoff = kwargs.pop("html_cutoff", None if cutoff is None else int(cutoff))
    field.html_cutoff_text = kwargs.pop(
        "html_cutoff_text", field.html_cutoff_text or _(api_settings.HTML_SELECT_CUTOFF_TEXT)
    )


class RelatedField(Field):
    """
    Base of relational fields. Writable ones need ``queryset`` (or an overridden ``get_queryset``) to look
    input up in; read-only ones must not have one.
    """

    queryset: Any = None
    html_cutoff: int | None = None
    html_cutoff_text: Any = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # many=True declares a list of relations instead.
        if kwargs.pop("many", False):
            return cls.many_init(*args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, **kwargs: Any) -> None:
        self.queryset = kwargs.pop("queryset", self.queryset)
        _html_cutoff_settings(self, kwargs)
        if not method_overridden("get_queryset", RelatedField, self):
            assert self.queryset is not None or kwargs.get("read_only"), (
                "Relational field must provide a `queryset` argument, override `get_queryset`, or set read_only=`True`."
            )
        assert not (self.queryset is not None and kwargs.get("read_only")), (
            "Relational fields should not provide a `queryset` argument, when setting read_only=`True`."
        )
        kwargs.pop("many", None)
        kwargs.pop("allow_empty", None)
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ManyRelatedField:
        """
        Build the ``ManyRelatedField`` for ``many=True``: list-level arguments go to it, and (to be safe) all
        arguments to the child. Override for a custom list class, e.g.
        ``return CustomManyRelatedField(child_relation=cls(), **kwargs)``.
        """
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return ManyRelatedField(**list_kwargs)

    def run_validation(self, data: Any = empty) -> Any:
        # A blank form value means "no related object".
        if data == "":
            data = None
        return super().run_validation(data)

    def get_queryset(self) -> Any:
        """The queryset input is looked up in; re-evaluated on every call. Override to filter per request."""
        queryset = self.queryset
        if isinstance(queryset, (QuerySet, Manager)):
            # .all() gives a fresh queryset each time (no stale result cache); a Manager is accepted
            # because it makes a nicer repr.
            queryset = queryset.all()
        return queryset

    def use_pk_only_optimization(self) -> bool:
        """True when ``to_representation`` only needs ``.pk``, so the related row need not be fetched."""
        return False

    def get_attribute(self, instance: Any) -> Any:
        if self.use_pk_only_optimization() and self.source_attrs:
            with contextlib.suppress(AttributeError):
                owner = get_attribute(instance, self.source_attrs[:-1])
                # serializable_value() reads the FK column (e.g. author_id) without a query.
                value = owner.serializable_value(self.source_attrs[-1])
                if is_simple_callable(value):
                    value = value()
                # A source may be a property returning the instance itself.
                return PKOnlyObject(pk=getattr(value, "pk", value))
        return super().get_attribute(instance)

    def get_choices(self, cutoff: int | None = None) -> dict[Any, Any]:
        """``{representation: display text}`` of the queryset (first ``cutoff`` rows), for HTML selects."""
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {self.to_representation(item): self.display_value(item) for item in queryset}

    @property
    def choices(self) -> dict[Any, Any]:
        return self.get_choices()

    @property
    def grouped_choices(self) -> dict[Any, Any]:
        return self.choices

    def iter_options(self) -> Any:
        return iter_options(
            self.get_choices(cutoff=self.html_cutoff), cutoff=self.html_cutoff, cutoff_text=self.html_cutoff_text
        )

    def display_value(self, instance: Any) -> str:
        """The text shown for ``instance`` in an HTML select."""
        return str(instance)


class StringRelatedField(RelatedField):
    """Read-only: the related object's ``str()``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


class PrimaryKeyRelatedField(RelatedField):
    """The related object's pk (through ``pk_field`` when given, e.g. ``UUIDField(format="hex")``)."""

    default_error_messages = {
        "required": _("This field is required."),
        "does_not_exist": _('Invalid pk "{pk_value}" - object does not exist.'),
        "incorrect_type": _("Incorrect type. Expected pk value, received {data_type}."),
    }

    def __init__(self, **kwargs: Any) -> None:
        self.pk_field = kwargs.pop("pk_field", None)
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return True

    def to_internal_value(self, data: Any) -> Any:
        if self.pk_field is not None:
            data = self.pk_field.to_internal_value(data)
        queryset = self.get_queryset()
        # True/False would otherwise match pk 1/0.
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return queryset.get(pk=data)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)

    def to_representation(self, value: Any) -> Any:
        if self.pk_field is not None:
            return self.pk_field.to_representation(value.pk)
        return value.pk


class HyperlinkedRelatedField(RelatedField):
    """
    The URL of the related object's detail view (``view_name``, looked up by ``lookup_field``), absolute when
    the request is in the context. Input URLs are resolved back to the object.
    """

    lookup_field = "pk"
    view_name: str | None = None

    default_error_messages = {
        "required": _("This field is required."),
        "no_match": _("Invalid hyperlink - No URL match."),
        "incorrect_match": _("Invalid hyperlink - Incorrect URL match."),
        "does_not_exist": _("Invalid hyperlink - Object does not exist."),
        "incorrect_type": _("Incorrect type. Expected URL string, received {data_type}."),
    }

    def __init__(self, view_name: str | None = None, **kwargs: Any) -> None:
        if view_name is not None:
            self.view_name = view_name
        assert self.view_name is not None, "The `view_name` argument is required."
        self.lookup_field = kwargs.pop("lookup_field", self.lookup_field)
        self.lookup_url_kwarg = kwargs.pop("lookup_url_kwarg", self.lookup_field)
        self.format = kwargs.pop("format", None)
        # An instance attribute (not a method) so tests can inject a fake reverse().
        self.reverse = reverse
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return self.lookup_field == "pk"

    def get_object(self, view_name: str, view_args: Any, view_kwargs: dict[str, Any]) -> Any:
        """The object a resolved URL points to; raises ``ObjectDoesNotExist`` when there is none."""
        lookup = {self.lookup_field: view_kwargs[self.lookup_url_kwarg]}
        queryset = self.get_queryset()
        try:
            return queryset.get(**lookup)
        except ValueError as exc:
            raise ObjectValueError(str(exc)).with_traceback(exc.__traceback__)
        except TypeError as exc:
            raise ObjectTypeError(str(exc)).with_traceback(exc.__traceback__)

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str | None:
        """The URL of ``obj``; ``None`` for an unsaved object. May raise ``NoReverseMatch``."""
        if hasattr(obj, "pk") and obj.pk in (None, ""):
            return None
        kwargs = {self.lookup_url_kwarg: getattr(obj, self.lookup_field)}
        return self.reverse(view_name, kwargs=kwargs, request=request, format=format)

    def to_internal_value(self, data: Any) -> Any:
        request = self.context.get("request")
        try:
            absolute = data.startswith(("http:", "https:"))
        except AttributeError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if absolute:
            # Keep only the path, relative to the script prefix.
            data = parse.urlparse(data).path
            prefix = get_script_prefix()
            if data.startswith(prefix):
                data = "/" + data[len(prefix) :]
        data = uri_to_iri(parse.unquote(data))
        try:
            match = _resolve(data)
        except Resolver404:
            self.fail("no_match")
        try:
            expected = request.versioning_scheme.get_versioned_viewname(self.view_name, request)
        except AttributeError:
            expected = self.view_name
        if match.view_name != expected:
            self.fail("incorrect_match")
        try:
            return self.get_object(match.view_name, match.args, match.kwargs)
        except (ObjectDoesNotExist, ObjectValueError, ObjectTypeError):
            self.fail("does_not_exist")

    def to_representation(self, value: Any) -> Hyperlink | None:
        assert "request" in self.context, (
            f"`{type(self).__name__}` requires the request in the serializer context. Add "
            "`context={'request': request}` when instantiating the serializer."
        )
        request = self.context["request"]
        format = self.context.get("format")
        # Follow the format of the current response, unless the field pins a different one.
        if format and self.format and self.format != format:
            format = self.format
        try:
            url = self.get_url(value, self.view_name, request, format)
        except NoReverseMatch:
            message = (
                f'Could not resolve URL for hyperlinked relationship using view name "{self.view_name}". You may '
                "have failed to include the related model in your API, or incorrectly configured the "
                "`lookup_field` attribute on this field."
            )
            if value in ("", None):
                shown = "the empty string" if value == "" else "None"
                message += (
                    f" WARNING: The value of the field on the model instance was {shown}, which may be why it "
                    "didn't match any entries in your URL conf."
                )
            raise ImproperlyConfigured(message)
        if url is None:
            return None
        return Hyperlink(url, value)


class HyperlinkedIdentityField(HyperlinkedRelatedField):
    """Read-only: the URL of the object being serialized itself (``source='*'``)."""

    def __init__(self, view_name: str | None = None, **kwargs: Any) -> None:
        assert view_name is not None, "The `view_name` argument is required."
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(view_name, **kwargs)

    def use_pk_only_optimization(self) -> bool:
        # The whole object is already at hand.
        return False


class SlugRelatedField(RelatedField):
    """The related object's ``slug_field`` attribute (``a__b`` follows relations), read and written."""

    default_error_messages = {
        "does_not_exist": _("Object with {slug_name}={value} does not exist."),
        "invalid": _("Invalid value."),
    }

    def __init__(self, slug_field: str | None = None, **kwargs: Any) -> None:
        assert slug_field is not None, "The `slug_field` argument is required."
        self.slug_field = slug_field
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        except (TypeError, ValueError):
            self.fail("invalid")

    def to_representation(self, obj: Any) -> Any:
        return attrgetter(self.slug_field.replace("__", "."))(obj)


class ManyRelatedField(Field):
    """
    The list built by ``many=True``: validates and represents each item with ``child_relation``.
    Not usually declared directly.
    """

    initial: Any = []
    default_empty_html: Any = []
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
    }
    html_cutoff: int | None = None
    html_cutoff_text: Any = None

    def __init__(self, child_relation: RelatedField | None = None, *args: Any, **kwargs: Any) -> None:
        self.child_relation = child_relation
        self.allow_empty = kwargs.pop("allow_empty", True)
        _html_cutoff_settings(self, kwargs)
        assert child_relation is not None, "`child_relation` is a required argument."
        super().__init__(*args, **kwargs)
        self.child_relation.bind(field_name="", parent=self)

    def get_value(self, dictionary: Any) -> Any:
        if not html.is_html_input(dictionary):
            return dictionary.get(self.field_name, empty)
        if self.field_name not in dictionary and getattr(self.root, "partial", False):
            return empty
        return dictionary.getlist(self.field_name)

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        return [child.to_internal_value(item) for item in data]

    def get_attribute(self, instance: Any) -> Any:
        # An unsaved instance cannot have related rows yet.
        if hasattr(instance, "pk") and instance.pk is None:
            return []
        try:
            relationship = get_attribute(instance, self.source_attrs)
        except (KeyError, AttributeError) as exc:
            return self.value_for_missing_attribute(exc, instance)
        return relationship.all() if hasattr(relationship, "all") else relationship

    def to_representation(self, iterable: Any) -> list[Any]:
        child = self.child_relation
        return [child.to_representation(value) for value in iterable]

    def get_choices(self, cutoff: int | None = None) -> dict[Any, Any]:
        return self.child_relation.get_choices(cutoff)

    @property
    def choices(self) -> dict[Any, Any]:
        return self.get_choices()

    @property
    def grouped_choices(self) -> dict[Any, Any]:
        return self.choices

    def iter_options(self) -> Any:
        return iter_options(
            self.get_choices(cutoff=self.html_cutoff), cutoff=self.html_cutoff, cutoff_text=self.html_cutoff_text
        )

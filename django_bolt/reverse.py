"""
``reverse()`` by URL name, returning absolute URLs when given the request (DRF's ``reverse``).

Names are looked up in ``settings.ROOT_BOLTCONF`` (the routes the engine serves) first, then in Django's
``ROOT_URLCONF``. ``bolt_urlpatterns()`` lets Django's own ``django.urls.reverse`` see the bolt routes too.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from django.urls import reverse as django_reverse
from django.utils.functional import lazy


def _bolt_urlconf() -> str | None:
    return getattr(settings, "ROOT_BOLTCONF", None)


def _reverse_any(viewname: str, args: Any = None, kwargs: Any = None, urlconf: str | None = None, **extra: Any) -> str:
    if urlconf is None:
        bolt = _bolt_urlconf()
        if bolt:
            try:
                return django_reverse(viewname, urlconf=bolt, args=args, kwargs=kwargs, **extra)
            except NoReverseMatch:
                pass
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs, **extra)


def _preserve_builtin_query_params(url: str, request: Any = None) -> str:
    # Keep the ?format=… override in URLs built from a request that used it.
    if request is None:
        return url
    from django_bolt.settings import api_settings

    override = api_settings.URL_FORMAT_OVERRIDE
    params = getattr(request, "query_params", None)
    if params is None:
        params = request.GET
    if override and override in params:
        from django_bolt.utils.urls import replace_query_param

        return replace_query_param(url, override, params[override])
    return url


def reverse(
    viewname: str,
    args: Any = None,
    kwargs: Any = None,
    request: Any = None,
    format: str | None = None,
    **extra: Any,
) -> str:
    """The URL of ``viewname`` — absolute (``http://host/...``) when ``request`` is given."""
    scheme = getattr(request, "versioning_scheme", None)
    if scheme is not None:
        drf_versioning = sys.modules.get("rest_framework.versioning")
        if drf_versioning is not None and isinstance(scheme, drf_versioning.BaseVersioning) and _bolt_urlconf():
            # DRF's versioning classes (kept through compat) reverse against ROOT_URLCONF unless told otherwise.
            extra.setdefault("urlconf", _bolt_urlconf())
        try:
            url = scheme.reverse(viewname, args, kwargs, request, format, **extra)
        except NoReverseMatch:
            url = _reverse(viewname, args, kwargs, request, format, **extra)
    else:
        url = _reverse(viewname, args, kwargs, request, format, **extra)
    return _preserve_builtin_query_params(url, request)


def _reverse(
    viewname: str,
    args: Any = None,
    kwargs: Any = None,
    request: Any = None,
    format: str | None = None,
    **extra: Any,
) -> str:
    if format is not None:
        kwargs = dict(kwargs or {})
        kwargs["format"] = format
    url = _reverse_any(viewname, args=args, kwargs=kwargs, **extra)
    if request is not None:
        return request.build_absolute_uri(url)
    return url


reverse_lazy = lazy(reverse, str)


def _served_by_engine(request: Any, *args: Any, **kwargs: Any) -> Any:
    # Django only reaches this when the request did not come through the engine (e.g. manage.py runserver).
    raise Http404("This URL is served by the django_bolt engine (runbolt), not by Django.")


def _reverse_only(patterns: list[Any]) -> list[Any]:
    converted: list[Any] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            resolver = URLResolver(
                entry.pattern,
                _reverse_only(entry.url_patterns),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
            converted.append(resolver)
        elif isinstance(entry, URLPattern):
            converted.append(URLPattern(entry.pattern, _served_by_engine, entry.default_args, entry.name))
    return converted


def bolt_urlpatterns(urlconf: str | None = None) -> list[Any]:
    """
    The bolt routes as Django URL patterns, for ``django.urls.reverse`` and ``{% url %}``.

    Add them to the project's Django ``urls.py``: ``urlpatterns += bolt_urlpatterns()``. The names and
    namespaces are the bolt ones; the views are placeholders answering 404 (the engine serves those paths
    before Django ever sees them), so including them never runs a bolt view under Django's handler.
    """
    urlconf = urlconf or _bolt_urlconf()
    if not urlconf:
        return []
    return _reverse_only(get_resolver(urlconf).url_patterns)

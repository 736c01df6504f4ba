"""``format_suffix_patterns``: add ``.json``-style suffix variants (``/books/1.json``) to URL patterns."""

from __future__ import annotations

from typing import Any

from django.urls import URLResolver, include, path, re_path, register_converter
from django.urls.converters import get_converters
from django.urls.resolvers import RoutePattern

from django_bolt.settings import api_settings


def _format_converter(allowed: list[str] | None) -> type:
    if allowed:
        allowed_pattern = allowed[0] if len(allowed) == 1 else "(?:{})".format("|".join(allowed))
        suffix_pattern = rf"\.{allowed_pattern}/?"
    else:
        suffix_pattern = r"\.[a-z0-9]+/?"

    class FormatSuffixConverter:
        regex = suffix_pattern

        def to_python(self, value: str) -> str:
            return value.strip("./")

        def to_url(self, value: str) -> str:
            return "." + value + "/"

    return FormatSuffixConverter


def _converter_name(allowed: list[str] | None) -> str:
    return "bolt_format_suffix" + ("_" + "_".join(allowed) if allowed else "")


def _strip_end(regex: str) -> str:
    for end in ("\\Z", "$"):
        if regex.endswith(end):
            regex = regex[: -len(end)]
            break
    return regex.rstrip("/")


def apply_suffix_patterns(
    urlpatterns: list[Any], suffix_pattern: str, suffix_required: bool, suffix_route: str | None = None
) -> list[Any]:
    ret: list[Any] = []
    for urlpattern in urlpatterns:
        if isinstance(urlpattern, URLResolver):
            patterns = apply_suffix_patterns(urlpattern.url_patterns, suffix_pattern, suffix_required, suffix_route)
            included = include((patterns, urlpattern.app_name), urlpattern.namespace)
            if isinstance(urlpattern.pattern, RoutePattern):
                ret.append(path(str(urlpattern.pattern), included, urlpattern.default_kwargs))
            else:
                ret.append(re_path(urlpattern.pattern.regex.pattern, included, urlpattern.default_kwargs))
            continue
        view, kwargs, name = urlpattern.callback, urlpattern.default_args, urlpattern.name
        if not suffix_required:
            ret.append(urlpattern)
        pattern = urlpattern.pattern
        if isinstance(pattern, RoutePattern) and pattern.converters:
            # Typed path() parameters must keep their converters: use the suffix converter too.
            route = str(pattern).rstrip("$").rstrip("/") + suffix_route
            ret.append(path(route, view, kwargs, name))
        else:
            # Plain regexes (re_path, and path() routes without parameters): the suffix is a named group,
            # which any URL engine understands.
            ret.append(re_path(_strip_end(pattern.regex.pattern) + suffix_pattern, view, kwargs, name))
    return ret


def format_suffix_patterns(
    urlpatterns: list[Any], suffix_required: bool = False, allowed: list[str] | None = None
) -> list[Any]:
    """
    Each pattern plus a variant accepting ``.<format>`` (only ``allowed`` formats, if given); the format
    reaches the view as the ``FORMAT_SUFFIX_KWARG`` keyword. ``suffix_required`` drops the plain variants.
    """
    suffix_kwarg = api_settings.FORMAT_SUFFIX_KWARG
    if allowed:
        allowed_pattern = allowed[0] if len(allowed) == 1 else "({})".format("|".join(allowed))
        suffix_pattern = rf"\.(?P<{suffix_kwarg}>{allowed_pattern})/?$"
    else:
        suffix_pattern = rf"\.(?P<{suffix_kwarg}>[a-z0-9]+)/?$"
    converter_name = _converter_name(allowed)
    if converter_name not in get_converters():
        register_converter(_format_converter(allowed), converter_name)
    suffix_route = f"<{converter_name}:{suffix_kwarg}>"
    return apply_suffix_patterns(urlpatterns, suffix_pattern, suffix_required, suffix_route)

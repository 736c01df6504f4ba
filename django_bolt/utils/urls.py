"""Editing the query string of a URL (pagination links, format overrides)."""

from __future__ import annotations

from typing import Any
from urllib import parse

from django.utils.encoding import force_str


def _with_query(url: Any, edit: Any) -> str:
    scheme, netloc, path, query, fragment = parse.urlsplit(force_str(url))
    params = parse.parse_qs(query, keep_blank_values=True)
    edit(params)
    # Sorted so that generated links are stable.
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode(sorted(params.items()), doseq=True), fragment))


def replace_query_param(url: Any, key: Any, val: Any) -> str:
    """``url`` with the query parameter ``key`` set to the single value ``val``."""
    return _with_query(url, lambda params: params.__setitem__(force_str(key), [force_str(val)]))


def remove_query_param(url: Any, key: Any) -> str:
    """``url`` without the query parameter ``key``."""
    return _with_query(url, lambda params: params.pop(key, None))

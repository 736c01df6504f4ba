"""Editing the query string of a URL (pagination links, format overrides)."""

from __future__ import annotations

from typing import Any
from urllib import parse

from django.utils.encoding import force_str

# A page's next and previous links edit the same URL: split and parsed once.
_splits: dict[str, tuple[str, str, str, dict[str, list[str]], str]] = {}
_SPLITS_MAX = 64


def _with_query(url: Any, edit: Any) -> str:
    url = force_str(url)
    split = _splits.get(url)
    if split is None:
        scheme, netloc, path, query, fragment = parse.urlsplit(url)
        split = (scheme, netloc, path, parse.parse_qs(query, keep_blank_values=True), fragment)
        if len(_splits) >= _SPLITS_MAX:
            _splits.clear()
        _splits[url] = split
    scheme, netloc, path, parsed, fragment = split
    params = dict(parsed)  # edits replace or remove whole entries: the remembered lists stay as parsed
    edit(params)
    # Sorted so that generated links are stable.
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode(sorted(params.items()), doseq=True), fragment))


def replace_query_param(url: Any, key: Any, val: Any) -> str:
    """``url`` with the query parameter ``key`` set to the single value ``val``."""
    return _with_query(url, lambda params: params.__setitem__(force_str(key), [force_str(val)]))


def remove_query_param(url: Any, key: Any) -> str:
    """``url`` without the query parameter ``key``."""
    return _with_query(url, lambda params: params.pop(key, None))

"""
Reading HTML form input (``QueryDict``/``MultiValueDict``): detect it, and rebuild lists and dicts from
flattened keys such as ``tags[0]``, ``items[1]name`` or ``profile.email``.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.datastructures import MultiValueDict


def is_html_input(dictionary: Any) -> bool:
    """Form data is a multi-value mapping: anything with ``getlist``."""
    return hasattr(dictionary, "getlist")


def parse_html_list(dictionary: Any, prefix: str = "", default: Any = None) -> Any:
    """
    Rebuild a list from ``{prefix}[i]`` keys (primitives) or ``{prefix}[i]key`` keys (one dict per index),
    ordered by index. Returns ``default`` when no key matches.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}\[([0-9]+)\](.*)$")
    by_index: dict[int, Any] = {}
    for name, value in dictionary.items():
        match = pattern.match(name)
        if match is None:
            continue
        index, key = int(match.group(1)), match.group(2)
        if not key:
            by_index[index] = value
        elif isinstance(by_index.get(index), dict):
            by_index[index][key] = value
        else:
            by_index[index] = MultiValueDict({key: [value]})
    if not by_index:
        return default
    return [by_index[index] for index in sorted(by_index)]


_NOT_PROVIDED = object()


def parse_html_dict(dictionary: Any, prefix: str = "", default: Any = _NOT_PROVIDED) -> Any:
    """
    Rebuild a nested dict from ``{prefix}.key`` keys, as a ``MultiValueDict`` (all values of each key kept).
    Without ``default`` an empty result is returned as is; with it, ``default`` replaces an empty result.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}\.(.+)$")
    result = MultiValueDict()
    for name in dictionary:
        match = pattern.match(name)
        if match is not None:
            result.setlist(match.group(1), dictionary.getlist(name))
    if default is _NOT_PROVIDED:
        return result
    return result if result else default

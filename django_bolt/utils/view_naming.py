"""How views are named and described (OPTIONS ``name``/``description``): DRF's defaults for the
``VIEW_NAME_FUNCTION`` and ``VIEW_DESCRIPTION_FUNCTION`` settings, re-exported by ``django_bolt.views``."""

from __future__ import annotations

import re
from typing import Any

from django.utils.encoding import smart_str


def _remove_trailing(content: str, trailing: str) -> str:
    if content.endswith(trailing) and content != trailing:
        return content[: -len(trailing)]
    return content


def _camelcase_to_spaces(content: str) -> str:
    content = re.sub(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))", " \\1", content).strip()
    return " ".join(content.split("_")).title()


def _dedent(content: str) -> str:
    """Remove the common indent of a docstring, ignoring its first line (as DRF does)."""
    lines = [line for line in content.splitlines()[1:] if line.lstrip()]
    if lines:
        spaces = min(len(line) - len(line.lstrip(" ")) for line in lines)
        tabs = min(len(line) - len(line.lstrip("\t")) for line in lines)
        if spaces:
            content = re.sub(re.compile("^" + " " * spaces, re.MULTILINE), "", content)
        elif tabs:
            content = re.sub(re.compile("^" + "\t" * tabs, re.MULTILINE), "", content)
    return content.strip()


def get_view_name(view: Any) -> str:
    """The view's display name (OPTIONS ``name``): its ``name``, else the class name split into words."""
    name = getattr(view, "name", None)
    if name is not None:
        return name
    name = _remove_trailing(type(view).__name__, "View")
    name = _remove_trailing(name, "ViewSet")
    name = _camelcase_to_spaces(name)
    suffix = getattr(view, "suffix", None)
    if suffix:
        name += " " + suffix
    return name


def get_view_description(view: Any, html: bool = False) -> str:
    """The view's description (OPTIONS ``description``): its ``description``, else its dedented docstring."""
    description = getattr(view, "description", None)
    if description is None:
        description = type(view).__doc__ or ""
    description = _dedent(smart_str(description))
    if html:
        from django.utils.html import escape
        from django.utils.safestring import mark_safe

        return mark_safe("<p>" + escape(description).replace("\n", "<br />") + "</p>")
    return description

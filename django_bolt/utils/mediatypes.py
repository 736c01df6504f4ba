"""Media types as found in ``Content-Type`` and ``Accept`` headers, and how specific each one is."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.http import parse_header_parameters


class _MediaType:
    """A parsed media type: ``main_type/sub_type; params``; hashable by its original text."""

    __slots__ = ("orig", "full_type", "params", "main_type", "sub_type")

    def __init__(self, media_type_str: str | None) -> None:
        self.orig = "" if media_type_str is None else media_type_str
        try:
            self.full_type, self.params = parse_header_parameters(self.orig)
        except ValueError:
            self.full_type, self.params = "", {}
        self.main_type, _, self.sub_type = self.full_type.partition("/")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MediaType) and self.orig == other.orig

    def __hash__(self) -> int:
        return hash(self.orig)

    def match(self, other: _MediaType) -> bool:
        """True if this media type is satisfied by ``other`` (wildcards match anything; ``q`` is ignored)."""
        for key, value in self.params.items():
            if key != "q" and other.params.get(key) != value:
                return False
        if self.sub_type != "*" and other.sub_type != "*" and other.sub_type != self.sub_type:
            return False
        if self.main_type != "*" and other.main_type != "*" and other.main_type != self.main_type:
            return False
        return True

    @property
    def precedence(self) -> int:
        """3 for ``type/sub; param=x``, 2 for ``type/sub``, 1 for ``type/*``, 0 for ``*/*``."""
        if self.main_type == "*":
            return 0
        if self.sub_type == "*":
            return 1
        if not self.params or list(self.params) == ["q"]:
            return 2
        return 3

    def __str__(self) -> str:
        text = f"{self.main_type}/{self.sub_type}"
        for key, value in self.params.items():
            text += f"; {key}={value}"
        return text


def media_type_matches(lhs: str, rhs: str) -> bool:
    """True if media type ``lhs`` is satisfied by ``rhs``, e.g. ``application/json`` by ``application/*``."""
    return _MediaType(lhs).match(_MediaType(rhs))


def order_parsed_by_precedence(media_types: Iterable[_MediaType]) -> list[list[_MediaType]]:
    """Group parsed media types by precedence, most specific group first (each group deduplicated, in order)."""
    groups: list[list[_MediaType]] = [[], [], [], []]
    for media_type in media_types:
        group = groups[3 - media_type.precedence]
        if media_type not in group:
            group.append(media_type)
    return [group for group in groups if group]


def order_by_precedence(media_type_lst: Iterable[str]) -> list[list[str]]:
    """Like ``order_parsed_by_precedence`` for media type strings."""
    return [[m.orig for m in group] for group in order_parsed_by_precedence(_MediaType(m) for m in media_type_lst)]


def is_form_media_type(media_type: str | None) -> bool:
    """True for urlencoded and multipart form bodies."""
    base = parse_header_parameters(media_type or "")[0]
    return base in ("application/x-www-form-urlencoded", "multipart/form-data")

"""The active timezone, read cheaply; local times that a timezone makes ambiguous (DST fall-back) or
non-existent (spring-forward gap)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

_read_current: Callable[[], tzinfo] | None = None


def current_timezone() -> tzinfo:
    """``django.utils.timezone.get_current_timezone()``, without asgiref's lock (``_runtime`` reads it)."""
    global _read_current
    if _read_current is None:
        from django_bolt._runtime import current_timezone_reader

        _read_current = current_timezone_reader()
    return _read_current()


def datetime_exists(dt: datetime) -> bool:
    """False for a wall-clock time skipped by a DST transition (it does not survive a round trip via UTC)."""
    return dt.astimezone(UTC) == dt


def datetime_ambiguous(dt: datetime) -> bool:
    """True for a wall-clock time that occurs twice (its UTC offset depends on ``fold``)."""
    return datetime_exists(dt) and dt.replace(fold=not dt.fold).utcoffset() != dt.utcoffset()


def valid_datetime(dt: datetime) -> bool:
    """An aware datetime that names exactly one instant."""
    return isinstance(dt.tzinfo, tzinfo) and not datetime_ambiguous(dt)

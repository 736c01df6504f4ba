"""Detect local times that a timezone makes ambiguous (DST fall-back) or non-existent (spring-forward gap)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def datetime_exists(dt: datetime) -> bool:
    """False for a wall-clock time skipped by a DST transition (it does not survive a round trip via UTC)."""
    return dt.astimezone(UTC) == dt


def datetime_ambiguous(dt: datetime) -> bool:
    """True for a wall-clock time that occurs twice (its UTC offset depends on ``fold``)."""
    return datetime_exists(dt) and dt.replace(fold=not dt.fold).utcoffset() != dt.utcoffset()


def valid_datetime(dt: datetime) -> bool:
    """An aware datetime that names exactly one instant."""
    return isinstance(dt.tzinfo, tzinfo) and not datetime_ambiguous(dt)

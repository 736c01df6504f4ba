"""Bolt's async serializer API on DRF's serializers, so an action can ``await serializer.adata`` whatever the
serializer's origin. Each runs the sync method on the request's sync-bridge thread (it may query the database)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from django_bolt.sync import run_sync


async def ais_valid(self: Any, *, raise_exception: bool = False) -> bool:
    """``await`` form of ``is_valid()``."""
    return await run_sync(self.is_valid, raise_exception=raise_exception)


async def asave(self: Any, **kwargs: Any) -> Any:
    """``await`` form of ``save()``."""
    return await run_sync(self.save, **kwargs)


def _read_data(serializer: Any) -> Any:
    return serializer.data


def adata(self: Any) -> Awaitable[Any]:
    """``await serializer.adata``: ``data``, computed off the worker thread."""
    return run_sync(_read_data, self)


def install() -> None:
    """Add ``ais_valid``, ``asave`` and ``adata`` to DRF's ``BaseSerializer`` (where not defined already)."""
    from rest_framework.serializers import BaseSerializer

    for name, value in (("ais_valid", ais_valid), ("asave", asave), ("adata", property(adata))):
        if name not in vars(BaseSerializer):
            setattr(BaseSerializer, name, value)

"""Which of a team's DRF classes Bolt routes use (printed by ``runbolt`` at start-up, so it is never a surprise)."""

from __future__ import annotations

import sys
from typing import Any

from django_bolt.urls import iter_routes

_POLICY_LISTS = ("authentication_classes", "permission_classes", "throttle_classes", "filter_backends",
                 "renderer_classes", "parser_classes")  # fmt: skip
_POLICY_SINGLES = ("serializer_class", "pagination_class", "content_negotiation_class", "metadata_class",
                   "versioning_class")  # fmt: skip


def _is_drf(cls: Any) -> bool:
    """A class from DRF or built on one of DRF's (only possible once DRF is loaded)."""
    if not isinstance(cls, type) or "rest_framework" not in sys.modules:
        return False
    return any(base.__module__.split(".")[0] in ("rest_framework", "django_filters") for base in cls.__mro__)


def drf_classes_in_use(urlpatterns: list) -> list[str]:
    """Dotted names of the DRF classes the Bolt views of ``urlpatterns`` name, sorted, each once."""
    found: set[str] = set()
    for route in iter_routes(urlpatterns):
        view_class = getattr(route.view, "cls", None)
        if view_class is None:
            continue
        candidates: list[Any] = [getattr(view_class, name, None) for name in _POLICY_SINGLES]
        for name in _POLICY_LISTS:
            try:
                candidates.extend(getattr(view_class, name, None) or ())
            except TypeError:
                continue
        found.update(f"{c.__module__}.{c.__qualname__}" for c in candidates if _is_drf(c))
    return sorted(found)

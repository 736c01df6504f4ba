"""
``PolicyParity``: the compat harness with what policy tests need — an empty cache at the start of each side
(throttle histories live there) and, optionally, DRF's client enforcing CSRF like a browser-facing server.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from compat.harness import Call, Outcome, Parity, _normalize_headers

DRF_URLCONF = "tests.policies.drf_urls"
BOLT_URLCONF = "tests.policies.bolt_urls"


class PolicyParity(Parity):
    def __init__(self, settings: dict[str, Any] | None = None, enforce_csrf: bool = False) -> None:
        super().__init__(DRF_URLCONF, BOLT_URLCONF, settings)
        # DRF's APIClient skips CSRF by default; BoltClient always checks it.
        self.enforce_csrf = enforce_csrf

    def _side(self, runner: Any, calls: Any, db: Any, overrides: dict) -> Any:
        cache.clear()
        try:
            return super()._side(runner, calls, db, overrides)
        finally:
            cache.clear()

    def _drf(self, call: Call) -> Outcome:
        if not self.enforce_csrf:
            return super()._drf(call)
        from rest_framework.test import APIClient

        client = APIClient(enforce_csrf_checks=True)
        kwargs: dict[str, Any] = {"headers": call.headers}
        if call.content_type is not None:
            kwargs["content_type"] = call.content_type
        elif call.data is not None and call.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
            kwargs["format"] = call.format
        response = getattr(client, call.method.lower())(call.path, call.data, **kwargs)
        return Outcome(response.status_code, _normalize_headers(response.headers.get), response.content)

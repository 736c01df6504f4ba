"""
``PolicyParity``: the compat harness with what policy tests need — an empty cache at the start of each side
(throttle histories live there) and, optionally, both test clients enforcing CSRF like a real browser-facing
server (DRF's APIClient and BoltClient skip the check by default).
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.cache import cache

from compat.harness import Call, Outcome, Parity, bolt_client

DRF_URLCONF = "tests.policies.drf_urls"
BOLT_URLCONF = "tests.policies.bolt_urls"


def _csrf_enforcing_api_client() -> type:
    from rest_framework.test import APIClient

    class CsrfAPIClient(APIClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["enforce_csrf_checks"] = True
            super().__init__(*args, **kwargs)

    return CsrfAPIClient


class PolicyParity(Parity):
    def __init__(self, settings: dict[str, Any] | None = None, enforce_csrf: bool = False) -> None:
        super().__init__(DRF_URLCONF, BOLT_URLCONF, settings)
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
        with mock.patch("rest_framework.test.APIClient", _csrf_enforcing_api_client()):
            return super()._drf(call)

    def _bolt(self, call: Call) -> Outcome:
        client = bolt_client(self.bolt_urlconf)
        previous = client.enforce_csrf_checks
        client.enforce_csrf_checks = self.enforce_csrf
        try:
            return super()._bolt(call)
        finally:
            client.enforce_csrf_checks = previous

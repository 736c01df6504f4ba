"""
``RecordRequestsMiddleware``: appends the requests a staging server receives to a JSONL file that
``manage.py bolt_parity`` replays. Add it to ``MIDDLEWARE`` (first, so it sees the request as the client sent it)
and set ``BOLT["PARITY_RECORD_FILE"]``; ``BOLT["PARITY_RECORD_PATHS"]`` (path prefixes, default ``["/api/"]``)
limits what is recorded. Cookies are not recorded (a replay has no session); ``Authorization`` is, so record on
staging with test credentials only.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from django_bolt.porting.parity import RecordedRequest
from django_bolt.settings import api_settings

_lock = threading.Lock()


def record(request: Any) -> None:
    """Append ``request`` (a Django ``HttpRequest``) to the record file, if it matches the recorded paths."""
    target = api_settings.PARITY_RECORD_FILE
    if not target or not any(request.path.startswith(p) for p in api_settings.PARITY_RECORD_PATHS):
        return
    headers = {name: value for name, value in request.headers.items() if name.lower() != "cookie"}
    entry = RecordedRequest(request.method, request.get_full_path(), headers, request.body)
    line = json.dumps(entry.to_json()) + "\n"
    with _lock, open(target, "a", encoding="utf-8") as file:
        file.write(line)


class RecordRequestsMiddleware:
    """Django middleware (sync and async) recording each request before passing it on."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        record(request)
        return self.get_response(request)

    async def __acall__(self, request: Any) -> Any:
        record(request)
        return await self.get_response(request)

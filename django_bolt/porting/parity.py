"""
Replaying the same requests against the DRF and the Bolt version of a project, and diffing the answers.

``manage.py bolt_parity requests.jsonl`` (or a HAR file) runs every request in process twice — through Django's
handler with ``ROOT_URLCONF`` (the DRF version) and through the Bolt engine with ``ROOT_BOLTCONF`` and the
fall-through (what runbolt serves) — each side from the same database state (a transaction rolled back after the
side), and reports every difference in status, compared headers and body. The repository's own parity suite
(``compat/harness.py``) diffs with ``differences()`` too.

A recorded request is one JSON object per line: ``method``, ``path`` (with its query string), ``headers`` (a
dict), and ``body`` (text) or ``body_base64``; ``django_bolt.porting.recorder`` writes such lines from a staging
server. Bodies are compared as JSON when both parse, after ``normalize(value, request)`` when given (for
timestamps, ids); otherwise byte for byte.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.test import override_settings

COMPARED_HEADERS = ("Allow", "Location", "WWW-Authenticate", "Retry-After", "Content-Type", "Vary")


@dataclass
class Outcome:
    """One answer: status, the compared headers, the body."""

    status: int
    headers: dict[str, str | None]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return self.body


def differences(
    drf: Outcome,
    bolt: Outcome,
    *,
    exact_bytes: bool = True,
    headers: Sequence[str] = COMPARED_HEADERS,
    status_only: bool = False,
    normalize: Callable[[Any], Any] | None = None,
) -> list[str]:
    """What differs between two answers to the same request, one line per difference."""
    diffs = []
    if drf.status != bolt.status:
        diffs.append(f"status: drf={drf.status} bolt={bolt.status}")
    if status_only:
        return diffs
    if exact_bytes and normalize is None:
        if drf.body != bolt.body:
            diffs.append(f"body:\n    drf : {drf.body!r}\n    bolt: {bolt.body!r}")
    else:
        left, right = drf.json(), bolt.json()
        if normalize is not None:
            left, right = normalize(left), normalize(right)
        if left != right:
            diffs.append(f"json:\n    drf : {left!r}\n    bolt: {right!r}")
    for name in headers:
        if drf.headers.get(name) != bolt.headers.get(name):
            diffs.append(f"header {name}: drf={drf.headers.get(name)!r} bolt={bolt.headers.get(name)!r}")
    return diffs


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordedRequest:
        body = base64.b64decode(data["body_base64"]) if "body_base64" in data else str(data.get("body", "")).encode()
        return cls(data["method"].upper(), data["path"], dict(data.get("headers") or {}), body)

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"method": self.method, "path": self.path, "headers": self.headers}
        try:
            record["body"] = self.body.decode()
        except UnicodeDecodeError:
            record["body_base64"] = base64.b64encode(self.body).decode()
        return record


def _from_har(entry: dict[str, Any]) -> RecordedRequest:
    request = entry["request"]
    url = urlsplit(request["url"])
    path = url.path + (f"?{url.query}" if url.query else "")
    headers = {h["name"]: h["value"] for h in request.get("headers", []) if not h["name"].startswith(":")}
    body = (request.get("postData") or {}).get("text", "").encode()
    return RecordedRequest(request["method"].upper(), path, headers, body)


def load_requests(path: str | Path) -> list[RecordedRequest]:
    """Requests from a JSONL file (one per line) or a HAR file (``.har``: its entries, in order)."""
    text = Path(path).read_text()
    if str(path).endswith(".har"):
        return [_from_har(entry) for entry in json.loads(text)["log"]["entries"]]
    return [RecordedRequest.from_json(json.loads(line)) for line in text.splitlines() if line.strip()]


_HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "cookie"}


def _split_headers(headers: dict[str, str]) -> tuple[dict[str, str], str | None]:
    kept = {k: v for k, v in headers.items() if k.lower() not in _HOP_HEADERS and k.lower() != "content-type"}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    return kept, content_type


def _drf_outcome(request: RecordedRequest, headers: Sequence[str]) -> Outcome:
    from django.test import Client

    kept, content_type = _split_headers(request.headers)
    kwargs: dict[str, Any] = {"headers": kept}
    if request.body or content_type:
        kwargs["content_type"] = content_type or ""
    response = Client().generic(request.method, request.path, request.body, **kwargs)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Outcome(response.status_code, {name: response.headers.get(name) for name in headers}, content)


def _bolt_outcome(client: Any, request: RecordedRequest, headers: Sequence[str]) -> Outcome:
    kept, content_type = _split_headers(request.headers)
    client.cookies.clear()
    body = request.body if (request.body or content_type) else None
    response = client.generic(request.method, request.path, body, content_type=content_type, headers=kept)
    return Outcome(response.status_code, {name: response.headers.get(name) for name in headers}, response.content)


@dataclass
class Result:
    request: RecordedRequest
    drf: Outcome
    bolt: Outcome
    differences: list[str]


def replay(
    requests: Iterable[RecordedRequest],
    *,
    drf_urlconf: str | None = None,
    bolt_urlconf: str | None = None,
    headers: Sequence[str] = COMPARED_HEADERS,
    normalize: Callable[[Any, RecordedRequest], Any] | None = None,
) -> list[Result]:
    """Each request on the DRF version, then on the Bolt version, from the same database state."""
    from django.conf import settings

    from django_bolt.test import BoltClient

    requests = list(requests)
    drf_conf = drf_urlconf or settings.ROOT_URLCONF
    with override_settings(ROOT_URLCONF=drf_conf), transaction.atomic():
        drf = [_drf_outcome(request, headers) for request in requests]
        transaction.set_rollback(True)
    boltconf = {"ROOT_BOLTCONF": bolt_urlconf} if bolt_urlconf else {}
    with override_settings(ROOT_URLCONF=drf_conf, **boltconf), transaction.atomic():
        client = BoltClient()
        bolt = [_bolt_outcome(client, request, headers) for request in requests]
        transaction.set_rollback(True)
    results = []
    for request, left, right in zip(requests, drf, bolt, strict=True):
        hook = None if normalize is None else (lambda value, request=request: normalize(value, request))
        results.append(Result(request, left, right, differences(left, right, headers=headers, normalize=hook)))
    return results


def render(results: list[Result]) -> str:
    lines = []
    for index, result in enumerate(results):
        if result.differences:
            lines.append(f"#{index} {result.request}:\n  " + "\n  ".join(result.differences))
    differing = sum(bool(r.differences) for r in results)
    lines.append(f"{len(results)} requests, {differing} with differences")
    return "\n".join(lines) + "\n"

"""
The parity harness: run the same requests against DRF (Django test client, ``compat.drf_urls``) and against
django_bolt (the engine's in-process test client, ``compat.bolt_urls``) and diff what came back.

Compared: status, the body (byte for byte by default, or as parsed JSON), the headers in ``COMPARED_HEADERS``,
and optionally a snapshot of the database after each side. Each side runs inside a transaction that is rolled
back afterwards, so both start from the same rows (and the same auto-increment ids).

    parity = Parity()
    parity.assert_same(Call("POST", "/books/", {"title": "Dune", "price": "9.50"}), db=books_snapshot)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import override_settings

from django_bolt.porting.parity import COMPARED_HEADERS, Outcome, differences

DRF_URLCONF = "compat.drf_urls"
BOLT_URLCONF = "compat.bolt_urls"


@dataclass
class Call:
    """
    One request. ``data`` is encoded with ``format`` (json by default) unless ``content_type`` is given; a
    callable ``data`` is called once per side (for file objects, which a first upload consumes).
    """

    method: str
    path: str
    data: Any = None
    format: str | None = "json"
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # False: compare parsed JSON instead of bytes (for bodies whose key order DRF leaves to set iteration).
    exact_bytes: bool = True
    # True for paths no route matches: Django answers its HTML 404 page, the engine DRF's JSON 404.
    status_only: bool = False
    # Headers not to compare for this call (e.g. where DRF's defaults include its browsable renderer).
    ignore_headers: tuple[str, ...] = ()
    # Log this user in (session cookie) before the request.
    login: str | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def payload(self) -> Any:
        return self.data() if callable(self.data) else self.data


@dataclass
class Pair:
    call: Call
    drf: Outcome
    bolt: Outcome

    def differences(self) -> list[str]:
        # The same comparison as `manage.py bolt_parity` (django_bolt.porting.parity).
        headers = [name for name in COMPARED_HEADERS if name not in self.call.ignore_headers]
        return differences(
            self.drf, self.bolt, exact_bytes=self.call.exact_bytes, headers=headers, status_only=self.call.status_only
        )


class ParityError(AssertionError):
    pass


def _normalize_headers(get: Callable[[str], str | None]) -> dict[str, str | None]:
    return {name: get(name) for name in COMPARED_HEADERS}


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


_bolt_clients: dict[str, Any] = {}


def bolt_client(urlconf: str = BOLT_URLCONF) -> Any:
    """A ``BoltClient`` for ``urlconf`` (the engine is compiled once per urlconf)."""
    from django_bolt.test import BoltClient

    if urlconf not in _bolt_clients:
        _bolt_clients[urlconf] = BoltClient(urlconf)
    client = _bolt_clients[urlconf]
    client.cookies.clear()
    client.force_authenticate(None)
    return client


class Parity:
    """Runs ``Call`` sequences on both implementations; ``assert_same`` raises with a readable diff."""

    def __init__(
        self,
        drf_urlconf: str = DRF_URLCONF,
        bolt_urlconf: str = BOLT_URLCONF,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.drf_urlconf = drf_urlconf
        self.bolt_urlconf = bolt_urlconf
        # Extra Django settings for both sides (e.g. REST_FRAMEWORK={"EXCEPTION_HANDLER": ...}).
        self.settings = settings or {}

    def _drf(self, call: Call) -> Outcome:
        from rest_framework.test import APIClient

        client = APIClient()
        if call.login:
            client.force_login(_user(call.login))
        kwargs: dict[str, Any] = {"headers": call.headers}
        if call.content_type is not None:
            kwargs["content_type"] = call.content_type
        elif call.data is not None and call.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
            kwargs["format"] = call.format
        if call.content_type == "":  # a body without Content-Type: only generic() sends one as it is
            response = client.generic(call.method, call.path, call.payload(), **kwargs)
        else:
            response = getattr(client, call.method.lower())(call.path, call.payload(), **kwargs)
        return Outcome(response.status_code, _normalize_headers(response.headers.get), response.content)

    def _bolt(self, call: Call) -> Outcome:
        client = bolt_client(self.bolt_urlconf)
        if call.login:
            client.force_login(_user(call.login))
        kwargs: dict[str, Any] = {"headers": call.headers}
        if call.content_type is not None:
            kwargs["content_type"] = call.content_type
        elif call.data is not None and call.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
            kwargs["format"] = call.format
        handler = getattr(client, call.method.lower())
        response = handler(call.path, call.payload(), **kwargs)
        return Outcome(response.status_code, _normalize_headers(response.headers.get), response.content)

    def _side(
        self, runner: Callable[[Call], Outcome], calls: Sequence[Call], db: Callable[[], Any] | None, overrides: dict
    ) -> tuple[list[Outcome], list[Any]]:
        outcomes, snapshots = [], []
        with override_settings(**self.settings, **overrides), transaction.atomic():
            for call in calls:
                outcomes.append(runner(call))
                snapshots.append(db() if db else None)
            transaction.set_rollback(True)
        return outcomes, snapshots

    def run(self, *calls: Call, db: Callable[[], Any] | None = None) -> tuple[list[Pair], list[str]]:
        """Run ``calls`` on DRF, then on bolt (each from the same DB state); return the pairs and DB diffs."""
        drf, drf_db = self._side(self._drf, calls, db, {"ROOT_URLCONF": self.drf_urlconf})
        bolt, bolt_db = self._side(self._bolt, calls, db, {"ROOT_BOLTCONF": self.bolt_urlconf})
        pairs = [Pair(call, d, b) for call, d, b in zip(calls, drf, bolt, strict=True)]
        db_diffs = [
            f"database after {call}:\n    drf : {d!r}\n    bolt: {b!r}"
            for call, d, b in zip(calls, drf_db, bolt_db, strict=True)
            if d != b
        ]
        return pairs, db_diffs

    def assert_same(self, *calls: Call, db: Callable[[], Any] | None = None) -> list[Pair]:
        """Raise ``ParityError`` listing every difference, request by request."""
        pairs, db_diffs = self.run(*calls, db=db)
        report = []
        for index, pair in enumerate(pairs):
            diffs = pair.differences()
            if diffs:
                report.append(f"#{index} {pair.call}:\n  " + "\n  ".join(diffs))
        report.extend(db_diffs)
        if report:
            raise ParityError("DRF and django_bolt differ:\n" + "\n".join(report))
        return pairs

"""The test client: requests run through the engine's own Rust pipeline, in process, without a socket.

`BoltClient` mirrors DRF's `APIClient` (`get`/`post`/… with `format=`, `credentials()`, `force_authenticate()`,
`login()`/`force_login()`), and `APITestCase`, `APITransactionTestCase`, `APISimpleTestCase` and
`URLPatternsTestCase` mirror DRF's test cases, so API tests written for DRF port over by changing the import.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.cookies import SimpleCookie
from importlib import import_module
from types import ModuleType
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils.encoding import iri_to_uri
from django.utils.http import parse_header_parameters

from django_bolt._engine import Engine, TestTransport
from django_bolt.conf import build_engine
from django_bolt.settings import api_settings
from django_bolt.sync import inline_sync


@contextmanager
def _keep_test_connections() -> Iterator[None]:
    """As Django's test client does: the request signals must not close the test's database connection (a
    request that falls through to Django sends them)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class Headers(Mapping[str, str]):
    """Case-insensitive response headers; repeated headers are joined with ', '."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._map: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            self._names.setdefault(key, name)
            self._map[key] = f"{self._map[key]}, {value}" if key in self._map else value

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._map)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key.lower() == name.lower()]

    def __repr__(self) -> str:
        return f"Headers({self.pairs!r})"


class TestResponse:
    """What the engine answered: `status_code`, `headers`, `content`, plus `json()`/`data` for JSON bodies."""

    __test__ = False  # not a pytest test class
    # Django's assertContains/assertRedirects read these.
    streaming = False

    def __init__(self, status: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = status
        self.headers = Headers(headers)
        self.content = content
        self.client: BoltClient | None = None
        self.request: dict[str, str] = {}

    @property
    def charset(self) -> str:
        _, params = parse_header_parameters(self.headers.get("Content-Type", ""))
        return params.get("charset") or settings.DEFAULT_CHARSET

    @property
    def url(self) -> str | None:
        """The ``Location`` of a redirect (Django's ``HttpResponseRedirect.url``)."""
        return self.headers.get("Location")

    def __getitem__(self, name: str) -> str:
        return self.headers[name]

    def __contains__(self, name: str) -> bool:
        return name in self.headers

    def has_header(self, name: str) -> bool:
        return name in self.headers

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    @property
    def text(self) -> str:
        return self.content.decode()

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def data(self) -> Any:
        """The decoded JSON body (DRF's test responses carry `.data`); None for an empty body."""
        return self.json() if self.content else None

    def __repr__(self) -> str:
        return f"<TestResponse {self.status_code} {self.headers.get('Content-Type', '')}>"


class BoltClient:
    """Drive the engine in process. `urlconf` defaults to `settings.ROOT_BOLTCONF`."""

    def __init__(
        self,
        urlconf: str | Any | None = None,
        *,
        engine: Engine | None = None,
        host: str = "testserver",
        enforce_csrf_checks: bool = False,
        client: tuple[str, int] = ("127.0.0.1", 50000),
        **defaults: str,
    ) -> None:
        self.engine = engine or build_engine(urlconf)
        self.transport = TestTransport(self.engine)
        self.host = host
        self.enforce_csrf_checks = enforce_csrf_checks
        self.client_address = client
        self.defaults: dict[str, str] = dict(defaults)
        self.cookies: SimpleCookie = SimpleCookie()
        self._credentials: dict[str, str] = {}
        self._forced: tuple[Any, Any] | None = None
        self.default_format = api_settings.TEST_REQUEST_DEFAULT_FORMAT

    # Django's Client.extra/.headers: assertRedirects passes them back to get(). This client applies its defaults
    # to every request itself, so there is nothing extra to pass.
    @property
    def extra(self) -> dict[str, str]:
        return {}

    @property
    def headers(self) -> dict[str, str]:
        return {}

    # -- authentication helpers (DRF's APIClient API) --
    def credentials(self, **kwargs: str) -> None:
        """Headers for every later request, given as META keys (`HTTP_AUTHORIZATION="Token abc"`) or names."""
        self._credentials = dict(kwargs)

    def force_authenticate(self, user: Any = None, token: Any = None) -> None:
        self._forced = (user, token) if (user is not None or token is not None) else None

    def force_login(self, user: Any, backend: str | None = None) -> None:
        from django.contrib.auth import login
        from django.http import HttpRequest

        engine = import_module(settings.SESSION_ENGINE)
        request = HttpRequest()
        request.session = engine.SessionStore()
        login(request, user, backend or settings.AUTHENTICATION_BACKENDS[0])
        request.session.save()
        self.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key

    def login(self, **credentials: Any) -> bool:
        from django.contrib.auth import authenticate

        user = authenticate(**credentials)
        if user is None:
            return False
        self.force_login(user)
        return True

    def logout(self) -> None:
        self.cookies = SimpleCookie()
        self._forced = None

    # -- requests --
    def _encode(self, data: Any, format: str | None, content_type: str | None) -> tuple[bytes, str | None]:
        if data is None:
            return b"", content_type
        if content_type is not None:
            return (data.encode() if isinstance(data, str) else bytes(data)), content_type
        fmt = format or self.default_format
        if fmt == "json":
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), "application/json"
        if fmt == "multipart":
            return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
        raise ValueError(f"Unknown test request format {fmt!r}; use 'json', 'multipart' or content_type=.")

    def _header_pairs(self, extra: Mapping[str, str]) -> list[tuple[str, str]]:
        merged = {**self.defaults, **self._credentials, **extra}
        pairs = []
        for key, value in merged.items():
            if key.startswith("HTTP_"):
                key = key[5:].replace("_", "-").title()
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = key.replace("_", "-").title()
            pairs.append((key, str(value)))
        if not any(name.lower() == "host" for name, _ in pairs):
            pairs.insert(0, ("Host", self.host))
        if self.cookies:
            pairs.append(("Cookie", "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())))
        return pairs

    def _attributes(self) -> dict[str, Any]:
        """What the client writes onto the request it sends (``RawRequest.attributes``): CSRF checks off unless
        asked, as DRF's APIClient does, and ``force_authenticate``'s user and token. Production code reads only the
        request; nothing here is global state."""
        attributes: dict[str, Any] = {"_dont_enforce_csrf_checks": not self.enforce_csrf_checks}
        if self._forced is not None:
            attributes["_force_auth_user"], attributes["_force_auth_token"] = self._forced
        return attributes

    def generic(
        self,
        method: str,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        secure: bool = False,
        **extra: str,
    ) -> TestResponse:
        if secure:  # Django's test client flag: over the engine, HTTPS is what SECURE_PROXY_SSL_HEADER says
            if not settings.SECURE_PROXY_SSL_HEADER:
                raise ValueError(
                    "BoltClient(secure=True) needs settings.SECURE_PROXY_SSL_HEADER (the engine serves http)"
                )
            meta_key, value = settings.SECURE_PROXY_SSL_HEADER
            extra = {**extra, meta_key: value}
        parts = urlsplit(iri_to_uri(path))
        target = parts.path or "/"
        query_string = parts.query
        if method in ("GET", "HEAD", "DELETE", "OPTIONS") and isinstance(data, Mapping) and content_type is None:
            query_string = "&".join(q for q in (query_string, urlencode(data, doseq=True)) if q)
            data = None
        if query:
            query_string = "&".join(q for q in (query_string, urlencode(query, doseq=True)) if q)
        if query_string:
            target = f"{target}?{query_string}"
        body, ctype = self._encode(data, format, content_type)
        pairs = self._header_pairs({**extra, **(headers or {})})
        if ctype and not any(k.lower() == "content-type" for k, _ in pairs):
            pairs.append(("Content-Type", ctype))
        with inline_sync(), _keep_test_connections():
            status, response_headers, content = self.transport.request(
                method.upper(), target, pairs, body, self.client_address, self._attributes()
            )
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        response = TestResponse(status, response_headers, content)
        response.client = self
        response.request = {
            "PATH_INFO": parts.path or "/",
            "REQUEST_METHOD": method.upper(),
            "QUERY_STRING": query_string,
        }
        return response

    def get(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("GET", path, data, **kwargs)

    def head(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("HEAD", path, data, **kwargs)

    def options(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("OPTIONS", path, data, **kwargs)

    def delete(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("DELETE", path, data, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("POST", path, data, **kwargs)

    def put(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("PUT", path, data, **kwargs)

    def patch(self, path: str, data: Any = None, **kwargs: Any) -> TestResponse:
        return self.generic("PATCH", path, data, **kwargs)

    def websocket_connect(
        self,
        path: str,
        subprotocols: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: str,
    ) -> WebSocketSession:
        """Open a WebSocket in process, through the same pipeline (handshake checks, policy, ``connect``).

        Use it as a context manager; a refused handshake raises ``WebSocketRejected`` carrying the HTTP response.
        """
        handshake = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        }
        if subprotocols:
            handshake["Sec-WebSocket-Protocol"] = ", ".join(subprotocols)
        pairs = self._header_pairs({**handshake, **extra, **(headers or {})})
        with inline_sync(), _keep_test_connections():
            socket = self.transport.websocket(iri_to_uri(path), pairs, self.client_address, self._attributes())
        if socket.status != 101:
            response = TestResponse(socket.status, socket.headers, socket.read_body())
            response.client = self
            raise WebSocketRejected(response)
        return WebSocketSession(socket)


APIClient = BoltClient


class WebSocketRejected(Exception):
    """The server refused the handshake; ``response`` is its HTTP answer (status, headers, DRF error body)."""

    def __init__(self, response: TestResponse) -> None:
        super().__init__(f"WebSocket handshake refused: {response.status_code}")
        self.response = response


class WebSocketClosed(Exception):
    """The server closed the connection: ``code`` and ``reason`` of its Close frame (1006 if it sent none)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"WebSocket closed: {code} {reason}".rstrip())
        self.code = code
        self.reason = reason


_TEXT, _BINARY, _CLOSE, _PING, _PONG, _ENDED = 1, 2, 8, 9, 10, -1


class WebSocketSession:
    """The client side of an accepted in-process WebSocket (``BoltClient.websocket_connect``)."""

    def __init__(self, socket: Any, timeout: float = 5.0) -> None:
        self._socket = socket
        self.timeout = timeout
        self.headers = Headers(socket.headers)
        self.accepted_subprotocol: str | None = self.headers.get("Sec-WebSocket-Protocol")
        self.close_code: int | None = None

    def __enter__(self) -> WebSocketSession:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.close_code is None:
            self.close()

    def send_text(self, text: str) -> None:
        self._socket.send_frame(_TEXT, text.encode())

    def send_bytes(self, data: bytes) -> None:
        self._socket.send_frame(_BINARY, data)

    def send_json(self, content: Any) -> None:
        self.send_text(json.dumps(content, separators=(",", ":")))

    def send_frame(self, opcode: int, data: bytes, fin: bool = True) -> None:
        """One raw frame (fragments, control frames), masked as a browser's."""
        self._socket.send_frame(opcode, data, fin)

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: malformed frames for tests of bad input."""
        self._socket.send_raw(data)

    def receive(self, timeout: float | None = None) -> str | bytes:
        """The next message, text as str, binary as bytes; pings are answered. Raises ``WebSocketClosed`` when
        the server closes, ``TimeoutError`` when nothing comes within ``timeout`` seconds."""
        while True:
            with inline_sync(), _keep_test_connections():
                frame = self._socket.receive_frame(self.timeout if timeout is None else timeout)
            if frame is None:
                raise TimeoutError("no WebSocket message from the server")
            opcode, payload = frame
            if opcode == _TEXT:
                return payload.decode()
            if opcode == _BINARY:
                return payload
            if opcode == _PING:
                self._socket.send_frame(_PONG, payload)
            elif opcode in (_CLOSE, _ENDED):
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1006
                if self.close_code is None and opcode == _CLOSE:
                    self._reply_close(payload[:2])
                self.close_code = code
                self._drain()
                raise WebSocketClosed(code, payload[2:].decode(errors="replace"))

    def receive_text(self, timeout: float | None = None) -> str:
        message = self.receive(timeout)
        assert isinstance(message, str), f"expected a text message, got {message!r}"
        return message

    def receive_bytes(self, timeout: float | None = None) -> bytes:
        message = self.receive(timeout)
        assert isinstance(message, bytes), f"expected a binary message, got {message!r}"
        return message

    def receive_json(self, timeout: float | None = None) -> Any:
        return json.loads(self.receive_text(timeout))

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Send a Close and wait for the server's (its consumer's ``disconnect`` has then run)."""
        self._reply_close(code.to_bytes(2, "big") + reason.encode())
        self.close_code = code
        try:
            while True:
                with inline_sync(), _keep_test_connections():
                    frame = self._socket.receive_frame(self.timeout)
                if frame is None or frame[0] in (_CLOSE, _ENDED):
                    break
        finally:
            self._socket.drop_connection()
        self._drain()

    def _reply_close(self, payload: bytes) -> None:
        # The server may have stopped reading (after a protocol error): then there is nothing to answer.
        with contextlib.suppress(ValueError):
            self._socket.send_frame(_CLOSE, payload)

    def _drain(self) -> None:
        """Run the server side until the connection has ended there too (``disconnect`` finished)."""
        with inline_sync(), _keep_test_connections():
            frame = self._socket.receive_frame(self.timeout)
            while frame is not None and frame[0] != _ENDED:
                frame = self._socket.receive_frame(self.timeout)


class APISimpleTestCase(SimpleTestCase):
    """DRF's ``APISimpleTestCase``: ``self.client`` is a ``BoltClient`` (the engine, in process)."""

    client_class = BoltClient


class APITransactionTestCase(TransactionTestCase):
    """DRF's ``APITransactionTestCase`` with a ``BoltClient``."""

    client_class = BoltClient


class APITestCase(TestCase):
    """DRF's ``APITestCase`` with a ``BoltClient``: each test in a transaction the Bolt views' ORM work sees."""

    client_class = BoltClient


class URLPatternsTestCase(SimpleTestCase):
    """
    DRF's ``URLPatternsTestCase`` for Bolt routes: the class's ``urlpatterns`` become ``ROOT_BOLTCONF`` (what the
    engine serves and ``reverse()`` resolves) while its tests run.

        class BookTests(URLPatternsTestCase):
            urlpatterns = [path("books/", BookViewSet.as_view({"get": "list"}))]
    """

    urlpatterns: list = []

    @classmethod
    def setUpClass(cls) -> None:
        name = f"{cls.__module__}.{cls.__qualname__}.bolt_urls"
        module = ModuleType(name)
        module.urlpatterns = list(cls.urlpatterns)  # type: ignore[attr-defined]
        sys.modules[name] = module
        override = override_settings(ROOT_BOLTCONF=name)
        override.enable()
        cls.addClassCleanup(override.disable)
        cls.addClassCleanup(sys.modules.pop, name, None)
        super().setUpClass()


def __getattr__(name: str) -> Any:
    """``APIRequestFactory`` and ``force_authenticate``: DRF's, whose requests Bolt views accept
    (``await view(factory.get("/books/"))``, or ``async_to_sync(view)(request)`` in a sync test)."""
    if name in ("APIRequestFactory", "force_authenticate"):
        from rest_framework import test as drf_test

        return getattr(drf_test, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

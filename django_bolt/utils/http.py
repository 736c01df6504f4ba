"""Helpers of ``django_bolt.request``: the header mapping, the WSGI-style ``META`` and the Django request twin."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from django_bolt._engine import RawRequest


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive mapping over the engine's header dict (whose names are lower-case)."""

    __slots__ = ("_headers",)

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = headers

    def __getitem__(self, key: str) -> str:
        return self._headers[key.lower()]

    def get(self, key: str, default: Any = None) -> Any:
        return self._headers.get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._headers

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def __len__(self) -> int:
        return len(self._headers)

    def __repr__(self) -> str:
        return f"Headers({self._headers!r})"


def build_meta(raw: Any) -> dict[str, Any]:
    """A WSGI environ equivalent of the raw request (``HTTP_*`` keys, ``CONTENT_TYPE``, ``REMOTE_ADDR``…)."""
    server = raw.server or ("testserver", 80)
    meta: dict[str, Any] = {
        "REQUEST_METHOD": raw.method,
        "PATH_INFO": raw.path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": raw.query_string,
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": raw.scheme,
    }
    client = raw.client
    if client is not None:
        meta["REMOTE_ADDR"], meta["REMOTE_PORT"] = client[0], str(client[1])
    for name, value in raw.headers.items():
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        meta[key] = value
    return meta


class _DjangoRequest(HttpRequest):
    """A Django request built from an engine request; the scheme comes from the engine, as WSGI's does."""

    def _get_scheme(self) -> str:
        return self.META.get("wsgi.url_scheme", "http")


def absolute_uri(request: Any) -> str:
    """
    ``request.build_absolute_uri()`` by Django's own method, on a request holding only what it reads for the
    request's own URL (``path`` and ``META``: scheme, host and its ``ALLOWED_HOSTS`` check, query string). The
    paginators ask for it on every page; building the whole Django request costs ~13 µs more.

    The ``scheme://host`` part (``_current_scheme_host``: the proxy headers, the host and its check against the
    settings) is remembered by the values it reads, so most requests build neither ``META`` nor that part; a
    request whose ``META`` was built (and may have been edited) is answered from it.
    """
    raw = request.raw
    bare = _DjangoRequest.__new__(_DjangoRequest)
    bare.path = raw.path
    key = None if "META" in request.__dict__ or type(raw) is not RawRequest else _scheme_host_key(raw)
    scheme_host = _scheme_hosts.get(key) if key is not None else None
    if scheme_host is None:
        bare.META = request.META
        if key is not None:
            scheme_host = bare._current_scheme_host  # DisallowedHost, as Django raises it, is not remembered
            if len(_scheme_hosts) >= _SCHEME_HOSTS_MAX:
                _scheme_hosts.clear()
            _scheme_hosts[key] = scheme_host
    else:
        bare.META = {"QUERY_STRING": raw.query_string}  # all get_full_path reads once the host part is known
        bare.__dict__["_current_scheme_host"] = scheme_host
    return bare.build_absolute_uri()


_scheme_hosts: dict[tuple, str] = {}
_SCHEME_HOSTS_MAX = 256


def _scheme_host_key(raw: Any) -> tuple | None:
    """Everything ``_current_scheme_host`` reads — the settings and the ``META`` values — or ``None`` when the
    proxy header setting names a key that is not a request header."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    proxy_value = None
    if proxy:
        name = proxy[0] if isinstance(proxy, tuple | list) and len(proxy) == 2 else None
        if not isinstance(name, str) or not name.startswith("HTTP_"):
            return None
        proxy_value = raw.header(name[5:].lower().replace("_", "-"))
        proxy = tuple(proxy)
    return (
        settings.DEBUG,
        tuple(settings.ALLOWED_HOSTS),
        settings.USE_X_FORWARDED_HOST,
        settings.USE_X_FORWARDED_PORT,
        proxy,
        raw.scheme,
        raw.server,
        raw.header("host"),
        raw.header("x-forwarded-host"),
        raw.header("x-forwarded-port"),
        proxy_value,
    )


def _test_client_skips_csrf(raw: Any) -> bool:
    # Like DRF's APIClient, the test client disables CSRF checks unless asked (enforce_csrf_checks=True); it says
    # so on the request it sends.
    attributes = getattr(raw, "attributes", None)
    return bool(attributes and attributes.get("_dont_enforce_csrf_checks"))


def build_django_request(request: Any) -> HttpRequest:
    """The Django ``HttpRequest`` equivalent of a bolt ``Request`` (shares its META, GET, cookies, session)."""
    raw = request.raw
    django_request = _DjangoRequest()
    django_request.method = request.method
    django_request.path = django_request.path_info = raw.path
    django_request.META = request.META
    django_request.GET = request.query_params
    django_request.COOKIES = request.COOKIES
    body = raw.body
    django_request._stream = io.BytesIO(body)
    django_request._read_started = False
    django_request._body = body
    django_request._set_content_type_params(django_request.META)
    if getattr(raw, "_dont_enforce_csrf_checks", False) or _test_client_skips_csrf(raw):
        django_request._dont_enforce_csrf_checks = True
    # Like SessionMiddleware: the store is only created (and read) when used.
    django_request.session = SimpleLazyObject(lambda: request.session)
    if "_user" in request.__dict__:
        django_request.user = request._user
        django_request.auth = request.__dict__.get("_auth")
    elif "django.contrib.auth" in settings.INSTALLED_APPS:
        # What AuthenticationMiddleware provides: the session's user, loaded on first use.
        from django.contrib.auth import get_user

        django_request.user = SimpleLazyObject(lambda: get_user(django_request))
    return django_request

"""
The request object handed to views: DRF's ``Request`` API over the engine's ``RawRequest``.

The engine has already split method, path, headers and body in Rust; everything richer — ``query_params``,
``data``, ``META``, ``COOKIES``, the session, a Django ``HttpRequest`` for code written against Django — is
built only when a view asks for it.

Authentication is lazy as in DRF (``request.user``), with an awaitable form, ``await request.auser()``, that the
view pipeline uses: asynchronous authenticators (``aauthenticate`` or ``async def authenticate``) are awaited,
synchronous ones run in the sync bridge (they usually read the database or hash passwords).
"""

from __future__ import annotations

import codecs
import inspect
import io
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import load_handler
from django.http import HttpRequest, QueryDict
from django.http.cookie import parse_cookie
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property
from django.utils.http import parse_header_parameters

from django_bolt import exceptions
from django_bolt._engine import RawRequest
from django_bolt.settings import api_settings
from django_bolt.sync import run_sync
from django_bolt.utils.http import Headers, absolute_uri, build_django_request, build_meta
from django_bolt.utils.mediatypes import is_form_media_type


class ForcedAuthentication:
    """The authenticator used when a test forces the user/token (``client.force_authenticate``)."""

    def __init__(self, force_user: Any, force_token: Any) -> None:
        self.force_user = force_user
        self.force_token = force_token

    def authenticate(self, request: Request) -> tuple[Any, Any]:
        return (self.force_user, self.force_token)

    async def aauthenticate(self, request: Request) -> tuple[Any, Any]:
        return (self.force_user, self.force_token)


def _is_async_authenticator(authenticator: Any) -> bool:
    return hasattr(authenticator, "aauthenticate") or inspect.iscoroutinefunction(authenticator.authenticate)


async def _run_authenticator(authenticator: Any, request: Request) -> Any:
    """Await an async authenticator; run a sync one in the bridge (it may touch the database)."""
    aauthenticate = getattr(authenticator, "aauthenticate", None)
    if aauthenticate is not None:
        return await aauthenticate(request)
    authenticate = authenticator.authenticate
    if inspect.iscoroutinefunction(authenticate):
        return await authenticate(request)
    result = await run_sync(authenticate, request)
    if inspect.isawaitable(result):
        result = await result
    return result


def _forced_auth(raw: Any) -> tuple[Any, Any]:
    """``(user, token)`` forced by the test client (``force_authenticate``) for this request, if any."""
    if type(raw) is RawRequest:
        # The test client writes them onto the request it sends; a server's requests carry no attributes.
        attributes = raw.attributes
        if not attributes:
            return None, None
        return attributes.get("_force_auth_user"), attributes.get("_force_auth_token")
    return getattr(raw, "_force_auth_user", None), getattr(raw, "_force_auth_token", None)


def clone_request(request: Request, method: str) -> Request:
    """A copy of ``request`` with another method (the OPTIONS metadata simulates PUT/POST with it)."""
    ret = Request(
        request._raw,
        parsers=request.parsers,
        authenticators=request.authenticators,
        negotiator=request.negotiator,
        parser_context=request.parser_context,
    )
    ret.method = method
    for attr in ("_data", "_files", "_full_data", "_user", "_auth", "_authenticator"):
        if attr in request.__dict__:
            ret.__dict__[attr] = request.__dict__[attr]
    for attr in ("accepted_renderer", "accepted_media_type", "version", "versioning_scheme"):
        if hasattr(request, attr):
            setattr(ret, attr, getattr(request, attr))
    return ret


class Request:
    """
    DRF's ``Request``: ``data``, ``query_params``, ``user``, ``auth``, ``method``, ``headers``, ``META``…

    ``Request(raw)`` alone is valid (the engine adapter builds it); the view then attaches its parsers,
    authenticators and negotiator with ``configure``. Attributes not found here are looked up on an
    equivalent Django ``HttpRequest`` (``request._request``), as DRF proxies to the wrapped request.
    """

    # Until ``configure`` (or the pipeline) sets them; a test client's forced user/token is set per request.
    parsers: Any = ()
    authenticators: Any = ()
    negotiator: Any = None
    _force_auth_user: Any = None
    _force_auth_token: Any = None

    def __init__(
        self,
        raw: Any,
        parsers: Any = None,
        authenticators: Any = None,
        negotiator: Any = None,
        parser_context: dict | None = None,
    ) -> None:
        self._raw = raw
        self.method: str = raw.method
        self.path: str = raw.path
        if type(raw) is not RawRequest or raw.attributes:  # a server's requests carry no attributes
            self._force_auth_user, self._force_auth_token = _forced_auth(raw)
            forced = self._force_auth_user is not None or self._force_auth_token is not None
        else:
            forced = False
        if parsers or authenticators or negotiator or parser_context is not None or forced:
            self.configure(parsers, authenticators, negotiator, parser_context)

    def configure(
        self,
        parsers: Any = None,
        authenticators: Any = None,
        negotiator: Any = None,
        parser_context: dict | None = None,
    ) -> Request:
        """Attach the view's policies (DRF passes them to the constructor; here the request already exists)."""
        self.parsers = parsers or ()
        self.authenticators = authenticators or ()
        self.negotiator = negotiator
        self.parser_context = parser_context if parser_context is not None else {}
        self.parser_context["request"] = self
        self.parser_context["encoding"] = self.encoding or settings.DEFAULT_CHARSET
        if self._force_auth_user is not None or self._force_auth_token is not None:
            self.authenticators = (ForcedAuthentication(self._force_auth_user, self._force_auth_token),)
        return self

    @cached_property
    def parser_context(self) -> dict:
        """What the parsers get besides the body; ``{"request": self}`` until a view sets its own (DRF's
        ``get_parser_context``). Made when first read: a request that never reads it never refers to itself."""
        return {"request": self}

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}: {self.method} {self.get_full_path()!r}>"

    def __class_getitem__(cls, *args: Any) -> type:
        return cls

    @property
    def raw(self) -> Any:
        """The engine's ``RawRequest``."""
        return self._raw

    # -- request line and headers ------------------------------------------------------------------------

    @cached_property
    def query_params(self) -> QueryDict:
        if not self._raw.query_string:
            return QueryDict()
        # The QueryDict Django would build, its lists grouped first (appendlist per pair costs ~4 µs a request).
        grouped: dict[str, list[str]] = {}
        for key, value in self._raw.query_items():
            values = grouped.get(key)
            if values is None:
                grouped[key] = [value]
            else:
                values.append(value)
        query = QueryDict.__new__(QueryDict)
        dict.update(query, grouped)
        query.encoding = settings.DEFAULT_CHARSET
        query._mutable = False
        return query

    @property
    def GET(self) -> QueryDict:  # noqa: N802 - Django's name
        return self.query_params

    @cached_property
    def headers(self) -> Headers:
        """Case-insensitive view of the request headers (``request.headers["Authorization"]``)."""
        return Headers(self._raw.headers)

    @cached_property
    def META(self) -> dict[str, Any]:  # noqa: N802 - Django's name
        """A WSGI-style environ, for code written against Django's ``HttpRequest.META``."""
        return build_meta(self._raw)

    @cached_property
    def COOKIES(self) -> dict[str, str]:  # noqa: N802 - Django's name
        return parse_cookie(self._raw.header("cookie") or "")

    @property
    def content_type(self) -> str:
        return self._raw.header("content-type") or ""

    @cached_property
    def encoding(self) -> str | None:
        """The charset named in ``Content-Type``, if any (``None`` means ``DEFAULT_CHARSET``)."""
        content_type = self._raw.header("content-type")
        if not content_type or "charset" not in content_type.lower():
            return None
        charset = parse_header_parameters(content_type)[1].get("charset")
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return None
        return charset or None

    @property
    def body(self) -> bytes:
        return self._raw.body

    @property
    def stream(self) -> io.BytesIO | None:
        """The body as a file-like object, or ``None`` when the request has no body."""
        body = self._raw.body
        return io.BytesIO(body) if body else None

    @property
    def scheme(self) -> str:
        return self._raw.scheme

    def is_secure(self) -> bool:
        return self._request.is_secure()

    def get_host(self) -> str:
        return self._request.get_host()

    def get_port(self) -> str:
        return self._request.get_port()

    def get_full_path(self, force_append_slash: bool = False) -> str:
        return self._request.get_full_path(force_append_slash)

    def build_absolute_uri(self, location: str | None = None) -> str:
        if location is not None:
            return self._request.build_absolute_uri(location)
        # The request's own URI does not change: paginators ask for it once per link.
        uri = self.__dict__.get("_absolute_uri")
        if uri is None:
            built = self.__dict__.get("_request")
            uri = built.build_absolute_uri() if built is not None else absolute_uri(self)
            self.__dict__["_absolute_uri"] = uri
        return uri

    @cached_property
    def resolver_match(self) -> Any:
        """The match of this path in ``ROOT_BOLTCONF`` (computed on demand: the engine routed in Rust)."""
        from django.urls import Resolver404, resolve

        urlconf = getattr(settings, "ROOT_BOLTCONF", None)
        try:
            return resolve(self.path, urlconf=urlconf) if urlconf else None
        except Resolver404:
            return None

    # -- Django interop --------------------------------------------------------------------------------

    @cached_property
    def _request(self) -> HttpRequest:
        """An equivalent Django ``HttpRequest``, for Django code (CSRF checks, ``login()``, forms…)."""
        return build_django_request(self)

    @cached_property
    def session(self) -> Any:
        """The Django session named by the session cookie (loaded lazily by the store itself)."""
        engine = import_module(settings.SESSION_ENGINE)
        return engine.SessionStore(self.COOKIES.get(settings.SESSION_COOKIE_NAME))

    @cached_property
    def upload_handlers(self) -> list[Any]:
        return [load_handler(handler, self._request) for handler in settings.FILE_UPLOAD_HANDLERS]

    def __getattr__(self, attr: str) -> Any:
        # Only reached for attributes this class lacks: look them up on the Django request, like DRF.
        if attr.startswith("__") or attr in _NOT_PROXIED:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")
        try:
            return getattr(self.__getattribute__("_request"), attr)
        except AttributeError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")

    # -- body ------------------------------------------------------------------------------------------

    @property
    def data(self) -> Any:
        if "_full_data" not in self.__dict__:
            self._load_data_and_files()
        return self._full_data

    @property
    def POST(self) -> Any:  # noqa: N802 - Django's name
        if "_data" not in self.__dict__:
            self._load_data_and_files()
        if is_form_media_type(self.content_type):
            return self._data
        return QueryDict("", encoding=self.parser_context.get("encoding"))

    @property
    def FILES(self) -> MultiValueDict:  # noqa: N802 - Django's name
        if "_files" not in self.__dict__:
            self._load_data_and_files()
        return self._files

    def _load_data_and_files(self) -> None:
        if "_data" not in self.__dict__:
            self._data, self._files = self._parse()
            if self._files:
                self._full_data = self._data.copy()
                self._full_data.update(self._files)
            else:
                self._full_data = self._data
            if is_form_media_type(self.content_type) and "_request" in self.__dict__:
                # Django code reading request.POST sees the parsed form too.
                self._request._post, self._request._files = self.POST, self.FILES

    def _parse(self) -> tuple[Any, Any]:
        """Parse the body with the parser matching ``Content-Type``; raises 415 or 400 like DRF."""
        media_type = self.content_type
        stream = self.stream
        # As DRF: a body without a Content-Type is not "no body" — no parser matches "", so it is a 415.
        if stream is None:
            if media_type and is_form_media_type(media_type):
                empty_data: Any = QueryDict("", encoding=self.parser_context.get("encoding"))
            else:
                empty_data = {}
            return empty_data, MultiValueDict()
        negotiator = self.negotiator or api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS()
        parser = negotiator.select_parser(self, self.parsers)
        if not parser:
            raise exceptions.UnsupportedMediaType(media_type)
        # After its response the request no longer refers to itself from there (finish.release).
        self.parser_context.setdefault("request", self)
        try:
            parsed = parser.parse(stream, media_type, self.parser_context)
        except Exception as exc:
            # A failed parse leaves empty data behind, so an error response can still read request.data.
            self._data = QueryDict("", encoding=self.parser_context.get("encoding"))
            self._files = MultiValueDict()
            self._full_data = self._data
            if isinstance(exc, SuspiciousOperation):
                # Too many fields or files (DATA_UPLOAD_MAX_NUMBER_FIELDS/FILES): Django answers 400, so do we.
                raise exceptions.ParseError(str(exc)) from exc
            raise
        if hasattr(parsed, "files") and hasattr(parsed, "data"):
            return parsed.data, parsed.files
        return parsed, MultiValueDict()

    # -- authentication --------------------------------------------------------------------------------

    @property
    def user(self) -> Any:
        """The authenticated user (``AnonymousUser`` if none). Prefer ``await request.auser()`` in async code."""
        if "_user" not in self.__dict__:
            self._authenticate()
        return self._user

    @user.setter
    def user(self, value: Any) -> None:
        self._user = value
        if "_request" in self.__dict__:
            # Django code (login(), templates) reads the user from the Django request.
            self._request.user = value

    @property
    def auth(self) -> Any:
        """Non-user authentication data, e.g. the token."""
        if "_auth" not in self.__dict__:
            self._authenticate()
        return self._auth

    @auth.setter
    def auth(self, value: Any) -> None:
        self._auth = value
        if "_request" in self.__dict__:
            self._request.auth = value

    @property
    def successful_authenticator(self) -> Any:
        """The authenticator instance that authenticated the request, or ``None``."""
        if "_authenticator" not in self.__dict__:
            self._authenticate()
        return self._authenticator

    async def auser(self) -> Any:
        """Authenticate (once) without blocking the event loop; returns ``request.user``."""
        if "_user" not in self.__dict__:
            if self.authenticators and not any(map(_is_async_authenticator, self.authenticators)):
                # All synchronous: one trip through the bridge for the whole chain, not one per authenticator.
                await run_sync(self._authenticate)
                return self._user
            for authenticator in self.authenticators:
                try:
                    user_auth_tuple = await _run_authenticator(authenticator, self)
                except exceptions.APIException:
                    self._not_authenticated()
                    raise
                if user_auth_tuple is not None:
                    self._authenticator = authenticator
                    self.user, self.auth = user_auth_tuple
                    return self._user
            self._not_authenticated()
        return self._user

    def _authenticate(self) -> None:
        """Synchronous authentication, for ``request.user`` read before the pipeline authenticated."""
        for authenticator in self.authenticators:
            try:
                user_auth_tuple = authenticator.authenticate(self)
                if inspect.isawaitable(user_auth_tuple):
                    from django_bolt.utils.awaitables import run_coroutine_sync

                    user_auth_tuple = run_coroutine_sync(user_auth_tuple)
            except exceptions.APIException:
                self._not_authenticated()
                raise
            if user_auth_tuple is not None:
                self._authenticator = authenticator
                self.user, self.auth = user_auth_tuple
                return
        self._not_authenticated()

    def _not_authenticated(self) -> None:
        anonymous_user = api_settings.UNAUTHENTICATED_USER
        anonymous_token = api_settings.UNAUTHENTICATED_TOKEN
        attributes = self.__dict__
        attributes["_authenticator"] = None
        if "_request" in attributes:  # the Django request reads them too: the setters tell it
            self.user = anonymous_user() if anonymous_user else None
            self.auth = anonymous_token() if anonymous_token else None
        else:
            attributes["_user"] = anonymous_user() if anonymous_user else None
            attributes["_auth"] = anonymous_token() if anonymous_token else None

    def force_plaintext_errors(self, value: bool) -> None:
        """Kept for DRF compatibility: errors are always rendered as plain text/JSON here."""
        self._plaintext_errors = value


# Private names that must never be proxied to the Django request (they are set on this object, or their
# absence is meaningful to the lazy properties above).
_NOT_PROXIED = frozenset(
    {
        "_request",
        "_raw",
        "_data",
        "_files",
        "_full_data",
        "_user",
        "_auth",
        "_authenticator",
        "_absolute_uri",
        "_parsed_accept_list",
        "accepted_renderer",
        "accepted_media_type",
        "version",
        "versioning_scheme",
    }
)

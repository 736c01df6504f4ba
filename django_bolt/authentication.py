"""
Authentication policies: DRF's Session, Basic, Token and RemoteUser schemes.

An authenticator's ``authenticate(request)`` returns ``(user, auth)``, ``None`` when its scheme does not apply
(the next authenticator is tried), or raises ``AuthenticationFailed``. ``authenticate_header(request)`` gives
the ``WWW-Authenticate`` challenge of a 401; without one the 401 becomes a 403 (DRF's rule).

The view pipeline calls ``aauthenticate``. Here it inspects the request on the event loop and only hands work
to the sync bridge (``run_sync``) when there is something to look up: a request without credentials costs no
thread hop and no query. The sync ``authenticate`` keeps DRF's signature for code that calls it directly, and
subclasses overriding it (or ``authenticate_credentials``) are honoured by ``aauthenticate``.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth import authenticate as django_authenticate
from django.db.models import Manager
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _

from django_bolt import exceptions
from django_bolt import prepared_lookups as lookups
from django_bolt import prepared_queries as queries
from django_bolt.sync import run_sync
from django_bolt.utils.awaitables import is_async_callable

HTTP_HEADER_ENCODING = "iso-8859-1"


def get_authorization_header(request: Any) -> bytes:
    """The ``Authorization`` header as bytes (``b""`` when absent)."""
    auth = request.headers.get("authorization", b"")
    if isinstance(auth, str):
        try:
            auth = auth.encode(HTTP_HEADER_ENCODING)
        except UnicodeEncodeError:
            # The engine decodes headers as UTF-8 where a WSGI server would use latin-1.
            auth = auth.encode("utf-8")
    return auth


def _overrides(instance: Any, base: type, name: str) -> bool:
    """Whether ``instance``'s class replaced ``base.name`` (then the fast async path must not bypass it)."""
    return getattr(type(instance), name) is not getattr(base, name)


class CSRFCheck(CsrfViewMiddleware):
    """Django's CSRF middleware, returning the failure reason instead of a response."""

    def _reject(self, request: Any, reason: str) -> str:  # type: ignore[override]
        return reason


class BaseAuthentication:
    """Base of the authentication classes: implement ``authenticate`` (sync or ``async def``)."""

    def authenticate(self, request: Any) -> Any:
        """``(user, auth)`` if the request carries this scheme's valid credentials, else ``None``."""
        raise NotImplementedError(".authenticate() must be overridden.")

    def authenticate_header(self, request: Any) -> str | None:
        """The ``WWW-Authenticate`` value of a 401, or ``None`` to answer 403 instead."""
        return None

    async def aauthenticate(self, request: Any) -> Any:
        """``authenticate`` for the async pipeline: awaited if async, else run in the sync bridge."""
        authenticate = self.authenticate
        if is_async_callable(authenticate):
            return await authenticate(request)
        result = await run_sync(authenticate, request)
        return await result if inspect.isawaitable(result) else result


class BasicAuthentication(BaseAuthentication):
    """HTTP Basic: ``Authorization: Basic base64(username:password)``, checked with Django's backends."""

    www_authenticate_realm = "api"

    def _credentials(self, request: Any) -> tuple[str, str] | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != b"basic":
            return None
        if len(auth) == 1:
            raise exceptions.AuthenticationFailed(_("Invalid basic header. No credentials provided."))
        if len(auth) > 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid basic header. Credentials string should not contain spaces.")
            )
        try:
            raw = base64.b64decode(auth[1])
            try:
                decoded = raw.decode("utf-8")
            except UnicodeDecodeError:
                decoded = raw.decode("latin-1")
            userid, password = decoded.split(":", 1)
        except (TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(_("Invalid basic header. Credentials not correctly base64 encoded."))
        return userid, password

    def authenticate(self, request: Any) -> Any:
        credentials = self._credentials(request)
        if credentials is None:
            return None
        return self.authenticate_credentials(credentials[0], credentials[1], request)

    async def aauthenticate(self, request: Any) -> Any:
        if _overrides(self, BasicAuthentication, "authenticate"):
            return await super().aauthenticate(request)
        credentials = self._credentials(request)
        if credentials is None:
            return None
        check = self.authenticate_credentials
        if is_async_callable(check):
            return await check(credentials[0], credentials[1], request)
        # Password hashing is slow on purpose: never on the worker thread.
        return await run_sync(check, credentials[0], credentials[1], request)

    def authenticate_credentials(self, userid: str, password: str, request: Any = None) -> tuple[Any, None]:
        """Check ``userid``/``password`` with ``django.contrib.auth.authenticate``."""
        credentials = {get_user_model().USERNAME_FIELD: userid, "password": password}
        user = django_authenticate(request=request, **credentials)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, None)

    def authenticate_header(self, request: Any) -> str:
        return f'Basic realm="{self.www_authenticate_realm}"'


class SessionAuthentication(BaseAuthentication):
    """
    The user logged in to Django's session (``SESSION_ENGINE``, ``SESSION_COOKIE_NAME``). Unsafe methods from
    an authenticated session must pass Django's CSRF check; failures are 403 ``CSRF Failed: <reason>``.
    """

    def authenticate(self, request: Any) -> Any:
        # The Django request's ``user`` is what AuthenticationMiddleware would give: the session's user,
        # loaded on first use (here, in the sync bridge).
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        self.enforce_csrf(request)
        return (user, None)

    async def aauthenticate(self, request: Any) -> Any:
        if _overrides(self, SessionAuthentication, "authenticate"):
            return await super().aauthenticate(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session to load, so no user — but mark the session as read, as Django's lazy user does,
            # so the response gets ``Vary: Cookie`` like DRF's.
            request.session.get(SESSION_KEY)
            return None
        return await run_sync(self.authenticate, request)

    def enforce_csrf(self, request: Any) -> None:
        """Raise 403 unless the request passes Django's CSRF check (unsafe methods only)."""
        check = CSRFCheck(lambda request: None)
        # Given the bolt request (as DRF gives its own): a form token is read from ``request.POST``, parsed by
        # the view's parsers. process_request puts the cookie's secret in META, which process_view compares.
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


class TokenAuthentication(BaseAuthentication):
    """
    ``Authorization: Token <key>`` against ``rest_framework.authtoken``'s ``Token`` table (or ``model``: any
    model with ``key`` and ``user``). Change ``keyword`` for another prefix, e.g. ``"Bearer"``.
    """

    keyword = "Token"
    model: Any = None

    def get_model(self) -> Any:
        """The token model: ``model``, else the ``authtoken`` app's ``Token``."""
        if self.model is not None:
            return self.model
        return _authtoken_model()

    def _key(self, request: Any) -> str | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) == 1:
            raise exceptions.AuthenticationFailed(_("Invalid token header. No credentials provided."))
        if len(auth) > 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header. Token string should not contain spaces."))
        try:
            return auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            )

    def authenticate(self, request: Any) -> Any:
        key = self._key(request)
        return None if key is None else self.authenticate_credentials(key)

    async def aauthenticate(self, request: Any) -> Any:
        if _overrides(self, TokenAuthentication, "authenticate"):
            return await super().aauthenticate(request)
        key = self._key(request)
        if key is None:
            return None
        if is_async_callable(self.authenticate_credentials):
            return await self.authenticate_credentials(key)
        return await run_sync(self.authenticate_credentials, key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """``(token.user, token)`` for ``key``; one query (the user is joined in)."""
        model = self.get_model()
        try:
            token = _token_with_user(model, key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


# One compiled lookup per token model whose ``objects`` is Django's plain Manager: the statement compiled for the
# first requests is re-executed with each new key (django_bolt.prepared_lookups.OwnedLookup).
_token_lookups: dict[type, lookups.OwnedLookup] = {}


def _token_with_user(model: Any, key: str) -> Any:
    """``model.objects.select_related("user").get(key=key)``, through compiled SQL when the manager is plain."""
    lookup = _token_lookups.get(model)
    if lookup is None:
        if type(model.objects) is not Manager:  # a custom manager may filter per request: Django's path
            return model.objects.select_related("user").get(key=key)
        lookup = _token_lookups[model] = lookups.OwnedLookup(model.objects.select_related("user"), "key")
    try:
        token = lookup.get(key)
    except Http404:
        raise model.DoesNotExist from None
    return lookup.source.get(key=key) if token is queries.MISS else token


class RemoteUserAuthentication(BaseAuthentication):
    """
    A user authenticated by a front server that passes the name in ``header`` (a ``META`` key). Needs
    ``django.contrib.auth.backends.RemoteUserBackend`` in ``AUTHENTICATION_BACKENDS``. Behind a proxy that
    sets an HTTP header, use its ``META`` name, e.g. ``header = "HTTP_REMOTE_USER"``.
    """

    header = "REMOTE_USER"

    def authenticate(self, request: Any) -> Any:
        user = django_authenticate(request=request, remote_user=request.META.get(self.header))
        if user and user.is_active:
            return (user, None)
        return None

    async def aauthenticate(self, request: Any) -> Any:
        if _overrides(self, RemoteUserAuthentication, "authenticate"):
            return await super().aauthenticate(request)
        if not request.META.get(self.header):
            # RemoteUserBackend refuses an empty name: skip the backends (and the bridge).
            return None
        return await run_sync(self.authenticate, request)


__all__ = [
    "BaseAuthentication",
    "BasicAuthentication",
    "CSRFCheck",
    "RemoteUserAuthentication",
    "SessionAuthentication",
    "TokenAuthentication",
    "get_authorization_header",
]


@cache
def _authtoken_model() -> type:
    # The table and migrations of DRF's authtoken app are reused (a Django model, not DRF runtime code);
    # imported once, on first use.
    from rest_framework.authtoken.models import Token

    return Token

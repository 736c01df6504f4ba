"""
Exceptions that views turn into HTTP error responses, with DRF's status codes, messages and error codes.

Every message is an ``ErrorDetail``: a ``str`` that also carries a machine readable ``code``. Django's own
``Http404`` and ``PermissionDenied`` are translated by the exception handler in ``django_bolt.views``.

DRF's exceptions are understood too, without importing DRF here (a DRF exception can only exist once DRF's module
is loaded): ``is_api_exception`` accepts them, and ``as_drf_compatible`` hands an exception handler written for
DRF a Bolt exception that is also an instance of DRF's class of the same name.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from django.http import JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from django_bolt import status
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList


def _get_error_details(data: Any, default_code: str | None = None) -> Any:
    """Turn every string (or lazy string) leaf of a nested list/dict into an ``ErrorDetail``."""
    if isinstance(data, (list, tuple)):
        items = [_get_error_details(item, default_code) for item in data]
        # Keep the serializer back-link of ``serializer.errors`` containers.
        return ReturnList(items, serializer=data.serializer) if isinstance(data, ReturnList) else items
    if isinstance(data, dict):
        mapping = {key: _get_error_details(value, default_code) for key, value in data.items()}
        return ReturnDict(mapping, serializer=data.serializer) if isinstance(data, ReturnDict) else mapping
    # An ErrorDetail (or anything with ``.code``) keeps its own code.
    return ErrorDetail(force_str(data), getattr(data, "code", default_code))


def _apply_params(data: Any, params: Any) -> Any:
    """``%``-interpolate ``params`` into every message of a nested detail structure."""
    if isinstance(data, (list, tuple)):
        return [_apply_params(item, params) for item in data]
    if isinstance(data, dict):
        return {key: _apply_params(value, params) for key, value in data.items()}
    code = getattr(data, "code", None)
    text = force_str(data) % params
    return ErrorDetail(text, code) if code is not None else text


def _get_codes(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_get_codes(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _get_codes(value) for key, value in detail.items()}
    return detail.code


def _get_full_details(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_get_full_details(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _get_full_details(value) for key, value in detail.items()}
    return {"message": detail, "code": detail.code}


class ErrorDetail(str):
    """
    An error message that also carries an error ``code``.

    Compares equal to a plain string with the same text; two ``ErrorDetail`` objects are equal only if their
    codes match too. Hashes like the plain string, so it can key dicts and sets interchangeably.
    """

    code: str | None = None

    def __new__(cls, string: str, code: str | None = None) -> ErrorDetail:
        self = super().__new__(cls, string)
        self.code = code
        return self

    def __eq__(self, other: object) -> bool:
        same_text = super().__eq__(other)
        if same_text is NotImplemented:
            return NotImplemented
        other_code = getattr(other, "code", _NO_CODE)
        if other_code is _NO_CODE:
            return same_text
        return same_text and self.code == other_code

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        if result is NotImplemented:
            return NotImplemented
        return not result

    def __repr__(self) -> str:
        return f"ErrorDetail(string={str(self)!r}, code={self.code!r})"

    def __hash__(self) -> int:
        return hash(str(self))


_NO_CODE = object()


class APIException(Exception):
    """
    Base class of the exceptions a view may raise to answer with an error status.

    Subclasses set ``status_code``, ``default_detail`` and ``default_code``. ``detail`` may be a string, a list
    or a dict (nested freely); its leaves become ``ErrorDetail`` objects.
    """

    status_code: int = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail: Any = _("A server error occurred.")
    default_code: str = "error"

    def __init__(self, detail: Any = None, code: str | None = None) -> None:
        if detail is None:
            detail = self.default_detail
        if code is None:
            code = self.default_code
        self.detail = _get_error_details(detail, code)

    def __str__(self) -> str:
        return str(self.detail)

    def get_codes(self) -> Any:
        """The detail with every message replaced by its code, e.g. ``{"name": ["required"]}``."""
        return _get_codes(self.detail)

    def get_full_details(self) -> Any:
        """The detail with every message as ``{"message": ..., "code": ...}``."""
        return _get_full_details(self.detail)


class ValidationError(APIException):
    """
    Invalid input (400). The detail is always a list or a dict: a single message becomes a one-item list.

    ``params``, when given, is ``%``-interpolated into the message(s), as with Django's ``ValidationError``.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Invalid input.")
    default_code = "invalid"

    def __init__(self, detail: Any = None, code: str | None = None, params: Any = None) -> None:
        if detail is None:
            detail = self.default_detail
        if code is None:
            code = self.default_code
        if params is not None:
            detail = _apply_params(detail, params)
        # Validation collects many errors, so the detail is always a container.
        if isinstance(detail, tuple):
            detail = list(detail)
        elif not isinstance(detail, (dict, list)):
            detail = [detail]
        self.detail = _get_error_details(detail, code)


class ParseError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Malformed request.")
    default_code = "parse_error"


class AuthenticationFailed(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Incorrect authentication credentials.")
    default_code = "authentication_failed"


class NotAuthenticated(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Authentication credentials were not provided.")
    default_code = "not_authenticated"


class PermissionDenied(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("You do not have permission to perform this action.")
    default_code = "permission_denied"


class NotFound(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = _("Not found.")
    default_code = "not_found"


class MethodNotAllowed(APIException):
    status_code = status.HTTP_405_METHOD_NOT_ALLOWED
    default_detail = _('Method "{method}" not allowed.')
    default_code = "method_not_allowed"

    def __init__(self, method: str, detail: Any = None, code: str | None = None) -> None:
        if detail is None:
            detail = force_str(self.default_detail).format(method=method)
        super().__init__(detail, code)


class NotAcceptable(APIException):
    status_code = status.HTTP_406_NOT_ACCEPTABLE
    default_detail = _("Could not satisfy the request Accept header.")
    default_code = "not_acceptable"

    def __init__(self, detail: Any = None, code: str | None = None, available_renderers: Any = None) -> None:
        # Kept so a handler can still render the error with one of the renderers the view offers.
        self.available_renderers = available_renderers
        super().__init__(detail, code)


class UnsupportedMediaType(APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = _('Unsupported media type "{media_type}" in request.')
    default_code = "unsupported_media_type"

    def __init__(self, media_type: str, detail: Any = None, code: str | None = None) -> None:
        if detail is None:
            detail = force_str(self.default_detail).format(media_type=media_type)
        super().__init__(detail, code)


class Throttled(APIException):
    """Too many requests (429). ``wait`` (seconds, rounded up) is appended to the message and kept on ``.wait``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Request was throttled.")
    extra_detail_singular = _("Expected available in {wait} second.")
    extra_detail_plural = _("Expected available in {wait} seconds.")
    default_code = "throttled"

    def __init__(self, wait: float | None = None, detail: Any = None, code: str | None = None) -> None:
        if detail is None:
            detail = force_str(self.default_detail)
        if wait is not None:
            wait = math.ceil(wait)
            extra = ngettext(
                self.extra_detail_singular.format(wait=wait), self.extra_detail_plural.format(wait=wait), wait
            )
            detail = f"{detail} {force_str(extra)}"
        self.wait = wait
        super().__init__(detail, code)


class DatabaseUnavailable(APIException):
    """
    503 with ``Retry-After``: a view failed because its database connection is gone (an outage or a restart).
    Bolt-specific (Django and DRF answer 500): the engine can tell, and clients and load balancers retry a 503.
    The connection is dropped and reopened at the next request (``close_old_connections``).
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The database is unavailable, try again shortly.")
    default_code = "database_unavailable"
    wait = 1


def _drf() -> Any:
    """DRF's exceptions module if something loaded it, else None."""
    return sys.modules.get("rest_framework.exceptions")


def is_api_exception(exc: BaseException) -> bool:
    """Bolt's ``APIException``, or DRF's (and third-party subclasses of it)."""
    drf = _drf()
    return isinstance(exc, APIException) or (drf is not None and isinstance(exc, drf.APIException))


def is_authentication_error(exc: BaseException) -> bool:
    """``NotAuthenticated``/``AuthenticationFailed``, Bolt's or DRF's: 401s that need a challenge."""
    if isinstance(exc, NotAuthenticated | AuthenticationFailed):
        return True
    drf = _drf()
    return drf is not None and isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed)


_dual_classes: dict[type, type] = {}


def as_drf_compatible(exc: BaseException) -> BaseException:
    """``exc``, or — for a Bolt exception while DRF is loaded — the same exception as a class deriving from both
    Bolt's and DRF's class of that name, so a handler built on DRF's ``exception_handler`` recognises it."""
    drf = _drf()
    if drf is None or not isinstance(exc, APIException) or isinstance(exc, drf.APIException):
        return exc
    cls = type(exc)
    dual = _dual_classes.get(cls)
    if dual is None:
        twin = next((getattr(drf, k.__name__) for k in cls.__mro__ if hasattr(drf, k.__name__)), drf.APIException)
        if not (isinstance(twin, type) and issubclass(twin, drf.APIException)):
            twin = drf.APIException
        dual = _dual_classes[cls] = type(cls.__name__, (cls, twin), {"__module__": cls.__module__})
    converted = dual.__new__(dual)
    converted.__dict__.update(exc.__dict__)
    converted.args = exc.args
    converted.__traceback__ = exc.__traceback__
    return converted


def server_error(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """A ``handler500`` for Django URLconfs that answers JSON instead of HTML."""
    return JsonResponse({"error": "Server Error (500)"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def bad_request(request: Any, exception: Exception, *args: Any, **kwargs: Any) -> JsonResponse:
    """A ``handler400`` for Django URLconfs that answers JSON instead of HTML."""
    return JsonResponse({"error": "Bad Request (400)"}, status=status.HTTP_400_BAD_REQUEST)

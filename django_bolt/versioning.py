"""
API versioning, as DRF's ``rest_framework.versioning``: a view's ``versioning_class`` reads the version from the
request (``request.version``) and shapes ``reverse()`` to keep it in the URLs it builds.

``DEFAULT_VERSION``, ``ALLOWED_VERSIONS`` and ``VERSION_PARAM`` are read from the settings when used (DRF binds
them when its module is imported), so ``override_settings`` applies.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from django_bolt import exceptions
from django_bolt.reverse import _reverse
from django_bolt.settings import api_settings
from django_bolt.utils.mediatypes import _MediaType
from django_bolt.utils.urls import replace_query_param


class _Setting:
    """A class attribute defaulting to an API setting, read when used."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(api_settings, self.name)


class BaseVersioning:
    default_version: Any = _Setting("DEFAULT_VERSION")
    allowed_versions: Any = _Setting("ALLOWED_VERSIONS")
    version_param: Any = _Setting("VERSION_PARAM")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.determine_version() must be implemented.")

    def reverse(
        self, viewname: str, args: Any = None, kwargs: Any = None, request: Any = None, format: Any = None, **extra: Any
    ) -> str:
        return _reverse(viewname, args, kwargs, request, format, **extra)

    def is_allowed_version(self, version: Any) -> bool:
        if not self.allowed_versions:
            return True
        return (version is not None and version == self.default_version) or (version in self.allowed_versions)


class AcceptHeaderVersioning(BaseVersioning):
    """``Accept: application/json; version=1.0``"""

    invalid_version_message = _('Invalid version in "Accept" header.')

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        media_type = _MediaType(request.accepted_media_type)
        version = media_type.params.get(self.version_param, self.default_version)
        if isinstance(version, bytes):
            version = version.decode("iso-8859-1")
        if not self.is_allowed_version(version):
            raise exceptions.NotAcceptable(self.invalid_version_message)
        return version


class URLPathVersioning(BaseVersioning):
    """The version is a URL keyword argument: ``re_path(r"^(?P<version>v1|v2)/users/$", ...)``."""

    invalid_version_message = _("Invalid version in URL path.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        version = kwargs.get(self.version_param, self.default_version)
        if version is None:
            version = self.default_version
        if not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version

    def reverse(
        self, viewname: str, args: Any = None, kwargs: Any = None, request: Any = None, format: Any = None, **extra: Any
    ) -> str:
        if request.version is not None:
            kwargs = {self.version_param: request.version, **(kwargs or {})}
        return super().reverse(viewname, args, kwargs, request, format, **extra)


class NamespaceVersioning(BaseVersioning):
    """The version is the URL namespace: ``path("v1/", include("users.urls", namespace="v1"))``."""

    invalid_version_message = _("Invalid version in URL path. Does not match any version namespace.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        resolver_match = getattr(request, "resolver_match", None)
        if resolver_match is None or not resolver_match.namespace:
            return self.default_version
        for version in resolver_match.namespace.split(":"):
            if self.is_allowed_version(version):
                return version
        raise exceptions.NotFound(self.invalid_version_message)

    def reverse(
        self, viewname: str, args: Any = None, kwargs: Any = None, request: Any = None, format: Any = None, **extra: Any
    ) -> str:
        if request.version is not None:
            viewname = self.get_versioned_viewname(viewname, request)
        return super().reverse(viewname, args, kwargs, request, format, **extra)

    def get_versioned_viewname(self, viewname: str, request: Any) -> str:
        return f"{request.version}:{viewname}"


class HostNameVersioning(BaseVersioning):
    """``Host: v1.example.com``"""

    hostname_regex = re.compile(r"^([a-zA-Z0-9]+)\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$")
    invalid_version_message = _("Invalid version in hostname.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        hostname, _separator, _port = request.get_host().partition(":")
        match = self.hostname_regex.match(hostname)
        if not match:
            return self.default_version
        version = match.group(1)
        if not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version


class QueryParameterVersioning(BaseVersioning):
    """``GET /something/?version=0.1``"""

    invalid_version_message = _("Invalid version in query parameter.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        version = request.query_params.get(self.version_param, self.default_version)
        if not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version

    def reverse(
        self, viewname: str, args: Any = None, kwargs: Any = None, request: Any = None, format: Any = None, **extra: Any
    ) -> str:
        url = super().reverse(viewname, args, kwargs, request, format, **extra)
        if request.version is not None:
            return replace_query_param(url, self.version_param, request.version)
        return url

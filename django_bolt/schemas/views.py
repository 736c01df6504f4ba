"""
The OpenAPI document and its documentation pages as Bolt views, for ``bolt_urls.py``; drf-spectacular's
settings (``SPECTACULAR_SETTINGS``: title, ``SERVE_PUBLIC``, ``SERVE_PERMISSIONS``, ``SWAGGER_UI_DIST``/
``REDOC_DIST`` — ``"SIDECAR"`` serves the UI assets from drf-spectacular-sidecar, no CDN) apply as to
spectacular's own views, whose names these keep::

    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.settings import patched_settings, spectacular_settings

from django_bolt.response import Response
from django_bolt.reverse import reverse
from django_bolt.sync import run_sync
from django_bolt.views import APIView


def _serve_policies() -> dict[str, Any]:
    policies: dict[str, Any] = {"permission_classes": spectacular_settings.SERVE_PERMISSIONS}
    if spectacular_settings.SERVE_AUTHENTICATION is not None:
        policies["authentication_classes"] = spectacular_settings.SERVE_AUTHENTICATION
    return policies


class _SchemaServing(APIView):
    """Spectacular's serving settings, read when the route is compiled (spectacular reads them at import)."""

    schema = None  # not part of the document it serves

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return super().as_view(**{**_serve_policies(), **initkwargs})


class SpectacularAPIView(_SchemaServing):
    """The OpenAPI document: YAML (``application/vnd.oai.openapi``) or JSON (``…+json``), by content negotiation."""

    renderer_classes = [OpenApiYamlRenderer, OpenApiYamlRenderer2, OpenApiJsonRenderer, OpenApiJsonRenderer2]
    generator_class: Any = None  # spectacular's DEFAULT_GENERATOR_CLASS
    serve_public: bool | None = None  # SERVE_PUBLIC
    urlconf: Any = None  # SERVE_URLCONF; None: what runbolt serves
    api_version: str | None = None
    custom_settings: dict[str, Any] | None = None
    patterns: list | None = None

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return await run_sync(self._document, request)

    def _document(self, request: Any) -> Response:
        with patched_settings(self.custom_settings):
            language = request.query_params.get("lang") if settings.USE_I18N else None
            with translation.override(language) if language else _nothing():
                version = self.api_version or request.version or request.query_params.get("version")
                generator_class = self.generator_class or spectacular_settings.DEFAULT_GENERATOR_CLASS
                urlconf = self.urlconf or spectacular_settings.SERVE_URLCONF
                generator = generator_class(urlconf=urlconf, api_version=version, patterns=self.patterns)
                public = spectacular_settings.SERVE_PUBLIC if self.serve_public is None else self.serve_public
                document = generator.get_schema(request=request, public=public)
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        title = spectacular_settings.TITLE or "schema"
        filename = f"{title}{f' ({version})' if version else ''}.{suffix}"
        return Response(document, headers={"Content-Disposition": f'inline; filename="{filename}"'})


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


class SpectacularYAMLAPIView(SpectacularAPIView):
    renderer_classes = [OpenApiYamlRenderer, OpenApiYamlRenderer2]


class SpectacularJSONAPIView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2]


def _asset(setting: str, sidecar_path: str, filename: str) -> str:
    dist = getattr(spectacular_settings, setting)
    if dist == "SIDECAR":
        return static(f"drf_spectacular_sidecar/{sidecar_path}/{filename}")
    return f"{dist}/{filename}"


class _DocumentationPage(_SchemaServing):
    """An HTML page around the document at ``url`` (or the route named ``url_name``)."""

    url_name = "schema"
    url: str | None = None
    template_name = ""
    title: str | None = None

    def schema_url(self, request: Any) -> str:
        url = self.url or reverse(self.url_name)
        query = {key: request.query_params.get(key) for key in ("lang", "version")}
        from drf_spectacular.plumbing import set_query_parameters

        return set_query_parameters(url, **query)

    def page(self, request: Any, context: dict[str, Any]) -> HttpResponse:
        context = {"title": self.title or spectacular_settings.TITLE, **context}
        html = render_to_string(self.template_name, context)
        return HttpResponse(html, headers={"Cross-Origin-Opener-Policy": "unsafe-none"})


def _dump(data: Any) -> str:
    return data if isinstance(data, str) else json.dumps(data, indent=2)


class SpectacularSwaggerView(_DocumentationPage):
    """Swagger UI for the document."""

    template_name = "drf_spectacular/swagger_ui.html"
    template_name_js = "drf_spectacular/swagger_ui.js"

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        favicon = spectacular_settings.SWAGGER_UI_FAVICON_HREF
        if favicon == "SIDECAR":
            favicon = static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
        csrf_header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
        return self.page(
            request,
            {
                "swagger_ui_css": _asset("SWAGGER_UI_DIST", "swagger-ui-dist", "swagger-ui.css"),
                "swagger_ui_bundle": _asset("SWAGGER_UI_DIST", "swagger-ui-dist", "swagger-ui-bundle.js"),
                "swagger_ui_standalone": _asset(
                    "SWAGGER_UI_DIST", "swagger-ui-dist", "swagger-ui-standalone-preset.js"
                ),
                "favicon_href": favicon,
                "schema_url": self.schema_url(request),
                "settings": _dump(spectacular_settings.SWAGGER_UI_SETTINGS),
                "oauth2_config": _dump(spectacular_settings.SWAGGER_UI_OAUTH2_CONFIG),
                "template_name_js": self.template_name_js,
                "script_url": None,
                "csrf_header_name": csrf_header,
                "schema_auth_names": _dump(self._auth_names()),
            },
        )

    def _auth_names(self) -> list[str]:
        # The security schemes Swagger UI should offer to fill in (spectacular's rule).
        from drf_spectacular.extensions import OpenApiAuthenticationExtension

        from django_bolt.schemas.twins import policy_class

        if spectacular_settings.SERVE_PUBLIC:
            return []
        matches = (OpenApiAuthenticationExtension.get_match(policy_class(c)) for c in self.authentication_classes)
        return [match.name for match in matches if match]


class SpectacularRedocView(_DocumentationPage):
    """ReDoc for the document."""

    template_name = "drf_spectacular/redoc.html"

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(
            request,
            {
                "redoc_standalone": _asset("REDOC_DIST", "redoc/bundles", "redoc.standalone.js"),
                "schema_url": self.schema_url(request),
                "settings": _dump(spectacular_settings.REDOC_UI_SETTINGS),
            },
        )

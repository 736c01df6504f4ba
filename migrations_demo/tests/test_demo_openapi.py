"""
The demo's published OpenAPI document does not change when endpoints move to Bolt: drf-spectacular documents
what runbolt serves (Bolt routes, then the fall-through) exactly as it documented the pure-DRF project, with no
warning; runbolt serves the document and its Swagger UI / ReDoc pages.
"""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

SETTINGS = {
    "REST_FRAMEWORK": {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"},
    "SPECTACULAR_SETTINGS": {"TITLE": "Catalog API", "VERSION": "1.0.0"},
}


@pytest.fixture(autouse=True)
def spectacular(settings):
    # drf_spectacular and drf_spectacular_sidecar are installed apps in demo.settings and tests.settings.
    for name, value in SETTINGS.items():
        setattr(settings, name, value)


def spectacular_command(tmp_path, name: str, *args: str) -> str:
    """``manage.py spectacular --fail-on-warn --validate`` (any warning or invalid document fails)."""
    out = tmp_path / f"{name}.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out), *args)
    return out.read_text()


def test_the_schema_after_migration_is_the_pure_drf_schema(tmp_path):
    # The pure-DRF project: spectacular's own generator over the DRF URLconf, as before the migration.
    drf = spectacular_command(
        tmp_path, "drf", "--urlconf", "demo.urls", "--generator-class", "drf_spectacular.generators.SchemaGenerator"
    )
    # What runbolt serves: authors and books ported, reviews through compat, api/token/ by the fall-through.
    served = spectacular_command(tmp_path, "served")
    assert served == drf
    paths = yaml.safe_load(served)["paths"]
    assert set(paths) == {
        "/api/authors/", "/api/authors/{id}/", "/api/books/", "/api/books/{id}/", "/api/books/{id}/restock/",
        "/api/books/{id}/reviews/", "/api/reviews/", "/api/reviews/{id}/", "/api/token/",
    }  # fmt: skip


def test_a_bolt_urlconf_alone_documents_its_routes(tmp_path):
    drf = yaml.safe_load(spectacular_command(tmp_path, "drf", "--urlconf", "demo.urls"))
    bolt = yaml.safe_load(spectacular_command(tmp_path, "bolt", "--urlconf", "demo.bolt_urls"))
    assert set(bolt["paths"]) == set(drf["paths"]) - {"/api/token/"}
    for path, operations in bolt["paths"].items():
        assert operations == drf["paths"][path], path
    assert bolt["components"]["schemas"] == {
        name: schema for name, schema in drf["components"]["schemas"].items() if name != "AuthToken"
    }


def test_runbolt_routes_serve_the_document_and_its_pages(bolt_engine, tmp_path):
    from drf_spectacular.settings import spectacular_settings

    from django_bolt.test import BoltClient

    client = BoltClient(engine=bolt_engine)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    # spectacular reads SPECTACULAR_SETTINGS once per process: the title is the demo's under runbolt, maybe not here.
    assert response["Content-Disposition"] == f'inline; filename="{spectacular_settings.TITLE or "schema"}.yaml"'
    assert response.content.decode() == spectacular_command(tmp_path, "served")
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert response.json() == yaml.safe_load(spectacular_command(tmp_path, "served"))
    for page, marker in (("swagger-ui", b"SwaggerUIBundle"), ("redoc", b"Redoc")):
        response = client.get(f"/api/schema/{page}/")
        assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert marker in response.content and b'"/api/schema/"' in response.content


def test_the_pages_use_the_sidecar_assets_when_asked():
    from django.contrib.staticfiles import finders
    from drf_spectacular.settings import patched_settings

    from django_bolt.test import BoltClient

    client = BoltClient("demo.bolt_urls")
    sidecar = {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
    with patched_settings(sidecar):
        swagger = client.get("/api/schema/swagger-ui/").content.decode()
        redoc = client.get("/api/schema/redoc/").content.decode()
    for asset in ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-dist/swagger-ui.css"):
        assert f"/static/drf_spectacular_sidecar/{asset}" in swagger
        assert finders.find(f"drf_spectacular_sidecar/{asset}")  # the app's static files: offline, no CDN
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc

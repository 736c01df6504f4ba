"""BOLT["MIDDLEWARE"]: chosen Django middleware around Bolt views; and the system check that accounts for every
MIDDLEWARE entry."""

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from django_bolt.checks import check_middleware
from django_bolt.test import BoltClient

REQUEST_ID = "tests.fallthrough.middleware.request_id"


def test_listed_middleware_runs_around_bolt_views(db, settings):
    settings.BOLT = {"MIDDLEWARE": [REQUEST_ID, "django.middleware.locale.LocaleMiddleware"]}
    client = BoltClient()
    response = client.get("/bolt/who/ann", headers={"X-Trace-ID": "abc", "Accept-Language": "fr"})
    assert response.json() == {"name": "ann", "request_id": "abc"}
    assert response["X-Trace-ID"] == "abc"
    assert response["Content-Language"] == "fr"  # LocaleMiddleware (a MiddlewareMixin) ran its both halves
    blocked = client.get("/bolt/who/ann", headers={"X-Block": "1"})
    assert (blocked.status_code, blocked.json()) == (403, {"blocked": True})
    assert "X-Trace-ID" not in BoltClient(engine=None).get("/plain/async/")  # not on fall-through requests


def test_without_the_setting_bolt_views_run_bare(db):
    response = BoltClient().get("/bolt/who/ann", headers={"X-Trace-ID": "abc"})
    assert response.json() == {"name": "ann", "request_id": None} and "X-Trace-ID" not in response


def test_sync_only_middleware_is_refused(db, settings):
    settings.BOLT = {"MIDDLEWARE": ["tests.fallthrough.middleware.sync_only"]}
    with pytest.raises(ImproperlyConfigured, match="is not async-capable"):
        BoltClient()
    [error] = [m for m in check_middleware() if m.level == checks.ERROR]
    assert error.id == "django_bolt.E001"


def test_every_middleware_entry_is_accounted_for(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware", REQUEST_ID]
    settings.BOLT = {"MIDDLEWARE": [REQUEST_ID]}
    infos = {m.msg.split(":")[0].removeprefix("MIDDLEWARE "): m.msg for m in check_middleware()}
    assert list(infos) == settings.MIDDLEWARE
    assert "applied by the engine (X-Frame-Options)" in infos["django.middleware.clickjacking.XFrameOptionsMiddleware"]
    assert "SessionAuthentication enforces CSRF" in infos["django.middleware.csrf.CsrfViewMiddleware"]
    assert "applied by the engine (gzip" in infos["django.middleware.gzip.GZipMiddleware"]
    assert 'run around Bolt views (BOLT["MIDDLEWARE"])' in infos[REQUEST_ID]

"""Django's middleware protections on Bolt routes, applied by the engine from the same settings: the same Host
validation, security headers and redirects a fall-through (Django) response gets."""

import pytest
from django.test import override_settings

from django_bolt.test import BoltClient

SECURITY_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Frame-Options")


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", ".example.org"]


def test_bolt_routes_get_the_headers_django_responses_get(db):
    client = BoltClient()
    bolt = client.get("/bolt/hello")
    django = client.get("/plain/async/")
    assert bolt.status_code == django.status_code == 200
    expected = {name: django.headers.get(name) for name in SECURITY_HEADERS}
    assert expected == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    assert {name: bolt.headers.get(name) for name in SECURITY_HEADERS} == expected
    # ...on the engine's own answers too (405).
    assert client.delete("/bolt/hello")["X-Frame-Options"] == "DENY"


def test_only_listed_middleware_apply(db, settings):
    settings.MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    response = BoltClient().get("/bolt/hello")
    assert not any(name in response for name in SECURITY_HEADERS)
    settings.MIDDLEWARE = ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
    assert BoltClient().get("/bolt/hello")["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("host", ["evil.example", "testserver:1:2", "exa mple.org", "example.org@evil"])
def test_bad_host_gets_djangos_400_on_bolt_routes(db, hosts, host):
    client = BoltClient()
    bolt = client.get("/bolt/hello", headers={"Host": host})
    django = client.get("/plain/async/", headers={"Host": host})
    assert bolt.status_code == django.status_code == 400
    assert bolt.content == django.content and b"Bad Request (400)" in bolt.content


@pytest.mark.parametrize("host", ["testserver", "TESTSERVER:8000", "api.example.org", "example.org."])
def test_allowed_hosts_pass(db, hosts, host):
    assert BoltClient().get("/bolt/hello", headers={"Host": host}).json() == {"served_by": "bolt"}


def test_append_slash_redirects_to_the_bolt_route(db, settings):
    client = BoltClient()
    response = client.get("/bolt/items?q=1")
    assert (response.status_code, response["Location"], response.content) == (301, "/bolt/items/?q=1", b"")
    assert response["X-Frame-Options"] == "DENY"
    assert client.get("/bolt/nothing").status_code == 404  # no route either way: Django's 404
    settings.APPEND_SLASH = False
    assert BoltClient().get("/bolt/items").status_code == 404


def test_append_slash_refuses_to_drop_a_post_body_in_debug(db, settings):
    settings.DEBUG = True
    response = BoltClient().post("/bolt/items", {"a": 1}, format="json")
    assert response.status_code == 500
    assert b"Django can't redirect to the slash URL while maintaining POST data" in response.content


def test_ssl_redirect_and_hsts(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_REDIRECT_EXEMPT = [r"^bolt/items/$"]
    client = BoltClient()
    bolt = client.get("/bolt/hello?x=1")
    django = client.get("/plain/async/?x=1")
    assert (bolt.status_code, bolt["Location"]) == (301, "https://testserver/bolt/hello?x=1")
    assert (django.status_code, django["Location"]) == (301, "https://testserver/plain/async/?x=1")
    assert client.get("/bolt/items/").status_code == 200  # exempt
    secure = client.get("/bolt/hello", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/bolt/items/")


@override_settings(ROOT_URLCONF=None)
def test_without_a_urlconf_a_bad_host_gets_a_plain_400(db, hosts):
    assert BoltClient().get("/bolt/hello", headers={"Host": "evil.example"}).status_code == 400

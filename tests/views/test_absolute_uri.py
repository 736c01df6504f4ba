"""``request.build_absolute_uri()`` answers as Django's, with its ``scheme://host`` part remembered by the values
it reads: settings changed between requests, proxy headers, a disallowed host, an edited ``META``."""

from __future__ import annotations

import types

import pytest
from django.core.exceptions import DisallowedHost
from django.test import override_settings

from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.utils.http import build_django_request
from django_bolt.views import APIView


def _uri(build) -> str:
    try:
        return build()
    except DisallowedHost as exc:
        return f"disallowed: {exc}"


class Uri(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request, rest=""):
        if "edit" in request.query_params:
            request.META["HTTP_HOST"] = "edited.example.com"
        mine = _uri(request.build_absolute_uri)
        theirs = _uri(build_django_request(request).build_absolute_uri)
        return Response({"mine": mine, "django": theirs})


urlpatterns = [path("uri/<path:rest>", Uri.as_view())]


@pytest.fixture(autouse=True)
def no_engine_host_check():
    # CommonMiddleware has the engine refuse a disallowed host before any view: off, so the view sees it.
    with override_settings(MIDDLEWARE=[]):
        yield


def answer(headers=None, target="/uri/a/b?x=1"):
    client = BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns))
    response = client.get(target, headers=headers or {})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["mine"] == data["django"]
    return data["mine"]


def twice(*args, **kwargs):
    first = answer(*args, **kwargs)
    assert answer(*args, **kwargs) == first  # the second from the remembered host part
    return first


@override_settings(ALLOWED_HOSTS=["*"])
def test_plain_host_and_path():
    assert twice({"Host": "api.example.com"}) == "http://api.example.com/uri/a/b?x=1"
    assert twice({"Host": "api.example.com"}, "/uri/caf%C3%A9/?q=a%20b&r=") == (
        "http://api.example.com/uri/caf%C3%A9/?q=a%20b&r="
    )
    assert twice({"Host": "api.example.com:8443"}).startswith("http://api.example.com:8443/")


def test_allowed_hosts_changed_between_requests():
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert twice({"Host": "evil.test"}) == "http://evil.test/uri/a/b?x=1"
    with override_settings(ALLOWED_HOSTS=[".example.com"]):
        assert twice({"Host": "evil.test"}).startswith("disallowed: Invalid HTTP_HOST header: 'evil.test'")
        assert twice({"Host": "www.example.com"}) == "http://www.example.com/uri/a/b?x=1"


@override_settings(ALLOWED_HOSTS=[".example.com"])
def test_forwarded_host_only_when_trusted():
    headers = {"Host": "www.example.com", "X-Forwarded-Host": "proxy.example.com"}
    assert twice(headers) == "http://www.example.com/uri/a/b?x=1"
    with override_settings(USE_X_FORWARDED_HOST=True):
        assert twice(headers) == "http://proxy.example.com/uri/a/b?x=1"


@override_settings(ALLOWED_HOSTS=["*"], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_proxy_scheme_header():
    assert twice({"Host": "a.example.com", "X-Forwarded-Proto": "https"}) == "https://a.example.com/uri/a/b?x=1"
    assert twice({"Host": "a.example.com", "X-Forwarded-Proto": "http"}) == "http://a.example.com/uri/a/b?x=1"
    assert twice({"Host": "a.example.com"}) == "http://a.example.com/uri/a/b?x=1"


@override_settings(ALLOWED_HOSTS=["*"])
def test_an_edited_meta_is_read():
    assert twice({"Host": "api.example.com"}, "/uri/a/?edit=1") == "http://edited.example.com/uri/a/?edit=1"


@pytest.mark.parametrize("setting", [("X_FORWARDED_PROTO", "https"), ("wsgi.url_scheme", "https")])
def test_a_proxy_header_outside_the_request_headers_is_not_remembered(setting):
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_PROXY_SSL_HEADER=setting):
        assert twice({"Host": "a.example.com"}) == "http://a.example.com/uri/a/b?x=1"

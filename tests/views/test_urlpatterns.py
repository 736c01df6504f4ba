"""format_suffix_patterns on path() and re_path() routes, through the engine; reverse() with format/request."""

from __future__ import annotations

import types

import pytest
from django.test import override_settings

from django_bolt.response import Response
from django_bolt.reverse import reverse
from django_bolt.test import BoltClient
from django_bolt.urlpatterns import format_suffix_patterns
from django_bolt.urls import path, re_path
from django_bolt.views import APIView


class Item(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request, pk, format=None):
        url = reverse("item", kwargs={"pk": pk}, request=request) if isinstance(pk, int) else None
        return Response({"pk": pk, "format": format, "url": url})


urlpatterns = format_suffix_patterns(
    [
        path("items/<int:pk>/", Item.as_view(), name="item"),
        re_path(r"^raw/(?P<pk>[a-z]+)/$", Item.as_view(), name="raw"),
    ],
    allowed=["json", "txt"],
)


@pytest.fixture
def client():
    with override_settings(ROOT_BOLTCONF="tests.views.test_urlpatterns"):
        yield BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns))


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/items/3/", 200, {"pk": 3, "format": None, "url": "http://testserver/items/3/"}),
        ("/items/3.json", 200, {"pk": 3, "format": "json", "url": "http://testserver/items/3/"}),
        ("/items/3.json/", 200, {"pk": 3, "format": "json", "url": "http://testserver/items/3/"}),
        ("/items/3.xml", 404, None),  # no Bolt route: Django's own 404 page (fall-through)
        ("/raw/abc.json", 200, {"pk": "abc", "format": "json", "url": None}),
        ("/items/3/?format=json", 200, {"pk": 3, "format": None, "url": "http://testserver/items/3/?format=json"}),
    ],
)
def test_suffixes(client, url, status, body):
    response = client.get(url)
    if body is None:
        assert response.status_code == status and b"<h1>Not Found</h1>" in response.content
    else:
        assert (response.status_code, response.json()) == (status, body)


@override_settings(ROOT_BOLTCONF="tests.views.test_urlpatterns")
def test_reverse_with_format():
    assert reverse("item", kwargs={"pk": 3}, format="json") == "/items/3.json/"
    with pytest.raises(ValueError, match="Don't mix"):  # as in DRF: format travels as a keyword
        reverse("item", args=[3], format="json")
    assert reverse("raw", kwargs={"pk": "x"}, format="txt") == "/raw/x.txt"

"""``request.query_params`` is the QueryDict Django builds from the same query string (through the engine)."""

from __future__ import annotations

import types

import pytest
from django.http import QueryDict

from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.views import APIView

seen: list = []


class Query(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request):
        seen.append(request.query_params)
        return Response({})


urlpatterns = [path("q/", Query.as_view())]

QUERIES = [
    "a=1&b=2&a=3",
    "flag=&empty&x=%20y+z",
    "caf%C3%A9=th%C3%A9&page=2",
    "k=1;2&k=",
    "%FF=bad",
    "a=1&a=1&a=1",
]


@pytest.mark.parametrize("query", QUERIES)
def test_query_params_equal_djangos(query):
    seen.clear()
    BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns)).get(f"/q/?{query}")
    mine, django = seen[0], QueryDict(query)
    assert type(mine) is QueryDict
    assert dict(mine.lists()) == dict(django.lists())
    assert list(mine.keys()) == list(django.keys())
    assert mine.urlencode() == django.urlencode()
    assert mine.encoding == django.encoding
    with pytest.raises(AttributeError, match="immutable"):
        mine["new"] = "1"
    copied = mine.copy()
    copied["new"] = "1"
    assert copied["new"] == "1" and "new" not in mine

"""Once its response is bytes, a request's view, Request and Response no longer refer to each other
(``finish.release``): they are freed as the request ends, not by the cyclic garbage collector. Code that keeps
the view past the response still has its request, kwargs and body."""

from __future__ import annotations

import gc
import types
import weakref

import pytest

from django_bolt.response import Response
from django_bolt.routers import SimpleRouter
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.views import APIView
from django_bolt.viewsets import ViewSet

alive: list[weakref.ref] = []
kept: list[APIView] = []


def watch(*objects):
    alive.extend(weakref.ref(obj) for obj in objects)


def watched_response(view, request, data):
    response = Response(data)
    watch(view, request, response)
    return response


class Greetings(ViewSet):
    """A ViewSet action: the view's ``get`` and ``head`` are bound to ``list`` per request."""

    authentication_classes: list = []
    permission_classes: list = []

    async def list(self, request):
        return watched_response(self, request, {"hello": "world"})


class Numbers(APIView):
    """An APIView: Django's ``View.setup`` binds ``head`` to ``get`` on the instance."""

    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request, pk):
        return watched_response(self, request, {"pk": pk})


class Keeper(APIView):
    """Keeps itself past the response without reading the body (as a background task would)."""

    authentication_classes: list = []
    permission_classes: list = []

    async def post(self, request, pk):
        kept.append(self)
        return Response({})


async def plain(request):
    """A function view: its ``Request`` refers to itself from ``parser_context``."""
    watch(request)
    return {"plain": True}


router = SimpleRouter()
router.register("greetings", Greetings, basename="greeting")
urlpatterns = [
    path("numbers/<int:pk>/", Numbers.as_view()),
    path("keep/<int:pk>/", Keeper.as_view()),
    path("plain/", plain),
    *router.urls,
]


@pytest.fixture
def client():
    alive.clear()
    kept.clear()
    yield BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns))
    kept.clear()


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("target", ["/greetings/", "/numbers/3/"])
def test_view_request_and_response_are_freed_without_the_collector(client, no_collector, target):
    for method in (client.get, client.head):
        alive.clear()
        assert method(target).status_code == 200
        assert len(alive) == 3
        assert [ref() for ref in alive] == [None, None, None]


def test_a_function_views_request_is_freed_without_the_collector(client, no_collector):
    assert client.get("/plain/").json() == {"plain": True}
    assert len(alive) == 1 and alive[0]() is None


def test_a_view_kept_past_its_response_still_has_its_request_and_body(client):
    response = client.post("/keep/9/", {"name": "kept", "n": "1"}, format="multipart")
    assert response.status_code == 200
    (view,) = kept
    assert view.kwargs == {"pk": 9} and view.request.method == "POST"
    # The body was not read during the request: parsing it afterwards still works (multipart needs the request).
    assert view.request.data["name"] == "kept"
    assert not hasattr(view, "response")
    assert "view" not in view.request.parser_context

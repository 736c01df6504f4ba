"""A plain ``Response`` from a planned route is finished straight into the engine's triple
(``finish.plain_triple``): the status, header pairs and body are those of the usual
finish — ``finalize_response``, then rendering — and any response the shortcut does not cover takes that usual
path."""

from __future__ import annotations

import types

import pytest

from django_bolt import finish
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.utils.view_callback import instance_factory
from django_bolt.views import APIView


class Plain(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request):
        return Response({"hello": "wörld", "n": [1, 2.5, None]}, status=201)


class TwoRenderers(Plain):
    """Two renderers: the view's headers carry ``Vary: Accept``."""

    class Other(JSONRenderer):
        media_type = "application/vnd.other+json"
        format = "other"

    renderer_classes = [JSONRenderer, Other]


class OwnHeaders(Plain):
    async def get(self, request):
        return Response({"a": 1}, headers={"X-Own": "yes", "Vary": "Cookie"})


class ViewHeaders(Plain):
    async def get(self, request):
        self.headers["X-View"] = "added"
        return Response({"a": 1})


class Cookie(Plain):
    async def get(self, request):
        response = Response({"a": 1})
        response.set_cookie("flavour", "oat")
        return response


class ContentType(Plain):
    async def get(self, request):
        return Response({"a": 1}, content_type="application/json; charset=utf-8")


class Empty(Plain):
    async def get(self, request):
        return Response(status=204)


class Failing(Plain):
    async def get(self, request):
        raise ValueError("handled by the view")

    def handle_exception(self, exc):
        return Response({"detail": str(exc)}, status=418)


urlpatterns = [
    path("plain/", Plain.as_view()),
    path("two/", TwoRenderers.as_view()),
    path("own/", OwnHeaders.as_view()),
    path("view-headers/", ViewHeaders.as_view()),
    path("cookie/", Cookie.as_view()),
    path("content-type/", ContentType.as_view()),
    path("empty/", Empty.as_view()),
    path("failing/", Failing.as_view()),
]


@pytest.fixture
def client():
    return BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns))


@pytest.fixture
def taken(monkeypatch):
    """The paths whose response the shortcut finished."""
    finished: list[str] = []
    real = finish.plain_triple

    def recording(plan, view, request, response):
        triple = real(plan, view, request, response)
        if triple is not None:
            finished.append(request.path)
        return triple

    monkeypatch.setattr("django_bolt.pipeline.plain_triple", recording)
    return finished


def _answer(response):
    pairs = [(name.lower(), value) for name, value in response.headers.items() if name.lower() != "x-request-id"]
    return response.status_code, pairs, response.content


CASES = [
    ("/plain/", {}, True),
    ("/plain/", {"HTTP_ACCEPT": "application/json"}, True),
    ("/plain/", {"HTTP_ACCEPT": "application/json; indent=2"}, False),
    ("/two/", {}, True),
    ("/two/", {"HTTP_ACCEPT": "application/vnd.other+json"}, False),
    ("/own/", {}, False),
    ("/view-headers/", {}, False),
    ("/cookie/", {}, False),
    ("/content-type/", {}, False),
    ("/empty/", {}, False),
    ("/failing/", {}, True),
]


@pytest.mark.parametrize(("target", "extra", "shortcut"), CASES)
def test_the_shortcut_answers_what_the_usual_finish_answers(client, taken, monkeypatch, target, extra, shortcut):
    short = _answer(client.get(target, **extra))
    assert (taken == [target]) is shortcut
    monkeypatch.setattr("django_bolt.pipeline.plain_triple", lambda *args: None)
    assert short == _answer(client.get(target, **extra))
    for method in (client.head, client.options):
        method(target)  # other methods of the same view still answer


def test_the_shortcut_keeps_the_usual_bytes_and_headers(client):
    response = client.get("/two/")
    assert response.status_code == 201
    assert response.content == '{"hello":"wörld","n":[1,2.5,null]}'.encode()
    expected = [("allow", "GET, HEAD, OPTIONS"), ("content-type", "application/json"), ("vary", "Accept")]
    assert sorted(_answer(response)[1]) == expected


class WithInit(APIView):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.made_by_init = True


class WithProperty(APIView):
    seen: list = []

    @property
    def label(self):
        return "property"

    @label.setter
    def label(self, value):
        self.seen.append(value)


def test_instances_are_made_as_cls_of_initkwargs():
    plain = instance_factory(APIView, {"label": "x"})()
    assert type(plain) is APIView and plain.label == "x"
    assert instance_factory(WithInit, {})().made_by_init
    instance_factory(WithProperty, {"label": "through the setter"})()
    assert WithProperty.seen == ["through the setter"]
